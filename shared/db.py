"""Persistence: one declarative base for every model, a session per application context.

Both services declare their models on the same ``Base``; each service's database holds the shared
tables plus its own (see :func:`tables_for`), so one metadata serves Alembic for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, Select, create_engine, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SHARED_MODULE_PREFIX = "shared."


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back time-zone aware.

    SQLite drops the zone of ``DateTime(timezone=True)``; this type puts it back, so code never
    compares a naive and an aware datetime.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def tables_for(service_package: str):
    """The tables one service's database holds: the shared ones and the service's own."""
    prefixes = (SHARED_MODULE_PREFIX, service_package + ".")
    tables = {
        mapper.local_table
        for mapper in Base.registry.mappers
        if mapper.class_.__module__.startswith(prefixes)
    }
    return [t for t in Base.metadata.sorted_tables if t in tables]


def make_engine(url: str) -> Engine:
    # hide_parameters: a database error's message never carries the values (names, dates of birth) into
    # the logs.
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True)


def init_app(app: Flask) -> None:
    app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def session() -> Session:
    """The session of the current application context (one per request or CLI command)."""
    if "db_session" not in g:
        g.db_session = Session(bind=engine(), expire_on_commit=False)
    return g.db_session


def after_commit(callback) -> None:
    """Run ``callback()`` once the current transaction commits; dropped if it rolls back.

    Side effects (sending an email, rendering a document) are recorded in the transaction and
    carried out afterwards, so a failing side effect never loses the change that caused it.
    """
    g.setdefault("db_after_commit", []).append(callback)


@contextmanager
def transaction() -> Iterator[Session]:
    """Commit on success, roll back on any error: services own their transactions."""
    s = session()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        g.pop("db_after_commit", None)
        raise
    for callback in g.pop("db_after_commit", []):
        try:
            callback()
        except Exception:  # the change is committed; a failed side effect is retried by its job
            current_app.logger.exception("after-commit side effect failed")


def ping() -> None:
    with engine().connect() as connection:
        connection.execute(text("SELECT 1"))


def is_postgresql() -> bool:
    return engine().dialect.name == "postgresql"


def lock_row(model, record_id: object) -> None:
    """Hold one row until the transaction ends, so a second writer waits and then sees the first one's
    change: ``FOR UPDATE`` on PostgreSQL; on SQLite the database write lock, taken at once by a no-op
    update (SQLite has no row locks)."""
    if is_postgresql():
        session().execute(select(model.id).where(model.id == record_id).with_for_update())
    else:
        table = model.__table__
        session().execute(table.update().where(table.c.id == record_id).values(id=table.c.id))


def locked(model, record_id: object, query: Select | None = None):
    """The record (as ``query`` finds it, default by id), locked for this transaction and read afresh;
    None when the query finds nothing. See :func:`lock_row`."""
    if not is_postgresql():
        lock_row(model, record_id)
    query = query if query is not None else select(model).where(model.id == record_id)
    return session().scalar(query.with_for_update(of=model).execution_options(populate_existing=True))
