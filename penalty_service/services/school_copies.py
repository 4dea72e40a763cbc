"""Copies of notices that schools issued themselves (seeds 1b5: sent to the council within one week).

A school's copy is stored as a :class:`PenaltyNotice` with ``source`` ``school`` and the school's own
number, with its service date, payment periods, amounts and ``lay_by`` worked out by the same rules as a
council notice, so payment monitoring and the limit of 2 notices in 3 years cover it. A copy received
more than 7 days after the issue date is flagged ``late_copy``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from penalty_service.models import PenaltyNotice
from penalty_service.rules import limits
from penalty_service.rules import notices as notice_rules
from penalty_service.rules import requests as request_rules
from penalty_service.services import schools
from penalty_service.services.notices import parent_key, prior_notices
from penalty_service.services.payments import normalise_number
from shared import audit, calendar, db, problems
from shared.users import Role, User

# The council's own numbers: a school's number must never be mistaken for (or block) one of them.
RESERVED_PREFIXES = ("PN-", "LEGACY-")
NOTICE_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9/_.-]{0,23}")


def _pounds(pence: int | None) -> str:
    return "none" if pence is None else f"£{pence / 100:,.2f}"


def _already_recorded(number: str) -> problems.Problem:
    return problems.Problem(
        409,
        f"A notice numbered {number} is already recorded",
        errors={"notice_number": ["A notice with this number is already recorded"]},
    )


def record(data: dict[str, Any], user: User, today: date | None = None) -> PenaltyNotice:
    today = today or calendar.today()
    if user.role == Role.SCHOOL and data["school_urn"] != user.school_urn:
        raise problems.invalid("school_urn", "You can only send copies of your own school's notices")
    school = schools.by_urn(data["school_urn"])
    if school is None:
        raise problems.invalid("school_urn", "No school with this URN is registered with the service")
    number = normalise_number(data["notice_number"])
    if not NOTICE_NUMBER.fullmatch(number):
        raise problems.invalid(
            "notice_number", "Use up to 24 letters, digits and the characters / _ . - for the notice number"
        )
    if number.startswith(RESERVED_PREFIXES):
        raise problems.invalid(
            "notice_number", "Numbers starting PN- or LEGACY- are the council's: use the school's own number"
        )
    received_on = data.get("received_on") if user.is_staff and data.get("received_on") else today
    issue_date: date = data["issue_date"]
    posted_on: date = data.get("posted_on") or issue_date
    if issue_date > received_on:
        raise problems.invalid("issue_date", "The issue date cannot be after the copy was received")
    upn = "".join(data["pupil"]["upn"].split()).upper()
    parent = data["parent"]
    key = parent_key(upn, parent["name"])
    session = db.session()
    with db.transaction():
        if session.scalar(select(PenaltyNotice.id).where(PenaltyNotice.notice_number == number)) is not None:
            raise _already_recorded(number)
        verdict = limits.limit_verdict(prior_notices(upn, key), issue_date)
        lower, full = notice_rules.amounts(data["offence"], data["first_absence_on"], verdict.prior_count)
        warnings: list[str] = []
        if data.get("amount_full_pence") is not None:
            given = (data.get("amount_lower_pence"), data["amount_full_pence"])
            if given != (lower, full):
                warnings.append(
                    f"The notice states {_pounds(given[0])} (lower) and {_pounds(given[1])} (full); "
                    f"the rules give {_pounds(lower)} and {_pounds(full)}: check whether it must be "
                    "withdrawn for a material error"
                )
            lower, full = given
        if not verdict.allowed:
            warnings.append(f"The school issued this notice although {verdict.reason}")
        served = notice_rules.served_on(posted_on)
        final_day = notice_rules.final_payment_day(served)
        lay_by = notice_rules.lay_by(data["last_absence_on"])
        warnings += notice_rules.warnings_for_notice(final_day, lay_by)
        late = request_rules.school_copy_is_late(issue_date, received_on)
        pupil = data["pupil"]
        notice = PenaltyNotice(
            notice_number=number,
            source="school",
            school_id=school.id,
            offence=data["offence"],
            pupil_upn=upn,
            pupil_name=f"{pupil['first_name']} {pupil['last_name']}",
            parent_name=parent["name"],
            parent_key=key,
            parent_address=parent["address"],
            parent_email=parent.get("email"),
            issue_date=issue_date,
            posted_on=posted_on,
            served_on=served,
            lower_rate_until=notice_rules.lower_rate_until(served),
            final_payment_day=final_day,
            amount_lower_pence=lower,
            amount_full_pence=full,
            is_second=verdict.prior_count >= 1,
            lay_by=lay_by,
            period_from=data["first_absence_on"],
            period_to=data["last_absence_on"],
            warnings=warnings,
            status="issued",
            late_copy=late,
            copy_received_on=received_on,
        )
        session.add(notice)
        try:
            session.flush()  # the same number sent twice at the same moment fails here
        except IntegrityError as exc:
            raise _already_recorded(number) from exc
        audit.record(
            "penalty_notice.school_copy_received",
            "penalty_notice",
            notice.id,
            after={
                "notice_number": number,
                "school_urn": school.urn,
                "issue_date": issue_date,
                "copy_received_on": received_on,
                "late_copy": late,
                "amount_lower_pence": lower,
                "amount_full_pence": full,
                "final_payment_day": final_day,
            },
        )
    return notice
