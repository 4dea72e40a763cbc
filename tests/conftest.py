"""Fixtures shared by every test: apps on a real, migrated database, clients, users and tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from shared import db, migrations
from tests.support import databases

SERVICES = {
    "licensing": "licensing_service",
    "penalty": "penalty_service",
}


def _factory(service: str) -> Callable[..., Flask]:
    package = __import__(SERVICES[service])
    return package.create_app


def _base_config(url: str, tmp: Path) -> dict:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory) -> dict[str, str]:
    """One migrated database per service for the whole run (template file or PostgreSQL database)."""
    urls = {}
    for service in SERVICES:
        if databases.backend() == "postgresql":
            url = databases.recreate_postgres_database(f"test_{service}_{databases.worker_suffix()}")
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('template') / (service + '.sqlite3')}"
        app = _factory(service)(_base_config(url, tmp_path_factory.getbasetemp()))
        migrations.upgrade(app)
        app.extensions["db_engine"].dispose()
        urls[service] = url
    return urls


def _fresh_url(service: str, migrated: dict[str, str], tmp_path: Path) -> str:
    url = migrated[service]
    if databases.backend() == "postgresql":
        tables = [t.name for t in db.tables_for(SERVICES[service])]
        databases.truncate_all(url, tables)
        return url
    template = Path(url.removeprefix("sqlite:///"))
    return databases.copy_sqlite(template, tmp_path / f"{service}.sqlite3")


@pytest.fixture
def make_app(migrated_databases, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Build a service app on a clean migrated database: ``make_app("penalty", NOTIFY_API_KEY=...)``."""
    built: list[Flask] = []

    def build(service: str, **config) -> Flask:
        url = _fresh_url(service, migrated_databases, tmp_path)
        app = _factory(service)({**_base_config(url, tmp_path), **config})
        built.append(app)
        return app

    yield build
    for app in built:
        app.extensions["db_engine"].dispose()


@pytest.fixture
def penalty_app(make_app) -> Flask:
    return make_app("penalty")


@pytest.fixture
def licensing_app(make_app) -> Flask:
    return make_app("licensing")


def pytest_collection_modifyitems(config, items):
    """A test that builds an app on a database is a ``db`` test (it runs on SQLite and PostgreSQL);
    PostgreSQL-only tests are skipped on SQLite runs."""
    on_postgres = databases.backend() == "postgresql"
    for item in items:
        if "migrated_databases" in getattr(item, "fixturenames", ()) and "db" not in item.keywords:
            item.add_marker(pytest.mark.db)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs TEST_DATABASE=postgresql"))
