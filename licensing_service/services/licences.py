"""Performance licence applications: one per child, drafted section by section or posted complete,
then submitted — notice and schedule checked, the parent emailed a link to their part, the producer a
receipt. A hard-stop late application is refused on submission.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import Select, select

from licensing_service.models.licences import LicenceStatus, ParentPartState, PerformanceLicence
from licensing_service.models.links import LinkPurpose
from licensing_service.models.productions import Production
from licensing_service.rules import notice, performance
from licensing_service.services import access, links, productions
from shared import audit, auth, calendar, db, notify, problems
from shared.db import utcnow
from shared.formatting import long_date
from shared.users import User

OBJECT_TYPE = "performance_licence"
SECTIONS = ("child", "days", "chaperone", "education")
OPEN_STATUSES = (LicenceStatus.SUBMITTED,)


# --- the schedule as stored (JSON) and as the rules take it -------------------------------------------


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def day_to_json(day: performance.Day) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "kind": performance.DayKind(day.kind).value,
        "arrive": _hhmm(day.arrive),
        "leave": _hhmm(day.leave),
        "performing": [{"start": _hhmm(i.start), "end": _hhmm(i.end)} for i in day.performing],
    }


def day_from_json(data: dict[str, Any]) -> performance.Day:
    return performance.Day(
        date=date.fromisoformat(data["date"]),
        kind=performance.DayKind(data["kind"]),
        arrive=time.fromisoformat(data["arrive"]),
        leave=time.fromisoformat(data["leave"]),
        performing=tuple(
            performance.Interval(time.fromisoformat(i["start"]), time.fromisoformat(i["end"]))
            for i in data["performing"]
        ),
    )


def days_of(licence: PerformanceLicence) -> list[performance.Day]:
    return [day_from_json(d) for d in licence.days or []]


def days_needing_no_licence(licence: PerformanceLicence) -> list[dict[str, Any]]:
    return list(licence.days_needing_no_licence or [])


def split_out_of_scope(licence: PerformanceLicence) -> list[dict[str, Any]]:
    """Move the days after the end of compulsory school age out of the licence's schedule (SPEC §4.1: no
    licence is needed for them) into ``days_needing_no_licence``; the licence's period is then that of the
    days left. Returns the days moved. 422 on ``days`` when every day is after that date."""
    born = licence.child_date_of_birth
    if born is None or not licence.days:
        return []
    ends = performance.compulsory_school_age_ends(born)
    later = [d for d in licence.days if date.fromisoformat(d["date"]) > ends]
    if not later:
        return []
    kept = [d for d in licence.days if date.fromisoformat(d["date"]) <= ends]
    if not kept:
        child = licence.child_first_name or "the child"
        raise problems.invalid(
            "days",
            f"No licence is needed from {long_date(ends + timedelta(days=1))}: {child}'s compulsory school "
            f"age ends on {long_date(ends)}, and every day of this application is after it.",
        )
    moved = {d["date"]: d for d in [*days_needing_no_licence(licence), *later]}
    licence.days_needing_no_licence = [moved[k] for k in sorted(moved)]
    licence.days = kept
    licence.first_day = date.fromisoformat(kept[0]["date"])
    licence.last_day = date.fromisoformat(kept[-1]["date"])
    return later


def chaperone_of(licence: PerformanceLicence) -> performance.Chaperone | None:
    if licence.chaperone_is_parent is None:
        return None
    return performance.Chaperone(
        approval_number=licence.chaperone_approval_number,
        is_parent=licence.chaperone_is_parent,
        is_usual_teacher=bool(licence.chaperone_is_usual_teacher),
        usual_teacher_name=licence.usual_teacher_name,
        usual_teacher_school=licence.usual_teacher_school,
        children_in_care=licence.chaperone_children_in_care or 1,
        also_private_teacher=bool(licence.chaperone_also_private_teacher),
    )


def education_of(licence: PerformanceLicence) -> performance.Education | None:
    if licence.education_school_days_missed is None:
        return None
    tutor = None
    if licence.tutor_name is not None:
        tutor = performance.Tutor(
            name=licence.tutor_name,
            hours_per_day=licence.tutor_hours_per_day or Decimal(0),
            pupils=licence.tutor_pupils or 0,
            similar_standard=bool(licence.tutor_similar_standard),
        )
    return performance.Education(school_days_missed=licence.education_school_days_missed, tutor=tutor)


def finding_json(finding: performance.Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "date": finding.date.isoformat() if finding.date else None,
        "message": finding.message,
    }


# --- sections ---------------------------------------------------------------------------------------


def _set_child(licence: PerformanceLicence, data: dict[str, Any]) -> None:
    child, parent = data["child"], data["parent"]
    licence.child_first_name = child["first_name"]
    licence.child_last_name = child["last_name"]
    licence.child_date_of_birth = child["date_of_birth"]
    licence.child_address = child["address"]
    licence.child_school_name = child["school_name"]
    licence.parent_name = parent["name"]
    licence.parent_email = parent["email"]
    licence.parent_address = parent["address"]


def _set_days(licence: PerformanceLicence, data: dict[str, Any]) -> None:
    days = sorted(data["days"], key=lambda d: (d.date, d.arrive))
    licence.days = [day_to_json(d) for d in days]
    licence.night_work = data["night_work"]
    licence.first_day = days[0].date if days else None
    licence.last_day = days[-1].date if days else None


def set_chaperone(licence: PerformanceLicence, chaperone: performance.Chaperone) -> None:
    licence.chaperone_approval_number = chaperone.approval_number
    licence.chaperone_is_parent = chaperone.is_parent
    licence.chaperone_is_usual_teacher = chaperone.is_usual_teacher
    licence.usual_teacher_name = chaperone.usual_teacher_name
    licence.usual_teacher_school = chaperone.usual_teacher_school
    licence.chaperone_children_in_care = chaperone.children_in_care
    licence.chaperone_also_private_teacher = chaperone.also_private_teacher


def _set_chaperone(licence: PerformanceLicence, data: dict[str, Any]) -> None:
    set_chaperone(licence, data["chaperone"])


def _set_education(licence: PerformanceLicence, data: dict[str, Any]) -> None:
    # No education arrangements given means the child misses no school.
    education: performance.Education = data.get("education") or performance.Education(school_days_missed=0)
    tutor = education.tutor
    licence.education_school_days_missed = education.school_days_missed
    licence.tutor_name = tutor.name if tutor else None
    licence.tutor_hours_per_day = tutor.hours_per_day if tutor else None
    licence.tutor_pupils = tutor.pupils if tutor else None
    licence.tutor_similar_standard = tutor.similar_standard if tutor else None


SETTERS = {"child": _set_child, "days": _set_days, "chaperone": _set_chaperone, "education": _set_education}


def tasks(licence: PerformanceLicence) -> dict[str, str]:
    """Each section of the application: ``completed`` or ``not_started`` (the web task list)."""
    done = {
        "child": licence.child_first_name is not None and licence.parent_email is not None,
        "days": bool(licence.days),
        "chaperone": licence.chaperone_is_parent is not None,
        "education": licence.education_school_days_missed is not None,
    }
    return {section: "completed" if done[section] else "not_started" for section in SECTIONS}


# --- rules ------------------------------------------------------------------------------------------


def limits() -> performance.Limits:
    config = current_app.config
    return performance.Limits(
        chaperone_max_children=int(config["CHAPERONE_MAX_CHILDREN"]),
        chaperone_max_children_as_teacher=int(config["CHAPERONE_MAX_CHILDREN_AS_TEACHER"]),
        chaperone_recommended_max=int(config["CHAPERONE_RECOMMENDED_MAX"]),
    )


def hard_stop_days() -> int | None:
    value = current_app.config["LICENCE_MIN_NOTICE_DAYS_HARD"]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return int(value)


# Approval numbers this council gives; a chaperone approved elsewhere is confirmed with that council.
OWN_APPROVAL_PREFIX = "NCC-CA-"
# An expired approval still has its period, so the message can say which days it does not cover.
PERIOD_STATUSES = ("approved", "expired")


def chaperone_approval_check(licence: PerformanceLicence) -> dict[str, Any]:
    """How the rules check the chaperone's approval: against this council's record of it on every day,
    or, for another council's approval, a warning to confirm it with them."""
    number = (licence.chaperone_approval_number or "").strip().upper()
    if licence.chaperone_is_parent or licence.chaperone_is_usual_teacher or not number:
        return {}
    if not number.startswith(OWN_APPROVAL_PREFIX):
        return {"chaperone_approved_elsewhere": True}
    # Imported here: chaperone approvals' documents build on the licence documents, which import this.
    from licensing_service.services import chaperone_approvals

    found = chaperone_approvals.validity(number)
    period = None
    if found and found["status"] in PERIOD_STATUSES and found["valid_from"] and found["valid_until"]:
        period = performance.ApprovalPeriod(found["valid_from"], found["valid_until"])
    return {"check_chaperone_approval": True, "chaperone_approval": period}


