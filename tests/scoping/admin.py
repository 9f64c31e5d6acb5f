from django.contrib import admin

from dakportal.admin import ScopedModelAdmin
from tests.scoping.models import Widget
from tests.scoping.services import save_widget


@admin.register(Widget)
class WidgetAdmin(ScopedModelAdmin):
    list_display = ["name", "regency"]
    save_service = save_widget
