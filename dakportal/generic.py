"""Generic page views (STYLE.md conventions 2-3, after NetBox's generic views).

A concrete view declares `queryset`, `filterset_class`, `columns` and templates; the base applies the role
permission and region scope (`queryset.for_user(user, action)`), the FilterSet, sorting, pagination and CSV
export. Objects outside the user's scope are not in the queryset, so they answer 404.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.base import ContextMixin

from dakportal.accounts.scoping import get_permission_for_model
from dakportal.exports import csv_response
from dakportal.formatting import rupiah
from dakportal.history.context import history_context
from dakportal.history.display import event_rows, readable
from dakportal.history.models import Event
from dakportal.jobs import imports as import_jobs
from dakportal.jobs.exports import in_background, start_export
from dakportal.jobs.models import Job, JobKind, JobStatus
from dakportal.models import MoneyField
from dakportal.panels import Button, Column, Panel, StatusBadge, layout
from dakportal.reference.registry import fixtures_dir
from dakportal.services import Blocked, Conflict, delete_record, void_record
from dakportal.spreadsheets import read_table, xlsx_response

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def scoped[M: Model](queryset: QuerySet[M], user: Any, action: str) -> QuerySet[M]:
    """The rows of `queryset` that `user` may `action` (`queryset.for_user`). Fails closed (#10, #16): declared
    reference data (`reference_data = True`) is the same for every signed-in user (nothing for anonymous), and a
    queryset with no `for_user` is a programming error that raises `ImproperlyConfigured` rather than serve every
    row (a `scope_exempt` model is reached through its scoped parent, never here). The system check
    `dakportal.checks.every_model_is_scoped` names an unscoped model before it is ever served."""
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user, action)  # type: ignore[no-any-return]
    if getattr(queryset.model, "reference_data", False):
        return queryset if getattr(user, "is_authenticated", False) else queryset.none()
    raise ImproperlyConfigured(
        f"{queryset.model._meta.label} has no region scope (no for_user on its queryset): give it a "
        "RegionScopedQuerySet, declare it reference data, or reach it through its scoped parent."
    )


def permission_required[V: Callable[..., HttpResponseBase]](permission: str) -> Callable[[V], V]:
    """Declares the permission a function page needs (#16): anonymous users go to the login page, a role without
    `permission` gets 403. The page keeps it as `permission_required`, which the generated matrices read."""

    def decorate(view: V) -> V:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.permission_required = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


class ObjectPermissionMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a role without the page's permission gets 403: the model's permission
    for the page's `action` (`<app>.<action>_<model>`), or the one the page declares in `permission_required`
    (#16: a workflow page such as the review queue, `monev.review_monevreport`). Checked here, once, for every
    page on this base: views declare, never check."""

    queryset: QuerySet[Any]
    action = "view"
    permission_required = ""
    request: HttpRequest

    def get_action(self, kwargs: dict[str, Any]) -> str:
        """The `for_user` action of the request (and of its permission, unless one is declared)."""
        return self.action

    def get_permission_required(self) -> str:
        return self.permission_required or get_permission_for_model(self.queryset.model, self.action)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.action = self.get_action(kwargs)
        if request.user.is_authenticated and not request.user.has_perm(self.get_permission_required()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return scoped(self.queryset.all(), self.request.user, self.action)


class ObjectListView(ObjectPermissionMixin, ListView[Any]):
    """Filtered, searchable, sortable, paginated list with CSV export of every matching row (`?export=csv`)."""

    queryset: QuerySet[Any]  # required here (ListView's may be None)

    template_name = "generic/object_list.html"
    filterset_class: Any = None
    # (field path, column label); the first column links to the object's page.
    columns: list[tuple[str, Any]] = []
    sortable: tuple[str, ...] = ()
    paginate_by = 50
    page_sizes = (25, 50, 100, 500)
    export_name = "export"
    money_paths: frozenset[str] = frozenset()  # computed amounts (annotations) shown as Rupiah, beside MoneyFields
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
        if self.filterset.is_bound and not self.filterset.is_valid():
            return queryset.none()  # a filter that cannot be read shows its error and no rows, never every row
        filtered: QuerySet[Any] = self.filterset.qs
        sort = self.request.GET.get("sort", "")
        if sort.lstrip("-") in self.sortable:
            filtered = filtered.order_by(sort, "pk")
        return filtered

    # An export answers a file or a stream, not ListView's page: dispatch() takes any response.
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            queryset = self.get_queryset()
            count = queryset.count()
            if in_background(request, count):  # #11: never cut short: a large export is a job of the worker
                return start_export(request, f"{self.get_title()} ({export.upper()})", rows=count)
            header, rows = self.get_export_table(queryset)
            if export == "xlsx":
                return xlsx_response(self.export_name, header, rows, money_columns=self.money_columns(header))
            return self.export_csv(header, rows)
        return super().get(request, *args, **kwargs)

    def get_export_table(self, queryset: QuerySet[Any]) -> tuple[list[str], Any]:
        """The header and rows of an export of every matching row: the list's columns unless overridden."""
        header = [str(label) for _, label in self.columns]
        rows = ([_resolve(obj, path) for path, _ in self.columns] for obj in queryset.iterator(2000))
        return header, rows

    def money_columns(self, header: list[str]) -> list[int]:
        return []

    def export_csv(self, header: list[str], rows: Any) -> StreamingHttpResponse:
        return csv_response(self.export_name, header, rows)

    def display_rows(self, objects: Any) -> list[tuple[Any, list[Any]]]:
        """The page's cells: money as Rupiah (#14: "Rp 6.439.000.000", never a raw 6439000000), the rest as is."""
        money = {i for i, (path, _label) in enumerate(self.columns) if self.is_money(path)}
        rows = []
        for obj in objects:
            values = [_resolve(obj, path) for path, _ in self.columns]
            # a no-break space: "Rp" never wraps away from its number
            cells = [
                rupiah(v).replace(" ", "\u00a0") if i in money and v is not None else v for i, v in enumerate(values)
            ]
            rows.append((obj, cells))
        return rows

    def is_money(self, path: str) -> bool:
        """A column of rupiah: a MoneyField at the end of `path`, or a computed amount named in `money_paths`."""
        if path in self.money_paths:
            return True
        model = self.queryset.model
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            model = field.related_model or model
        return isinstance(field, MoneyField)

    def get_title(self) -> str:
        return str(self.title or self.queryset.model._meta.verbose_name_plural)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.get_title(),
            filterset=self.filterset,
            columns=self.columns,
            rows=self.display_rows(context["object_list"]),
            sortable=self.sortable,
            sort=self.request.GET.get("sort", ""),
            querystring=query.urlencode(),
            page_sizes=self.page_sizes,
        )
        return context


class DetailPage(ContextMixin):
    """The frame of every record's page (#16 point 3, NetBox's `generic/object.html`): the template
    `generic/object_detail.html` draws the breadcrumb, the title with the status badge, the actions bar, the
    record's warnings and the tabs from what the view declares, then the view's panels (`dakportal.panels`).

    A view declares `panels` (or `get_panels(context)`), `list_url` (the URL name of the first breadcrumb),
    `status` (a `StatusBadge`), `record_warnings` and `buttons` through `get_buttons(context)`; it gives the
    panels their data in `get_extra_context()`. A page that needs more in its header extends the template and
    fills its blocks (`heading`, `badges`, `subtitle`, `alerts`)."""

    template_name: str | None = "generic/object_detail.html"
    panels: Sequence[Panel | Column] = ()
    list_url = ""  # the URL name of the list the record belongs to: the first breadcrumb
    list_title: str | Promise = ""  # its label (the model's plural name when empty)
    status: StatusBadge | None = None
    record_warnings = False  # show `{% record_warnings object %}` (the registered warnings of the record)
    tabs = True  # the Details / History tabs
    request: HttpRequest
    object: Any

    def get_extra_context(self) -> dict[str, Any]:
        """The data of the page's panels (and what its buttons and conditions read)."""
        return {}

    def get_breadcrumbs(self) -> list[tuple[str | Promise, str]]:
        if not self.list_url:
            return []
        return [(self.list_title or self.object._meta.verbose_name_plural, reverse(self.list_url))]

    def get_buttons(self, context: dict[str, Any]) -> list[Button]:
        """The buttons of the actions bar this user may use on this record: none unless the view says."""
        return []

    def get_panels(self, context: dict[str, Any]) -> Sequence[Panel | Column]:
        return self.panels

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.get_extra_context())
        context.update(
            breadcrumbs=self.get_breadcrumbs(),
            status=self.status.of(self.object) if self.status else None,
            buttons=self.get_buttons(context),
            show_warnings=self.record_warnings,
            show_tabs=self.tabs,
        )
        context["layout"] = layout(self.get_panels(context), context)
        return context


class ObjectDetailView(ObjectPermissionMixin, DetailPage, DetailView[Any]):
    queryset: QuerySet[Any]  # required here (DetailView's may be None)
    bound_forms: dict[str, Any] = {}

    @classmethod
    def render_with_errors(cls, request: HttpRequest, pk: Any, **forms: Any) -> HttpResponse:
        """The detail page again, with the forms of an action that failed bound to what the user sent, so each
        error shows beside its field and nothing typed is lost (#14). Status 400."""
        view = cls()
        view.setup(request, pk=pk)
        view.bound_forms = forms
        response = view.get(request, pk=pk)
        response.status_code = 400
        return response

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        return super().render_to_response({**context, **self.bound_forms}, **kwargs)


def _resolve(obj: Model, path: str) -> Any:
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part)
    return value


