"""One change event in the API (#9, CONTRACT.md): `{"id", "at", "user", "action", "model", "object_id", "object",
"changes": {"field": [old, new]}, "reason"}`, plus `source` (web, api, admin, a command) and `regency`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dakportal.history.display import field_changes, object_name
from dakportal.history.models import Event


@extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2}})
class ChangesField(serializers.JSONField):
    pass


class EventSerializer(serializers.ModelSerializer[Event]):
    user = serializers.CharField(source="username", help_text="The user who made the change; empty for a program.")
    object = serializers.SerializerMethodField()
    changes = ChangesField(help_text="Changed fields: [old value, new value].")
    regency = serializers.CharField(source="regency_id", allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id", "at", "user", "action", "model", "object_id", "object", "changes", "reason", "source", "regency",
        ]  # fmt: skip
        read_only_fields = fields

    def get_object(self, event: Event) -> str:
        return object_name(event.model, event.object_id, event.label)

    def to_representation(self, event: Event) -> dict[str, Any]:
        data = super().to_representation(event)
        request = self.context.get("request")
        data["changes"] = field_changes(event.model, event.changes_for(getattr(request, "user", None)))
        return data
