"""Bulk reads and writes give the same rows on SQLite (IN lists, executemany) and PostgreSQL (arrays and
JSON documents): dates, timestamps, JSON, NULLs and text that needs quoting survive the trip."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shared import bulk, db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage

pytestmark = pytest.mark.db

AT = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)
COLUMNS = ("at", "actor_id", "actor", "action", "object_type", "object_id", "before", "after")
TABLE = AuditEvent.__table__


def rows(count: int) -> list[tuple]:
    return [
        (
            AT,
            None,
            f'O\'Brien, "the" officer {i}',
            "bulk.tested",
            "thing",
            str(i),
            None,
            {"n": i, "day": "2026-11-23"},
        )
        for i in range(count)
    ]


def events(app) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(AuditEvent).where(AuditEvent.action == "bulk.tested").order_by(AuditEvent.id)
            )
        )


def test_rows_inserted_in_bulk_read_back_as_written(make_app, monkeypatch):
    monkeypatch.setattr(bulk, "ARRAY_CHUNK", 7)  # several statements
    monkeypatch.setattr(bulk, "MANY_CHUNK", 7)
    app = make_app("penalty")
    with app.app_context(), db.transaction():
        bulk.insert_rows(TABLE, COLUMNS, rows(20))

    found = events(app)
    assert [(e.at, e.actor_id, e.actor, e.object_id, e.before, e.after) for e in found] == [
        (AT, None, f'O\'Brien, "the" officer {i}', str(i), None, {"n": i, "day": "2026-11-23"})
        for i in range(20)
    ]


OUTBOX = OutboxMessage.__table__
OUTBOX_COLUMNS = ("created_at", "to_address", "subject", "body", "object_type", "object_id", "status")
OUTBOX_COLUMNS += ("attempts", "next_attempt_at")


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_rows_updated_in_bulk_by_key_and_found_by_any_of(make_app):
    app = make_app("penalty")
    messages = [(AT, f"p{i}@example.org", "S", "B", "", "", "stored", 0, AT) for i in range(5)]
    with app.app_context(), db.transaction():
        bulk.insert_rows(OUTBOX, OUTBOX_COLUMNS, messages)
    ids = [m.id for m in outbox(app)]

    with app.app_context(), db.transaction():
        changes = [("sent", AT, "it's \\ done", i) for i in ids[:2]] + [("failed", None, None, ids[2])]
        bulk.update_rows(OUTBOX, "id", ("status", "sent_at", "last_error"), changes)
        found = db.session().scalars(select(OutboxMessage.id).where(bulk.any_of(OutboxMessage.id, ids[1:3])))
        none = db.session().scalars(select(OutboxMessage.id).where(bulk.any_of(OutboxMessage.id, [])))
        found, none = sorted(found), list(none)

    assert found == ids[1:3]
    assert none == []
    assert [(m.status, m.sent_at, m.last_error) for m in outbox(app)] == [
        ("sent", AT, "it's \\ done"),
        ("sent", AT, "it's \\ done"),
        ("failed", None, None),
        ("stored", None, None),
        ("stored", None, None),
    ]