# ---------------------------------------------------------------------------------------------------------------------
# Create, edit and delete
# ---------------------------------------------------------------------------------------------------------------------
class ObjectEditView(ObjectPermissionMixin, View):
    """Create (no pk: the role's `add` permission) or edit (the object must be in the user's `change` scope, else
    404). The form gets the user, so it offers only the user's regions; `save_form` is where a subclass calls
    its app's service."""

    form_class: Any
    template_name = "generic/object_form.html"
    # #14: keep what the user types on the device (static/dakportal/draft.js) until the save succeeds, for forms
    # filled in the field where the connection drops.
    offline_draft = False

    def get_action(self, kwargs: dict[str, Any]) -> str:
        return "change" if "pk" in kwargs else "add"

    def get_object(self) -> Model | None:
        if "pk" not in self.kwargs:
            return None
        obj: Model = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return obj

    def get_form(self, obj: Model | None) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        return self.form_class(data, files, instance=obj, user=self.request.user, **self.get_form_kwargs(obj))

    def get_form_kwargs(self, obj: Model | None) -> dict[str, Any]:
        return {}

    def save_form(self, form: Any) -> Model:
        saved: Model = form.save()
        return saved

    def get_success_url(self, obj: Model) -> str:
        return obj.get_absolute_url()  # type: ignore[attr-defined,no-any-return]

    def draft_key(self) -> str:
        """Where draft.js keeps this form's unsent input: per user, model and object."""
        return f"draft:{self.request.user.pk}:{self.queryset.model._meta.label_lower}:{self.kwargs.get('pk', 'new')}"

    def render_form(self, form: Any, obj: Model | None, **extra: Any) -> HttpResponse:
        model = self.queryset.model
        context = {"form": form, "object": obj, "model_name": model._meta.verbose_name, "view": self, **extra}
        if self.offline_draft:
            context["draft_key"] = self.draft_key()
        return render(self.request, self.template_name, context, status=409 if "conflict" in extra else 200)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            try:
                with history_context(user=request.user):
                    saved = self.save_form(form)
            except Conflict as conflict:
                return self.render_conflict(form, obj, conflict)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                verb = _("saved") if obj else _("created")
                messages.success(request, _("%(object)s was %(verb)s.") % {"object": saved, "verb": verb})
                return redirect(self.get_success_url(saved))
        return self.render_form(form, obj)

    def render_conflict(self, form: Any, obj: Model | None, conflict: Conflict) -> HttpResponse:
        """#9: a stale form is not saved. The page says who changed what since the user's version and offers the
        form again, based on the current version: what the user changed is kept, to be saved again deliberately;
        what they left alone now shows the current value, so saving again never undoes the other change."""
        assert obj is not None
        based_on = form.cleaned_data.get("version") or 0
        since = list(
            Event.objects.filter(
                model=obj._meta.label_lower, object_id=str(obj.pk), changes__version__1__gt=based_on
            ).order_by("id")
        )
        current = self.get_object()
        assert current is not None
        kwargs = {"user": self.request.user, **self.get_form_kwargs(obj)}
        current_form = self.form_class(instance=current, **kwargs)
        opened_form = self.form_class(instance=_as_it_was(current, since), **kwargs)
        data = form.data.copy()
        data["version"] = str(conflict.version)
        for name, field in form.fields.items():
            if name == "version" or name not in current_form.fields:
                continue
            opened = opened_form[name].initial
            if not field.has_changed(opened, form[name].data):  # left alone by this user: take today's value
                _put(data, name, current_form[name].value())
        fresh = self.form_class(data, self.request.FILES, instance=current, **kwargs)
        fresh.is_valid()
        changes = [(event, readable(event.model, event.changes)) for event in since]
        return self.render_form(fresh, obj, conflict=conflict, conflict_changes=changes)


