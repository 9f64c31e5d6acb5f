"""The OpenAPI document tells the truth about errors (#10): every operation lists the error responses the
portal can give, all in one JSON shape, so a client (and the fuzz test) knows what to expect."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "`detail` for a general error; for a 400, each bad field with its messages (or "
    "`non_field_errors`); a 409 of a delete adds `blocked_by`, a 409 of a stale edit `version`, `changed_by`, "
    "`changed_at`.",
    # A 400 names its fields, and a plan line has a field called `detail` (rincian): its messages are a list (#12).
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Bad input: the fields and their messages, in the request's language; also an unknown query parameter, "
    "an ordering field not offered, a field the resource does not have, or a read-only field sent changed, each "
    "named.",
    "401": "No valid credentials: log in or send `Authorization: Token <key>`.",
    "403": "The role may not do this, or the token is read-only.",
    "404": "Not found, or outside the user's region.",
    "409": "Conflict: the record changed since the version sent, or other records point to it.",
    "413": "The request body is too large.",
    "503": "The database is unreachable: try again after `Retry-After` seconds.",
}
WRITES = {"post", "put", "patch", "delete"}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: adds the error responses to every operation that lacks them."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "503"]
            if method in WRITES:
                codes += ["409", "413"]
            for code in codes:
                responses.setdefault(
                    code, {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": reference}}}
                )
    return result


FEATURE_COLLECTION = {
    "type": "object",
    "description": "GeoJSON: one Point feature per record with coordinates (#14).",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                        },
                    },
                    "properties": {"type": "object"},
                },
            },
        },
    },
}


def document_geojson(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """#14: a `?format=geojson` answer is a FeatureCollection, not the paginated list the other formats share."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            if "application/geo+json" in content:
                content["application/geo+json"] = {"schema": FEATURE_COLLECTION}
    return result


WARNINGS = {
    "type": "array",
    "readOnly": True,
    "description": "In the answer to a write (#12): the record's suspicious but allowed values, e.g. a pagu under "
    "Rp 10 juta (a likely unit slip) or a sentra with fewer than 5 members. The record is saved.",
    "items": {
        "type": "object",
        "required": ["field", "message"],
        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
    },
}


def document_warnings(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """#12: the answer to a POST, PUT or PATCH carries `warnings`; the record's component (shared with the GET)
    gets it as an optional property."""
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch"}:
                continue
            for code in ("200", "201"):
                content = operation.get("responses", {}).get(code, {}).get("content", {}).get("application/json")
                reference = (content or {}).get("schema", {}).get("$ref", "")
                component = schemas.get(reference.rsplit("/", 1)[-1]) if reference else None
                if component and "version" in component.get("properties", {}):
                    component["properties"].setdefault("warnings", WARNINGS)
    return result
