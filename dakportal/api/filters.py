"""The API's query parameters, held to one rule each (#12), for every list of every viewset (the filter backends
in `REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]`):

- `StrictQueryParameters`: a parameter the endpoint does not know answers 400 naming it, instead of being
  ignored (`/api/v1/sentra/?is_idle=true` returned all 320 rows). What it knows is read from the endpoint's own
  parts: its FilterSet, its pagination, the `format` override, the other backends here, and the
  `extra_query_parameters` of an action (`allocations/summary/?group_by=`). The pages stay lenient.
- `ModifiedAfterFilter`: `modified_after=<ISO datetime>`, the rows changed after that moment, for a client that
  pulls only what changed since its last run (deletions: the history feed, `history/?action=delete`).
- `StrictOrderingFilter`: `ordering` accepts only the listed fields (and `last_updated` where the rows have it);
  anything else is a 400 naming the field and the choices.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.request import Request
from rest_framework.settings import api_settings

MODIFIED_AFTER = "modified_after"


# ---------------------------------------------------------------------------------------------------------------------
# Which rows changed: one home for "the modification time of a row"
# ---------------------------------------------------------------------------------------------------------------------
def modified_fields(view: Any, model: type[Model]) -> tuple[str, ...]:
    """The fields whose time says a row changed: the view's `modified_fields` if it declares them (a status change
    is written once: `changed_at`; a notification changes when read: `created`, `read_at`), else the
    `last_updated` of every `BaseModel`; none for reference lists that keep no times."""
    declared = getattr(view, "modified_fields", None)
    if declared is not None:
        return tuple(declared)
    names = {field.name for field in model._meta.concrete_fields}
    return ("last_updated",) if "last_updated" in names else ()


def parse_moment(raw: str) -> datetime:
    """An ISO 8601 date and time (`2026-01-31T08:00:00+07:00`, `...Z`, or a date alone for its midnight), in the
    portal's time zone when it names none. A `+` that a URL turned into a space is put back."""
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw.strip())
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:  # well formed but impossible, e.g. month 13
        moment = None
    if moment is None:
        raise ValidationError({MODIFIED_AFTER: [_("Enter an ISO 8601 date and time, e.g. 2026-01-31T00:00:00+07:00.")]})
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)  # PostgreSQL takes offsets up to 15:59 only; any offset is fine in UTC
    except (OverflowError, ValueError):  # a moment out of range once in UTC (year 1 at -01:00)
        raise ValidationError({MODIFIED_AFTER: [_("This date and time is out of range.")]}) from None


