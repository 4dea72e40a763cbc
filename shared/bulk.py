"""Finding and writing many rows at once, in the session's transaction.

On PostgreSQL a list of keys travels as one array parameter (``= ANY(:ids)``) and a list of rows as one
JSON document (``json_to_recordset(:rows)``): the statement stays short, so the driver parses its text once
and caches it, and ten thousand rows are one round trip. A thousand-placeholder ``IN (…)`` list or a
VALUES list is parsed afresh every time, which at a hundred thousand rows costs more than the database's
own work. SQLite gets ``IN`` lists and ``executemany``.

Rows are tuples of Python values (dates, datetimes, dicts for JSON columns), in the order of ``columns``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, any_, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from shared import db

IN_CHUNK = 2000  # values per IN (…) list on SQLite (it allows 32,766 parameters a statement)
ARRAY_CHUNK = 10_000  # rows per array statement on PostgreSQL
MANY_CHUNK = 2000  # rows per executemany call


def chunks(values: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def in_chunk() -> int:
    """How many values one :func:`any_of` condition should carry."""
    return ARRAY_CHUNK if db.is_postgresql() else IN_CHUNK


def any_of(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)``; on PostgreSQL ``column = ANY(:array)``, which uses the same indexes."""
    values = list(values)
    if db.is_postgresql():
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def driver_value(column: Any) -> Callable[[Any], Any]:
    """The function turning a Python value into what the driver takes for ``column`` (dates on SQLite,
    JSON, timestamps), as SQLAlchemy would bind it."""
    dialect = db.engine().dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda value: value)


def _iso(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written in bulk")


def _recordset(table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[str, dict]:
    """``json_to_recordset(:rows) AS v(col type, …)`` and its parameter: the rows as a table."""
    dialect = db.engine().dialect
    types = ", ".join(f"{name} {table.c[name].type.compile(dialect=dialect)}" for name in columns)
    document = json.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=_iso)
    return f"json_to_recordset(CAST(:rows AS JSON)) AS v({types})", {"rows": document}


def _executemany(table: Table, sql: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``cursor.executemany`` straight to the driver, values converted as SQLAlchemy would."""
    processors = [driver_value(table.c[name]) for name in columns]
    connection = db.session().connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    for part in chunks(rows, MANY_CHUNK):
        values = [
            tuple(None if v is None else p(v) for p, v in zip(processors, row, strict=True)) for row in part
        ]
        connection.exec_driver_sql(sql, values)


def insert_rows(table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Append rows (tuples in the order of ``columns``)."""
    if not rows:
        return
    names = ", ".join(columns)
    if not db.is_postgresql():
        placeholders = ", ".join("?" for _ in columns)
        _executemany(table, f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})", columns, rows)
        return
    session = db.session()
    for part in chunks(rows, ARRAY_CHUNK):
        source, params = _recordset(table, columns, part)
        session.execute(text(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {source}"), params)


def insert_new_rows(
    table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]], unique: str, returning: Sequence[str]
) -> list[Any]:
    """Insert rows whose ``unique`` column holds a value not yet in the table (one another writer is
    inserting at the same moment is skipped too), returning ``returning`` of the rows inserted.
    PostgreSQL only: SQLite callers use SQLAlchemy's ``on_conflict_do_nothing``."""
    names, back = ", ".join(columns), ", ".join(returning)
    session, inserted = db.session(), []
    for part in chunks(rows, ARRAY_CHUNK):
        source, params = _recordset(table, columns, part)
        statement = (
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {source} "
            f"ON CONFLICT ({unique}) DO NOTHING RETURNING {back}"
        )
        inserted.extend(session.execute(text(statement), params).all())
    return inserted


def update_rows(table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Set ``columns`` of each row found by ``key``; each row is ``(*values, key value)``."""
    if not rows:
        return
    if not db.is_postgresql():
        assignments = ", ".join(f"{name} = ?" for name in columns)
        _executemany(table, f"UPDATE {table.name} SET {assignments} WHERE {key} = ?", [*columns, key], rows)
        return
    session = db.session()
    assignments = ", ".join(f"{name} = v.{name}" for name in columns)
    for part in chunks(rows, ARRAY_CHUNK):
        source, params = _recordset(table, [*columns, key], part)
        statement = f"UPDATE {table.name} AS t SET {assignments} FROM {source} WHERE t.{key} = v.{key}"
        session.execute(text(statement), params)
