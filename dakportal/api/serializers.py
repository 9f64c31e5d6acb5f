from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from dakportal.accounts.scoping import Scope


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Runs the model's `full_clean()` (clean() and constraints) so the API keeps the same rules as forms, admin
    and imports (STYLE.md convention 6). Serializers translate; they do not hold rules."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
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