def _as_it_was(obj: Model, since: list[Event]) -> Model:
    """A copy of `obj` with the values it had before the events `since` (the version a stale form was opened at)."""
    old = copy.copy(obj)
    columns = {field.column: field for field in obj._meta.concrete_fields}
    for event in reversed(since):
        for column, (before, _after) in event.changes.items():
            if column in columns:
                field = columns[column]
                setattr(old, field.attname, field.to_python(before))
    return old


def _put(data: Any, name: str, value: Any) -> None:
    """Set a form field's submitted value as a browser would send it."""
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(value, list | tuple):
        data.setlist(name, [str(item) for item in value])
    else:
        data[name] = "" if value is None else str(value)


class ObjectDeleteView(ObjectPermissionMixin, View):
    """A confirmation page, then the delete; refused with a message naming what still points at the object
    (#9: nothing with money or evidence on it is removed by a cascade). The deleted row stays in the history."""

    action = "delete"
    template_name = "generic/object_confirm_delete.html"
    success_url: str | _StrPromise

    def get_object(self) -> Model:
        obj: Model = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return obj

    def delete_object(self, obj: Model) -> None:
        delete_record(obj)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return render(request, self.template_name, {"object": obj, "model_name": obj._meta.verbose_name})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            with history_context(user=request.user):
                self.delete_object(obj)
        except Blocked as error:
            messages.error(request, str(error))
            return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]
        except ValidationError as error:  # a rule of the service refuses it (a plan line of a submitted plan)
            messages.error(request, " ".join(error.messages))
            return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]
        messages.success(request, _("%(object)s was deleted.") % {"object": obj})
        return redirect(self.success_url)


