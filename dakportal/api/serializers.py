from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from dakportal.accounts.scoping import Scope, scoped_choices
from dakportal.services import check_version, is_versioned


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related record sent by id, limited to what the user may see by the same rule as the rows
    (`scoped_choices`, #10): another region's allocation is "not found", exactly like one that does not exist.
    Declare it with `model=` instead of a queryset."""

    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        self.related_model = model
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return scoped_choices(self.related_model, getattr(request, "user", None))


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Runs the model's `full_clean()` (clean() and constraints) so the API keeps the same rules as forms, admin
    and imports (STYLE.md convention 6). Serializers translate; they do not hold rules.

    A versioned record (#9) shows its `version`; a PUT or PATCH must send the version it was based on (missing:
    400 naming `version`; stale: 409 with who changed it and when)."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if is_versioned(self.Meta.model):
            fields["version"] = serializers.IntegerField(
                min_value=1,
                max_value=2**31 - 1,
                required=False,
                help_text=_("The version this change is based on: required to change a record, refused if stale."),
            )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        if self.instance is not None and is_versioned(model):
            if attrs.get("version") is None:
                raise serializers.ValidationError(
                    {"version": [_("Send the version of the record this change is based on.")]}
                )
            check_version(self.instance, attrs["version"])
        elif "version" in attrs:
            attrs.pop("version")  # a new record starts at version 1
        plain = {k: v for k, v in attrs.items() if not getattr(model._meta.get_field(k), "many_to_many", False)}
        instance = self.instance or model()
        for key, value in plain.items():
            setattr(instance, key, value)
        # #10: the region comes first, so that no other check (a duplicate, a constraint) can reveal what another
        # region holds.
        self._check_region(instance, known_only=True)
        try:
            instance.full_clean(validate_unique=True, validate_constraints=True)
        except DjangoValidationError as error:
            detail = get_error_detail(error)
            if isinstance(detail, dict) and "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
            raise serializers.ValidationError(detail) from None
        self._check_region(instance)  # the kab/kota a record takes from another field (a sentra's, from its desa)
        return attrs

    def _check_region(self, instance: Any, known_only: bool = False) -> None:
        """A user writes only inside their region (#2): an object placed outside it is a 400 on its region field.
        With `known_only`, before any other validation, only when the kab/kota is already known."""
        lookup = getattr(instance, "region_lookup", None)
        request = self.context.get("request")
        if not lookup or request is None:
            return
        try:
            regency = instance.get_regency()
        except (AttributeError, ObjectDoesNotExist):
            regency = None
        if regency is None and known_only:
            return
        if not Scope.of(request.user).allows(regency):
            field = lookup.split("__")[0]
            raise serializers.ValidationError({field: [_("This is outside your region.")]})
