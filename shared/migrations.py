"""Alembic, driven from the app: one migration history per service, each on its own database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app

from shared import db


def alembic_config(app: Flask | None = None) -> Config:
    app = app or current_app
    config = Config()
    config.set_main_option("script_location", str(Path(app.root_path) / "migrations"))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    config.attributes["service_package"] = app.import_name
    return config


def upgrade(app: Flask | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(app), revision)


def run_env(context) -> None:
    """The body of each service's ``migrations/env.py``."""
    config = context.config
    package = config.attributes.get("service_package")
    tables = {t.name for t in db.tables_for(package)}

    def include_object(obj, name, type_, _reflected, _compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in tables

    engine = db.make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.Base.metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
