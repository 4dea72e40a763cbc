"""Data retention (SPEC §9): records past their retention period are deleted or anonymised by a job.

A :class:`Policy` names a record set (a model and the conditions that make a record finished with), the
date its age is measured from (a column or an SQL expression, NULL while the record is still open, so an
open record is never touched), how long it is kept (a setting, in years or days) and what happens then:
the rows are deleted, or their personal fields are replaced by fixed values and the rows kept for
statistics. Rows of other tables that go with a record (a request's parents, a licence's documents) are
handled with it (:class:`Related`).

Which dates are past retention on a given day is decided by :func:`cutoff`, from dates alone. The runner
turns the cutoff into set-based statements: it selects the ids due in batches (locked against concurrent
writers) and updates or deletes each batch with one statement per table. Each policy runs in one
transaction with one audit entry holding counts only, never personal data. A dry run counts what would
change and changes nothing. The audit log itself is never deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import DateTime, Select, String, and_, cast, delete, false, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from shared import audit, calendar, db
from shared.documents import Document
from shared.notify import FAILED, SENT, STORED, OutboxMessage
from shared.scheduler import Job
from shared.users import ApiToken, SignInAttempt

ANONYMISED = "[anonymised]"
# Put in place of a date of birth that cannot be left empty: no child or chaperone has it.
ANONYMISED_DATE = date(1900, 1, 1)
BATCH_SIZE = 500  # records selected, and updated or deleted, per statement
AUDIT_OBJECT_TYPE = "retention_policy"
ACTOR = "retention"


class Action(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


class Unit(StrEnum):
    YEARS = "years"
    DAYS = "days"


# --- which dates are past retention: dates in, verdict out ------------------------------------------------


def keep_until(measured_on: date, keep: int, unit: Unit) -> date:
    """The last day a record measured from ``measured_on`` is kept (29 February + 1 year: 28 February)."""
    if unit is Unit.YEARS:
        return calendar.add_months(measured_on, 12 * keep)
    return measured_on + timedelta(days=keep)


def is_past_retention(measured_on: date | None, today: date, keep: int, unit: Unit) -> bool:
    """Past retention from the day after its last kept day; a record with no date (still open) never is."""
    return measured_on is not None and keep_until(measured_on, keep, unit) < today


def cutoff(today: date, keep: int, unit: Unit) -> date:
    """The earliest measured date still kept on ``today``: a record is past retention exactly when its
    date is before this. Counting back a whole number of years is not the exact inverse of counting
    forward around 29 February, so the day found is checked against :func:`keep_until`."""
    if unit is Unit.YEARS:
        earliest = calendar.add_months(today, -12 * keep)
        return earliest if keep_until(earliest, keep, unit) >= today else earliest + timedelta(days=1)
    return today - timedelta(days=keep)


# --- policies --------------------------------------------------------------------------------------------


class RetentionSettingError(ValueError):
    """A retention setting that is not a whole number, or shorter than its policy allows."""


@dataclass(frozen=True)
class Period:
    """How long records are kept: the setting that holds the number, its unit, and the least it may be."""

    setting: str
    unit: Unit
    minimum: int = 1

    def length(self, config: Mapping[str, Any]) -> int:
        raw = config[self.setting]
        try:
            value = int(raw)
        except (TypeError, ValueError) as exc:
            raise RetentionSettingError(f"{self.setting} must be a whole number of {self.unit}") from exc
        if value < self.minimum:
            raise RetentionSettingError(f"{self.setting} must be at least {self.minimum} {self.unit}")
        return value

    def describe(self, config: Mapping[str, Any]) -> str:
        return f"{self.length(config)} {self.unit}"


@dataclass(frozen=True)
class Related:
    """Rows of another table that go with each record: ``rows(ids)`` selects them given a query of the
    records' ids; they are deleted, or anonymised with ``replacements`` (column name: value)."""

    model: type
    rows: Callable[[Select], ColumnElement[bool]]
    replacements: Mapping[str, Any] | None = None
    label: str = ""  # what the counts call them, when two go to the same table

    @property
    def name(self) -> str:
        return self.label or self.model.__tablename__


