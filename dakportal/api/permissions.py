"""The API's permission class (STYLE.md convention 4): Django's `<app>.<action>_<model>`, GET included."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from dakportal.accounts.scoping import get_permission_for_model

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def action_for(request: Any) -> str:
    return METHOD_ACTIONS.get(request.method, "change")


class ModelPermissions(permissions.BasePermission):
    """Authenticated, and the role holds the permission for the request's action on the view's model (else 403).
    Which rows: the viewset's queryset, scoped by region, decides (404 outside the scope)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        action = getattr(view, "permission_action", None) or action_for(request)
        return bool(request.user.has_perm(get_permission_for_model(queryset.model, action)))
