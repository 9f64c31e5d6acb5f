"""The API's permission class (STYLE.md convention 4): Django's `<app>.<action>_<model>`, GET included; and no
writes with a read-only API token (#10)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from dakportal.accounts.models import ApiToken
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


def action_for(request: Any, view: Any = None) -> tuple[str, str]:
    """(permission action, scope action) of a request: by HTTP method, or by the view's `action_permissions`
    for workflow actions, e.g. {"accept": ("review", "view")}: needs `monev.review_monevreport`, and the report
    must be in the user's view scope. A permission of another model is named in full: {"plan_submit":
    ("allocations.add_activityitem", "view")} (#12: submitting an allocation's plan is the planner's right)."""
    custom = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
    if custom:
        return custom  # type: ignore[no-any-return]
    action = METHOD_ACTIONS.get(request.method, "change")
    return action, action


def refuse_read_only_token_writes(request: Any) -> None:
    """#10: a request made with a read-only token may only read (GET, HEAD, OPTIONS): anything else is 403."""
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken) and token.read_only and request.method not in permissions.SAFE_METHODS:
        raise exceptions.PermissionDenied(_("This API token is read-only: it cannot change anything."))


class ModelPermissions(permissions.BasePermission):
    """Authenticated, and the role holds the permission for the request's action on the view's model (else 403).
    Which rows: the viewset's queryset, scoped by region, decides (404 outside the scope). A read-only token may
    not write, whatever the view (models, workflow actions, or views without a model)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        refuse_read_only_token_writes(request)
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        permission_action, _scope_action = action_for(request, view)
        if "." in permission_action:
            return bool(request.user.has_perm(permission_action))
        return bool(request.user.has_perm(get_permission_for_model(queryset.model, permission_action)))