def schedule_result(licence: PerformanceLicence) -> performance.ScheduleResult:
    # The days needing no licence are checked too, so their out_of_scope_age warnings stay on the record.
    later = [day_from_json(d) for d in days_needing_no_licence(licence)]
    return performance.check_schedule(
        licence.child_date_of_birth,
        [*days_of(licence), *later],
        night_work=licence.night_work,
        chaperone=chaperone_of(licence),
        education=education_of(licence),
        limits=limits(),
        **chaperone_approval_check(licence),
    )


def _days_after_birth(licence: PerformanceLicence) -> None:
    """Sections saved apart can disagree: a day before the child was born is refused (422 on ``days``)."""
    born = licence.child_date_of_birth
    if born is None or not licence.days or licence.first_day is None or licence.first_day >= born:
        return
    raise problems.invalid("days", f"{long_date(licence.first_day)} is before the child's date of birth")


def _store_findings(licence: PerformanceLicence) -> None:
    """Breaches and warnings as they stand, once the child's age and the days are known."""
    if licence.child_date_of_birth is None or not licence.days:
        licence.breaches, licence.warnings = [], []
        return
    result = schedule_result(licence)
    licence.breaches = [finding_json(f) for f in result.breaches]
    licence.warnings = [finding_json(f) for f in result.warnings]


