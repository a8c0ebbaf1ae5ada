"""Fast inserts of many new rows of one model: COPY on PostgreSQL, one ``executemany`` on SQLite.

Django's ``bulk_create`` compiles every value through several layers (about 4 µs per field); an import of a million
30-column rows spends most of its time there. This writes the same values with the drivers' own adaptation, and
prepares through Django only the fields whose database form differs from the Python value (JSON, datetimes).
Primary keys are not returned: callers look rows up again by a unique key of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    prepared = {
        f.attname
        for f in fields
        if isinstance(f, models.JSONField | models.DateTimeField)
        or (connection.vendor != "postgresql" and isinstance(f, models.DecimalField))
    }
    rows = [
        [
            f.get_db_prep_save(getattr(obj, f.attname), connection)
            if f.attname in prepared
            else getattr(obj, f.attname)
            for f in fields
        ]
        for obj in objects
    ]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(str(model._meta.db_table))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([_copy_value(v) for v in row])
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - names quoted


def _copy_value(value: Any) -> Any:
    # Django's JSON adaptation wraps values for psycopg's parameter binding; COPY wants the JSON text.
    adapted = getattr(value, "obj", None)
    if adapted is not None and type(value).__name__ in {"Jsonb", "Json"}:
        import json

        return json.dumps(adapted, ensure_ascii=False)
    return value
