"""The admin base class (STYLE.md convention 3): the same role permissions and region scope as pages and API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from dakportal.accounts.scoping import Scope
from dakportal.generic import scoped


class ScopedModelAdmin(admin.ModelAdmin):
    """Lists only rows in the user's scope; changing or deleting needs the row in the scope of that action;
    region choices in forms are limited to the user's kab/kota."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user, "view")

    def _in_scope(self, request: HttpRequest, obj: Model | None, action: str) -> bool:
        if obj is None:
            return True
        return scoped(self.model._default_manager.filter(pk=obj.pk), request.user, action).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj, "delete")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model._meta.label == "regions.Regency":
            kwargs["queryset"] = Scope.of(request.user).regencies()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
