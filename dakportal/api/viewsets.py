"""API base classes (STYLE.md conventions 2-3): scoping, permissions, CSV of every matching row."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework import mixins, viewsets
from rest_framework.request import Request

from dakportal.api.permissions import action_for
from dakportal.exports import csv_rows, safe_cell
from dakportal.generic import scoped


class CSVListMixin:
    """`?format=csv` streams every row that matches the filters (all pages) with a header row (CONTRACT.md)."""

    csv_chunk_size = 2000

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        serializer_class = self.get_serializer_class()  # type: ignore[attr-defined]
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        header = list(serializer_class(context=context).fields)

        def rows() -> Any:
            for obj in queryset.iterator(self.csv_chunk_size):
                data = serializer_class(obj, context=context).data
                yield [safe_cell(data.get(name)) for name in header]

        response = StreamingHttpResponse(csv_rows(header, rows()), content_type="text/csv; charset=utf-8")
        name = queryset.model._meta.model_name
        response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.csv"'
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, StreamingHttpResponse):
            return response
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]


class ScopedViewSetMixin:
    """The queryset is the view's `queryset` scoped to the user and the request's action (view, add, change,
    delete): objects outside it answer 404."""

    queryset: Any

    def get_queryset(self) -> Any:
        request = self.request  # type: ignore[attr-defined]
        _permission_action, scope_action = action_for(request, self)
        return scoped(self.queryset.all(), request.user, scope_action)


class ScopedReadOnlyViewSet(CSVListMixin, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(CSVListMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedCreateListUpdateViewSet(
    CSVListMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """GET POST PATCH (no DELETE), as CONTRACT.md gives realisations and monev."""


__all__ = ["ScopedCreateListUpdateViewSet", "ScopedModelViewSet", "ScopedReadOnlyViewSet"]
