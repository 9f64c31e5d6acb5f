from django.contrib import admin

from dakportal.admin import ScopedModelAdmin
from tests.scoping.models import Widget


@admin.register(Widget)
class WidgetAdmin(ScopedModelAdmin):
    list_display = ["name", "regency"]
