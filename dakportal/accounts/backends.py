from __future__ import annotations

from typing import Any

from dakportal.accounts.roles import ROLE_PERMISSIONS, role_grants


class RoleBackend:
    """Grants the permissions of the user's role (dakportal/accounts/roles.py); authenticates nobody."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and user_obj.is_authenticated and role_grants(user_obj.role, perm))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if not (user_obj.is_active and user_obj.is_authenticated):
            return False
        return any(pattern.split(".", 1)[0] == app_label for pattern in ROLE_PERMISSIONS.get(user_obj.role, ()))
