from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dakportal.accounts import services
from dakportal.accounts.models import ApiToken, User, UserProvince, UserRegency
from dakportal.accounts.requests import signed_in


class UserRegencyInline(admin.TabularInline[UserRegency, User]):
    model = UserRegency
    extra = 0
    autocomplete_fields = ["regency"]
    verbose_name = _("kab/kota")
    verbose_name_plural = _("kab/kota (regional officers)")


class UserProvinceInline(admin.TabularInline[UserProvince, User]):
    model = UserProvince
    extra = 0
    autocomplete_fields = ["province"]
    verbose_name = _("province")
    verbose_name_plural = _("provinces (provincial officers)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
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

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return request.user.is_superuser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """#10: every user's API tokens, for superusers. Read-only (a key is never stored, so never shown); the one
    change is the "revoke" action, through the same service as the token page and the API."""

    list_display = ["name", "user", "prefix", "read_only", "status_display", "created", "expires", "last_used"]
    list_filter = ["user", "read_only", ("revoked_at", admin.EmptyFieldListFilter), "expires"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    readonly_fields = ["user", "name", "prefix", "read_only", "created", "expires", "last_used", "revoked_at"]
    fields = tuple(readonly_fields)
    date_hierarchy = "created"
    actions = ["revoke_selected"]

    @admin.display(description=_("status"))
    def status_display(self, obj: ApiToken) -> str:
        return obj.get_status_display()

    @admin.action(description=_("Revoke selected tokens"), permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token, acting_user=signed_in(request))
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token was revoked.", "%(count)d tokens were revoked.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return request.user.is_superuser

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