def documents_of(object_type: str) -> Related:
    """The stored documents (PDFs) of the records: they hold the same personal data, so they go too."""

    def rows(ids: Select) -> ColumnElement[bool]:
        record_ids = ids.subquery()
        return and_(
            Document.object_type == object_type,
            Document.object_id.in_(select(cast(record_ids.c.id, String)).select_from(record_ids)),
        )

    return Related(Document, rows)


@dataclass(frozen=True)
class Policy:
    """One record set, how long it is kept after the date it is measured from, and what happens then.

    ``measured_from`` is a date or timestamp expression on ``model``, NULL while a record is open;
    ``finished`` adds conditions (a status). An anonymising policy sets its ``marker`` column to
    :data:`ANONYMISED`, so rows already anonymised are not selected again."""

    name: str
    description: str
    model: type
    measured_from: ColumnElement[Any]
    keep: Period
    action: Action
    finished: tuple[ColumnElement[bool], ...] = ()
    replacements: Mapping[str, Any] = field(default_factory=dict)
    marker: str | None = None
    related: tuple[Related, ...] = ()

    def __post_init__(self) -> None:
        if self.action is Action.ANONYMISE and self.replacements.get(self.marker or "") != ANONYMISED:
            raise ValueError(f"policy {self.name}: its marker column must be replaced by {ANONYMISED!r}")
        if self.action is Action.DELETE and (self.replacements or self.marker):
            raise ValueError(f"policy {self.name}: a deleting policy replaces nothing")

    def due(self, before: date | datetime) -> ColumnElement[bool]:
        """Records past retention: finished, measured before ``before``, not yet anonymised."""
        conditions = [*self.finished, self.measured_from.is_not(None), self.measured_from < before]
        if self.marker:
            conditions.append(func.coalesce(getattr(self.model, self.marker), "") != ANONYMISED)
        return and_(*conditions)


@dataclass(frozen=True)
class Outcome:
    """What a policy did on a day (or, in a dry run, would do)."""

    policy: str
    action: Action
    kept_for: str
    cutoff: date  # records measured before this day were due
    records: int
    related: dict[str, int]
    oldest: date | None  # the oldest measured date among the records due
    dry_run: bool


Progress = Callable[[Policy, int, int], None]  # (policy, records done, records due)


# --- the runner ------------------------------------------------------------------------------------------


def _measured_is_timestamp(policy: Policy) -> bool:
    return isinstance(getattr(policy.measured_from.type, "impl", policy.measured_from.type), DateTime)


def _bound(policy: Policy, day: date, zone: ZoneInfo) -> date | datetime:
    """The cutoff day as the column compares it: a timestamp is measured by its local day."""
    return datetime.combine(day, time(), tzinfo=zone) if _measured_is_timestamp(policy) else day


def _as_date(value: Any, zone: ZoneInfo) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(zone).date()
    if isinstance(value, str):  # SQLite gives an expression over dates back as text
        return date.fromisoformat(value[:10])
    return value


def _apply(model: type, where: ColumnElement[bool], replacements: Mapping[str, Any] | None) -> int:
    statement = delete(model) if replacements is None else update(model).values(dict(replacements))
    result = db.session().execute(statement.where(where).execution_options(synchronize_session=False))
    return result.rowcount


def _take_write_lock(model: type) -> None:
    """SQLite has no row locks: take the database's write lock before choosing rows, so no writer
    changes them between the choice and the change (PostgreSQL locks the chosen rows instead)."""
    if not db.is_postgresql():
        db.session().execute(update(model).where(false()).values(id=model.id))


