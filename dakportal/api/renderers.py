from __future__ import annotations

from typing import Any

from rest_framework.renderers import BaseRenderer

from dakportal.exports import csv_rows


class CSVRenderer(BaseRenderer):
    """`?format=csv`. Lists are streamed by `ScopedModelViewSet.list`; this renders anything else (a detail,
    an error) as a small CSV, flattening a dict into a header and one row."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        rows = data if isinstance(data, list) else [data]
        rows = [row if isinstance(row, dict) else {"value": row} for row in rows]
        header = list(rows[0]) if rows else []
        body = csv_rows(header, ([row.get(name) for name in header] for row in rows))
        return "".join(body).encode("utf-8")


class GeoJSONRenderer(BaseRenderer):
    """`?format=geojson` (#14): a FeatureCollection, made by the viewset that offers it."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        import json

        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
