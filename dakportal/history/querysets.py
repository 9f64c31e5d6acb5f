"""Who may read which history (#9): the events of the kinds of record the user may view, in their regions.
A regional officer sees the history of their region's records only; events with no kab/kota (users, yearly
rules) only national roles see. A model may hide more with `history_hidden(user)`, a filter of the events to
leave out (#13: an Itjen visit report's draft, until it is issued)."""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q

from dakportal.accounts.scoping import Scope, get_permission_for_model


class EventQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any, action: str = "view") -> Self:
        from dakportal.history.registry import tracked

        if action != "view" or not getattr(user, "is_authenticated", False) or not user.has_perm("history.view_event"):
            return self.none()
        readable = [
            label
            for label, entry in tracked().items()
            if user.has_perm(get_permission_for_model(_permission_model(entry.model), "view"))
        ]
        queryset = self.filter(model__in=readable)
        for label in readable:  # #13: a model may keep some rows' history from some users (Itjen's drafts)
            hidden = getattr(tracked()[label].model, "history_hidden", None)
            condition = hidden(user) if hidden is not None else None
            if condition is not None:
                queryset = queryset.exclude(condition)
        scope = Scope.of(user)
        if scope.national:
            return queryset
        return queryset.filter(regency__isnull=False).filter(scope.q("regency"))

    def of_object(self, obj: models.Model) -> Self:
        """The events of `obj` and of the records that belong to it (its contracts, units, ...), newest first."""
        label, pk = obj._meta.label_lower, str(obj.pk)
        return self.filter(Q(model=label, object_id=pk) | Q(parent_model=label, parent_id=pk))


def _permission_model(model: type[models.Model]) -> type[models.Model]:
    """A many-to-many link table is read with the permission of the model that declares it."""
    if model._meta.auto_created:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None:
                return field.related_model
    return model
