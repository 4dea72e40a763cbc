"""The council's checks before deciding a performance licence (SPEC §4.1): education, social care,
early help, and the school's opinion — asked of the school by an emailed link. One check per kind per
application; recording it again replaces the outcome, and the audit log keeps the one before."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from licensing_service.models.licences import (
    CheckKind,
    LicenceCheck,
    LicenceStatus,
    ParentPartState,
    PerformanceLicence,
)
from licensing_service.models.links import EmailLink, LinkPurpose
from licensing_service.services import licences, links
from shared import audit, auth, db, notify, problems
from shared.db import utcnow
from shared.formatting import long_date
from shared.users import User


def _check(licence: PerformanceLicence, kind: CheckKind) -> LicenceCheck | None:
    return next((c for c in licence.checks if c.kind == kind), None)


def _snapshot(check: LicenceCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {"kind": check.kind, "outcome": check.outcome, "requested_from": check.requested_from}


def outstanding_of(
    parent_part_state: str,
    recorded: set[str],
    school_days_missed: int | None = 0,
    education_approved: bool | None = None,
) -> list[str]:
    """What is still needed before a decision: the parent's part, each check without an outcome, then
    the SPP's approval of the education arrangements where the child misses school."""
    missing = [] if parent_part_state == ParentPartState.COMPLETED else ["parent_part"]
    missing += [kind.value for kind in CheckKind if kind.value not in recorded]
    if (school_days_missed or 0) > 0 and education_approved is not True:
        missing.append("education_arrangements")
    return missing


def outstanding(licence: PerformanceLicence) -> list[str]:
    return outstanding_of(
        licence.parent_part_state,
        {c.kind for c in licence.checks if c.outcome is not None},
        licence.education_school_days_missed,
        licence.education_approved,
    )


def _record(
    licence: PerformanceLicence,
    kind: CheckKind,
    outcome: str,
    notes: str,
    *,
    user: User | None,
    actor: str | None,
) -> tuple[LicenceCheck, bool]:
    check = _check(licence, kind)
    created = check is None
    before = _snapshot(check)
    if check is None:
        check = LicenceCheck(kind=kind.value)
        licence.checks.append(check)
    check.outcome = outcome
    check.notes = notes or None
    check.recorded_at = utcnow()
    check.recorded_by_id = user.id if user else None
    check.recorded_by = actor or (f"{user.role}:{user.id}" if user else None)
    db.session().flush()
    audit.record(
        "licence_check.recorded",
        licences.OBJECT_TYPE,
        licence.id,
        before=before,
        after=_snapshot(check),
        note=notes or None,
        actor=actor,
    )
    return check, created


def record(licence_id: int, data: dict[str, Any], user: User) -> tuple[LicenceCheck, bool]:
    """Record a check's outcome (409 unless the application is awaiting a decision). Returns the check
    and whether it is new."""
    with db.transaction():
        licence = licences.get_visible(licence_id, user, for_update=True)
        _require_submitted(licence)
        return _record(
            licence, CheckKind(data["kind"]), data["outcome"], data.get("notes") or "", user=user, actor=None
        )


def _require_submitted(licence: PerformanceLicence) -> None:
    if licence.status != LicenceStatus.SUBMITTED:
        raise problems.Problem(
            409,
            f"Checks are recorded only before a decision: the application is {licence.status}",
            extra={"current_status": licence.status},
        )


