"""Notifications: an outbox written in the same transaction as the change, delivered after commit.

Delivery goes through GOV.UK Notify when ``NOTIFY_API_KEY`` is set, SMTP when ``SMTP_HOST`` is set,
and otherwise the message stays in the outbox (status ``stored``) for officers to read. A failed
delivery is retried with exponential backoff by the ``deliver-notifications`` job; after
``NOTIFY_MAX_ATTEMPTS`` it is marked ``failed`` and stays visible. Nothing is dropped.
"""

from __future__ import annotations

import io
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from flask import current_app
from sqlalchemy import ForeignKey, Index, Select, String, Text, insert, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from shared import db
from shared.db import Base, UTCDateTime, utcnow
from shared.scheduler import Job

PENDING, STORED, SENT, FAILED = "pending", "stored", "sent", "failed"
MAX_BACKOFF = timedelta(hours=6)


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[str] = mapped_column(String(60), default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    provider_ref: Mapped[str | None] = mapped_column(String(100))


class DeliveryError(Exception):
    pass


class Backend(Protocol):
    def send(self, message: OutboxMessage, attachment: tuple[str, bytes] | None) -> str: ...


class NotifyBackend:
    """GOV.UK Notify, through one email template: subject ``((subject))``, body ``((body))`` then
    ``((link_to_file))``.

    Notify fills only placeholders the template has, and refuses a message that leaves one empty, so
    ``link_to_file`` is always sent: the document's upload, or an empty string when there is none.
    """

    def __init__(self, api_key: str, base_url: str, template_id: str):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, base_url=base_url)
        self.template_id = template_id

    def send(self, message: OutboxMessage, attachment: tuple[str, bytes] | None) -> str:
        from notifications_python_client import prepare_upload
        from notifications_python_client.errors import APIError

        personalisation: dict[str, object] = {
            "subject": message.subject,
            "body": message.body,
            "link_to_file": "",
        }
        if attachment is not None:
            filename, content = attachment
            try:
                personalisation["link_to_file"] = prepare_upload(io.BytesIO(content), filename=filename)
            except ValueError as exc:  # larger than Notify's 2 MB limit
                raise DeliveryError(f"Notify: {exc}") from exc
        try:
            response = self.client.send_email_notification(
                email_address=message.to_address,
                template_id=self.template_id,
                personalisation=personalisation,
                reference=f"outbox-{message.id}",
            )
        except (APIError, OSError) as exc:
            raise DeliveryError(f"Notify: {exc}"[:500]) from exc  # APIError's str is "status - message"
        return str(response.get("id", ""))


class SmtpBackend:
    def __init__(self, config):
        self.config = config

    def send(self, message: OutboxMessage, attachment: tuple[str, bytes] | None) -> str:
        email = EmailMessage()
        email["From"] = self.config["MAIL_FROM"]
        email["To"] = message.to_address
        email["Subject"] = message.subject
        email["Message-ID"] = f"<outbox-{message.id}@{self.config['SERVICE_NAME']}.family-service>"
        email.set_content(message.body)
        if attachment is not None:
            email.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
        try:
            with smtplib.SMTP(self.config["SMTP_HOST"], self.config["SMTP_PORT"], timeout=20) as smtp:
                if self.config["SMTP_STARTTLS"]:
                    smtp.starttls()
                if self.config["SMTP_USERNAME"]:
                    smtp.login(self.config["SMTP_USERNAME"], self.config["SMTP_PASSWORD"])
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {exc}"[:500]) from exc
        return email["Message-ID"]


def backend() -> Backend | None:
    config = current_app.config
    if config["NOTIFY_API_KEY"]:
        return NotifyBackend(
            config["NOTIFY_API_KEY"], config["NOTIFY_BASE_URL"], config["NOTIFY_EMAIL_TEMPLATE_ID"]
        )
    if config["SMTP_HOST"]:
        return SmtpBackend(config)
    return None


