"""Test databases: a migrated SQLite template copied per test, or PostgreSQL truncated per test.

``TEST_DATABASE=postgresql`` runs the database tests on PostgreSQL (``TEST_POSTGRES_URL``, default
the local server with trust auth); otherwise they run on SQLite files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def backend() -> str:
    return os.environ.get("TEST_DATABASE", "sqlite")


def worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def postgres_available() -> bool:
    try:
        with psycopg.connect(_libpq(POSTGRES_URL), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def recreate_postgres_database(name: str) -> str:
    with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return postgres_database_url(name)


def truncate_all(url: str, tables: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL app.retention = 'on'"))
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
