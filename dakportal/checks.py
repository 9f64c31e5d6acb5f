"""System checks of the portal's own rules (#10)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register


@register()
def every_model_is_scoped(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Scoping fails closed: every model of the portal's apps either has a region scope (`for_user` on its
    queryset), is declared reference data (`reference_data = True`: the same for every role), or says why it is
    neither (`scope_exempt = "..."`: reached only through a scoped parent, or only by its owner or the admin)."""
    errors = []
    for label in settings.SCOPED_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model._default_manager.all(), "for_user"):
                continue
            if getattr(model, "reference_data", False) or getattr(model, "scope_exempt", ""):
                continue
            errors.append(
                Error(
                    f"{model._meta.label} has no region scope.",
                    hint="Give it a RegionScopedQuerySet with region_lookup, or declare reference_data = True, "
                    'or scope_exempt = "why" when only a scoped parent, its owner or the admin reaches it.',
                    obj=model,
                    id="dakportal.E001",
                )
            )
    return errors
