from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.fields import get_error_detail
from rest_framework.renderers import JSONRenderer

from dakportal.accounts.scoping import Scope, scoped_choices
from dakportal.services import check_version, is_versioned


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related record sent by id, limited to what the user may see by the same rule as the rows
    (`scoped_choices`, #10): another region's allocation is "not found", exactly like one that does not exist.
    Declare it with `model=` instead of a queryset."""

    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        self.related_model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return scoped_choices(self.related_model, getattr(request, "user", None))


# ---------------------------------------------------------------------------------------------------------------------
# Natural keys (#12): what a client reads, it sends back
# ---------------------------------------------------------------------------------------------------------------------
class NaturalKeyField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A related record by its natural code (`"regency": "32.73"`, `"sub_field": "revitalisasi"`), the same in an
    answer and in a request, limited to what the user may choose by the same rule as the rows (`scoped_choices`).
    A code the user may not choose reads exactly like one that does not exist. Declare it with `model=`."""

    default_error_messages = {
        "does_not_exist": _lazy("{value} is not a code you can choose."),
        "invalid": _lazy("Send the code as text, e.g. {example}."),
    }
    example = "..."

    def __init__(self, *, model: type[Model], slug_field: str = "code", **kwargs: Any) -> None:
        self.related_model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(slug_field=slug_field, **kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return scoped_choices(self.related_model, getattr(request, "user", None))

    def code_of(self, data: Any) -> str:
        """The code as text (a number such as 3273 is taken as its digits); anything else is a 400."""
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid", example=self.example)
        code = str(data).strip()
        if not code or len(code) > 100 or "\x00" in code:
            self.fail("does_not_exist", value=code[:100])
        return code

    def lookup(self, code: str, **extra: Any) -> Any:
        try:
            return self.get_queryset().get(**{self.slug_field: code}, **extra)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", value=code)
        except (TypeError, ValueError):
            self.fail("invalid", example=self.example)

    def to_internal_value(self, data: Any) -> Any:
        return self.lookup(self.code_of(data))

    def schema_description(self) -> str:
        """What the code is, for the API schema (`NaturalKeyFieldExtension`)."""
        return f"Code of the {self.related_model._meta.verbose_name}."


class RegionCodeField(NaturalKeyField):
    """A province, kab/kota, kecamatan or desa/kelurahan by its Kemendagri code, as people write it (`32.73`,
    `3273`) or by a former code (`91.01` is today's 93.01 Merauke; `regions.querysets.current_code`); answered
    with today's code. The record found remembers the code as sent (`sent_code`), for a record that keeps the code
    it was made under (an allocation's `regency_code_then`)."""

    example = "32.73"

    def schema_description(self) -> str:
        return (
            f"Kemendagri code of the {self.related_model._meta.verbose_name}, e.g. {self.example}; a former code "
            "(91.01 for today's 93.01) is accepted and answered with today's."
        )

    def to_internal_value(self, data: Any) -> Any:
        from dakportal.regions.querysets import current_code, normalize_code

        sent = self.code_of(data)
        code = current_code(self.related_model, sent)
        if code is None:
            self.fail("does_not_exist", value=sent)
        region = self.lookup(code)
        region.sent_code = normalize_code(sent)
        return region


@dataclass(frozen=True)
class PendingCode:
    """A reference code read before the year it belongs to is known (see `YearCodeField`)."""

    code: str


class YearCodeField(NaturalKeyField):
    """A related record by its code in one year's list, the year read from the request or the record it belongs to
    (`year_from`: `"year"` for the record's own, `"allocation.year"` for its allocation's): the code waits as a
    `PendingCode` until the serializer knows the year (`ValidatedModelSerializer`). A subclass names its model, the
    field that holds the year (`year_lookup`) and what to say when the year is missing (`missing_year`)."""

    year_lookup = "year"
    missing_year = _lazy("Give the year first: a code belongs to one year's list.")

    def __init__(self, *, model: type[Model], year_from: str, **kwargs: Any) -> None:
        self.year_from = year_from
        super().__init__(model=model, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return PendingCode(self.code_of(data))

    def year(self, attrs: dict[str, Any], instance: Any) -> int | None:
        first, *rest = self.year_from.split(".")
        value = attrs.get(first, getattr(instance, first, None) if instance is not None else None)
        for part in rest:
            value = getattr(value, part, None)
        return value if isinstance(value, int) else None

    def resolve(self, pending: PendingCode, attrs: dict[str, Any], instance: Any) -> Any:
        year = self.year(attrs, instance)
        if year is None:
            raise serializers.ValidationError(self.missing_year)
        return self.lookup(pending.code, **{self.year_lookup: year}, **self.lookup_filters())

    def lookup_filters(self) -> dict[str, Any]:
        return {}


class NaturalKeyFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]  # drf-spectacular: unannotated __init_subclass__
    """The schema of a natural-key field (#12): a string code, with what it is and an example."""

    target_class = NaturalKeyField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        field = self.target.child_relation if hasattr(self.target, "child_relation") else self.target
        return {"type": "string", "description": field.schema_description(), "example": field.example}


def is_region(model: Any) -> bool:
    from dakportal.regions.models import Region

    return isinstance(model, type) and issubclass(model, Region)


def same_value(sent: Any, current: Any) -> bool:
    """Whether a value sent equals the value a GET shows (after JSON: decimals as numbers, times as text); form
    data compares as text."""
    shown = json.loads(JSONRenderer().render(current)) if current is not None else None
    if sent == shown:
        return True
    if isinstance(sent, str) and not isinstance(shown, dict | list):
        return sent == ("" if shown is None else str(shown).lower() if isinstance(shown, bool) else str(shown))
    return False


# Keys a request may carry besides the fields: the answer's `warnings`, and what Django's and DRF's forms add.
IGNORED_KEYS = frozenset({"warnings", "csrfmiddlewaretoken", "_content", "_content_type", "_method"})


class ValidatedModelSerializer[M: Model](serializers.ModelSerializer[M]):
    """Runs the model's `full_clean()` (clean() and constraints) so the API keeps the same rules as forms, admin
    and imports (STYLE.md convention 6). Serializers translate; they do not hold rules.

    A versioned record (#9) shows its `version`; a PUT or PATCH must send the version it was based on (missing:
    400 naming `version`; stale: 409 with who changed it and when).

    One shape to read and to write (#12): a relation is a natural code where the related record has one (regions,
    through `RegionCodeField`), else a scoped id, built so for every relation the subclass does not declare. What a
    client read it can send back: a read-only field sent unchanged is ignored, a changed one is a 400 naming it, as
    is a field the resource does not have. The answer to a write carries `warnings`, the record's suspicious but
    allowed values (`BaseModel.get_warnings()`: a pagu under Rp 10 juta, a sentra with fewer than 5 members)."""

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

    def get_validators(self) -> list[Any]:
        """None of DRF's own: the model's constraints are checked by `full_clean()` in `validate`, with their own
        messages, once every field is read (DRF's copy of a unique constraint would stop at a missing field)."""
        return []

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[type[Any], dict[str, Any]]:
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if not issubclass(field_class, serializers.PrimaryKeyRelatedField):
            return field_class, kwargs
        kwargs.pop("queryset", None)
        model = relation_info.related_model
        return (RegionCodeField if is_region(model) else ScopedPrimaryKeyRelatedField), {**kwargs, "model": model}

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "keys"):
            self._check_keys(data)
        attrs = super().to_internal_value(data)
        # A reference code is looked up in the year the request or the record gives; one not found is reported
        # together with the model's own checks (`validate`), so that a client sees every problem at once.
        self._code_errors: dict[str, Any] = {}
        for name, field in self.fields.items():
            if not isinstance(field, YearCodeField):
                continue
            value = attrs.get(field.source)
            if isinstance(value, PendingCode):
                try:
                    attrs[field.source] = field.resolve(value, attrs, self.instance)
                except serializers.ValidationError as error:
                    self._code_errors[name] = error.detail
                    del attrs[field.source]
        return attrs

    def _check_keys(self, data: Any) -> None:
        """A field the resource does not have, or a read-only one sent with another value than it holds: 400."""
        errors: dict[str, list[str]] = {}
        shown: dict[str, Any] | None = None
        for key in data.keys():
            field = self.fields.get(key)
            if key in IGNORED_KEYS or (field is not None and not field.read_only):
                continue
            if field is None:
                hint = key.removesuffix("_id")
                errors[key] = [
                    _("Unknown field: send `%(field)s` instead.") % {"field": hint}
                    if hint != key and hint in self.fields
                    else _("Unknown field.")
                ]
                continue
            if shown is None:
                shown = dict(self.to_representation(self.instance)) if self.instance is not None else {}
            if key not in shown or not same_value(data.get(key), shown[key]):
                errors[key] = [_("This field is read-only: it cannot be set or changed.")]
        if errors:
            raise serializers.ValidationError(errors)

    @property
    def data(self) -> Any:
        data = super().data
        written = getattr(self, "_validated_data", None) is not None and not self.errors
        if written and self.instance is not None and "warnings" not in data:
            data["warnings"] = warnings_of(self.instance)
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = cast("type[M]", self.Meta.model)  # the stubs give Meta.model an unbound type variable
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
        code_errors = getattr(self, "_code_errors", {})
        try:
            instance.full_clean(exclude=list(code_errors), validate_unique=True, validate_constraints=True)
        except DjangoValidationError as error:
            detail = get_error_detail(error)
            if isinstance(detail, dict) and "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
            raise serializers.ValidationError(
                {**detail, **code_errors} if isinstance(detail, dict) else detail
            ) from None
        except (ObjectDoesNotExist, AttributeError, TypeError):
            if not code_errors:
                raise
        if code_errors:  # the model's other checks passed (or could not run without the missing record)
            raise serializers.ValidationError(code_errors)
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


def warnings_of(instance: Any) -> list[dict[str, str]]:
    """`[{"field", "message"}]`: the record's suspicious but allowed values (#12), as the import shows them."""
    get_warnings = getattr(instance, "get_warnings", None)
    return [{"field": name, "message": str(message)} for name, message in (get_warnings() if get_warnings else [])]
