"""Every route of the URL configuration, walked once (#16.4): the API root's list of endpoints and the generated
test nets (the page and URL matrices, the stored query counts) all read the portal's pages from here, so that a
page added to any app is in all of them without anyone listing it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL of the portal: its namespaced name (`sentra:sentra_detail`, `""` when unnamed), its namespace
    (`sentra`, `api`; nested ones joined by `:`), its path from the root (`/sentra/<int:pk>/`, a router's regular
    expression as written: `/api/v1/sentra/(?P<pk>[^/.]+)/`), its arguments (`("pk",)`) and its URLPattern."""

    name: str
    namespace: str
    path: str
    arguments: tuple[str, ...]
    pattern: URLPattern

    @property
    def view_class(self) -> Any:
        """The class of a class-based view or viewset (None for a function)."""
        callback = self.pattern.callback
        return getattr(callback, "view_class", None) or getattr(callback, "cls", None)

    @property
    def view_initkwargs(self) -> dict[str, Any]:
        """What the URL configuration gives the view (`as_view(queryset=...)`)."""
        return dict(getattr(self.pattern.callback, "view_initkwargs", None) or {})


def routes(resolver: URLResolver | None = None) -> list[Route]:
    """Every route of the URL configuration (or of `resolver`), in URL order."""
    return list(_walk(resolver or get_resolver(), "", "/"))


def _walk(resolver: URLResolver, namespace: str, prefix: str) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        path = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _walk(pattern, inner, path)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            arguments = tuple(pattern.pattern.regex.groupindex)
            yield Route(name=name, namespace=namespace, path=path, arguments=arguments, pattern=pattern)
