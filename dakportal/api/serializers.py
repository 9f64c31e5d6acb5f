from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from dakportal.accounts.scoping import Scope
from dakportal.services import check_version, is_versioned


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
        try:
            instance.full_clean(validate_unique=True, validate_constraints=True)
        except DjangoValidationError as error:
            detail = get_error_detail(error)
            if isinstance(detail, dict) and "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
            raise serializers.ValidationError(detail) from None
        self._check_region(instance)
        return attrs

    def _check_region(self, instance: Any) -> None:
        """A user writes only inside their region (#2): an object placed outside it is a 400 on its region field."""
        lookup = getattr(instance, "region_lookup", None)
        request = self.context.get("request")
        if not lookup or request is None:
            return
        try:
            regency = instance.get_regency()
        except AttributeError:
            regency = None
        if not Scope.of(request.user).allows(regency):
            field = lookup.split("__")[0]
            raise serializers.ValidationError({field: [_("This is outside your region.")]})
