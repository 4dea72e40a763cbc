"""Prosecution hand-off: prosecute or withdraw an unpaid notice, then record the case's events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from penalty_service.enforcement_models import ProsecutionCase, ProsecutionEvent
from penalty_service.models import PenaltyNotice
from penalty_service.rules.prosecution import CaseEvent, event_problem, prosecution_verdict
from penalty_service.services import notices, withdrawals
from shared import audit, auth, calendar, db, notify, problems
from shared.users import User


def _locked_notice(notice_id: int, user: User) -> PenaltyNotice:
    notices.get_visible(notice_id, user)
    return db.session().scalar(
        select(PenaltyNotice).where(PenaltyNotice.id == notice_id).with_for_update(of=PenaltyNotice)
    )


def _verdict(notice: PenaltyNotice, data: dict[str, Any], today) -> None:
    verdict = prosecution_verdict(
        notice_status=notice.status,
        decision=data["decision"],
        today=today,
        lay_by=notice.lay_by,
        code_of_conduct_followed=data["code_of_conduct_followed"],
        payments_rechecked=data["payments_rechecked"],
    )
    if not verdict.allowed:
        raise problems.Problem(verdict.status, verdict.reason or "Not allowed")


def decide(notice_id: int, data: dict[str, Any], user: User) -> dict[str, Any]:
    """Record the prosecute-or-withdraw decision for an unpaid notice (409 or 422 where not allowed)."""
    today = calendar.today()
    if data["decision"] == "withdraw":
        with db.transaction():
            _verdict(_locked_notice(notice_id, user), data, today)
        notes = data["notes"] or "The council decided not to prosecute"
        notice = withdrawals.withdraw(
            notice_id, {"ground": "will_not_prosecute", "notes": notes}, user, today
        )
        return {"case_id": None, "lay_by": notice.lay_by, "status": notice.status, "bundle": None}
    with db.transaction():
        notice = _locked_notice(notice_id, user)
        _verdict(notice, data, today)
        case = ProsecutionCase(
            notice_id=notice.id,
            lay_by=notice.lay_by,
            code_of_conduct_followed=True,
            payments_rechecked=True,
            notes=data["notes"] or "",
            decided_on=today,
            decided_by=user.id,
        )
        db.session().add(case)
        before = {"status": notice.status}
        notice.status = "prosecution"
        db.session().flush()
        audit.record(
            "penalty_notice.referred_for_prosecution",
            "penalty_notice",
            notice.id,
            before,
            {"status": "prosecution", "case_id": case.id},
        )
        audit.record(
            "prosecution_case.opened",
            "prosecution_case",
            case.id,
            after={"notice": notice.notice_number, "lay_by": case.lay_by},
        )
        _tell_school(
            notice,
            f"Penalty notice {notice.notice_number} referred for prosecution",
            f"The penalty notice {notice.notice_number} to {notice.parent_name} for {notice.pupil_name} "
            "was not paid. The council has decided to prosecute under section 444 of the Education Act 1996.",
        )
    return {
        "case_id": case.id,
        "lay_by": case.lay_by,
        "status": notice.status,
        "bundle": f"/api/v1/prosecutions/{case.id}/bundle.pdf",
    }


def _tell_school(notice: PenaltyNotice, subject: str, body: str) -> None:
    if notice.school and notice.school.email:
        notify.enqueue(notice.school.email, subject, body, object_type="penalty_notice", object_id=notice.id)


def get_case(case_id: int) -> ProsecutionCase:
    return auth.visible_or_404(db.session().get(ProsecutionCase, case_id))


def add_event(case_id: int, data: dict[str, Any], user: User) -> ProsecutionCase:
    today = calendar.today()
    with db.transaction():
        case = auth.visible_or_404(
            db.session().scalar(
                select(ProsecutionCase)
                .where(ProsecutionCase.id == case_id)
                .with_for_update(of=ProsecutionCase)
            )
        )
        laid = any(e.type == CaseEvent.INFORMATION_LAID for e in case.events)
        problem = event_problem(
            data["type"], data["date"], case.lay_by, laid=laid, closed=case.status == "closed", today=today
        )
        if problem:
            raise problems.Problem(409, problem)
        event = ProsecutionEvent(
            case_id=case.id,
            type=data["type"],
            date=data["date"],
            outcome=data.get("outcome"),
            notes=data.get("notes") or "",
            recorded_by=user.id,
        )
        db.session().add(event)
        before = {"status": case.status}
        if data["type"] == CaseEvent.INFORMATION_LAID:
            case.status = "information_laid"
        elif data["type"] == CaseEvent.OUTCOME:
            case.status, case.outcome = "closed", data["outcome"]
            _tell_school(
                case.notice,
                f"Court result for penalty notice {case.notice.notice_number}",
                f"The prosecution of {case.notice.parent_name} for {case.notice.pupil_name}'s attendance "
                f"ended on {data['date'].isoformat()}: {data['outcome'].replace('_', ' ')}.",
            )
        db.session().flush()
        audit.record(
            f"prosecution_case.{data['type']}",
            "prosecution_case",
            case.id,
            before,
            {"status": case.status, "date": data["date"], "outcome": data.get("outcome")},
        )
    db.session().refresh(case)
    return case