def enqueue(
    to_address: str,
    subject: str,
    body: str,
    *,
    object_type: str = "",
    object_id: object = "",
    document_id: int | None = None,
) -> OutboxMessage:
    """Record an email in the current transaction; it is sent once the transaction commits."""
    has_backend = bool(current_app.config["NOTIFY_API_KEY"] or current_app.config["SMTP_HOST"])
    message = OutboxMessage(
        to_address=to_address,
        subject=subject[:300],
        body=body,
        object_type=object_type,
        object_id=str(object_id),
        document_id=document_id,
        status=PENDING if has_backend else STORED,
    )
    session = db.session()
    session.add(message)
    if has_backend:
        session.flush()
        message_id = message.id
        db.after_commit(lambda: deliver_pending(only_ids=[message_id]))
    return message


INLINE_DELIVERIES = 50  # a bulk change sends this many at once; the job sends the rest within minutes


def enqueue_rows(rows: Select) -> int:
    """Record one email per row of ``rows`` (to_address, subject, body, object_type, object_id) with one
    INSERT … SELECT, in the current transaction; how many were recorded.

    For changes that tell thousands of people at once. The first few are sent once the transaction
    commits, as :func:`enqueue` does; the rest wait (``pending``) for the ``deliver-notifications`` job,
    so the request that made the change never waits on thousands of sends."""
    has_backend = bool(current_app.config["NOTIFY_API_KEY"] or current_app.config["SMTP_HOST"])
    table = OutboxMessage.__table__
    now = utcnow()
    status, now_at = literal(PENDING if has_backend else STORED), literal(now, UTCDateTime())
    source = rows.add_columns(status, now_at, now_at, literal(0))
    columns = ["to_address", "subject", "body", "object_type", "object_id"]
    columns += ["status", "created_at", "next_attempt_at", "attempts"]
    ids = db.session().scalars(insert(table).from_select(columns, source).returning(table.c.id)).all()
    if has_backend and ids:
        first = sorted(ids)[:INLINE_DELIVERIES]
        db.after_commit(lambda: deliver_pending(only_ids=first, limit=len(first)))
    return len(ids)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _attachment(message: OutboxMessage) -> tuple[str, bytes] | None:
    if message.document_id is None:
        return None
    from shared.documents import Document

    document = db.session().get(Document, message.document_id)
    return (document.filename, document.content) if document else None


def deliver_pending(
    limit: int = 200, only_ids: list[int] | None = None, now: datetime | None = None
) -> dict[str, int]:
    """Send due messages one transaction each (row-locked on PostgreSQL, so two workers never both send)."""
    sender = backend()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if sender is None:
        return counts
    session = db.session()
    max_attempts = current_app.config["NOTIFY_MAX_ATTEMPTS"]
    for _ in range(limit):
        now_at = now or utcnow()
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now_at)
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            # The session keeps objects across commits (expire_on_commit=False): take the locked row as
            # the database has it now, not a copy loaded earlier that another worker has since changed.
            .execution_options(populate_existing=True)
        )
        if only_ids is not None:
            query = query.where(OutboxMessage.id.in_(only_ids))
        message = session.scalar(query)
        if message is None:
            break
        try:
            message.provider_ref = sender.send(message, _attachment(message))
        except Exception as exc:
            # Any failure counts as an attempt: a message that raised something unexpected would
            # otherwise stay due forever and, sent in id order, hold back every message after it.
            if not isinstance(exc, DeliveryError):
                current_app.logger.exception("unexpected error delivering outbox message %s", message.id)
            message.attempts += 1
            message.last_error = str(exc)[:500] or type(exc).__name__
            if message.attempts >= max_attempts:
                message.status = FAILED
                counts["failed"] += 1
            else:
                message.next_attempt_at = now_at + backoff(message.attempts)
                counts["retry"] += 1
            current_app.logger.warning(
                "delivery of outbox message %s failed: attempt %s", message.id, message.attempts
            )
        else:
            message.attempts += 1
            message.status, message.sent_at, message.last_error = SENT, now_at, None
            counts["sent"] += 1
        session.commit()
    return counts


DELIVERY_JOB = Job(
    "deliver-notifications",
    lambda _today: deliver_pending(),
    trigger="interval",
    schedule={"minutes": 1},
    description="Send emails waiting in the outbox, retrying failures with backoff",
    daily=False,
)
