"""The PostgreSQL triggers that write the history (#9), installed after every `migrate` (so a new model or a
new database gets them) and generated from `registry.tracked()`.

One trigger per tracked table, AFTER INSERT, UPDATE or DELETE, for each row: it compares the row before and
after as JSON, keeps the changed columns as {column: [old, new]} (an update that changes nothing but ignored
columns records nothing), finds the row's kab/kota and parent, reads the context that the portal sent with the
statement (`context.py`) and inserts one `history_event`. A second trigger on versioned tables raises `version`
by one on every change that did not raise it itself, so bulk updates and raw SQL move it too. A third makes
the log append-only.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models

from dakportal.history.context import SETTING
from dakportal.history.registry import Tracked, tracked

EVENT_TABLE = "history_event"

APPEND_ONLY = f"""
CREATE OR REPLACE FUNCTION dak_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The history is append-only: % on {EVENT_TABLE} refused', TG_OP;
END $$;
CREATE OR REPLACE TRIGGER dak_history_append_only BEFORE UPDATE OR DELETE ON {EVENT_TABLE}
  FOR EACH ROW EXECUTE FUNCTION dak_history_append_only();
"""

BUMP_VERSION = """
CREATE OR REPLACE FUNCTION dak_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.version = OLD.version
     AND to_jsonb(NEW) - 'last_updated' - 'version' <> to_jsonb(OLD) - 'last_updated' - 'version' THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;
"""


def _qn(name: str | None) -> str:
    assert name
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str | None) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _path_sql(model: type[models.Model], path: str) -> str:
    """SQL for the value at `path` (`allocation__regency`) starting from the trigger's row `r`: the first foreign
    key's column, then one subquery per further step."""
    first, *rest = path.split("__")
    field: Any = model._meta.get_field(first)
    expr = f"r.{_qn(field.column)}"
    current = field.related_model
    for part in rest:
        step: Any = current._meta.get_field(part)
        table, pk = current._meta.db_table, current._meta.pk.column
        expr = f"(SELECT {_qn(step.column)} FROM {_qn(table)} WHERE {_qn(pk)} = {expr})"
        current = step.related_model
    return expr


def _array(values: tuple[str | None, ...]) -> str:
    return "ARRAY[" + ", ".join(_literal(v) for v in values) + "]::text[]" if values else "ARRAY[]::text[]"


def function_sql(entry: Tracked) -> str:
    meta: Any = entry.model._meta
    columns = {field.name: field.column for field in meta.concrete_fields}
    ignored = tuple(columns.get(name, name) for name in entry.ignored)
    secret = tuple(columns.get(name, name) for name in entry.secret)
    regency = "NULL"
    if entry.region_lookups:
        paths = [_path_sql(entry.model, path) for path in entry.region_lookups]
        regency = paths[0] if len(paths) == 1 else f"COALESCE({', '.join(paths)})"
    parent_model, parent_id = "''", "''"
    if entry.parent:
        parent: Any = meta.get_field(entry.parent)
        parent_model = _literal(parent.related_model._meta.label_lower)
        parent_id = f"COALESCE(r.{_qn(parent.column)}::text, '')"
    label = "''"
    if entry.label_fields:
        parts = ", ".join(f"r.{_qn(columns[name])}::text" for name in entry.label_fields)
        label = f"left(concat_ws(' · ', {parts}), 300)"
    name = f"dak_history_{meta.db_table}"[:63]
    return f"""
CREATE OR REPLACE FUNCTION {_qn(name)}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  before jsonb := '{{}}'::jsonb;
  after jsonb := '{{}}'::jsonb;
  diff jsonb;
  ctx jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_OP <> 'INSERT' THEN before := to_jsonb(OLD) - {_array(ignored)}; END IF;
  IF TG_OP <> 'DELETE' THEN after := to_jsonb(NEW) - {_array(ignored)}; END IF;
  SELECT coalesce(jsonb_object_agg(k, CASE WHEN k = ANY({_array(secret)})
           THEN jsonb_build_array(CASE WHEN before ? k THEN '***' END, CASE WHEN after ? k THEN '***' END)
           ELSE jsonb_build_array(before -> k, after -> k) END), '{{}}'::jsonb)
    INTO diff
    FROM (SELECT jsonb_object_keys(before || after) AS k) AS keys
   WHERE (before -> k) IS DISTINCT FROM (after -> k)
     AND k <> {_literal(meta.pk.column)}
     AND NOT (TG_OP = 'INSERT' AND after -> k IN ('null'::jsonb, '""'::jsonb));
  IF TG_OP = 'UPDATE' AND (diff - 'version') = '{{}}'::jsonb THEN
    RETURN NULL;
  END IF;
  ctx := nullif(current_setting({_literal(SETTING)}, true), '')::jsonb;
  INSERT INTO {EVENT_TABLE} (at, model, object_id, label, action, changes, regency_id, parent_model, parent_id,
                             user_id, username, source, reason, url)
  VALUES (now(), {_literal(entry.label)}, r.{_qn(meta.pk.column)}::text, coalesce({label}, ''),
          CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
          diff, {regency}, {parent_model}, {parent_id},
          (ctx ->> 'user_id')::integer, coalesce(ctx ->> 'username', ''),
          CASE WHEN ctx IS NULL
               THEN 'database:' || coalesce(nullif(current_setting('application_name'), ''), current_user)
               ELSE coalesce(ctx ->> 'source', '') END,
          coalesce(ctx ->> 'reason', ''), coalesce(ctx ->> 'url', ''));
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER dak_history AFTER INSERT OR UPDATE OR DELETE ON {_qn(meta.db_table)}
  FOR EACH ROW EXECUTE FUNCTION {_qn(name)}();
"""


def version_sql(entry: Tracked) -> str:
    if not any(field.name == "version" for field in entry.model._meta.concrete_fields):
        return ""
    return f"""
CREATE OR REPLACE TRIGGER dak_bump_version BEFORE UPDATE ON {_qn(entry.model._meta.db_table)}
  FOR EACH ROW EXECUTE FUNCTION dak_bump_version();
"""


def install_sql() -> str:
    return APPEND_ONLY + BUMP_VERSION + "".join(function_sql(e) + version_sql(e) for e in tracked().values())


def install(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create or replace every history trigger (connected to `post_migrate`; idempotent)."""
    with connections[using].cursor() as cursor:
        cursor.execute(install_sql())