# --- look-ups ---------------------------------------------------------------------------------------


def get_visible(licence_id: int, user: User, *, for_update: bool = False) -> PerformanceLicence:
    query = access.scope_licences(select(PerformanceLicence).where(PerformanceLicence.id == licence_id), user)
    if for_update:
        query = query.with_for_update(of=PerformanceLicence)
    return auth.visible_or_404(db.session().scalar(query))


def get(licence_id: int, *, for_update: bool = False) -> PerformanceLicence | None:
    query = select(PerformanceLicence).where(PerformanceLicence.id == licence_id)
    if for_update:
        query = query.with_for_update(of=PerformanceLicence)
    return db.session().scalar(query)


def list_query(user: User, status: str | None = None, production_id: int | None = None) -> Select:
    query = access.scope_licences(select(PerformanceLicence), user)
    if status:
        query = query.where(PerformanceLicence.status == status)
    if production_id is not None:
        query = query.where(PerformanceLicence.production_id == production_id)
    return query.order_by(PerformanceLicence.id.desc())


def is_overdue(licence: PerformanceLicence, today: date | None = None) -> bool:
    return (
        licence.status in OPEN_STATUSES
        and licence.decision_due_on is not None
        and (today or calendar.today()) > licence.decision_due_on
    )


def _require_status(licence: PerformanceLicence, *allowed: LicenceStatus, action: str) -> None:
    if licence.status not in allowed:
        raise problems.Problem(
            409,
            f"Cannot {action}: the application is {licence.status}",
            extra={"current_status": licence.status},
        )


# --- drafts -----------------------------------------------------------------------------------------


def _new_licence(production: Production, user: User) -> PerformanceLicence:
    licence = PerformanceLicence(
        reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
        production_id=production.id,
        production=production,
        status=LicenceStatus.DRAFT.value,
        created_by_id=user.id,
        breaches=[],
        warnings=[],
    )
    db.session().add(licence)
    db.session().flush()
    licence.reference = f"PL-{calendar.today().year}-{licence.id:06d}"
    return licence


def create_draft(production_id: int, data: dict[str, Any] | None, user: User) -> PerformanceLicence:
    """A draft application for one child in a production, optionally with the child section filled."""
    with db.transaction():
        production = productions.get_visible(production_id, user)
        licence = _new_licence(production, user)
        if data and data.get("child"):
            _set_child(licence, data)
        audit.record(
            "performance_licence.drafted",
            OBJECT_TYPE,
            licence.id,
            after={"reference": licence.reference, "production_id": production.id, "status": "draft"},
        )
    return licence


def update_section(licence_id: int, section: str, data: dict[str, Any], user: User) -> PerformanceLicence:
    if section not in SETTERS:
        raise problems.Problem(404, "Not found")
    with db.transaction():
        licence = get_visible(licence_id, user, for_update=True)
        _require_status(licence, LicenceStatus.DRAFT, action="change a section")
        before = tasks(licence)
        SETTERS[section](licence, data)
        _days_after_birth(licence)
        _store_findings(licence)
        audit.record(
            "performance_licence.section_saved",
            OBJECT_TYPE,
            licence.id,
            before={"section": section, "status": before[section]},
            after={"section": section, "status": tasks(licence)[section]},
        )
    return licence


def _received_on(requested: date | None, user: User) -> date:
    today = calendar.today()
    if not (user.is_staff and requested):
        return today
    if requested > today:
        raise problems.invalid("received_on", "The date received cannot be in the future")
    return requested


