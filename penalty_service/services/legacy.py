"""Notices from the previous system, so the limit of 2 notices in 3 years holds from day one.

A legacy notice is a :class:`PenaltyNotice` with ``source`` ``legacy``, numbered ``LEGACY-<id>``, with the
outcome the old system recorded in ``legacy_outcome`` and the nearest status of this service: ``paid``,
``unpaid``, ``withdrawn`` (so it does not count towards the limit) or ``prosecution``. It has no payment
terms: it cannot be paid here, and payment monitoring leaves it alone.

The same notice recorded twice (same child, same parent, same issue date) is kept once, so importing a file
again adds nothing and a notice is never counted twice towards the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

from sqlalchemy import String, cast, insert, literal, select, tuple_, update

from penalty_service.models import PenaltyNotice
from penalty_service.services import payments, schools
from penalty_service.services.notices import parent_key
from shared import audit, bulk, calendar, db, problems
from shared.users import User

OUTCOME_STATUS = {"paid": "paid", "unpaid": "unpaid", "withdrawn": "withdrawn", "prosecuted": "prosecution"}
OUTCOMES = tuple(OUTCOME_STATUS)
UPN = re.compile(r"[A-Z]\d{11}[A-Z0-9]")
URN = re.compile(r"\d{6,8}")
TEMPORARY_PREFIX = "LEGACY-TMP-"


def tidy_upn(value: str) -> str:
    return "".join(value.split()).upper()


@dataclass(frozen=True)
class Recorded:
    notice: PenaltyNotice
    created: bool


def _existing(upn: str, key: str, issued_on: date) -> PenaltyNotice | None:
    return db.session().scalar(
        select(PenaltyNotice).where(
            PenaltyNotice.source == "legacy",
            PenaltyNotice.pupil_upn == upn,
            PenaltyNotice.parent_key == key,
            PenaltyNotice.issue_date == issued_on,
        )
    )


def _after(notice: PenaltyNotice | dict[str, Any]) -> dict[str, Any]:
    get = notice.get if isinstance(notice, dict) else lambda k: getattr(notice, k)
    return {
        "notice_number": get("notice_number"),
        "issue_date": payments.iso(get("issue_date")),
        "legacy_outcome": get("legacy_outcome"),
        "status": get("status"),
        "source": "legacy",
    }


def _values(
    upn: str, pupil_name: str, parent_name: str, issued_on: date, outcome: str, school_id: int | None
) -> dict[str, Any]:
    return {
        "source": "legacy",
        "school_id": school_id,
        "pupil_upn": upn,
        "pupil_name": pupil_name,
        "parent_name": parent_name,
        "parent_key": parent_key(upn, parent_name),
        "parent_address": "",
        "issue_date": issued_on,
        "is_second": False,
        "warnings": [],
        "status": OUTCOME_STATUS[outcome],
        "legacy_outcome": outcome,
        "refund_due_pence": 0,
        "late_copy": False,
    }


def record(data: dict[str, Any], user: User, today: date | None = None) -> Recorded:
    today = today or calendar.today()
    if data["issued_on"] > today:
        raise problems.invalid("issued_on", "The issue date cannot be in the future")
    school_id = None
    if data.get("school_urn"):
        school = schools.by_urn(data["school_urn"])
        if school is None:
            raise problems.invalid("school_urn", "No school with this URN is registered with the service")
        school_id = school.id
    upn = tidy_upn(data["pupil_upn"])
    values = _values(
        upn, data["pupil_name"], data["parent_name"], data["issued_on"], data["outcome"], school_id
    )
    existing = _existing(upn, values["parent_key"], data["issued_on"])
    if existing is not None:
        return Recorded(existing, False)
    session = db.session()
    with db.transaction():
        notice = PenaltyNotice(notice_number=f"{TEMPORARY_PREFIX}{uuid4().hex[:13]}", **values)
        session.add(notice)
        session.flush()
        notice.notice_number = f"LEGACY-{notice.id}"
        audit.record("penalty_notice.legacy_recorded", "penalty_notice", notice.id, after=_after(notice))
    return Recorded(notice, True)


def _rows(content: bytes, today: date) -> list[dict[str, Any]]:
    rows = payments.read_csv(content, ("pupil_upn", "pupil_name", "parent_name", "issued_on", "outcome"))
    errors = payments.RowErrors()
    urns = {row.values.get("school_urn", "") for row in rows} - {""}
    known = {urn: school.id for urn in urns if (school := schools.by_urn(urn)) is not None}
    result = []
    for row in rows:
        upn = tidy_upn(payments.text_cell(errors, row, "pupil_upn", 13))
        if upn and not UPN.fullmatch(upn):
            errors.add(row.line, "pupil_upn", "Enter a 13-character UPN, for example A123456789012")
        pupil = payments.text_cell(errors, row, "pupil_name", 200)
        parent = payments.text_cell(errors, row, "parent_name", 200)
        issued_on = payments.date_cell(errors, row, "issued_on", today)
        outcome = payments.text_cell(errors, row, "outcome", 20).lower()
        if outcome and outcome not in OUTCOME_STATUS:
            errors.add(row.line, "outcome", f"Must be one of: {', '.join(OUTCOMES)}")
        urn = payments.text_cell(errors, row, "school_urn", 8, required=False)
        if urn and urn not in known:
            errors.add(row.line, "school_urn", "No school with this URN is registered with the service")
        if row.line not in errors.rows and issued_on is not None:
            result.append(_values(upn, pupil, parent, issued_on, outcome, known.get(urn)))
    errors.raise_if_any()
    return result


def import_csv(content: bytes, user: User | None, today: date | None = None) -> dict[str, int]:
    """Import a file of legacy notices: all of it or, on any error, none of it."""
    today = today or calendar.today()
    rows = _rows(content, today)
    unique: dict[tuple[str, str, date], dict[str, Any]] = {}
    for row in rows:
        unique.setdefault((row["pupil_upn"], row["parent_key"], row["issue_date"]), row)
    session = db.session()
    with db.transaction():
        held: set[tuple[str, str, date]] = set()
        keys = sorted(unique)
        for part in payments.chunks(keys, bulk.IN_CHUNK):  # three values a key
            held.update(
                (upn, key, issued)
                for upn, key, issued in session.execute(
                    select(PenaltyNotice.pupil_upn, PenaltyNotice.parent_key, PenaltyNotice.issue_date).where(
                        PenaltyNotice.source == "legacy",
                        tuple_(
                            PenaltyNotice.pupil_upn, PenaltyNotice.parent_key, PenaltyNotice.issue_date
                        ).in_(list(part)),
                    )
                )
            )
        new = [unique[k] for k in keys if k not in held]
        table = PenaltyNotice.__table__
        created: list[dict[str, Any]] = []
        batch = uuid4().hex[:6]  # temporary numbers no other writer can be using
        for start in range(0, len(new), payments.INSERT_CHUNK):
            values = {
                f"{TEMPORARY_PREFIX}{batch}{start + i}": row
                for i, row in enumerate(new[start : start + payments.INSERT_CHUNK])
            }
            inserted = session.execute(
                insert(table).returning(table.c.id, table.c.notice_number),
                [{**row, "notice_number": number} for number, row in values.items()],
            ).all()
            ids = [notice_id for notice_id, _number in inserted]
            for part_ids in payments.chunks(ids):
                session.execute(
                    update(table)
                    .where(bulk.any_of(table.c.id, part_ids))
                    .values(notice_number=literal("LEGACY-") + cast(table.c.id, String))
                )
            created.extend(
                {**values[number], "id": notice_id, "notice_number": f"LEGACY-{notice_id}"}
                for notice_id, number in inserted
            )
        payments.insert_audit(
            payments.audit_rows(
                "penalty_notice.legacy_recorded",
                "penalty_notice",
                ((row["id"], None, _after(row)) for row in created),
            )
        )
        result = {"rows": len(rows), "created": len(created), "duplicates": len(rows) - len(created)}
        audit.record("legacy_notices.imported", "legacy_import", user.id if user else "cli", after=result)
    return result
