"""Officers' pages for concerns: the list (open safeguarding concerns first, then by due date), one concern
with what was reported and what has been done, a form to record an action (a letter, with its recipient;
an unannounced visit, with its place and date) and a form to close it. Officers and admins only; every
other role gets 403.

Views stay thin: forms check the answers, then the same service as the API acts, and its 409/422 reasons
appear in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from sqlalchemy import func, select
from wtforms import SelectField, SubmitField
from wtforms.validators import ValidationError

from licensing_service.models.concerns import ActionKind, Concern, ConcernStatus
from licensing_service.schemas.concerns import ConcernActionInSchema, ConcernClosureSchema
from licensing_service.services import concerns
from licensing_service.services.inspections import PLACE_LABELS
from shared import auth, calendar, db, documents, problems
from shared.form_helpers import area, choices, error_list, radios, text
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, User

blp = Blueprint("concern_officer", __name__, url_prefix="/officer")

CONCERN_ID = "<int(max=2147483647):concern_id>"
ACTION_ID = "<int(max=2147483647):action_id>"
PAGE_SIZE = 25
MAX_PAGE = 100_000

STATUS_TAGS = {
    ConcernStatus.OPEN.value: "govuk-tag--blue",
    ConcernStatus.IN_PROGRESS.value: "govuk-tag--yellow",
    ConcernStatus.CLOSED.value: "govuk-tag--grey",
}


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "status_labels": concerns.STATUS_LABELS,
        "status_tags": STATUS_TAGS,
        "activity_labels": concerns.ACTIVITY_LABELS,
        "action_labels": concerns.ACTION_LABELS,
        "outcome_labels": concerns.OUTCOME_LABELS,
        "place_labels": {k.value: v for k, v in PLACE_LABELS.items()},
    }


# Forms ------------------------------------------------------------------------------------------------


def _not_future(what: str):
    def check(form, field) -> None:
        if field.data is not None and field.data > calendar.today():
            raise ValidationError(f"{what} must be today or in the past")

    return check


class ActionForm(FlaskForm):
    kind = radios(
        "What did you do?",
        list(concerns.ACTION_LABELS.items()),
        "Select what you did",
    )
    recipient_name = text("Name", None, 200, "Name must be 200 characters or fewer")
    recipient_organisation = text(
        "Organisation (optional)", None, 200, "Organisation must be 200 characters or fewer"
    )
    recipient_address = area("Address", None, 500, "Address must be 500 characters or fewer")
    place_kind = radios(
        "Where will you go?",
        [(k.value, v) for k, v in PLACE_LABELS.items()],
        "Select the kind of place",
    )
    visit_address = area("Address to visit", None, 500, "Address must be 500 characters or fewer")
    planned_on = GovDateField(
        "Planned date", description="For example, 14 3 2026. Nobody outside the council is told."
    )
    officer_id = SelectField("Officer", widget=GovSelect(), validate_choice=False)
    notes = area(
        "Notes",
        None,
        10_000,
        "Notes must be 10,000 characters or fewer",
        description="What you did and why. Needed for support to apply and legal action.",
    )
    taken_on = GovDateField(
        "Date (optional)",
        name_in_errors="The date",
        description="Leave blank for today",
        validators=[_not_future("The date")],
    )
    submit = SubmitField("Record action", widget=GovSubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The place of a visit is asked only for a visit.
        self.place_kind.validators = []

    def validate_planned_on(self, field) -> None:
        if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2099, 12, 31):
            raise ValidationError("Planned date must be a real date")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # What each kind needs. Optional fields stop their own validators when empty, so these are here.
        kind = self.kind.data
        required = {
            ActionKind.LETTER.value: [
                (self.recipient_name, "Enter the name of the person the letter is to"),
                (self.recipient_address, "Enter the address the letter is to"),
            ],
            ActionKind.UNANNOUNCED_VISIT.value: [
                (self.place_kind, "Select the kind of place"),
                (self.visit_address, "Enter the address to visit"),
                (self.planned_on, "Enter the planned date of the visit"),
            ],
            ActionKind.SUPPORT_TO_APPLY.value: [(self.notes, "Describe what was done")],
            ActionKind.LEGAL_ACTION.value: [(self.notes, "Describe what was done")],
        }
        for field, message in required.get(kind, []):
            if not field.data and not field.errors:
                field.errors = [message]
                ok = False
        if kind == ActionKind.UNANNOUNCED_VISIT:
            if self.place_kind.data and self.place_kind.data not in PLACE_LABELS:
                self.place_kind.errors = ["Select the kind of place"]
                ok = False
            if self.officer_id.data not in {c.value for c in self.officer_id.choices}:
                self.officer_id.errors = ["Select the officer"]
                ok = False
        return ok


class CloseForm(FlaskForm):
    outcome = radios(
        "What was the outcome?",
        list(concerns.OUTCOME_LABELS.items()),
        "Select the outcome",
    )
    outcome_notes = area("Notes (optional)", None, 10_000, "Notes must be 10,000 characters or fewer")
    submit = SubmitField("Close concern", widget=GovSubmitInput())


# Helpers ----------------------------------------------------------------------------------------------


def _staff_choices():
    staff = db.session().scalars(
        select(User)
        .where(User.role.in_([r.value for r in STAFF_ROLES]), User.active.is_(True))
        .order_by(User.id)
        .limit(500)
    )
    return choices((str(u.id), u.name or u.email) for u in staff)


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name or u.email for u in db.session().scalars(select(User).where(User.id.in_(ids)))}


def _loaded(schema: type[ma.Schema], data: dict[str, Any]) -> dict[str, Any]:
    """The answers through the API's schema, so the page refuses what the API refuses (a NUL, say)."""
    try:
        return schema().load(data)
    except ma.ValidationError as error:
        errors = problems.flatten_errors(error.messages)
        raise problems.Problem(422, "Check the answers", errors=errors) from None