class ChoicesView(ObjectPermissionMixin, View):
    """`?q=` -> `{"results": [{"id", "text"}]}`: at most 20 records in the user's scope whose name matches, for
    the search-as-you-type fields (`dakportal.widgets.AutocompleteSelect`, #10)."""

    queryset: Any = None  # given by the URL configuration
    search_fields: tuple[str, ...] = ("name",)
    limit = 20

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        term = request.GET.get("q", "").strip()[:100]
        rows = self.get_queryset()
        if term:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": term})
            rows = rows.filter(condition)
        results = [{"id": obj.pk, "text": str(obj)} for obj in rows.order_by(*self.search_fields)[: self.limit]]
        return JsonResponse({"results": results})


class ObjectVoidView(ObjectPermissionMixin, View):
    """Void a money record with a reason (#9): a confirmation form, then `void_record`; the record stays, marked
    voided, and leaves the totals."""

    action = "change"
    template_name = "generic/object_void.html"
    queryset: Any = None  # given by the URL configuration

    def get_object(self) -> Model:
        obj: Model = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return obj

    def render_page(self, obj: Model, error: str = "", status: int = 200) -> HttpResponse:
        context = {"object": obj, "model_name": obj._meta.verbose_name, "error": error}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(self.get_object())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            void_record(obj, reason=request.POST.get("reason", ""), acting_user=request.user, version=version)
        except Conflict as conflict:
            return self.render_page(obj, str(conflict), status=409)
        except ValidationError as error:
            return self.render_page(obj, " ".join(error.messages), status=400)
        messages.success(request, _("%(object)s was voided.") % {"object": obj})
        return redirect(obj.get_absolute_url())  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------------------