def submit_draft(licence_id: int, user: User, received_on: date | None = None) -> PerformanceLicence:
    """Submit a draft whose sections are all complete (422 naming the sections that are not)."""
    with db.transaction():
        licence = get_visible(licence_id, user, for_update=True)
        _require_status(licence, LicenceStatus.DRAFT, action="submit")
        missing = [s for s, state in tasks(licence).items() if state != "completed"]
        if missing:
            raise problems.Problem(
                422,
                "Complete every section before submitting: " + ", ".join(missing),
                errors={s: ["This section is not complete"] for s in missing},
            )
        _submit(licence, _received_on(received_on, user))
    return licence


def create_and_submit(data: dict[str, Any], user: User) -> PerformanceLicence:
    """The API's one-step application: every section at once, submitted."""
    if not data["days"]:
        raise problems.invalid("days", "Give at least one day")
    received_on = _received_on(data.get("received_on"), user)
    with db.transaction():
        production = productions.find_visible(data["production_id"], user)
        if production is None:
            raise problems.invalid("production_id", "You have no production with this id")
        licence = _new_licence(production, user)
        for setter in SETTERS.values():
            setter(licence, data)
        audit.record(
            "performance_licence.drafted",
            OBJECT_TYPE,
            licence.id,
            after={"reference": licence.reference, "production_id": production.id, "status": "draft"},
        )
        _submit(licence, received_on)
    return licence


def _submit(licence: PerformanceLicence, received_on: date) -> None:
    moved = split_out_of_scope(licence)
    if licence.first_day is not None and licence.first_day < received_on:
        raise problems.invalid(
            "days", "The first day has already passed: a licence cannot cover days before it is applied for"
        )
    config = current_app.config
    verdict = notice.notice_verdict(
        received_on,
        licence.first_day,
        min_days=int(config["LICENCE_MIN_NOTICE_DAYS"]),
        hard_stop_days=hard_stop_days(),
    )
    licence.received_on = received_on
    licence.days_notice = verdict.days_notice
    licence.late = verdict.late
    licence.decision_due_on = verdict.decision_due_on
    _store_findings(licence)
    licence.status = LicenceStatus.SUBMITTED.value
    licence.submitted_at = utcnow()
    audit.record(
        "performance_licence.submitted",
        OBJECT_TYPE,
        licence.id,
        before={"status": LicenceStatus.DRAFT.value},
        after={
            "status": licence.status,
            "received_on": received_on,
            "first_day": licence.first_day,
            "days_notice": verdict.days_notice,
            "late": verdict.late,
            "decision_due_on": verdict.decision_due_on,
            "breaches": [b["code"] for b in licence.breaches],
            "days_needing_no_licence": [d["date"] for d in moved],
        },
    )
    if verdict.refuse_automatically:
        _refuse_automatically(licence, verdict)
        return
    _send_parent_link(licence)
    _email_producer_receipt(licence, verdict)


def _refuse_automatically(licence: PerformanceLicence, verdict: notice.NoticeVerdict) -> None:
    licence.status = LicenceStatus.REFUSED.value
    licence.refusal_reason = verdict.message
    licence.decided_at = utcnow()
    licence.decided_by_id = None
    audit.record(
        "performance_licence.refused_automatically",
        OBJECT_TYPE,
        licence.id,
        before={"status": LicenceStatus.SUBMITTED.value},
        after={
            "status": licence.status,
            "days_notice": verdict.days_notice,
            "hard_stop_days": hard_stop_days(),
        },
        note=verdict.message,
    )
    production = licence.production
    notify.enqueue(
        production.producer_email,
        f"Application {licence.reference} refused: not enough notice",
        f"Dear {production.producer_name},\n\n"
        f"The application for a performance licence for {licence.child_name} in {production.name} "
        f"({licence.reference}) has been refused.\n\n{verdict.message}\n\n"
        f"The council needs at least {hard_stop_days()} days' notice before the first performance or "
        "rehearsal day.\n\nNottinghamshire County Council",
        object_type=OBJECT_TYPE,
        object_id=licence.id,
    )


def _email_producer_receipt(licence: PerformanceLicence, verdict: notice.NoticeVerdict) -> None:
    production = licence.production
    lines = [
        f"Dear {production.producer_name},",
        "",
        f"We have received the application for a performance licence for {licence.child_name} "
        f"in {production.name}. Reference: {licence.reference}.",
        "",
        f"Received: {long_date(licence.received_on)}",
        f"First performance or rehearsal day: {long_date(licence.first_day)}",
        f"We will decide by: {long_date(licence.decision_due_on)}",
    ]
    if verdict.late:
        lines += ["", verdict.message]
    later = days_needing_no_licence(licence)
    if later:
        ends = performance.compulsory_school_age_ends(licence.child_date_of_birth)
        lines += [
            "",
            f"{licence.child_first_name}'s compulsory school age ends on {long_date(ends)}, so no licence is "
            "needed for these days and the licence will not cover them: "
            + ", ".join(long_date(date.fromisoformat(d["date"])) for d in later)
            + ".",
        ]
    if licence.breaches:
        lines += [
            "",
            "The schedule breaks these limits, which must be put right before a licence is granted:",
        ]
        lines += [f"- {b['message']}" for b in licence.breaches]
    lines += [
        "",
        f"We have emailed {licence.parent_name} a link to complete the parent's part of the application.",
        "",
        "Nottinghamshire County Council",
    ]
    notify.enqueue(
        production.producer_email,
        f"Application {licence.reference} received: {licence.child_name}",
        "\n".join(lines),
        object_type=OBJECT_TYPE,
        object_id=licence.id,
    )


def _send_parent_link(licence: PerformanceLicence) -> None:
    days = int(current_app.config["PARENT_LINK_DAYS"])
    token, link = links.issue(LinkPurpose.PARENT_PART, OBJECT_TYPE, licence.id, licence.parent_email, days)
    db.session().flush()
    licence.parent_part_state = ParentPartState.REQUESTED.value
    production = licence.production
    notify.enqueue(
        licence.parent_email,
        f"Complete the parent's part of {licence.child_first_name}'s performance licence application",
        f"Dear {licence.parent_name},\n\n"
        f"{production.producer_organisation or production.producer_name} has applied to Nottinghamshire "
        f"County Council for a licence for {licence.child_name} to take part in {production.name} "
        f"(reference {licence.reference}).\n\n"
        "As the child's parent or carer, you need to complete your part of the application: a declaration, "
        "any medical information, and a recent photo of the child.\n\n"
        f"Use this link: {links.url(LinkPurpose.PARENT_PART, token)}\n\n"
        f"The link works once and expires on {long_date(link.expires_at.date())}.\n\n"
        "Nottinghamshire County Council",
        object_type=OBJECT_TYPE,
        object_id=licence.id,
    )
    audit.record(
        "performance_licence.parent_link_sent",
        OBJECT_TYPE,
        licence.id,
        after={"link_id": link.id, "expires_at": link.expires_at},
    )


def resend_parent_link(licence_id: int, user: User, parent_email: str | None = None) -> PerformanceLicence:
    """A new link to the parent (the old one stops working), optionally to a corrected address."""
    with db.transaction():
        licence = get_visible(licence_id, user, for_update=True)
        _require_status(licence, LicenceStatus.SUBMITTED, action="send the parent's link")
        if licence.parent_part_state == ParentPartState.COMPLETED:
            raise problems.Problem(
                409, "The parent's part is already complete", extra={"current_status": licence.status}
            )
        if parent_email and parent_email != licence.parent_email:
            audit.record(
                "performance_licence.parent_email_changed",
                OBJECT_TYPE,
                licence.id,
                before={"parent_email": licence.parent_email},
                after={"parent_email": parent_email},
            )
            licence.parent_email = parent_email
        _send_parent_link(licence)
    return licence


def withdraw(licence_id: int, user: User, reason: str | None = None) -> PerformanceLicence:
    """The producer withdraws an application not yet decided (409 once decided or withdrawn)."""
    with db.transaction():
        licence = get_visible(licence_id, user, for_update=True)
        _require_status(licence, LicenceStatus.DRAFT, LicenceStatus.SUBMITTED, action="withdraw")
        before = licence.status
        licence.status = LicenceStatus.WITHDRAWN.value
        licence.withdrawn_at = utcnow()
        licence.withdrawal_reason = reason or None
        links.revoke(OBJECT_TYPE, licence.id)
        audit.record(
            "performance_licence.withdrawn",
            OBJECT_TYPE,
            licence.id,
            before={"status": before},
            after={"status": licence.status},
            note=reason or None,
        )
        if before == LicenceStatus.SUBMITTED and licence.parent_email:
            notify.enqueue(
                licence.parent_email,
                f"Performance licence application {licence.reference} withdrawn",
                f"Dear {licence.parent_name},\n\n"
                f"The application for a licence for {licence.child_name} to take part in "
                f"{licence.production.name} has been withdrawn by the producer. You do not need to do "
                "anything, and the link we sent you no longer works.\n\nNottinghamshire County Council",
                object_type=OBJECT_TYPE,
                object_id=licence.id,
            )
    return licence
