from typing import Any

from dakportal.services import service, validated_save
from tests.scoping.models import Widget


@service
def save_widget(widget: Widget, *, acting_user: Any) -> Widget:
    return validated_save(widget)
