from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from dakportal.accounts.roles import ROLE_PERMISSIONS, role_grants


class RoleBackend(ModelBackend):
    """Logs users in with username and password (Django's ModelBackend) and grants the permissions of their
    role (dakportal/accounts/roles.py): no per-user or group permission rows, and no query to check one."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not (user_obj.is_active and user_obj.is_authenticated):
            return False
        return bool(user_obj.is_superuser or role_grants(user_obj.role, perm))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not (user_obj.is_active and user_obj.is_authenticated):
            return False
        if user_obj.is_superuser:
            return True
        return any(pattern.split(".", 1)[0] == app_label for pattern in ROLE_PERMISSIONS.get(user_obj.role, ()))

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()
