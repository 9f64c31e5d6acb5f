"""The base model form: Bootstrap styling, the user's regions only, and the model's own validation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from django import forms
from django.db.models import Model
from django.utils.translation import gettext as _

from dakportal.accounts.scoping import Scope
from dakportal.services import is_versioned


class Versioned(Protocol):
    """A record whose edits are based on a version (#9): `is_versioned` tells."""

    version: int


def records_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, a choice of records (one or several): `form.fields` holds plain `Field`s to the
    type checker, and setting the choice's queryset or labels needs the field's own type."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def label_choices(field: forms.ModelChoiceField[Any], label: Callable[[Any], str]) -> None:
    """Shows each record `field` offers as `label(record)` rather than its `str()`."""
    field.label_from_instance = label  # type: ignore[method-assign, assignment]  # set on the instance: no self


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, a choice among fixed values (see `records_field`)."""
    return cast("forms.ChoiceField", form.fields[name])


def style_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ScopedModelForm[M: Model](forms.ModelForm[M]):
    """A model form for a region-bound model: the kab/kota field offers only the user's regions, and an object
    that ends up outside them is refused (#2: a regional officer never changes another region's data)."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = Scope.of(user)
        if is_versioned(self._meta.model) and self.instance.pk:
            # #9: the version the edit is based on travels with the form; a stale one is refused on save.
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=cast(Versioned, self.instance).version, min_value=1,
                error_messages={"required": _("This form is incomplete: reload the page and try again.")},
            )  # fmt: skip
        if "regency" in self.fields:
            records_field(self, "regency").queryset = self.scope.regencies().order_by("code")
        style_fields(self)

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # django-stubs omits BaseModelForm._post_clean
        if self.cleaned_data.get("version"):
            cast(Versioned, self.instance).version = self.cleaned_data["version"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns (typed as possibly None)
        lookup = getattr(self._meta.model, "region_lookup", None)
        if not lookup:
            return cleaned
        first, *rest = lookup.split("__")
        target = cleaned.get(first) if first in self.fields else getattr(self.instance, first, None)
        for part in rest:
            target = getattr(target, part, None)
        if target is not None and not self.scope.allows(target):
            self.add_error(first if first in self.fields else None, _("This is outside your region."))
        return cleaned