def run_policy(
    policy: Policy,
    today: date,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> Outcome:
    config = current_app.config
    zone = ZoneInfo(config["TIMEZONE"])
    keep = policy.keep.length(config)
    limit = cutoff(today, keep, policy.keep.unit)
    due = policy.due(_bound(policy, limit, zone))
    session = db.session()
    model = policy.model
    total, oldest = session.execute(
        select(func.count(), func.min(policy.measured_from)).select_from(model).where(due)
    ).one()
    related: Counter[str] = Counter({r.name: 0 for r in policy.related})
    records = 0
    if dry_run:
        records = total
        if total:
            due_ids = select(model.id).where(due)
            for r in policy.related:
                related[r.name] = session.scalar(
                    select(func.count()).select_from(r.model).where(r.rows(due_ids))
                )
    elif total:
        with db.transaction():
            _take_write_lock(model)
            last_id = 0
            while True:
                query = select(model.id).where(due, model.id > last_id).order_by(model.id).limit(batch_size)
                if db.is_postgresql():
                    query = query.with_for_update(of=model)
                ids = session.scalars(query).all()
                if not ids:
                    break
                last_id = ids[-1]
                batch = select(model.id).where(model.id.in_(ids))
                # Related rows first: a deleted record may be what they refer to.
                for r in policy.related:
                    related[r.name] += _apply(r.model, r.rows(batch), r.replacements)
                replacements = policy.replacements if policy.action is Action.ANONYMISE else None
                records += _apply(model, model.id.in_(ids), replacements)
                if progress:
                    progress(policy, records, total)
            if records:
                audit.record(
                    f"retention.{'deleted' if policy.action is Action.DELETE else 'anonymised'}",
                    AUDIT_OBJECT_TYPE,
                    policy.name,
                    after={
                        "records": records,
                        "related": dict(related),
                        "kept_for": policy.keep.describe(config),
                        "setting": policy.keep.setting,
                        "measured_before": limit,
                    },
                    actor=ACTOR,
                )
    if progress:
        progress(policy, records, total)
    return Outcome(
        policy=policy.name,
        action=policy.action,
        kept_for=f"{keep} {policy.keep.unit}",
        cutoff=limit,
        records=records,
        related=dict(related),
        oldest=_as_date(oldest, zone),
        dry_run=dry_run,
    )


def run(
    policies: Iterable[Policy],
    today: date,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[Outcome]:
    """Apply each policy in turn (each its own transaction); a dry run changes nothing and audits nothing."""
    return [run_policy(p, today, dry_run=dry_run, progress=progress, batch_size=batch_size) for p in policies]


def policies_of(app: Flask) -> Sequence[Policy]:
    return app.extensions["retention_policies"]


def run_registered(today: date) -> dict[str, int]:
    """The ``retention`` job: every policy of the service, with the records each changed as counts."""
    outcomes = run(policies_of(current_app), today)
    return {o.policy: o.records for o in outcomes}


JOB = Job(
    "retention",
    run_registered,
    trigger="cron",
    schedule={"hour": 1, "minute": 30},
    description="Delete or anonymise records past their retention period (RETENTION_* settings)",
)


# --- policies both services hold -------------------------------------------------------------------------

SHARED_POLICIES = (
    Policy(
        "outbox_messages",
        "Emails sent, given up on or kept in the outbox: deleted after RETENTION_OUTBOX_DAYS",
        OutboxMessage,
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at),
        Period("RETENTION_OUTBOX_DAYS", Unit.DAYS),
        Action.DELETE,
        finished=(OutboxMessage.status.in_((SENT, FAILED, STORED)),),
    ),
    Policy(
        "sign_in_attempts",
        "Failed sign-ins: deleted after RETENTION_SIGN_IN_ATTEMPT_DAYS",
        SignInAttempt,
        SignInAttempt.at,
        Period("RETENTION_SIGN_IN_ATTEMPT_DAYS", Unit.DAYS),
        Action.DELETE,
    ),
    Policy(
        "api_tokens",
        "API tokens: deleted RETENTION_API_TOKEN_DAYS after they expired",
        ApiToken,
        ApiToken.expires_at,
        Period("RETENTION_API_TOKEN_DAYS", Unit.DAYS),
        Action.DELETE,
    ),
)
