"""Requests from schools: received, checked against the threshold, decided within 10 working days."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import select

from penalty_service.models import PenaltyRequest, RequestParent
from penalty_service.rules import attendance
from penalty_service.rules import requests as request_rules
from penalty_service.rules.limits import same_parent_key
from penalty_service.rules.notices import Offence
from penalty_service.services import access, schools
from shared import audit, auth, calendar, db, problems
from shared.users import Role, User

# Thresholds apply to absence; an excluded pupil's offence is being in a public place, not absence.
THRESHOLD_OFFENCES = {Offence.UNAUTHORISED_ABSENCE, Offence.LEAVE_OF_ABSENCE}


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def sessions_of(register: list[dict[str, Any]]) -> list[attendance.Session]:
    """Sessions from a register as the API gives it (dates) or as it is stored (ISO strings)."""
    return [attendance.Session(_as_date(s["date"]), s["session"], s["code"]) for s in register]


def threshold_for(register: list[dict[str, Any]], profile: str | None = None) -> attendance.ThresholdResult:
    return attendance.check_threshold(
        sessions_of(register), profile or current_app.config["THRESHOLD_PROFILE"]
    )


def threshold_body(result: attendance.ThresholdResult) -> dict[str, Any]:
    met_on = {"date": result.met_on.date, "session": result.met_on.session} if result.met_on else None
    return {
        "met": result.met,
        "met_on": met_on,
        "sessions_counted": result.sessions_counted,
        "sessions_needed": result.sessions_needed,
        "window_weeks": result.window_weeks,
        "profile": result.profile,
        "reason": result.reason,
    }


def _register_problems(register: list[dict[str, Any]]) -> None:
    errors = attendance.register_errors(sessions_of(register))
    if errors:
        raise problems.Problem(422, "The attendance register has errors", errors=errors)


def _duplicate_parents(parents: list[dict[str, Any]], upn: str) -> None:
    """One notice per parent per child: the same parent twice (case and spacing ignored) is refused."""
    seen: set[tuple[str, str]] = set()
    for index, parent in enumerate(parents):
        key = same_parent_key(upn, parent["name"])
        if key in seen:
            raise problems.invalid(f"parents.{index}.name", f"{parent['name']} is listed more than once")
        seen.add(key)


def submit(data: dict[str, Any], user: User) -> PenaltyRequest:
    school = schools.by_urn(data["school_urn"])
    if user.role == Role.SCHOOL and data["school_urn"] != user.school_urn:
        raise problems.invalid("school_urn", "You can only request notices for your own school")
    if school is None:
        raise problems.invalid("school_urn", "No school with this URN is registered with the service")
    received_on = data["received_on"] if user.is_staff and data["received_on"] else calendar.today()
    _duplicate_parents(data["parents"], data["pupil"]["upn"])
    register = sorted(data["attendance"], key=lambda s: (s["date"], s["session"]))
    _register_problems(register)
    sessions = sessions_of(register)
    offence = Offence(data["offence"])
    result = threshold_for(register)
    if offence in THRESHOLD_OFFENCES and not result.met:
        raise problems.Problem(
            422,
            f"The attendance threshold is not met: {result.reason}",
            errors={"attendance": [result.reason]},
            extra={"threshold": threshold_body(result)},
        )
    pupil, nti = data["pupil"], data["notice_to_improve"]
    last_absence = attendance.last_absence(sessions)
    with db.transaction():
        request = PenaltyRequest(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            school_id=school.id,
            offence=offence.value,
            pupil_first_name=pupil["first_name"],
            pupil_last_name=pupil["last_name"],
            pupil_date_of_birth=pupil["date_of_birth"],
            pupil_upn=pupil["upn"],
            pupil_year_group=pupil["year_group"],
            pupil_address=pupil["address"],
            register=[{**s, "date": s["date"].isoformat()} for s in register],
            returned_to_school_on=data["returned_to_school_on"],
            notice_to_improve_issued_on=nti["issued_on"] if nti else None,
            notice_to_improve_period_ends_on=nti["period_ends_on"] if nti else None,
            code_of_conduct_confirmed=data["code_of_conduct_confirmed"],
            received_on=received_on,
            issue_due_on=request_rules.issue_due_on(received_on),
            threshold_profile=result.profile,
            sessions_counted=result.sessions_counted,
            sessions_needed=result.sessions_needed,
            window_weeks=result.window_weeks,
            met_on_date=result.met_on.date if result.met_on else None,
            met_on_session=result.met_on.session if result.met_on else None,
            first_absence_on=attendance.first_absence(sessions),
            last_absence_on=last_absence,
            warnings=request_rules.request_warnings(received_on, data["returned_to_school_on"], last_absence),
            created_by=user.id,
            parents=[
                RequestParent(
                    name=p["name"],
                    address=p["address"],
                    relationship_to_pupil=p["relationship"],
                    email=p["email"],
                )
                for p in data["parents"]
            ],
        )
        db.session().add(request)
        db.session().flush()
        request.reference = f"PNR-{received_on.year}-{request.id:06d}"
        audit.record(
            "penalty_request.received",
            "penalty_request",
            request.id,
            after={
                "reference": request.reference,
                "school_urn": school.urn,
                "issue_due_on": request.issue_due_on,
            },
        )
    return request


def get_visible(request_id: int, user: User, *, for_update: bool = False) -> PenaltyRequest:
    query = access.scope_requests(select(PenaltyRequest).where(PenaltyRequest.id == request_id), user)
    if for_update:
        query = query.with_for_update(of=PenaltyRequest)
    return auth.visible_or_404(db.session().scalar(query))


def list_query(user: User, status: str | None = None, school_urn: str | None = None):
    query = access.scope_requests(select(PenaltyRequest), user, school_urn)
    if status:
        query = query.where(PenaltyRequest.status == status)
    return query.order_by(PenaltyRequest.issue_due_on, PenaltyRequest.id)


def is_overdue(request: PenaltyRequest, today: date | None = None) -> bool:
    return request.status == "received" and (today or calendar.today()) > request.issue_due_on
