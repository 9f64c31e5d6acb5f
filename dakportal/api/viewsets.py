"""API base classes (STYLE.md conventions 2-3): scoping, permissions, CSV of every matching row."""

from __future__ import annotations

import keyword
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.db import transaction
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dakportal.accounts.scoping import sees_personal_data_in_scope
from dakportal.api.permissions import action_for
from dakportal.copy_export import columns_from_serializer, copy_csv_response
from dakportal.exports import csv_response
from dakportal.generic import Action, scoped
from dakportal.history.api.serializers import EventSerializer
from dakportal.history.context import history_context
from dakportal.history.models import Event
from dakportal.services import delete_record, void_record
from dakportal.uploads import file_response

if TYPE_CHECKING:  # what the mixins below are mixed into: a viewset (its request, get_object, action...)
    ViewSetBase = viewsets.GenericViewSet[Any]
else:
    ViewSetBase = object

CONFLICT = OpenApiResponse(description="The record changed since the version sent: who changed it and when.")


class CSVListMixin(ViewSetBase):
    """`?format=csv` streams every row that matches the filters (all pages) with a header row (CONTRACT.md)."""

    csv_chunk_size = 2000

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)  # type: ignore[misc]  # ListModelMixin, later in the MRO
        queryset = self.filter_queryset(self.get_queryset())
        serializer = cast("serializers.Serializer[Any]", self.get_serializer())  # a model serializer: fields
        name = str(queryset.model._meta.model_name)
        # #11: PostgreSQL writes the file when every column is SQL; otherwise one serializer for all rows.
        columns = columns_from_serializer(serializer, queryset, mask=not sees_personal_data_in_scope(request.user))
        if columns is not None:
            return copy_csv_response(name, queryset, columns)
        header = [field_name for field_name, field in serializer.fields.items() if not field.write_only]

        def rows() -> Any:
            for obj in queryset.iterator(self.csv_chunk_size):
                data = serializer.to_representation(obj)
                yield [data.get(field_name) for field_name in header]

        return csv_response(name, header, rows())

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(response, StreamingHttpResponse):
            return response
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedViewSetMixin(ViewSetBase):
    """The queryset is the view's `queryset` scoped to the user and the request's action (view, add, change,
    delete): objects outside it answer 404."""

    queryset: Any

    def get_queryset(self) -> Any:
        request = self.request
        _permission_action, scope_action = action_for(request, self)
        return scoped(self.queryset.all(), request.user, scope_action)


