"""Fast inserts of many new rows of one model: COPY on PostgreSQL, one ``executemany`` on SQLite.

Django's ``bulk_create`` compiles every value through several layers (about 4 µs per field); an import of a million
30-column rows spends most of its time there. This writes the same values with the drivers' own adaptation, and
prepares through Django only the fields whose database form differs from the Python value (JSON, datetimes), once
per column kind rather than once per value where the result cannot differ.

- :func:`insert_rows` takes model instances (primary keys are not returned: callers look rows up again by a unique
  key of their own, or use :func:`insert_values` with :func:`reserve_pks`);
- :func:`insert_values` takes plain rows (sequences of Python values in the order of ``columns``), so callers that
  never need a model instance do not build one;
- :func:`reserve_pks` (PostgreSQL) draws primary keys from the table's own sequence, so they are known before COPY.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
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
    columns = [str(f.attname) for f in fields]
    insert_values(model, columns, [[getattr(obj, c) for c in columns] for obj in objects])


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes what the driver gets (None: as it is)."""
    postgres = connection.vendor == "postgresql"
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            # Django's own adaptation is json.dumps(value, cls=encoder); COPY wants the JSON text (jsonb keeps the
            # parsed value, so the escaping of non-ASCII text makes no difference there).
            if postgres:
                return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
            return lambda v: None if v is None else json.dumps(v)
        if postgres:
            encoder = field.encoder
            return lambda v: None if v is None else json.dumps(v, cls=encoder, ensure_ascii=False)
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateTimeField):
        # The same instant is usually repeated (auto_now fields of one batch): prepare each distinct value once.
        cache: dict[Any, Any] = {}

        def prepare(v: Any) -> Any:
            try:
                return cache[v]
            except KeyError:
                prepared = cache[v] = field.get_db_prep_save(v, connection)
                return prepared
            except TypeError:  # unhashable: never expected for datetimes, but stay correct
                return field.get_db_prep_save(v, connection)

        return prepare
    if not postgres and isinstance(field, models.DecimalField):
        # A Decimal goes to the driver as it is (Django's preparation returns an equal Decimal and sqlite3's adapter
        # writes str(value)); anything else is prepared by Django.
        return lambda v: (
            v if v is None or (v.__class__ is Decimal and v.is_finite()) else field.get_db_prep_save(v, connection)
        )
    return None


def insert_values(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (each a sequence of Python values for ``columns``, given as field attnames) into ``model``'s
    table in one COPY (PostgreSQL) or one ``executemany`` (SQLite). Values are adapted as Django adapts them for a
    save: JSON dumped, datetimes prepared; nothing else is converted, checked or defaulted (auto_now fields and
    defaults are the caller's job). Returns the number of rows written."""
    meta = model._meta
    by_attname = {str(f.attname): f for f in meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not None]
    if adapters:
        adapted: Iterable[Sequence[Any]] = (_adapt(row, adapters) for row in rows)
    else:
        adapted = rows
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(str(meta.db_table))
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in adapted:
                    write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(fields))
            materialised = adapted if isinstance(adapted, list) else list(adapted)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", materialised)  # noqa: S608
            count = len(materialised)
    return count


def _adapt(row: Sequence[Any], adapters: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    out = list(row)
    for i, adapt in adapters:
        out[i] = adapt(out[i])
    return out


def reserve_pks(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, in increasing order, known before the rows are written.

    PostgreSQL: drawn from the table's own sequence. SQLite: the next keys after the highest ever used (the
    ``AUTOINCREMENT`` counter), which is then moved past them; call it inside a transaction — fazhi's SQLite
    transactions take the write lock when they start (``transaction_mode: IMMEDIATE``), so no other writer can
    take the same keys before this transaction commits.
    """
    if count <= 0:
        return []
    meta = model._meta
    pk = meta.pk
    if pk is None:  # pragma: no cover - every concrete model has one
        raise ValueError(f"{meta.label} has no primary key")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, count],
            )
            return sorted(r[0] for r in cursor.fetchall())
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_pks on SQLite must run inside a transaction")
        table = connection.ops.quote_name(str(meta.db_table))
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        row = cursor.fetchone()
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(str(pk.column))}) FROM {table}")  # noqa: S608
        highest = max(row[0] if row else 0, cursor.fetchone()[0] or 0)
        if row is None:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [meta.db_table, highest + count])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [highest + count, meta.db_table])
        return list(range(highest + 1, highest + count + 1))
