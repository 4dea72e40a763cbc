"""The audit log: written with the change it records, never changed afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from shared import audit, db, users
from shared.audit import AuditEvent
from tests.support.databases import backend


def count_events() -> int:
    return db.session().scalar(select(func.count()).select_from(AuditEvent))


def test_event_commits_with_the_change_it_records(penalty_app):
    with penalty_app.app_context():
        with db.transaction():
            user = users.create_user("a@example.org", "Long-enough-pass-1", "officer")
            db.session().flush()
            audit.record("user.created", "user", user.id, before=None, after={"role": "officer"})
        event = db.session().scalar(select(AuditEvent))
        assert (event.action, event.object_type, event.object_id) == ("user.created", "user", str(user.id))
        assert event.after == {"role": "officer"} and event.actor == "system"
        assert event.at.tzinfo is not None


def test_event_rolls_back_with_a_failed_change(penalty_app):
    with penalty_app.app_context():
        with pytest.raises(RuntimeError), db.transaction():
            users.create_user("a@example.org", "Long-enough-pass-1", "officer")
            audit.record("user.created", "user", "?")
            raise RuntimeError("the change failed")
        assert count_events() == 0
        assert users.find_user("a@example.org") is None


def test_snapshots_hold_dates_as_iso_strings(penalty_app):
    from datetime import date

    with penalty_app.app_context():
        with db.transaction():
            audit.record(
                "x.changed", "x", 1, before={"due": date(2026, 2, 29 - 1)}, after={"due": date(2026, 3, 2)}
            )
        event = db.session().scalar(select(AuditEvent))
        assert event.before == {"due": "2026-02-28"} and event.after == {"due": "2026-03-02"}


def test_events_cannot_be_changed_or_deleted_through_the_orm(penalty_app):
    with penalty_app.app_context():
        with db.transaction():
            audit.record("x.changed", "x", 1)
        event = db.session().scalar(select(AuditEvent))
        event.action = "rewritten"
        with pytest.raises(PermissionError):
            db.session().commit()
        db.session().rollback()
        db.session().delete(db.session().scalar(select(AuditEvent)))
        with pytest.raises(PermissionError):
            db.session().commit()


@pytest.mark.postgres
def test_postgresql_trigger_refuses_raw_updates_and_deletes(penalty_app):
    assert backend() == "postgresql"
    with penalty_app.app_context():
        with db.transaction():
            audit.record("x.changed", "x", 1)
        for statement in ("UPDATE audit_events SET action = 'rewritten'", "DELETE FROM audit_events"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine().begin() as connection:
                connection.execute(text(statement))
        assert count_events() == 1


def test_api_requests_record_the_signed_in_actor(penalty_app):
    from tests.support.api import add_user, bearer, token_for

    user_id = add_user(penalty_app, "o@example.org", "officer")
    client = penalty_app.test_client()
    client.delete("/api/v1/auth/token", headers=bearer(token_for(client, "o@example.org")))
    with penalty_app.app_context():
        revoked = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "token.revoked"))
    assert (revoked.actor_id, revoked.actor) == (user_id, f"officer:{user_id}")
