"""The penalty service's scheduled jobs (run by ``flask --app penalty_service scheduler run``).

Each takes the day it runs for (``flask --app penalty_service jobs run NAME --today YYYY-MM-DD``) and is
idempotent: running it twice on the same day changes nothing the second time.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from penalty_service.models import PenaltyNotice, PenaltyRequest
from penalty_service.services import documents, payments
from shared import calendar, db, notify, retention
from shared.notify import OutboxMessage
from shared.scheduler import Job
from shared.users import Role, User

ALERT_WORKING_DAYS = 2  # requests due for decision within this many working days (or overdue)
LAY_BY_ALERT_DAYS = 30  # unpaid notices whose last day to lay an information is this close
ALERT_LINES = 50  # items listed per section in one email
ALERT_OBJECT_TYPE = "deadline_alerts"


def _listed(lines: list[str]) -> list[str]:
    extra = len(lines) - ALERT_LINES
    return lines[:ALERT_LINES] + ([f"- and {extra} more"] if extra > 0 else [])


def deadline_alert_body(today: date) -> tuple[str, int, int] | None:
    """The day's alert (body, requests, notices), or None when nothing is due."""
    session = db.session()
    horizon = calendar.add_working_days(today, ALERT_WORKING_DAYS)
    requests = session.execute(
        select(
            PenaltyRequest.reference,
            PenaltyRequest.issue_due_on,
            PenaltyRequest.pupil_first_name,
            PenaltyRequest.pupil_last_name,
        )
        .where(PenaltyRequest.status == "received", PenaltyRequest.issue_due_on <= horizon)
        .order_by(PenaltyRequest.issue_due_on, PenaltyRequest.id)
    ).all()
    notices = session.execute(
        select(PenaltyNotice.notice_number, PenaltyNotice.lay_by, PenaltyNotice.parent_name)
        .where(
            PenaltyNotice.status == "unpaid",
            PenaltyNotice.lay_by.is_not(None),
            PenaltyNotice.lay_by >= today,
            PenaltyNotice.lay_by <= today + timedelta(days=LAY_BY_ALERT_DAYS),
        )
        .order_by(PenaltyNotice.lay_by, PenaltyNotice.id)
    ).all()
    if not requests and not notices:
        return None
    lines = [f"Penalty notice deadlines on {today.isoformat()}.", ""]
    if requests:
        lines.append(f"Requests to decide by {horizon.isoformat()} or overdue ({len(requests)}):")
        lines += _listed(
            [
                f"- {r.reference} ({r.pupil_first_name} {r.pupil_last_name}): "
                f"due {r.issue_due_on.isoformat()}" + (" - OVERDUE" if r.issue_due_on < today else "")
                for r in requests
            ]
        )
        lines.append("")
    if notices:
        lines.append(
            f"Unpaid notices: an information must be laid within {LAY_BY_ALERT_DAYS} days ({len(notices)}):"
        )
        lines += _listed(
            [
                f"- {n.notice_number} ({n.parent_name}): lay by {n.lay_by.isoformat()}, "
                f"{(n.lay_by - today).days} days left"
                for n in notices
            ]
        )
    return "\n".join(lines).rstrip() + "\n", len(requests), len(notices)


def deadline_alerts(today: date) -> dict[str, int]:
    """Email each officer once a day the requests due for decision and the unpaid notices near ``lay_by``.

    A message already in the outbox for that officer and day (object ``deadline_alerts``,
    ``<day>:<user id>``) is not sent again.
    """
    alert = deadline_alert_body(today)
    counts = {"emails": 0, "already_sent": 0, "requests": 0, "notices": 0}
    if alert is None:
        return counts
    body, counts["requests"], counts["notices"] = alert
    session = db.session()
    with db.transaction():
        officers = session.execute(
            select(User.id, User.email).where(User.role == Role.OFFICER.value, User.active.is_(True))
        ).all()
        sent = set(
            session.scalars(
                select(OutboxMessage.object_id).where(
                    OutboxMessage.object_type == ALERT_OBJECT_TYPE,
                    OutboxMessage.object_id.like(f"{today.isoformat()}:%"),
                )
            )
        )
        for officer in officers:
            key = f"{today.isoformat()}:{officer.id}"
            if key in sent:
                counts["already_sent"] += 1
                continue
            notify.enqueue(
                officer.email,
                f"Penalty notices: {counts['requests']} requests and {counts['notices']} notices need action",
                body,
                object_type=ALERT_OBJECT_TYPE,
                object_id=key,
            )
            counts["emails"] += 1
    return counts


PAYMENT_MONITORING_JOB = Job(
    "payment-monitoring",
    payments.monitor,
    trigger="cron",
    schedule={"hour": 2, "minute": 30},
    description="Notices past their final payment day and not paid become unpaid; refunds are flagged",
)
DEADLINE_ALERTS_JOB = Job(
    "deadline-alerts",
    deadline_alerts,
    trigger="cron",
    schedule={"hour": 7, "minute": 0},
    description="Email officers the requests due for decision and unpaid notices near their lay-by date",
)

JOBS = [notify.DELIVERY_JOB, documents.RENDER_JOB, PAYMENT_MONITORING_JOB, DEADLINE_ALERTS_JOB, retention.JOB]
