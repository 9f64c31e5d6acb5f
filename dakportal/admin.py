"""The admin base class (STYLE.md convention 3): the same role permissions and region scope as pages and API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect

from dakportal.accounts.scoping import Scope
from dakportal.generic import scoped
from dakportal.history.context import history_context
from dakportal.services import Conflict, delete_record, is_versioned, stale


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    """The parts of a record (plan lines, contracts, units, transitions...) shown in the admin but changed only on
    the portal's pages and API, where the services keep their rules (#9: the admin cannot do what the services
    would refuse)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in self.model._meta.fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedAdminForm(forms.ModelForm[Any]):
    """#9: the admin's form carries the version it was opened at; a stale one is refused with who changed it."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and is_versioned(self.instance) and "based_on_version" in self.fields:
            self.fields["based_on_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns (typed as possibly None)
        if self.instance.pk and is_versioned(self.instance):
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
            based_on = cleaned.get("based_on_version") or self.instance.version
            if current and current[0] != based_on:
                raise forms.ValidationError(str(stale(self.instance, current[0])))
            self.instance.version = based_on
        return cleaned


class ScopedModelAdmin(admin.ModelAdmin[Any]):
    """Lists only rows in the user's scope; changing or deleting needs the row in the scope of that action;
    region choices in forms are limited to the user's kab/kota.

    Saving goes through the model's `save_service` (the same function the pages and API call, with the acting
    user); a model without one is read-only here. Deleting goes through `delete_record`: refused while other
    records point to the object, and kept in the history."""

    save_service: Any = None
    form = VersionedAdminForm

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is not None and is_versioned(self.model) and self.has_change_permission(request, obj):
            fields.append("based_on_version")
        return fields

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except Conflict as conflict:  # saved by someone else between the form's check and the save
            messages.error(request, str(conflict))
            return HttpResponseRedirect(request.path)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        type(self).save_service(obj, acting_user=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with history_context(user=request.user):
            delete_record(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.save_service is not None and super().has_add_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped(super().get_queryset(request), request.user, "view")

    def _in_scope(self, request: HttpRequest, obj: Model | None, action: str) -> bool:
        if obj is None:
            return True
        return scoped(self.model._default_manager.filter(pk=obj.pk), request.user, action).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return (
            self.save_service is not None
            and super().has_change_permission(request, obj)
            and self._in_scope(request, obj, "change")
        )

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj, "delete")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model._meta.label == "regions.Regency":
            kwargs["queryset"] = Scope.of(request.user).regencies()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