def request_school_opinion(licence_id: int, school_email: str, user: User) -> LicenceCheck:
    """Email the child's school a link to give its opinion; an earlier link stops working."""
    with db.transaction():
        licence = licences.get_visible(licence_id, user, for_update=True)
        _require_submitted(licence)
        check = _check(licence, CheckKind.SCHOOL_OPINION)
        if check is not None and check.outcome is not None:
            raise problems.Problem(409, "The school's opinion is already recorded")
        if check is None:
            check = LicenceCheck(kind=CheckKind.SCHOOL_OPINION.value)
            licence.checks.append(check)
        before = _snapshot(check) if check.id else None
        check.requested_at = utcnow()
        check.requested_from = school_email
        days = int(current_app.config["SCHOOL_OPINION_LINK_DAYS"])
        token, link = links.issue(
            LinkPurpose.SCHOOL_OPINION, licences.OBJECT_TYPE, licence.id, school_email, days
        )
        db.session().flush()
        audit.record(
            "licence_check.school_opinion_requested",
            licences.OBJECT_TYPE,
            licence.id,
            before=before,
            after={**_snapshot(check), "link_id": link.id, "expires_at": link.expires_at},
        )
        school = licence.child_school_name or "the school"
        production = licence.production
        applicant = production.producer_organisation or production.producer_name
        missed = licence.education_school_days_missed or 0
        notify.enqueue(
            school_email,
            f"Your opinion on a performance licence for {licence.child_name} ({licence.reference})",
            f"Dear head teacher,\n\n{applicant} has applied for a licence for {licence.child_name}, "
            f"a pupil at {school}, to take part in {production.name} from {long_date(licence.first_day)}. "
            f"The application says the child would miss {missed} school days.\n\n"
            "Before deciding, the council asks for the school's opinion: would taking part affect the "
            "child's education or welfare?\n\n"
            f"Give your opinion here: {links.url(LinkPurpose.SCHOOL_OPINION, token)}\n\n"
            f"The link works once and expires on {long_date(link.expires_at.date())}.\n\n"
            "Senior Professional Practitioner – Employment and Entertainment\nNottinghamshire County Council",
            object_type=licences.OBJECT_TYPE,
            object_id=licence.id,
        )
    return check


def _school_licence(link: EmailLink, *, for_update: bool = False) -> PerformanceLicence:
    licence = auth.visible_or_404(licences.get(link.object_id, for_update=for_update))
    if licence.status != LicenceStatus.SUBMITTED:
        raise problems.Problem(
            409,
            f"The application is {licence.status}: the council no longer needs an opinion",
            extra={"current_status": licence.status},
        )
    return licence


def school_view(token: str) -> dict[str, Any]:
    """What the school sees: the pupil, the production and the days, not the parent's details."""
    link = links.find(token, LinkPurpose.SCHOOL_OPINION)
    licence = _school_licence(link)
    return {
        "reference": licence.reference,
        "child": {
            "first_name": licence.child_first_name,
            "last_name": licence.child_last_name,
            "date_of_birth": licence.child_date_of_birth,
            "school_name": licence.child_school_name,
        },
        "production": {"name": licence.production.name, "type": licence.production.type},
        "first_day": licence.first_day,
        "last_day": licence.last_day,
        "school_days_missed": licence.education_school_days_missed or 0,
        "days": [{"date": d["date"], "kind": d["kind"]} for d in licence.days or []],
        "expires_at": link.expires_at,
    }


def record_school_opinion(token: str, data: dict[str, Any]) -> LicenceCheck:
    with db.transaction():
        link = links.find(token, LinkPurpose.SCHOOL_OPINION, for_update=True)
        licence = _school_licence(link, for_update=True)
        links.use(link)
        check, _created = _record(
            licence,
            CheckKind.SCHOOL_OPINION,
            data["outcome"],
            data.get("notes") or "",
            user=None,
            actor=f"school_link:{link.id}",
        )
        return check


def checks_for(licence_ids: list[int]) -> dict[int, set[str]]:
    """Check kinds with an outcome, per application (for the queue)."""
    if not licence_ids:
        return {}
    rows = db.session().execute(
        select(LicenceCheck.licence_id, LicenceCheck.kind).where(
            LicenceCheck.licence_id.in_(licence_ids), LicenceCheck.outcome.is_not(None)
        )
    )
    done: dict[int, set[str]] = {}
    for licence_id, kind in rows:
        done.setdefault(licence_id, set()).add(kind)
    return done