# Workflow actions (#16): one view for every `POST <record>/<action>/`, driven by a table of actions that the API's
# `WorkflowMixin` (dakportal/api/viewsets.py) reads too
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    """One workflow step of a record: the permission it needs, the service that takes it
    (`service(obj, acting_user=..., **fields)`) and whether the reason typed goes to the service (the service
    refuses an empty one where it needs one). `done`: what the page says afterwards. `scope`: the `for_user`
    action the record must allow (`change` to submit one's own draft). `form`: the page's form of its fields
    (the view's `form_class` by default); `serializer`: the API's (fields besides `reason` and `version`, none by
    default); `fields`: the fields the service takes besides `reason` and `version` (the version goes whenever the
    form has one, and always from the API). `invalid`: said when the form is not valid (by default its errors).

    An app keeps the table of each record's steps in `<app>/workflows.py`, read by its page
    (`ObjectActionView.actions`) and its API (`WorkflowMixin.workflow`): one permission, one service, one scope
    for both."""

    permission: str
    service: Callable[..., Any]
    needs_reason: bool = False
    done: Any = ""
    scope: str = "view"
    form: type[forms.Form] | None = None
    fields: tuple[str, ...] = ()
    invalid: Any = ""
    serializer: type[Any] | None = None


class ObjectActionView(View):
    """`POST <record>/<action>/`: the action named in the URL, looked up in `actions` (an unknown one is 404); the
    role needs the action's permission (else 403) and the record must be in the user's scope for the action's
    `scope` (else 404); the service runs in one transaction. A refusal (`ValidationError`, `Conflict`) is a message
    on the record's page (`failed()` may show it beside a field instead)."""

    queryset: QuerySet[Any]
    actions: dict[str, Action]
    form_class: type[forms.Form]
    action_kwarg = "action"
    anchor = ""  # where on the record's page to land: "#plan"
    refusals: tuple[type[Exception], ...] = (ValidationError, Conflict)

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset.all()

    def post(self, request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        action = self.actions.get(kwargs[self.action_kwarg])
        if action is None:
            raise Http404
        if not request.user.has_perm(action.permission):
            raise PermissionDenied
        obj = get_object_or_404(scoped(self.get_queryset(), request.user, action.scope), pk=pk)
        form = self.get_form(action)
        if not form.is_valid():
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, str(action.invalid) if action.invalid else " ".join(errors))
            return redirect(self.success_url(obj))
        data = form.cleaned_data
        arguments = {name: data.get(name) for name in action.fields}
        if action.needs_reason:
            arguments["reason"] = data.get("reason") or ""
        if "version" in form.fields:
            arguments["version"] = data.get("version")
        try:
            with transaction.atomic():
                action.service(obj, acting_user=request.user, **arguments)
        except self.refusals as error:
            return self.failed(request, obj, form, error) or redirect(self.success_url(obj))
        if action.done:
            messages.success(request, str(action.done))
        return redirect(self.success_url(obj))

    def get_form(self, action: Action) -> forms.Form:
        return (action.form or self.form_class)(self.request.POST, self.request.FILES)

    def failed(self, request: HttpRequest, obj: Model, form: forms.Form, error: Exception) -> HttpResponse | None:
        """A refused action: its message on the record's page (None), or a page of its own."""
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return None

    def success_url(self, obj: Model) -> str:
        return str(obj.get_absolute_url()) + self.anchor  # type: ignore[attr-defined]


