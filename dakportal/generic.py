"""Generic page views (STYLE.md conventions 2-3, after NetBox's generic views).

A concrete view declares `queryset`, `filterset_class`, `columns` and templates; the base applies the role
permission and region scope (`queryset.for_user(user, action)`), the FilterSet, sorting, pagination and CSV
export. Objects outside the user's scope are not in the queryset, so they answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from dakportal.accounts.scoping import get_permission_for_model
from dakportal.exports import csv_rows, safe_cell


def scoped(queryset: QuerySet[Any], user: Any, action: str) -> QuerySet[Any]:
    """The rows of `queryset` that `user` may `action`; reference data without a scope is open to all roles."""
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user, action)
    return queryset


class ObjectPermissionMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a role without the model's permission gets 403."""

    queryset: QuerySet[Any]
    action = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm(
            get_permission_for_model(self.queryset.model, self.action)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return scoped(self.queryset.all(), self.request.user, self.action)


class ObjectListView(ObjectPermissionMixin, ListView):
    """Filtered, searchable, sortable, paginated list with CSV export of every matching row (`?export=csv`)."""

    template_name = "generic/object_list.html"
    filterset_class: Any = None
    # (field path, column label); the first column links to the object's page.
    columns: list[tuple[str, Any]] = []
    sortable: tuple[str, ...] = ()
    paginate_by = 50
    page_sizes = (25, 50, 100, 500)
    export_name = "export"
    title: Any = ""

    def get_paginate_by(self, queryset: QuerySet[Any]) -> int:
        try:
            size = int(self.request.GET.get("page_size", self.paginate_by))
        except ValueError:
            return self.paginate_by
        return size if size in self.page_sizes else self.paginate_by

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
        queryset = self.filterset.qs
        sort = self.request.GET.get("sort", "")
        if sort.lstrip("-") in self.sortable:
            queryset = queryset.order_by(sort, "pk")
        return queryset

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def export_csv(self) -> StreamingHttpResponse:
        queryset = self.get_queryset()
        header = [str(label) for _, label in self.columns]
        rows = ([safe_cell(_resolve(obj, path)) for path, _ in self.columns] for obj in queryset.iterator(2000))
        response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}-{stamp}.csv"'
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.title or self.queryset.model._meta.verbose_name_plural,
            filterset=self.filterset,
            columns=self.columns,
            rows=[(obj, [_resolve(obj, path) for path, _ in self.columns]) for obj in context["object_list"]],
            sortable=self.sortable,
            sort=self.request.GET.get("sort", ""),
            querystring=query.urlencode(),
            page_sizes=self.page_sizes,
        )
        return context


class ObjectDetailView(ObjectPermissionMixin, DetailView):
    template_name = "generic/object_detail.html"


def _resolve(obj: Model, path: str) -> Any:
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part)
    return value
