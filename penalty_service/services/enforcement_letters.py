"""Attendance enforcement letters: Notice to Attend, then a Formal Warning Letter 4 weeks later, then a
Court Action Letter 4 weeks after that, then prosecution. Each step is dated and generated as a letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from penalty_service.enforcement_models import EnforcementLetter
from penalty_service.models import School
from penalty_service.rules.requests import EnforcementStep, next_step, next_step_due
from penalty_service.services import schools
from penalty_service.services.documents import address_lines
from penalty_service.services.notices import parent_key
from shared import audit, auth, calendar, db, documents, problems
from shared.documents import Document
from shared.formatting import long_date
from shared.users import User

LETTER_OBJECT, LETTER_KIND = "enforcement_letter", "letter"


def history(upn: str, key: str) -> list[EnforcementLetter]:
    return list(
        db.session().scalars(
            select(EnforcementLetter)
            .where(EnforcementLetter.pupil_upn == upn, EnforcementLetter.parent_key == key)
            .order_by(EnforcementLetter.issued_on, EnforcementLetter.id)
        )
    )


def _step_for(previous: list[EnforcementLetter], issued_on: date) -> EnforcementStep:
    if not previous:
        return EnforcementStep.NOTICE_TO_ATTEND
    last = previous[-1]
    step = next_step(last.step)
    if step is None or step is EnforcementStep.PROSECUTION:
        raise problems.Problem(
            409,
            "The Court Action Letter was sent: the next step is prosecution under s444, not another letter",
        )
    if last.next_step_due_on and issued_on < last.next_step_due_on:
        due = long_date(last.next_step_due_on)
        previous = EnforcementStep(last.step).label
        raise problems.Problem(409, f"The {step.label} is due from {due}, 4 weeks after the {previous}")
    return step


def issue(data: dict[str, Any], user: User) -> EnforcementLetter:
    school = schools.by_urn(data["school_urn"])
    if school is None:
        raise problems.invalid("school_urn", "No school with this URN is registered with the service")
    issued_on = data.get("issued_on") or calendar.today()
    pupil, parent = data["pupil"], data["parent"]
    key = parent_key(pupil["upn"], parent["name"])
    with db.transaction():
        step = _step_for(history(pupil["upn"], key), issued_on)
        letter = EnforcementLetter(
            school_id=school.id,
            pupil_upn=pupil["upn"],
            pupil_name=f"{pupil['first_name']} {pupil['last_name']}",
            parent_name=parent["name"],
            parent_key=key,
            parent_address=parent["address"],
            step=step.value,
            issued_on=issued_on,
            next_step_due_on=next_step_due(step, issued_on),
            issued_by=user.id,
        )
        db.session().add(letter)
        db.session().flush()
        audit.record(
            "enforcement_letter.issued",
            LETTER_OBJECT,
            letter.id,
            after={"step": step.value, "issued_on": issued_on, "next_step_due_on": letter.next_step_due_on},
        )
    letter_pdf(letter)
    return letter


def get(letter_id: int) -> EnforcementLetter:
    return auth.visible_or_404(db.session().get(EnforcementLetter, letter_id))


def letter_pdf(letter: EnforcementLetter) -> Document:
    existing = documents.latest(LETTER_OBJECT, letter.id, LETTER_KIND)
    if existing is not None:
        return existing
    step = EnforcementStep(letter.step)
    content = documents.render_pdf(
        "enforcement_letter.html",
        title=step.label,
        footer_left=f"{step.label} — {letter.pupil_name}",
        letter=letter,
        step=step,
        school=db.session().get(School, letter.school_id),
        parent_address=address_lines(letter.parent_address),
        issued_on=long_date(letter.issued_on),
        next_due=long_date(letter.next_step_due_on),
        earlier=[e for e in history(letter.pupil_upn, letter.parent_key) if e.id < letter.id],
        long_date=long_date,
        steps=EnforcementStep,
    )
    with db.transaction():
        document = documents.store(
            LETTER_OBJECT, letter.id, LETTER_KIND, f"{step.value}-{letter.id}.pdf", content
        )
        db.session().flush()
        audit.record(
            "document.created", LETTER_OBJECT, letter.id, after={"kind": LETTER_KIND, "id": document.id}
        )
    return document