class ObjectHistoryView(ObjectPermissionMixin, ListView[Any]):
    """`<object page>/history/` (#9): the "Riwayat" tab of a detail page: every change of the object and of its
    parts (a contract of an allocation), newest first, with who, when, why, and the fields as the form names
    them. The object must be in the user's scope (else 404), and so must each event."""

    template_name = "generic/object_history.html"
    paginate_by = 50
    queryset: QuerySet[Any]  # required here (ListView's may be None)

    def get_queryset(self) -> QuerySet[Any]:
        self.object = get_object_or_404(super().get_queryset(), pk=self.kwargs["pk"])
        return Event.objects.for_user(self.request.user).of_object(self.object).order_by("-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["events"] = event_rows(list(context["object_list"]), self.request.user)
        return context


# ---------------------------------------------------------------------------------------------------------------------
# Spreadsheet import: upload, dry run, confirm
# ---------------------------------------------------------------------------------------------------------------------
class ImportView(LoginRequiredMixin, View):
    """GET: the upload form. POST with a file: the dry run (every problem by row and column). POST `confirm`:
    apply the file checked before, all rows or none. A subclass sets `permission_required`, `title`, `template_url`,
    `success_url` and `run_import(table, user, dry_run)` returning a result with `ok`, `created`, `updated`,
    `errors` (and optionally `warnings`)."""

    template_name = "generic/import.html"
    permission_required: str
    title: Any
    template_url: str | _StrPromise
    success_url: str | _StrPromise
    help_lines: list[Any] = []
    # #18: files of fixtures/samples/ offered for download (name, what it shows), served by ImportSampleView at
    # the URL named `sample_url_name`
    samples: list[tuple[str, Any]] = []
    sample_url_name = ""

    def run_import(self, table: Any, user: Any, dry_run: bool) -> Any:
        raise NotImplementedError

    @property
    def session_key(self) -> str:
        return f"import:{self.request.path}"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, **context: Any) -> HttpResponse:
        context.update(title=self.title, template_url=self.template_url, help_lines=self.help_lines)
        context["samples"] = [(reverse(self.sample_url_name, args=[name]), name, label) for name, label in self.samples]
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        job = self.job(request.GET.get("job"))
        if job is not None:  # #15: the result of a check or an import the worker ran
            payload = job.payload
            return self.render_page(
                result=import_jobs.result_of(job), dry_run=payload["dry_run"], filename=payload["filename"], job=job
            )
        return self.render_page()

    def job(self, pk: str | None) -> Any:
        if not pk or not pk.isdigit():
            return None
        return get_object_or_404(
            Job, pk=pk, user=self.request.user, kind=JobKind.IMPORT, status=JobStatus.DONE, path=self.request.path
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self.confirm(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self.render_page(error=_("Choose a file to upload."))
        try:
            table = read_table(upload)
        except ValidationError as error:
            return self.render_page(error=" ".join(error.messages))
        if import_jobs.in_background(len(table.rows)):  # #15: a large file is checked by the worker
            name = self.keep(upload)
            return import_jobs.start_import(request, str(self.title), name, upload.name or "", len(table.rows), True)
        result = self.run_import(table, request.user, dry_run=True)
        if result.ok:
            request.session[self.session_key] = self.keep(upload)
        return self.render_page(result=result, dry_run=True, filename=upload.name)

    @staticmethod
    def keep(upload: Any) -> str:
        """The uploaded file in the storage, under a name of our own, for the applying step."""
        upload.seek(0)
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        return str(default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(upload.read())))

    def confirm(self, request: HttpRequest) -> HttpResponse:
        checked = self.job(request.POST.get("job"))
        if checked is not None:  # a file the worker checked: the worker applies it
            if not (checked.payload["dry_run"] and import_jobs.result_of(checked).ok):
                raise PermissionDenied
            payload = checked.payload
            return import_jobs.start_import(
                request, str(self.title), payload["file"], payload["filename"], checked.rows or 0, False
            )
        name = request.session.pop(self.session_key, None)
        if not name or not default_storage.exists(name):
            messages.error(request, _("The checked file is no longer available: upload it again."))
            return redirect(request.path)
        with default_storage.open(name, "rb") as handle:
            table = read_table(ContentFile(handle.read(), name=name))
        default_storage.delete(name)
        result = self.run_import(table, request.user, dry_run=False)
        if not result.ok:
            return self.render_page(result=result, dry_run=False)
        messages.success(
            request,
            _("Import done: %(created)d created, %(updated)d updated.")
            % {"created": len(result.created), "updated": len(result.updated)},
        )
        return redirect(self.success_url)


class ImportSampleView(LoginRequiredMixin, View):
    """GET one of the sample files an import page offers (#18), from fixtures/samples/: to whoever may use that
    page (its permission), and only the files it names. The samples hold invented data only."""

    import_view: type[ImportView] = ImportView  # set by the URL: as_view(import_view=SentraImportView)

    def get(self, request: HttpRequest, name: str) -> FileResponse:
        if not request.user.has_perm(self.import_view.permission_required):
            raise PermissionDenied
        if name not in dict(self.import_view.samples):
            raise Http404
        path = fixtures_dir() / "samples" / name
        return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/csv")
