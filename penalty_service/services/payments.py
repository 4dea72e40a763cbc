"""Payments: money recorded once per reference, applied to its notice, refunds flagged, suspense matched.

Every change to a notice's payment position goes through :func:`reassess`, which locks the notices (in id
order, so two writers never deadlock), reads every payment applied to them and asks
:func:`rules.notices.payment_position` where each stands today. Its verdict is the source of truth:

- the notice's ``status`` (``issued`` / ``paid`` / ``unpaid``; ``withdrawn`` and ``prosecution`` are left
  alone), ``paid_on`` (the day it was discharged) and ``refund_due_pence`` (money to give back);
- each payment's ``status``: ``applied`` while it counts towards the penalty (or is a part payment held
  while the notice can still be paid), ``refund_due`` when all of it is to be given back — it arrived
  after the notice was discharged or after the final day, the notice was never discharged, or the notice
  was withdrawn. Money above the amount due in the payment that discharged the notice stays in that
  payment (``applied``) and is counted in the notice's ``refund_due_pence``.

Payments whose notice number matches no payable notice wait in ``suspense`` for an officer to match.
A bank file (:func:`import_csv`) is validated whole before anything is written, and written in one
transaction: existing references and notice numbers are loaded in bulk, payments inserted in bulk
(a reference already held is skipped, also when another import is inserting it at the same moment), and
each touched notice is reassessed once.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, cast, exists, func, insert, literal, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from penalty_service.models import Payment, PenaltyNotice, School
from penalty_service.rules import notices as notice_rules
from penalty_service.services import notices
from shared import audit, auth, bulk, calendar, db, notify, problems
from shared.audit import AuditEvent
from shared.db import UTCDateTime, utcnow
from shared.users import User

APPLIED, SUSPENSE, REFUND_DUE = "applied", "suspense", "refund_due"
STATUSES = (APPLIED, SUSPENSE, REFUND_DUE)
MAX_AMOUNT_PENCE = 10_000_000
MAX_IMPORT_ROWS = 200_000
MAX_IMPORT_BYTES = 40 * 1024 * 1024  # 200,000 rows of up to about 200 characters
REPORTED_ROW_ERRORS = 20
INSERT_CHUNK = 2000  # rows per INSERT on SQLite
# Statuses the payment position sets; withdrawn and prosecution notices keep theirs.
POSITION_STATUSES = frozenset({"issued", "paid", "unpaid"})
# Legacy notices came from the previous system and cannot be paid here: money quoting one waits in suspense.
PAYABLE_SOURCES = ("council", "school")

Progress = Callable[[str, int, int], None]  # (phase, done, total)


def normalise_number(value: str) -> str:
    """Notice numbers are matched without surrounding or inner spaces and in upper case."""
    return "".join(value.split()).upper()


def chunks(values: Sequence, size: int | None = None) -> Iterator[Sequence]:
    """Slices of ``values`` for one :func:`bulk.any_of` condition each (or of ``size``)."""
    return bulk.chunks(values, size or bulk.in_chunk())


# --- the payment position of notices ---------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    status: str
    paid_on: date | None
    refund_due_pence: int
    payment_status: dict[int, str]


def _rule_payments(payments: Iterable[Any]) -> list[notice_rules.Payment]:
    return [notice_rules.Payment(p.paid_on, p.amount_pence, p.reference) for p in payments]


def assess(notice: Any, payments: Sequence[Any], today: date) -> Assessment:
    """Where a notice and each of its payments stand on ``today`` (pure: no database).

    ``notice`` has ``status``, ``paid_on``, ``served_on``, ``amount_lower_pence``, ``amount_full_pence``;
    each payment ``id``, ``reference``, ``paid_on``, ``amount_pence``.
    """
    total = sum(p.amount_pence for p in payments)
    if notice.status == "withdrawn" or notice.served_on is None or notice.amount_full_pence is None:
        # Withdrawn (or never payable here): every penny paid goes back.
        return Assessment(notice.status, notice.paid_on, total, {p.id: REFUND_DUE for p in payments})
    lower, full, served = notice.amount_lower_pence, notice.amount_full_pence, notice.served_on
    position = notice_rules.payment_position(_rule_payments(payments), lower, full, served, today)
    ordered = sorted(payments, key=lambda p: (p.paid_on, p.reference, p.amount_pence))
    if position.discharged_on is not None:
        # The payments that discharged it are the shortest run (in the rules' order) that discharges it.
        kept = len(ordered)
        for count in range(1, len(ordered) if len(ordered) > 1 else 0):
            prefix = _rule_payments(ordered[:count])
            if notice_rules.payment_position(
                prefix, lower, full, served, position.discharged_on
            ).discharged_on:
                kept = count
                break
        flags = {p.id: APPLIED if i < kept else REFUND_DUE for i, p in enumerate(ordered)}
    elif position.status == "unpaid":
        flags = {p.id: REFUND_DUE for p in ordered}
    else:
        flags = {p.id: APPLIED for p in ordered}
    if notice.status in POSITION_STATUSES:
        status = position.status
        paid_on = position.discharged_on
    else:
        status, paid_on = notice.status, notice.paid_on
    return Assessment(status, paid_on, position.refund_due_pence, flags)


NOTICE_COLUMNS = (
    PenaltyNotice.id,
    PenaltyNotice.notice_number,
    PenaltyNotice.status,
    PenaltyNotice.paid_on,
    PenaltyNotice.served_on,
    PenaltyNotice.amount_lower_pence,
    PenaltyNotice.amount_full_pence,
    PenaltyNotice.refund_due_pence,
)
PAYMENT_COLUMNS = (
    Payment.id,
    Payment.notice_id,
    Payment.reference,
    Payment.paid_on,
    Payment.amount_pence,
    Payment.status,
)


@dataclass
class Reassessed:
    notices_changed: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (status before, after)
    payment_status: dict[int, str] = field(default_factory=dict)  # every payment looked at
    payments_flagged: int = 0  # payments newly flagged refund_due

    def became(self, status: str) -> int:
        return sum(1 for _before, after in self.notices_changed.values() if after == status)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


AUDIT_COLUMNS = ("at", "actor_id", "actor", "action", "object_type", "object_id", "before", "after")


def audit_rows(
    action: str,
    object_type: str,
    entries: Iterable[tuple[object, dict[str, Any] | None, dict[str, Any] | None]],
    actor: str | None = None,
) -> list[tuple[Any, ...]]:
    """Audit events for :func:`insert_audit`: the same fields :func:`shared.audit.record` writes.

    ``before`` and ``after`` must be JSON-ready already (dates as ISO strings, see :func:`iso`).
    """
    actor_id, label = audit.current_actor()
    at = utcnow()
    return [
        (at, actor_id, actor or label, action, object_type, str(object_id), before, after)
        for object_id, before, after in entries
    ]


def insert_audit(rows: list[tuple[Any, ...]]) -> None:
    """Append audit events in bulk (never one ORM round-trip per event)."""
    bulk.insert_rows(AuditEvent.__table__, AUDIT_COLUMNS, rows)


_NOTICES, _PAYMENTS = PenaltyNotice.__table__, Payment.__table__


def _update_notices(changes: list[tuple[str, date | None, int, int]]) -> None:
    """(status, paid_on, refund_due_pence, id) for each notice changed."""
    bulk.update_rows(_NOTICES, "id", ("status", "paid_on", "refund_due_pence"), changes)


def _update_payments(changes: dict[str, list[int]]) -> None:
    """One UPDATE … WHERE id IN (…) per new status."""
    session = db.session()
    for status, ids in changes.items():
        for part in chunks(sorted(ids)):
            session.execute(update(_PAYMENTS).where(bulk.any_of(_PAYMENTS.c.id, part)).values(status=status))


def reassess(
    notice_ids: Iterable[int],
    today: date,
    *,
    actor: str | None = None,
    audit_notices: bool = True,
    unaudited_payments: Collection[int] = frozenset(),
) -> Reassessed:
    """Recompute the payment position of each notice once, in the current transaction.

    The notices are locked (``SELECT … FOR NO KEY UPDATE``, in id order) before their payments are read, so
    a payment recorded at the same moment is either seen here or waits and recomputes after this commits.
    Changed notices and payments are written with executemany UPDATEs; every change is audited (a caller
    that audits the notice itself passes ``audit_notices=False``; an import, which audits each new payment
    with its final status, passes their ids as ``unaudited_payments``).
    """
    session = db.session()
    result = Reassessed()
    notice_updates: list[tuple[str, date | None, int, int]] = []
    payment_updates: dict[str, list[int]] = defaultdict(list)
    notice_audit: list[tuple[object, dict[str, Any], dict[str, Any]]] = []
    payment_audit: list[tuple[object, dict[str, Any], dict[str, Any]]] = []
    for part in chunks(sorted(set(notice_ids))):
        locked = session.execute(
            select(*NOTICE_COLUMNS)
            .where(bulk.any_of(PenaltyNotice.id, part))
            .order_by(PenaltyNotice.id)
            # FOR NO KEY UPDATE: inserting a payment takes a KEY SHARE lock on its notice (the foreign key),
            # which FOR UPDATE would wait on, so two payments to one notice at once would deadlock.
            .with_for_update(key_share=True)
        ).all()
        by_notice: dict[int, list[Any]] = defaultdict(list)
        for payment in session.execute(select(*PAYMENT_COLUMNS).where(bulk.any_of(Payment.notice_id, part))):
            by_notice[payment.notice_id].append(payment)
        for notice in locked:
            held = by_notice.get(notice.id, [])
            verdict = assess(notice, held, today)
            before = {
                "status": notice.status,
                "paid_on": iso(notice.paid_on),
                "refund_due_pence": notice.refund_due_pence,
            }
            after = {
                "status": verdict.status,
                "paid_on": iso(verdict.paid_on),
                "refund_due_pence": verdict.refund_due_pence,
            }
            if before != after:
                notice_updates.append((verdict.status, verdict.paid_on, verdict.refund_due_pence, notice.id))
                if audit_notices:
                    notice_audit.append((notice.id, before, {"notice_number": notice.notice_number, **after}))
                if notice.status != verdict.status:
                    result.notices_changed[notice.id] = (notice.status, verdict.status)
            for payment in held:
                new = verdict.payment_status[payment.id]
                result.payment_status[payment.id] = new
                if new != payment.status:
                    payment_updates[new].append(payment.id)
                    result.payments_flagged += new == REFUND_DUE
                    if payment.id in unaudited_payments:
                        continue
                    payment_audit.append(
                        (
                            payment.id,
                            {"status": payment.status},
                            {
                                "status": new,
                                "reference": payment.reference,
                                "notice_number": notice.notice_number,
                            },
                        )
                    )
    _update_notices(notice_updates)
    _update_payments(payment_updates)
    insert_audit(
        audit_rows("penalty_notice.payment_position", "penalty_notice", notice_audit, actor)
        + audit_rows("payment.status_changed", "payment", payment_audit, actor)
    )
    _tell_schools_paid([n for n, (_old, new) in result.notices_changed.items() if new == "paid"])
    return result


def _tell_schools_paid(notice_ids: list[int]) -> None:
    """The referring school hears when a notice it asked for is paid (SPEC 5.2: outcomes go to schools).

    One INSERT … SELECT a slice of notices: a bank file that pays a hundred thousand notices writes its
    emails without a row passing through Python."""
    for part in chunks(notice_ids):
        notify.enqueue_rows(
            select(
                School.email,
                literal("Penalty notice ") + PenaltyNotice.notice_number + literal(" paid"),
                literal("The penalty notice ")
                + PenaltyNotice.notice_number
                + literal(" about ")
                + PenaltyNotice.pupil_name
                + literal("'s attendance has been paid. No further action will be taken on it."),
                literal("penalty_notice"),
                cast(PenaltyNotice.id, String),
            )
            .join(School, School.id == PenaltyNotice.school_id)
            .where(bulk.any_of(PenaltyNotice.id, part), PenaltyNotice.source == "council", School.email != "")
        )


# --- one payment -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    created: bool


def by_reference(reference: str) -> Payment | None:
    return db.session().scalar(select(Payment).where(Payment.reference == reference))


def payable_notice_ids(numbers: Iterable[str]) -> dict[str, int]:
    """Notice id by (normalised) notice number, for the notices money can be paid to."""
    found: dict[str, int] = {}
    session = db.session()
    for part in chunks(sorted(set(numbers))):
        rows = session.execute(
            select(PenaltyNotice.notice_number, PenaltyNotice.id).where(
                bulk.any_of(PenaltyNotice.notice_number, part), PenaltyNotice.source.in_(PAYABLE_SOURCES)
            )
        )
        found.update({number: notice_id for number, notice_id in rows})
    return found


def payment_summary(payment: Payment | dict[str, Any], status: str | None = None) -> dict[str, Any]:
    """What the audit log keeps of a payment (JSON-ready)."""
    get = payment.get if isinstance(payment, dict) else lambda k: getattr(payment, k)
    return {
        "reference": get("reference"),
        "notice_number_given": get("notice_number_given"),
        "notice_id": get("notice_id"),
        "amount_pence": get("amount_pence"),
        "paid_on": iso(get("paid_on")),
        "method": get("method"),
        "status": status or get("status"),
    }


def _future(paid_on: date, today: date) -> str | None:
    return "The payment date cannot be in the future" if paid_on > today else None


def record(data: dict[str, Any], user: User | None, today: date | None = None) -> Recorded:
    """Record one payment; a reference already held returns that payment and changes nothing."""
    today = today or calendar.today()
    reference = data["reference"]
    existing = by_reference(reference)
    if existing is not None:
        return Recorded(existing, False)
    message = _future(data["paid_on"], today)
    if message:
        raise problems.invalid("paid_on", message)
    session = db.session()
    given = data["notice_number"]
    try:
        with db.transaction():
            # Insert first, lock the notice second (as an import does), so two writers never wait on
            # each other in opposite orders.
            notice_id = payable_notice_ids([normalise_number(given)]).get(normalise_number(given))
            payment = Payment(
                reference=reference,
                notice_id=notice_id,
                notice_number_given=given,
                amount_pence=data["amount_pence"],
                paid_on=data["paid_on"],
                method=data["method"],
                status=APPLIED if notice_id is not None else SUSPENSE,
                recorded_by=user.id if user else None,
            )
            session.add(payment)
            session.flush()  # a reference recorded meanwhile by someone else fails here
            audit.record("payment.recorded", "payment", payment.id, after=payment_summary(payment))
            if notice_id is not None:
                reassess([notice_id], today)
    except IntegrityError:
        existing = by_reference(reference)
        if existing is None:
            raise
        return Recorded(existing, False)
    session.refresh(payment)
    return Recorded(payment, True)


def get(payment_id: int) -> Payment:
    return auth.visible_or_404(db.session().get(Payment, payment_id))


def match(payment_id: int, notice_number: str, user: User | None, today: date | None = None) -> Payment:
    """Move a payment out of suspense onto the notice it was meant for (an officer's decision)."""
    today = today or calendar.today()
    session = db.session()
    with db.transaction():
        payment = auth.visible_or_404(
            session.scalar(
                select(Payment)
                .where(Payment.id == payment_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        )
        if payment.status != SUSPENSE or payment.notice_id is not None:
            raise problems.Problem(409, "This payment is not in suspense: it is already matched to a notice")
        notice_id = payable_notice_ids([normalise_number(notice_number)]).get(normalise_number(notice_number))
        if notice_id is None:
            raise problems.invalid("notice_number", "No notice that can be paid has this number")
        payment.notice_id, payment.status = notice_id, APPLIED
        session.flush()
        notice = session.get(PenaltyNotice, notice_id)
        audit.record(
            "payment.matched",
            "payment",
            payment.id,
            before={"status": SUSPENSE, "notice_number": None},
            after={"status": APPLIED, "notice_number": notice.notice_number if notice else None},
        )
        reassess([notice_id], today)
    session.refresh(payment)
    return payment


def notice_of(payment: Payment) -> PenaltyNotice | None:
    if payment.notice_id is None:
        return None
    return db.session().get(PenaltyNotice, payment.notice_id, populate_existing=True)


def presented(payment: Payment, duplicate: bool) -> Payment:
    """The payment as the API shows it: with its notice's number and that notice's position today."""
    notice = notice_of(payment)
    payment.duplicate = duplicate
    payment.notice_number = notice.notice_number if notice else payment.notice_number_given
    payment.notice = notices.detail(notice) if notice else None
    return payment


def with_notice_numbers(items: list[Payment]) -> list[Payment]:
    """A page of payments, each with the number of the notice it is applied to (one query)."""
    ids = {p.notice_id for p in items if p.notice_id is not None}
    rows = db.session().execute(
        select(PenaltyNotice.id, PenaltyNotice.notice_number).where(PenaltyNotice.id.in_(ids))
    )
    numbers = {notice_id: number for notice_id, number in rows}
    for p in items:
        p.notice_number = numbers.get(p.notice_id, p.notice_number_given)
    return items


def list_query(status: str | None = None):
    query = select(Payment)
    if status:
        query = query.where(Payment.status == status)
    return query.order_by(Payment.paid_on.desc(), Payment.id.desc())


# --- CSV files -------------------------------------------------------------------------------------------

NOT_UTF8 = "The file must be UTF-8 CSV"


class CsvRow(NamedTuple):
    line: int  # the row's number in the file; the header is row 1
    values: dict[str, str]


class RowErrors:
    """Errors by ``"row N.column"``; at most :data:`REPORTED_ROW_ERRORS` are listed, all are counted."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.rows: set[int] = set()

    def add(self, line: int, column: str, message: str) -> None:
        self.rows.add(line)
        key = f"row {line}.{column}"
        if key in self.errors or len(self.errors) < REPORTED_ROW_ERRORS:
            self.errors.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if not self.rows:
            return
        count = len(self.rows)
        noun = "row has an error" if count == 1 else "rows have errors"
        listed = " (the first 20 are listed)" if len(self.errors) >= REPORTED_ROW_ERRORS else ""
        raise problems.Problem(
            422,
            f"{count} {noun}, so nothing was imported{listed}",
            errors=self.errors,
            extra={"error_rows": count},
        )


def read_csv(
    content: bytes,
    required: Sequence[str],
    *,
    one_of: Sequence[Sequence[str]] = (),
    max_rows: int | None = None,
) -> list[CsvRow]:
    """The data rows of a UTF-8 CSV file with a header row, or a 422 saying what is wrong with the file.

    Header names are matched without case or surrounding spaces; unknown columns are ignored; blank
    rows are skipped. ``one_of`` lists groups of columns of which at least one must be present.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise problems.Problem(422, NOT_UTF8, errors={"file": [NOT_UTF8]}) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    max_rows = MAX_IMPORT_ROWS if max_rows is None else max_rows
    rows: list[CsvRow] = []
    try:
        header: list[str] | None = None
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                missing = [c for c in required if c not in header] + [
                    " or ".join(group) for group in one_of if not any(c in header for c in group)
                ]
                if missing:
                    message = f"The file is missing columns: {', '.join(missing)}"
                    raise problems.Problem(
                        422, message, errors={"file": [message]}, extra={"missing": missing}
                    )
                continue
            if len(rows) >= max_rows:
                message = f"The file has more than {max_rows:,} rows: split it into smaller files"
                raise problems.Problem(422, message, errors={"file": [message]})
            values = {
                name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header) if name
            }
            rows.append(CsvRow(reader.line_num, values))
    except csv.Error as exc:
        message = f"The file is not valid CSV (row {reader.line_num}): {exc}"
        raise problems.Problem(422, message, errors={"file": [message]}) from exc
    if header is None:
        message = "The file is empty: it needs a header row"
        raise problems.Problem(422, message, errors={"file": [message]})
    return rows


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PENCE = re.compile(r"\d{1,9}")
POUNDS = re.compile(r"(\d{1,7})(?:\.(\d{1,2}))?")


def text_cell(errors: RowErrors, row: CsvRow, column: str, max_length: int, required: bool = True) -> str:
    value = row.values.get(column, "")
    if "\x00" in value:
        errors.add(row.line, column, "Must not contain a NUL character")
    elif required and not value:
        errors.add(row.line, column, "Missing")
    elif len(value) > max_length:
        errors.add(row.line, column, f"Must be {max_length} characters or fewer")
    return value


@functools.lru_cache(maxsize=4096)
def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        return None


def date_cell(errors: RowErrors, row: CsvRow, column: str, today: date) -> date | None:
    value = row.values.get(column, "")
    day = _iso_date(value)
    if day is None:
        errors.add(row.line, column, "Enter a date as YYYY-MM-DD" if value else "Missing")
        return None
    if day > today:
        errors.add(row.line, column, "The date cannot be in the future")
        return None
    return day


def _amount_cell(errors: RowErrors, row: CsvRow) -> int | None:
    if "amount_pence" in row.values:
        column, value = "amount_pence", row.values["amount_pence"]
        pence = int(value) if PENCE.fullmatch(value) else None
        if pence is None:
            errors.add(row.line, column, "Enter a whole number of pence, like 8000" if value else "Missing")
            return None
    else:
        column, value = "amount", row.values.get("amount", "")
        found = POUNDS.fullmatch(value.removeprefix("£").replace(",", ""))
        if found is None:
            errors.add(row.line, column, "Enter an amount in pounds, like 80.00" if value else "Missing")
            return None
        pence = int(found.group(1)) * 100 + int((found.group(2) or "0").ljust(2, "0"))
    if not 1 <= pence <= MAX_AMOUNT_PENCE:
        errors.add(row.line, column, f"Must be between 1p and £{MAX_AMOUNT_PENCE // 100:,}")
        return None
    return pence


class BankRow(NamedTuple):
    line: int
    number: str  # normalised, for matching
    given: str
    amount_pence: int
    paid_on: date
    reference: str
    method: str


def bank_rows(content: bytes, today: date) -> list[BankRow]:
    """Every row of a bank file, validated; any error in any row is a 422 and nothing is imported."""
    rows = read_csv(
        content, ("notice_number", "paid_on", "reference", "method"), one_of=(("amount_pence", "amount"),)
    )
    errors = RowErrors()
    result = []
    for row in rows:
        given = text_cell(errors, row, "notice_number", 40)
        amount = _amount_cell(errors, row)
        paid_on = date_cell(errors, row, "paid_on", today)
        reference = text_cell(errors, row, "reference", 80)
        method = text_cell(errors, row, "method", 30)
        if amount is not None and paid_on is not None and row.line not in errors.rows:
            result.append(
                BankRow(row.line, normalise_number(given), given, amount, paid_on, reference, method)
            )
    errors.raise_if_any()
    return result


@dataclass
class ImportResult:
    rows: int = 0
    matched: int = 0
    unmatched: int = 0
    duplicates: int = 0
    refund_due: int = 0
    notices_paid: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "duplicates": self.duplicates,
            "refund_due": self.refund_due,
            "notices_paid": self.notices_paid,
        }


IMPORT_RETURNING = ("id", "notice_id", "reference")


def _insert_new(values: list[dict[str, Any]], progress: Progress) -> list[Any]:
    """Insert the payments (a reference another writer holds is skipped): (id, notice_id, reference) each."""
    inserted: list[Any] = []
    if db.is_postgresql():
        columns = list(values[0]) if values else []
        rows = [tuple(v.values()) for v in values]
        for part in chunks(rows, bulk.ARRAY_CHUNK):
            inserted.extend(bulk.insert_new_rows(_PAYMENTS, columns, part, "reference", IMPORT_RETURNING))
            progress("inserted", len(inserted), len(values))
        return inserted
    # SQLite: INSERT … ON CONFLICT (reference) DO NOTHING RETURNING, a slice of rows at a time.
    statement = (
        sqlite.insert(_PAYMENTS)
        .on_conflict_do_nothing(index_elements=["reference"])
        .returning(*(_PAYMENTS.c[name] for name in IMPORT_RETURNING))
    )
    for part in chunks(values, INSERT_CHUNK):
        inserted.extend(db.session().execute(statement, list(part)).all())
        progress("inserted", len(inserted), len(values))
    return inserted


def _audit_imported(payment_ids: list[int], actor: str | None) -> None:
    """One ``payment.recorded`` event per imported payment, written by INSERT … SELECT from the payments
    themselves (with their final status), so no row passes through Python."""
    actor_id, label = audit.current_actor()
    build = func.json_build_object if db.is_postgresql() else func.json_object
    events = AuditEvent.__table__
    for part in chunks(payment_ids):
        after = build(
            "reference", Payment.reference,
            "notice_number_given", Payment.notice_number_given,
            "notice_id", Payment.notice_id,
            "amount_pence", Payment.amount_pence,
            "paid_on", cast(Payment.paid_on, String),
            "method", Payment.method,
            "status", Payment.status,
            "source", literal("import"),
        )  # fmt: skip
        rows = select(
            literal(utcnow(), UTCDateTime()),
            literal(actor_id, Integer()),
            literal(actor or label),
            literal("payment.recorded"),
            literal("payment"),
            cast(Payment.id, String),
            after,
        ).where(bulk.any_of(Payment.id, part))
        columns = ["at", "actor_id", "actor", "action", "object_type", "object_id", "after"]
        db.session().execute(insert(events).from_select([events.c[c] for c in columns], rows))


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


def import_csv(
    content: bytes,
    user: User | None,
    *,
    today: date | None = None,
    actor: str | None = None,
    progress: Progress = _quiet,
) -> ImportResult:
    """Import a bank file: all of it or (on any error) none of it; a reference already held is a duplicate."""
    today = today or calendar.today()
    rows = bank_rows(content, today)
    result = ImportResult(rows=len(rows))
    progress("validated", len(rows), len(rows))
    first: dict[str, BankRow] = {}
    for row in rows:
        first.setdefault(row.reference, row)
    result.duplicates = len(rows) - len(first)
    session = db.session()
    with db.transaction():
        held: set[str] = set()
        references = sorted(first)
        for part in chunks(references):
            known = select(Payment.reference).where(bulk.any_of(Payment.reference, part))
            held.update(session.scalars(known))
        new = [first[r] for r in references if r not in held]  # sorted by reference: a stable lock order
        notice_ids = payable_notice_ids(r.number for r in new)
        received_at = utcnow()
        recorded_by = user.id if user else None
        values = [
            {
                "reference": r.reference,
                "notice_id": notice_ids.get(r.number),
                "notice_number_given": r.given,
                "amount_pence": r.amount_pence,
                "paid_on": r.paid_on,
                "method": r.method,
                "status": APPLIED if r.number in notice_ids else SUSPENSE,
                "received_at": received_at,
                "recorded_by": recorded_by,
            }
            for r in new
        ]
        inserted = _insert_new(values, progress)
        result.duplicates = len(rows) - len(inserted)
        touched = {p.notice_id for p in inserted if p.notice_id is not None}
        progress("reassessing", 0, len(touched))
        verdict = reassess(touched, today, actor=actor, unaudited_payments={p.id for p in inserted})
        progress("reassessing", len(touched), len(touched))
        _audit_imported([p.id for p in inserted], actor)
        result.matched = sum(1 for p in inserted if p.notice_id is not None)
        result.unmatched = len(inserted) - result.matched
        result.refund_due = sum(1 for p in inserted if verdict.payment_status.get(p.id) == REFUND_DUE)
        result.notices_paid = verdict.became("paid")
        audit.record(
            "payments.imported",
            "payment_import",
            received_at.strftime("%Y%m%dT%H%M%S"),
            after=result.as_dict(),
            actor=actor,
        )
    return result


# --- the daily job ---------------------------------------------------------------------------------------

CLOSED_STATUSES = ("unpaid", "prosecution", "withdrawn")  # no longer payable: money held goes back


def monitor(today: date, actor: str = "job:payment-monitoring") -> dict[str, int]:
    """Notices past their final payment day and not discharged become ``unpaid``; refunds are flagged.

    Safe to run twice on the same day (the second run finds nothing to change) and for any past day.
    Notices with payments are reassessed with the payment rules; those without (almost all) are moved
    with one UPDATE … RETURNING and audited with one bulk INSERT.
    """
    session = db.session()
    overdue = (
        PenaltyNotice.status == "issued",
        PenaltyNotice.final_payment_day.is_not(None),
        PenaltyNotice.final_payment_day < today,
    )
    has_payments = exists().where(Payment.notice_id == PenaltyNotice.id)
    with db.transaction():
        with_money = session.scalars(select(PenaltyNotice.id).where(*overdue, has_payments)).all()
        closed_with_applied = session.scalars(
            select(PenaltyNotice.id).where(
                PenaltyNotice.status.in_(CLOSED_STATUSES),
                exists().where(Payment.notice_id == PenaltyNotice.id, Payment.status == APPLIED),
            )
        ).all()
        verdict = reassess([*with_money, *closed_with_applied], today, actor=actor)
        moved = session.execute(
            update(PenaltyNotice)
            .where(*overdue, ~has_payments)
            .values(status="unpaid")
            .returning(PenaltyNotice.id, PenaltyNotice.notice_number, PenaltyNotice.final_payment_day)
            .execution_options(synchronize_session=False)
        ).all()
        insert_audit(
            audit_rows(
                "penalty_notice.unpaid",
                "penalty_notice",
                (
                    (
                        n.id,
                        {"status": "issued"},
                        {
                            "status": "unpaid",
                            "notice_number": n.notice_number,
                            "final_payment_day": iso(n.final_payment_day),
                        },
                    )
                    for n in moved
                ),
                actor,
            )
        )
    return {
        "unpaid": len(moved) + verdict.became("unpaid"),
        "paid": verdict.became("paid"),
        "refunds_flagged": verdict.payments_flagged,
    }
