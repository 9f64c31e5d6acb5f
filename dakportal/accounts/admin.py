from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.models import User, UserProvince, UserRegency


class UserRegencyInline(admin.TabularInline):
    model = UserRegency
    extra = 0
    autocomplete_fields = ["regency"]
    verbose_name = _("kab/kota")
    verbose_name_plural = _("kab/kota (regional officers)")


class UserProvinceInline(admin.TabularInline):
    model = UserProvince
    extra = 0
    autocomplete_fields = ["province"]
    verbose_name = _("province")
    verbose_name_plural = _("provinces (provincial officers)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are managed here; what a role may do is in dakportal/accounts/roles.py (not per-user groups)."""

    list_display = ["username", "full_name", "email", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email", "regencies__name", "regencies__code"]
    inlines = [UserRegencyInline, UserProvinceInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Role"), {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "role", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser
