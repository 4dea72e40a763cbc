"""Notifications through the real outbox, database and clients, against fake Notify and SMTP servers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import literal, select, union_all

from shared import db, documents, notify
from shared.notify import OutboxMessage
from shared.scheduler import JobRun
from tests.support.fake_notify import TEMPLATE_ID, FakeNotify
from tests.support.fake_smtp import FakeSmtp

pytestmark = pytest.mark.db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday morning
PARENT = "parent@example.org"
SUBJECT = "Education penalty notice PN-2025-0007"
BODY = "Dear Ms O'Brien,\n\nA penalty notice has been issued for Zoë's absence from school."
PDF = b"%PDF-1.7\n% a small stand-in for a rendered notice\n%%EOF\n"


def enqueue(app: Flask, to: str = PARENT, **kwargs) -> int:
    with app.app_context(), db.transaction():
        message = notify.enqueue(to, SUBJECT, BODY, object_type="penalty_notice", object_id=7, **kwargs)
    return message.id


def outbox(app: Flask) -> list[OutboxMessage]:
    """The outbox as the database holds it, read in a fresh session."""
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def deliver(app: Flask, now: datetime) -> dict[str, int]:
    with app.app_context():
        return notify.deliver_pending(now=now)


def store_document(
    app: Flask, content: bytes = PDF, filename: str = "Penalty notice PN-2025-0007.pdf"
) -> int:
    with app.app_context(), db.transaction():
        document = documents.store("penalty_notice", 7, "notice", filename, content)
        db.session().flush()
        return document.id


@pytest.fixture
def traveller():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


# --- No backend: the outbox is the delivery ----------------------------------------------------------


@pytest.mark.parametrize("service", ["penalty", "licensing"])
def test_without_a_backend_messages_are_stored_for_officers(make_app, fake_notify, service):
    app = make_app(service)

    enqueue(app)

    [message] = outbox(app)
    assert (message.status, message.to_address, message.subject, message.body) == (
        "stored",
        PARENT,
        SUBJECT,
        BODY,
    )
    assert (message.object_type, message.object_id, message.attempts) == ("penalty_notice", "7", 0)
    assert deliver(app, datetime.now(UTC) + timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert outbox(app)[0].status == "stored"
    assert fake_notify.requests == 0


# --- GOV.UK Notify -------------------------------------------------------------------------------


def test_notify_sends_once_the_transaction_commits(make_app, fake_notify, traveller):
    app = make_app("penalty", **fake_notify.config)

    with app.app_context(), db.transaction():
        notify.enqueue(PARENT, SUBJECT, BODY, object_type="penalty_notice", object_id=7)
        db.session().flush()
        assert fake_notify.requests == 0  # nothing leaves before the change is committed

    [received] = fake_notify.received
    [message] = outbox(app)
    assert received.email_address == PARENT
    assert received.template_id == TEMPLATE_ID
    assert received.personalisation == {"subject": SUBJECT, "body": BODY, "link_to_file": ""}
    assert received.reference == f"outbox-{message.id}"
    assert message.status == "sent"
    assert message.provider_ref == received.id
    assert (message.attempts, message.last_error, message.sent_at) == (1, None, T0)


def test_a_rolled_back_transaction_sends_and_stores_nothing(make_app, fake_notify):
    app = make_app("penalty", **fake_notify.config)

    with pytest.raises(RuntimeError), app.app_context(), db.transaction():
        notify.enqueue(PARENT, SUBJECT, BODY)
        raise RuntimeError("the change that caused the email failed")

    assert outbox(app) == []
    assert fake_notify.requests == 0
    with app.app_context(), db.transaction():  # a later transaction does not send it either
        pass
    assert fake_notify.requests == 0


def test_failed_delivery_is_retried_with_doubling_backoff_and_sent_once(make_app, fake_notify, traveller):
    app = make_app("penalty", **fake_notify.config)
    fake_notify.fail_next(2, status=500)

    enqueue(app)

    [message] = outbox(app)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "Notify: 500 - [{'error': 'Exception', 'message': 'Internal server error'}]"
    assert message.next_attempt_at == T0 + timedelta(minutes=1)

    assert deliver(app, T0 + timedelta(seconds=59)) == {"sent": 0, "retry": 0, "failed": 0}
    assert fake_notify.requests == 1

    assert deliver(app, T0 + timedelta(minutes=1)) == {"sent": 0, "retry": 1, "failed": 0}
    [message] = outbox(app)
    assert message.attempts == 2
    assert message.next_attempt_at == T0 + timedelta(minutes=1 + 2)  # the wait doubles

    assert deliver(app, T0 + timedelta(minutes=2, seconds=59)) == {"sent": 0, "retry": 0, "failed": 0}
    assert deliver(app, T0 + timedelta(minutes=3)) == {"sent": 1, "retry": 0, "failed": 0}
    assert deliver(app, T0 + timedelta(hours=1)) == {"sent": 0, "retry": 0, "failed": 0}

    [message] = outbox(app)
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, None)
    assert fake_notify.requests == 3
    assert len(fake_notify.received) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, "Internal server error"), (400, "team-only API key"), (429, "RateLimitError"), (403, "AuthError")],
)
def test_after_the_last_attempt_the_message_is_failed_and_kept(
    make_app, fake_notify, traveller, status, error
):
    app = make_app("penalty", NOTIFY_MAX_ATTEMPTS=3, **fake_notify.config)
    fake_notify.fail_next(10, status=status)

    enqueue(app)
    assert deliver(app, T0 + timedelta(minutes=1)) == {"sent": 0, "retry": 1, "failed": 0}
    assert deliver(app, T0 + timedelta(minutes=3)) == {"sent": 0, "retry": 0, "failed": 1}
    assert deliver(app, T0 + timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0}

    [message] = outbox(app)
    assert (message.status, message.attempts, message.sent_at) == ("failed", 3, None)
    assert message.last_error.startswith(f"Notify: {status} - ") and error in message.last_error
    assert (message.to_address, message.subject, message.body) == (PARENT, SUBJECT, BODY)  # not dropped
    assert fake_notify.requests == 3 and fake_notify.received == []


def test_a_wrong_api_key_is_refused_by_notify(make_app, fake_notify):
    """The fake checks the JWT as Notify does, so a key for another service is refused, not sent."""
    wrong_secret = "00000000-0000-4000-8000-000000000000"
    api_key = fake_notify.config["NOTIFY_API_KEY"][:-36] + wrong_secret
    app = make_app("penalty", **{**fake_notify.config, "NOTIFY_API_KEY": api_key})

    enqueue(app)

    [message] = outbox(app)
    assert message.status == "pending"
    assert "403" in message.last_error and "Invalid token" in message.last_error
    assert fake_notify.received == []


def test_notify_unreachable_is_retried_later(make_app, fake_notify, traveller):
    app = make_app("penalty", **{**fake_notify.config, "NOTIFY_BASE_URL": "http://127.0.0.1:9"})

    enqueue(app)

    [message] = outbox(app)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("Notify: 503 - ")  # the client reports connection errors so


def test_deliver_notifications_job_sends_what_is_due_and_records_its_run(make_app, fake_notify, traveller):
    app = make_app("penalty", **fake_notify.config)
    fake_notify.fail_next(2)
    first, second = enqueue(app, "first@example.org"), enqueue(app, "second@example.org")
    assert [m.status for m in outbox(app)] == ["pending", "pending"]

    traveller.move_to(T0 + timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deliver-notifications"])

    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output
    assert [(m.id, m.status) for m in outbox(app)] == [(first, "sent"), (second, "sent")]
    assert sorted(r.email_address for r in fake_notify.received) == [
        "first@example.org",
        "second@example.org",
    ]
    with app.app_context():
        [run] = db.session().scalars(select(JobRun)).all()
    assert (run.job_name, run.outcome, run.run_for) == ("deliver-notifications", "succeeded", T0.date())
    assert run.counts == {"sent": 2, "retry": 0, "failed": 0}
    assert run.finished_at is not None


def test_a_document_goes_to_notify_as_a_link_to_file(make_app, fake_notify):
    app = make_app("penalty", **fake_notify.config)
    document_id = store_document(app)

    enqueue(app, document_id=document_id)

    [received] = fake_notify.received
    assert received.file == PDF
    assert received.filename == "Penalty notice PN-2025-0007.pdf"
    assert received.personalisation["body"] == BODY
    assert outbox(app)[0].status == "sent"


def test_a_document_too_large_for_notify_fails_without_blocking_others(make_app, fake_notify, traveller):
    app = make_app("penalty", NOTIFY_MAX_ATTEMPTS=1, **fake_notify.config)
    too_large = store_document(app, b"%PDF-" + b"0" * (2 * 1024 * 1024))

    big = enqueue(app, "big@example.org", document_id=too_large)
    small = enqueue(app, "small@example.org")

    messages = {m.id: m for m in outbox(app)}
    assert messages[big].status == "failed"
    assert messages[big].last_error == "Notify: File is larger than 2MB"
    assert messages[small].status == "sent"
    assert [r.email_address for r in fake_notify.received] == ["small@example.org"]


@pytest.mark.postgres
def test_two_workers_never_send_the_same_message(make_app, fake_notify, traveller):
    app = make_app("penalty", **fake_notify.config)
    fake_notify.fail_next(6)
    ids = [enqueue(app, f"parent{n}@example.org") for n in range(6)]
    fake_notify.delay = 0.05  # keep each send in flight while the other worker looks for work

    results: list[dict[str, int]] = []
    workers = [
        threading.Thread(target=lambda: results.append(deliver(app, T0 + timedelta(minutes=1))))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(r.reference for r in fake_notify.received) == sorted(f"outbox-{i}" for i in ids)
    assert sum(r["sent"] for r in results) == 6
    assert all(m.status == "sent" and m.attempts == 2 for m in outbox(app))


# --- SMTP -----------------------------------------------------------------------------------------


def test_smtp_delivers_the_message_with_its_document_attached(make_app, fake_smtp):
    app = make_app("penalty", **fake_smtp.config)
    document_id = store_document(app)

    enqueue(app, document_id=document_id)

    [delivered] = fake_smtp.inbox
    [message] = outbox(app)
    email = delivered.message
    assert delivered.mail_from == app.config["MAIL_FROM"]
    assert delivered.rcpt_tos == [PARENT]
    assert (email["From"], email["To"], email["Subject"]) == (app.config["MAIL_FROM"], PARENT, SUBJECT)
    assert email.get_body(("plain",)).get_content().rstrip("\n") == BODY
    [attachment] = list(email.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Penalty notice PN-2025-0007.pdf"
    assert attachment.get_content() == PDF
    assert message.status == "sent"
    assert message.provider_ref == email["Message-ID"]


def test_smtp_server_down_is_retried_later_and_not_lost(make_app, fake_smtp: FakeSmtp, traveller):
    app = make_app("penalty", **fake_smtp.config)
    fake_smtp.stop()

    enqueue(app)

    [message] = outbox(app)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("SMTP: ") and "refused" in message.last_error.lower()
    assert message.next_attempt_at == T0 + timedelta(minutes=1)

    fake_smtp.start()  # back on the same port
    assert deliver(app, T0 + timedelta(minutes=1)) == {"sent": 1, "retry": 0, "failed": 0}
    [delivered] = fake_smtp.inbox
    assert delivered.message["Subject"] == SUBJECT
    assert outbox(app)[0].status == "sent"


def test_notify_is_used_when_both_backends_are_configured(make_app, fake_notify: FakeNotify, fake_smtp):
    app = make_app("penalty", **fake_notify.config, **fake_smtp.config)

    enqueue(app)

    assert len(fake_notify.received) == 1
    assert fake_smtp.inbox == []


def test_a_bulk_change_sends_the_first_few_at_commit_and_leaves_the_rest_for_the_job(
    make_app, fake_notify, traveller, monkeypatch
):
    monkeypatch.setattr(notify, "INLINE_DELIVERIES", 3)
    app = make_app("penalty", **fake_notify.config)
    people = [f"parent{i}@example.org" for i in range(5)]
    rows = union_all(
        *(
            select(literal(to), literal(SUBJECT), literal(BODY), literal("penalty_notice"), literal(str(i)))
            for i, to in enumerate(people)
        )
    )

    with app.app_context(), db.transaction():
        assert notify.enqueue_rows(select(rows.subquery())) == 5
        assert fake_notify.requests == 0  # nothing leaves before the change is committed

    assert sorted(r.email_address for r in fake_notify.received) == people[:3]
    assert [(m.to_address, m.status, m.object_id) for m in outbox(app)] == [
        (to, "sent" if i < 3 else "pending", str(i)) for i, to in enumerate(people)
    ]

    traveller.move_to(T0 + timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["jobs", "run", "deliver-notifications"])

    assert result.exit_code == 0, result.output
    assert [m.status for m in outbox(app)] == ["sent"] * 5
    assert sorted(r.email_address for r in fake_notify.received) == people


def test_a_bulk_change_without_a_backend_stores_every_message(make_app):
    app = make_app("penalty")
    rows = select(literal(PARENT), literal(SUBJECT), literal(BODY), literal("penalty_notice"), literal("7"))

    with app.app_context(), db.transaction():
        assert notify.enqueue_rows(rows) == 1

    [message] = outbox(app)
    assert (message.status, message.subject, message.attempts, message.created_at) == (
        "stored",
        SUBJECT,
        0,
        message.next_attempt_at,
    )