class ModifiedAfterFilter(BaseFilterBackend):
    """`?modified_after=<ISO datetime>`: only the rows changed after that moment. A reference list that keeps no
    modification times (regions, reference items, fiscal years) answers every row: any of them may have changed."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        raw = request.query_params.get(MODIFIED_AFTER)
        if raw is None:
            return queryset
        moment = parse_moment(raw)
        fields = modified_fields(view, queryset.model)
        if not fields:
            return queryset
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__gt": moment})
        return queryset.filter(condition)

    def query_parameters(self, view: Any) -> set[str]:
        return {MODIFIED_AFTER}

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        model = getattr(getattr(view, "queryset", None), "model", None)
        fields = modified_fields(view, model) if model is not None else ()
        description = (
            "Only the rows changed after this moment (ISO 8601 date and time; a date alone means its midnight), "
            "judged by " + ", ".join(f"`{name}`" for name in fields) + ". Deleted rows: the history feed "
            "(`/api/v1/history/?action=delete&since=...`)."
            if fields
            else "Accepted for every list; this reference list keeps no modification times, so every row is returned."
        )
        return [
            {
                "name": MODIFIED_AFTER,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


# ---------------------------------------------------------------------------------------------------------------------
# Ordering by the listed fields only
# ---------------------------------------------------------------------------------------------------------------------
class StrictOrderingFilter(OrderingFilter):
    """DRF's `?ordering=field,-field`, except that a field not offered is a 400 (DRF drops it silently), and
    `last_updated` is offered wherever the rows carry it (incremental sync, #12). Ties are broken by the primary
    key, so paging through an ordering neither repeats nor skips a row."""

    def get_valid_fields(self, queryset: QuerySet[Any], view: Any, context: Any = None) -> list[tuple[str, Any]]:
        fields = list(super().get_valid_fields(queryset, view, context or {}))
        names = {name for name, _label in fields}
        for name in modified_fields(view, queryset.model):
            if name not in names:
                fields.append((name, name))
        return fields

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        valid = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        terms = [term.strip() for term in params.split(",") if term.strip()]
        wrong = [term for term in terms if term.lstrip("-") not in valid]
        if wrong or not terms:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("%(fields)s: not a field to order by. Choose from: %(choices)s.")
                        % {"fields": ", ".join(wrong) or params, "choices": ", ".join(valid)}
                    ]
                }
            )
        if terms[-1].lstrip("-") not in ("pk", "id", queryset.model._meta.pk.name):
            terms.append("pk")
        return terms

    def query_parameters(self, view: Any) -> set[str]:
        return {self.ordering_param}

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """`ordering` in the schema as what it is: a comma-separated list of the offered fields, each optionally
        preceded by `-` (descending)."""
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return list(super().get_schema_operation_parameters(view))
        names = [name for name, _label in self.get_valid_fields(queryset, view, {})]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Fields to order by, comma-separated; `-` before a field for descending order.",
                "schema": {"type": "array", "items": {"type": "string", "enum": names + [f"-{n}" for n in names]}},
                "style": "form",
                "explode": False,
            }
        ]


# ---------------------------------------------------------------------------------------------------------------------
# Unknown parameters
# ---------------------------------------------------------------------------------------------------------------------
def filterset_parameters(view: Any, queryset: QuerySet[Any] | None) -> set[str]:
    """The query parameters of the view's FilterSet (a range filter's widget adds its suffixes)."""
    filterset_class = DjangoFilterBackend().get_filterset_class(view, queryset)
    if filterset_class is None:
        return set()
    names = set()
    for name, declared in filterset_class.base_filters.items():
        names.add(name)
        for suffix in getattr(declared.field_class.widget, "suffixes", ()) or ():
            names.add(f"{name}_{suffix}" if suffix else name)
    return names


def known_parameters(view: Any, queryset: QuerySet[Any] | None = None) -> set[str]:
    """Every query parameter the view understands, gathered from its parts (not listed by hand)."""
    names = {api_settings.URL_FORMAT_OVERRIDE} if api_settings.URL_FORMAT_OVERRIDE else set()
    paginator = getattr(view, "paginator", None)
    for attribute in ("page_query_param", "page_size_query_param", "limit_query_param", "offset_query_param"):
        value = getattr(paginator, attribute, None)
        if value:
            names.add(value)
    for backend_class in getattr(view, "filter_backends", ()):
        backend = backend_class()
        if isinstance(backend, DjangoFilterBackend):
            names |= filterset_parameters(view, queryset)
        elif hasattr(backend, "query_parameters"):
            names |= backend.query_parameters(view)
        elif hasattr(backend, "search_param"):
            names.add(backend.search_param)
    names |= set(getattr(view, "extra_query_parameters", {}).get(getattr(view, "action", None), ()))
    return names


class StrictQueryParameters(BaseFilterBackend):
    """A query parameter the endpoint does not know answers 400 naming it, in the request's language (#12)."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        known = known_parameters(view, queryset)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = _("Unknown query parameter. This list takes: %(known)s.") % {"known": ", ".join(sorted(known))}
            raise ValidationError({name: [message] for name in unknown})
        return queryset

    def query_parameters(self, view: Any) -> set[str]:
        return set()


# ---------------------------------------------------------------------------------------------------------------------
# The filters in the schema
# ---------------------------------------------------------------------------------------------------------------------
class FilterSchema(DjangoFilterExtension):  # type: ignore[no-untyped-call]  # drf-spectacular: unannotated __init_subclass__
    """drf-spectacular's reading of the FilterSets, made exact (#12: every filter in the schema with its type): a
    yes/no or number filter computed by a method keeps its type (the method's `bool | None` hint read as text
    otherwise), and a region filter says that it takes a Kemendagri code, former codes included."""

    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        import django_filters

        from dakportal.filtersets import RegionCodeFilter, ScopedModelChoiceFilter, is_region

        parameters: list[dict[str, Any]] = super().resolve_filter_field(  # type: ignore[no-untyped-call]  # unannotated in drf-spectacular
            auto_schema, model, filterset_class, field_name, filter_field
        )
        for parameter in parameters:
            schema = parameter.setdefault("schema", {})
            if getattr(filter_field, "method", None) and isinstance(filter_field, django_filters.BooleanFilter):
                schema.update(type="boolean")
            elif getattr(filter_field, "method", None) and isinstance(filter_field, django_filters.NumberFilter):
                schema.update(type="integer")
            region = isinstance(filter_field, RegionCodeFilter) or (
                isinstance(filter_field, ScopedModelChoiceFilter) and is_region(filter_field.choice_model)
            )
            if region:
                schema.pop("title", None)
                schema.update(type="string", example="32.73" if "province" not in field_name else "32")
                parameter["description"] = (
                    f"{parameter.get('description') or field_name}: a Kemendagri code (`32.73` or `3273`); a "
                    "former code (`91.01` for today's 93.01) is accepted."
                )
        return parameters
