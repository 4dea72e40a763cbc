"""Each service's migrations build exactly the tables its models describe: a model changed without a
migration (or a migration that drifts from its model) fails here, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared import db


def _differences(app) -> list:
    tables = {t.name for t in db.tables_for(app.import_name)}

    def include_object(obj, name, type_, _reflected, _compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in tables

    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": include_object,
                "compare_type": True,
                "target_metadata": db.Base.metadata,
            },
        )
        return compare_metadata(context, db.Base.metadata)


@pytest.mark.parametrize("service", ["licensing", "penalty"])
def test_the_migrated_database_has_exactly_the_models_tables_columns_and_indexes(make_app, service):
    app = make_app(service)
    assert _differences(app) == []