class ServiceWriteMixin(ViewSetBase):
    """Creates, updates and deletes through the app's services (#9; STYLE.md convention 7): a viewset names its
    `save_service` (`services.save_sentra`), called with the new or changed instance and the acting user, in one
    transaction; the `version` the client sent is the instance's, so the service's save checks it under a row
    lock. Deleting goes through `delete_record`: 409 with `blocked_by` while other records point to the object."""

    save_service: Any = None
    queryset: Any

    def save_instance(self, instance: Any, serializer: Any) -> Any:
        return type(self).save_service(instance, acting_user=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        model = serializer.Meta.model
        instance = model(**serializer.validated_data)
        serializer.instance = self.fresh(self.save_instance(instance, serializer))

    def fresh(self, instance: Any) -> Any:
        """The saved record read back through the viewset's queryset, so the answer carries the same computed
        fields as a GET (totals, completeness), never nulls where the schema promises numbers (#10)."""
        return type(self).queryset.filter(pk=instance.pk).first() or instance

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = self.fresh(self.save_instance(instance, serializer))

    def perform_destroy(self, instance: Any) -> None:
        with history_context(user=self.request.user):
            delete_record(instance)


class WorkflowMixin(ViewSetBase):
    """`POST <resource>/{id}/<step>/` for each step of the viewset's `workflow`, the table of the record's steps
    that its page reads too (`<app>/workflows.py`, `dakportal.generic.Action`): the role needs the step's
    permission (else 403), the record must be in the user's scope for the step (else 404), the body carries the
    `version` the client saw (a stale one is 409), a `reason` where the step takes one, and the step's own fields;
    the service runs in one transaction and the answer is the record as a GET shows it. `workflow_prefix` puts the
    steps under a path (`plan/` for an allocation's plan: `plan/submit/`, URL name `plan-submit`)."""

    workflow: ClassVar[dict[str, Action]] = {}
    workflow_prefix: ClassVar[str] = ""
    action_permissions: ClassVar[dict[str, tuple[str, str]]] = {}  # read by `action_for` (dakportal/api/permissions.py)
    queryset: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "workflow" not in cls.__dict__:
            return
        permissions = dict(getattr(cls, "action_permissions", {}))
        for name, step in cls.workflow.items():
            attribute = (cls.workflow_prefix + name).replace("/", "_").replace("-", "_")
            attribute += "_" if keyword.iskeyword(attribute) else ""
            setattr(cls, attribute, cls._step_view(name, step, attribute))
            permissions[attribute] = (step.permission, step.scope)
        cls.action_permissions = permissions

    @classmethod
    def _step_view(cls, name: str, step: Action, attribute: str) -> Any:
        body = cls.step_serializer(step, attribute)

        def view(self: WorkflowMixin, request: Request, *args: Any, **kwargs: Any) -> Response:
            return self.take_step(request, step, body)

        view.__name__ = attribute
        service = getattr(step.service, "func", step.service)  # a `partial` names its function
        view.__doc__ = (service.__doc__ or "").strip().split("\n\n")[0] or None
        path = cls.workflow_prefix + name
        view = action(detail=True, methods=["post"], url_path=path, url_name=path.replace("/", "-"))(view)
        return extend_schema(request=body, responses={200: cls.serializer_class, 409: CONFLICT})(view)

    @classmethod
    def step_serializer(cls, step: Action, attribute: str) -> type[serializers.Serializer[Any]]:
        """The body of a step: `version`, `reason` where the step takes one, and the step's own fields."""
        fields: dict[str, Any] = {
            "version": serializers.IntegerField(
                required=False, allow_null=True, default=None,
                help_text="The version of the record the step is based on: a stale one is refused (409).",
            ),
        }  # fmt: skip
        if step.needs_reason:
            fields["reason"] = serializers.CharField(
                required=False, allow_blank=True, default="", help_text="Why (required where the step says so)."
            )
        name = cls.__name__.removesuffix("ViewSet") + attribute.title().replace("_", "") + "Request"
        return type(name, (step.serializer or serializers.Serializer,), fields)

    def take_step(self, request: Request, step: Action, body: type[serializers.Serializer[Any]]) -> Response:
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = {name: data.validated_data.get(name) for name in step.fields}
        if step.needs_reason:
            arguments["reason"] = data.validated_data["reason"]
        with transaction.atomic():
            obj = step.service(
                self.get_object(), acting_user=request.user, version=data.validated_data["version"], **arguments
            )
        fresh = type(self).queryset.filter(pk=obj.pk).first() or obj  # read back with the list's computed fields
        return Response(self.get_serializer(fresh).data)


class VoidSerializer(serializers.Serializer[None]):
    reason = serializers.CharField(help_text="Why the record is voided (required).")
    version = serializers.IntegerField(min_value=1, help_text="The version the voiding is based on.")


class VoidActionMixin(ViewSetBase):
    """`POST <resource>/{id}/void/` {"reason", "version"} (#9): a wrong money record is voided, never deleted; it
    stays visible with `voided_at`, `voided_by` and `void_reason`, and leaves every total."""

    @extend_schema(
        request=VoidSerializer,
        responses={200: None, 400: OpenApiResponse(description="No reason, or already voided."), 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        data = VoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = void_record(
            self.get_object(),
            reason=data.validated_data["reason"],
            version=data.validated_data["version"],
            acting_user=request.user,
        )
        return Response(self.get_serializer(obj).data)


class HistoryMixin(ViewSetBase):
    """`GET <resource>/{id}/history/`: the change events of the object and its parts, newest first (#9)."""

    @extend_schema(responses={200: EventSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], url_path="history", url_name="history")
    def history(self, request: Request, pk: str | None = None) -> Any:
        obj = self.get_object()
        events = Event.objects.for_user(request.user).of_object(obj).select_related(None).order_by("-id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventSerializer(page, many=True).data)


class NestedViewSetMixin(ViewSetBase):
    """A list under one parent record (`sentra/{sentra_pk}/status-changes/`, #12): the parent is looked up in the
    user's scope (404 outside it; the scope of a change for a write), and the rows are its `parent_related`. The
    view names `parent_model`, `parent_kwarg` (the URL argument) and `parent_related` (the related manager)."""

    parent_model: Any
    parent_kwarg: str
    parent_related: str

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # credentials and permission first
        self.parent = self.get_parent()  # then the parent: 404 outside the scope, before the body is read

    def get_parent(self) -> Any:
        from django.shortcuts import get_object_or_404

        if getattr(self, "parent", None) is not None:
            return self.parent
        scope = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        parents = scoped(self.parent_model.objects.all(), self.request.user, scope)
        return get_object_or_404(parents, pk=self.kwargs[self.parent_kwarg])

    def get_queryset(self) -> Any:
        queryset = getattr(self.get_parent(), self.parent_related).all()
        declared = getattr(self, "queryset", None)  # the view's select_related applies to the parent's rows too
        joins = declared.query.select_related if declared is not None else False
        return queryset.select_related(*joins) if isinstance(joins, dict) and joins else queryset


class FileDownloadMixin(ViewSetBase):
    """`GET <resource>/{id}/file/`: the stored file of a record the user may see (404 otherwise), served with its
    checked content type (#12: downloads for token clients, through the same scope as the record). The record
    names its file field `file` and its type `content_type`."""

    download_types = ("image/jpeg", "image/png", "application/pdf")

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file is what the client gets, whatever it accepts; an error is still JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def download(self, request: Request, pk: str | None = None) -> Any:
        obj = self.get_object()
        return file_response(obj.file, content_type=obj.content_type, name=f"{obj._meta.model_name}-{obj.pk}")


class ScopedReadOnlyViewSet(CSVListMixin, ScopedViewSetMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet[Any]):
    pass


class ScopedModelViewSet(CSVListMixin, ScopedViewSetMixin, HistoryMixin, ServiceWriteMixin, viewsets.ModelViewSet[Any]):
    pass


class ScopedCreateListUpdateViewSet(
    CSVListMixin,
    ScopedViewSetMixin,
    HistoryMixin,
    ServiceWriteMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """GET POST PATCH (no DELETE), as CONTRACT.md gives realisations and monev."""


__all__ = [
    "FileDownloadMixin",
    "NestedViewSetMixin",
    "ScopedCreateListUpdateViewSet",
    "ScopedModelViewSet",
    "ScopedReadOnlyViewSet",
    "VoidActionMixin",
]