def _apply_problem(form: FlaskForm, error: problems.Problem, default_field: str) -> None:
    """A service's refusal shown at the field it is about (so in the error summary too)."""
    if (error.code or 500) >= 500:
        raise error
    mapping = {
        "recipient.name": "recipient_name",
        "recipient.organisation": "recipient_organisation",
        "recipient.address": "recipient_address",
        "visit.place_kind": "place_kind",
        "visit.address": "visit_address",
        "visit.planned_on": "planned_on",
        "visit.officer_id": "officer_id",
    }
    placed = False
    for key, messages in error.errors.items():
        name = mapping.get(key) or key.split(".")[-1]
        if name == "notes" and "outcome_notes" in form._fields:
            name = "outcome_notes"
        field = form._fields.get(name)
        if field is not None and name != "csrf_token":
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        field = form._fields[default_field]
        field.errors = [*field.errors, error.description or "That cannot be done"]


# Pages ------------------------------------------------------------------------------------------------


@blp.get("/concerns")
@auth.page_roles(*STAFF_ROLES)
def concerns_page():
    status = request.args.get("status")
    status = status if status in concerns.STATUS_LABELS else None
    query = concerns.list_query(status)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    today = calendar.today()
    return render_template(
        "concern_officer/list.html",
        page_title="Concerns",
        concerns=rows,
        overdue={c.id for c in rows if concerns.is_overdue(c, today)},
        status=status,
        total=total,
        page=page,
        last_page=last_page,
    )


def _concern_page(
    concern: Concern, action_form: ActionForm | None = None, close_form: CloseForm | None = None
):
    if action_form is None:
        action_form = ActionForm(formdata=None, data={"officer_id": str(g.current_user.id)})
    action_form.officer_id.choices = _staff_choices()
    close_form = close_form or CloseForm(formdata=None)
    errors = error_list(action_form, close_form)
    visits = concerns.inspections_of(concern.id)
    names = _names(
        {
            i
            for i in (
                concern.mash_referred_by,
                concern.closed_by,
                *(a.recorded_by for a in concern.actions),
                *(v.officer_id for v in visits),
            )
            if i
        }
    )
    return render_template(
        "concern_officer/concern.html",
        page_title=("Error: " if errors else "") + f"Concern {concern.reference}",
        concern=concern,
        actions=concern.actions,
        visits={v.id: v for v in visits},
        visit_list=visits,
        names=names,
        overdue=concerns.is_overdue(concern),
        action_form=action_form,
        close_form=close_form,
        errors=errors,
    ), (400 if errors else 200)


@blp.get(f"/concerns/{CONCERN_ID}")
@auth.page_roles(*STAFF_ROLES)
def concern_page(concern_id: int):
    return _concern_page(concerns.get(concern_id))


@blp.post(f"/concerns/{CONCERN_ID}/actions")
@auth.page_roles(*STAFF_ROLES)
def add_action(concern_id: int):
    concern = concerns.get(concern_id)
    form = ActionForm()
    form.officer_id.choices = _staff_choices()
    if form.validate_on_submit():
        kind = form.kind.data
        taken_on = form.taken_on.data
        data: dict[str, Any] = {
            "kind": kind,
            "notes": form.notes.data or "",
            "taken_on": taken_on.isoformat() if taken_on else None,
        }
        if kind == ActionKind.LETTER:
            data["recipient"] = {
                "name": form.recipient_name.data,
                "organisation": form.recipient_organisation.data or "",
                "address": form.recipient_address.data,
            }
        if kind == ActionKind.UNANNOUNCED_VISIT:
            data["visit"] = {
                "place_kind": form.place_kind.data,
                "address": form.visit_address.data,
                "planned_on": form.planned_on.data.isoformat(),
                "officer_id": int(form.officer_id.data),
            }
        try:
            action = concerns.add_action(concern.id, _loaded(ConcernActionInSchema, data), g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "kind")
        else:
            message = f"{concerns.ACTION_LABELS[kind]} recorded"
            if action.document_id:
                message += ": the letter is ready to download and post"
            flash(message)
            return redirect(url_for("concern_officer.concern_page", concern_id=concern.id))
    db.session().expire_all()
    return _concern_page(concerns.get(concern_id), action_form=form)


@blp.post(f"/concerns/{CONCERN_ID}/close")
@auth.page_roles(*STAFF_ROLES)
def close(concern_id: int):
    concern = concerns.get(concern_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            data = {"outcome": form.outcome.data, "notes": form.outcome_notes.data or ""}
            concerns.close(concern.id, _loaded(ConcernClosureSchema, data), g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "outcome")
        else:
            flash(f"Concern {concern.reference} closed")
            return redirect(url_for("concern_officer.concern_page", concern_id=concern.id))
    db.session().expire_all()
    return _concern_page(concerns.get(concern_id), close_form=form)


@blp.get(f"/concerns/{CONCERN_ID}/actions/{ACTION_ID}/letter.pdf")
@auth.page_roles(*STAFF_ROLES)
def letter(concern_id: int, action_id: int):
    return documents.pdf_response(concerns.letter_document(concern_id, action_id))
