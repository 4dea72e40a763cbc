"""Officers' oversight pages: unannounced inspections (plan, record the outcome, cancel) and Body of Persons
Approvals (list, decide, revoke). Officers and admins only; every other role gets 403.

Views stay thin: each form is checked here, then the same service the API calls decides, and its 409/422
reasons are shown in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import func, select
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from licensing_service.models.oversight import BopaApproval, Inspection
from licensing_service.rules import bopa as bopa_rules
from licensing_service.services import bopa, inspections
from licensing_service.services.inspections import (
    OUTCOME_LABELS,
    PLACE_LABELS,
    SUBJECT_LABELS,
    Outcome,
    PlaceKind,
    Status,
    SubjectKind,
)
from shared import auth, calendar, db, problems
from shared.form_helpers import choices, error_list, lines, strip
from shared.formatting import long_date
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, User

blp = Blueprint("oversight", __name__, url_prefix="/officer")

INSPECTION_ID = "<int(max=2147483647):inspection_id>"
APPROVAL_ID = "<int(max=2147483647):approval_id>"
PAGE_SIZE = 25
MAX_PAGE = 100_000
MAX_ID = 2_147_483_647

INSPECTION_STATUSES = {
    Status.PLANNED.value: ("Planned", "govuk-tag--blue"),
    Status.DONE.value: ("Done", "govuk-tag--green"),
    Status.CANCELLED.value: ("Cancelled", "govuk-tag--grey"),
}
OUTCOME_TAGS = {
    Outcome.COMPLIANT.value: "govuk-tag--green",
    Outcome.ADVICE_GIVEN.value: "govuk-tag--yellow",
    Outcome.BREACH_FOUND.value: "govuk-tag--orange",
    Outcome.CHILD_REMOVED.value: "govuk-tag--red",
}
BOPA_STATUSES = {
    bopa_rules.Status.SUBMITTED.value: ("Submitted", "govuk-tag--blue"),
    bopa_rules.Status.APPROVED.value: ("Approved", "govuk-tag--green"),
    bopa_rules.Status.REFUSED.value: ("Refused", "govuk-tag--red"),
    bopa_rules.Status.REVOKED.value: ("Revoked", "govuk-tag--grey"),
}


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "inspection_statuses": INSPECTION_STATUSES,
        "outcome_labels": {k.value: v for k, v in OUTCOME_LABELS.items()},
        "outcome_tags": OUTCOME_TAGS,
        "place_labels": {k.value: v for k, v in PLACE_LABELS.items()},
        "subject_labels": {k.value: v for k, v in SUBJECT_LABELS.items()},
        "bopa_statuses": BOPA_STATUSES,
        "subject_label": inspections.subject_label,
    }


# Forms ------------------------------------------------------------------------------------------------


def _not_future(what: str):
    def check(form, field) -> None:
        if field.data is not None and field.data > calendar.today():
            raise ValidationError(f"{what} must be today or in the past")

    return check


def _in_range(what: str):
    def check(form, field) -> None:
        if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2099, 12, 31):
            raise ValidationError(f"{what} must be a real date")

    return check


class PlanForm(FlaskForm):
    subject_kind = SelectField(
        "What is the inspection about?",
        choices=choices([("", "Choose"), *((k.value, v) for k, v in SUBJECT_LABELS.items())]),
        widget=GovSelect(),
        validate_choice=False,
        validators=[
            InputRequired("Select what the inspection is about"),
            AnyOf([k.value for k in SubjectKind], message="Select what the inspection is about"),
        ],
    )
    subject_id = StringField(
        "Its number in this service",
        description="The id of the licence, permit, approval or production, for example 12",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the number of the licence, permit, approval or production")],
    )
    place_kind = RadioField(
        "Where will you go?",
        choices=choices((k.value, v) for k, v in PLACE_LABELS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select the kind of place"),
            AnyOf([k.value for k in PlaceKind], message="Select the kind of place"),
        ],
    )
    address = TextAreaField(
        "Address",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired("Enter the address to visit"),
            Length(max=500, message="Address must be 500 characters or fewer"),
        ],
    )
    planned_on = GovDateField(
        "Planned date",
        description="For example, 14 3 2026. Nobody outside the council is told.",
        required="Enter the planned date",
        validators=[_in_range("Planned date")],
    )
    officer_id = SelectField("Officer", widget=GovSelect(), validate_choice=False)
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=4000, message="Notes must be 4,000 characters or fewer")],
    )
    submit = SubmitField("Plan inspection", widget=GovSubmitInput())

    def validate_subject_id(self, field) -> None:
        value = field.data or ""
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
            raise ValidationError("Enter the number as digits, for example 12")

    def validate_officer_id(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Select the officer")


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        "What was the outcome?",
        choices=choices((k.value, v) for k, v in OUTCOME_LABELS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select the outcome"),
            AnyOf([o.value for o in Outcome], message="Select the outcome"),
        ],
    )
    findings = TextAreaField(
        "Findings",
        description="What you saw and did. Needed unless the outcome is compliant.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=10_000, message="Findings must be 10,000 characters or fewer")],
    )
    visited_on = GovDateField(
        "Date of the visit",
        description="For example, 14 3 2026",
        required="Enter the date of the visit",
        validators=[_not_future("The date of the visit")],
    )
    submit = SubmitField("Record outcome", widget=GovSubmitInput())

    def validate_findings(self, field) -> None:
        if self.outcome.data in OUTCOME_LABELS and self.outcome.data != Outcome.COMPLIANT and not field.data:
            raise ValidationError("Describe what the visit found")


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why are you cancelling it?",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired("Enter why you are cancelling the inspection"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Cancel inspection", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = RadioField(
        "What do you want to do?",
        choices=choices([("approve", "Approve the organisation"), ("refuse", "Refuse the application")]),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether to approve or refuse"),
            AnyOf(["approve", "refuse"], message="Select whether to approve or refuse"),
        ],
    )
    reason = TextAreaField(
        "Reason",
        description="Needed to refuse, and to approve an application that arrived late. "
        "The organisation sees it.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    conditions = TextAreaField(
        "Extra conditions (optional)",
        description="One condition on each line. The standard conditions are always included.",
        widget=GovTextArea(),
        filters=[lines],
        validators=[Length(max=20_000, message="Conditions must be 20,000 characters or fewer")],
    )
    approved_from = GovDateField(
        "Approved from", description="Leave blank for the start of the period or the first performance"
    )
    approved_until = GovDateField(
        "Approved until", description="Leave blank for the end of the period or the last performance"
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_conditions(self, field) -> None:
        lines = (field.data or "").split("\n") if field.data else []
        if len(lines) > 30:
            raise ValidationError("Add no more than 30 conditions")
        if any(len(line) > 1000 for line in lines):
            raise ValidationError("Each condition must be 1,000 characters or fewer")

    def validate_approved_from(self, field) -> None:
        _in_range("Approved from")(self, field)

    def validate_approved_until(self, field) -> None:
        _in_range("Approved until")(self, field)


class RevokeForm(FlaskForm):
    revocation_reason = TextAreaField(
        "Why are you revoking the approval?",
        description="The organisation is told this reason.",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired("Enter why you are revoking the approval"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Revoke approval", widget=GovSubmitInput())


# Errors -----------------------------------------------------------------------------------------------


def _apply_problem(form: FlaskForm, error: problems.Problem, default_field: str) -> None:
    """A service's refusal shown at the field it is about (so in the error summary too)."""
    if (error.code or 500) >= 500:
        raise error
    placed = False
    for key, messages in error.errors.items():
        field = form._fields.get(key.split(".")[0]) or form._fields.get(key.split(".")[-1])
        if field is not None and field.name != "csrf_token":
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        field = form._fields[default_field]
        field.errors = [*field.errors, error.description or "That cannot be done"]


def _page_number(total: int) -> tuple[int, int]:
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    return page, last_page


def _staff_choices() -> list[SelectChoice]:
    staff = db.session().scalars(
        select(User)
        .where(User.role.in_([r.value for r in STAFF_ROLES]), User.active.is_(True))
        .order_by(User.id)
    )
    return choices((str(u.id), u.name or u.email) for u in staff)


def _officer_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.name or u.email for u in db.session().scalars(select(User).where(User.id.in_(ids)))}


# Inspections ------------------------------------------------------------------------------------------


def _inspections_page(plan_form: PlanForm | None = None):
    if plan_form is None:
        prefill = {
            "subject_kind": request.args.get("subject_kind", ""),
            "subject_id": request.args.get("subject_id", ""),
            "officer_id": str(g.current_user.id),
        }
        plan_form = PlanForm(formdata=None, data=prefill)
    plan_form.officer_id.choices = _staff_choices()
    status = request.args.get("status")
    filters = {"status": status} if status in INSPECTION_STATUSES else {}
    query = inspections.list_query(filters)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, last_page = _page_number(total)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    errors = error_list(plan_form)
    return render_template(
        "oversight/inspections.html",
        page_title="Inspections",
        inspections=rows,
        officers=_officer_names({i.officer_id for i in rows}),
        plan_form=plan_form,
        errors=errors,
        status=filters.get("status"),
        total=total,
        page=page,
        last_page=last_page,
        today=calendar.today(),
    ), (400 if errors else 200)


@blp.get("/inspections")
@auth.page_roles(*STAFF_ROLES)
def inspections_page():
    return _inspections_page()


@blp.post("/inspections")
@auth.page_roles(*STAFF_ROLES)
def plan_inspection():
    form = PlanForm()
    form.officer_id.choices = _staff_choices()
    if form.validate_on_submit():
        data = {
            "subject_kind": form.subject_kind.data,
            "subject_id": int(form.subject_id.data),
            "place_kind": form.place_kind.data,
            "address": form.address.data,
            "planned_on": form.planned_on.data,
            "officer_id": int(form.officer_id.data),
            "notes": form.notes.data or "",
        }
        try:
            inspection = inspections.plan(data, g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "subject_id")
        else:
            flash(f"Inspection {inspection.reference} planned for {long_date(inspection.planned_on)}")
            return redirect(url_for("oversight.inspection_page", inspection_id=inspection.id))
    return _inspections_page(form)


def _inspection_page(
    inspection: Inspection, outcome_form: OutcomeForm | None = None, cancel_form: CancelForm | None = None
):
    outcome_form = outcome_form or OutcomeForm(formdata=None)
    cancel_form = cancel_form or CancelForm(formdata=None)
    errors = error_list(outcome_form, cancel_form)
    names = _officer_names(
        {i for i in (inspection.officer_id, inspection.recorded_by, inspection.cancelled_by) if i}
    )
    return render_template(
        "oversight/inspection.html",
        page_title=f"Inspection {inspection.reference}",
        inspection=inspection,
        officers=names,
        subject=inspections.subject_label(inspection.subject_kind, inspection.subject_id),
        subject_href=_subject_href(inspection.subject_kind, inspection.subject_id),
        outcome_form=outcome_form,
        cancel_form=cancel_form,
        errors=errors,
        overdue=inspections.is_overdue(inspection),
    ), (400 if errors else 200)


# The officer's page for each kind of record an inspection is about (productions have none of their own).
SUBJECT_PAGES = {
    SubjectKind.BOPA: ("oversight.bopa_page", "approval_id"),
    SubjectKind.PERFORMANCE_LICENCE: ("licence_officer.application", "licence_id"),
    SubjectKind.EMPLOYMENT_PERMIT: ("employment_officer.permit_page", "permit_id"),
    SubjectKind.CONCERN: ("concern_officer.concern_page", "concern_id"),
}


def _subject_href(kind: str, subject_id: int) -> str | None:
    if kind not in SUBJECT_PAGES:
        return None
    endpoint, argument = SUBJECT_PAGES[SubjectKind(kind)]
    return url_for(endpoint, **{argument: subject_id})


@blp.route(f"/inspections/{INSPECTION_ID}", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def inspection_page(inspection_id: int):
    inspection = inspections.get(inspection_id)
    if request.method == "GET":
        return _inspection_page(inspection)
    form = OutcomeForm()
    if form.validate_on_submit():
        data = {
            "outcome": form.outcome.data,
            "findings": form.findings.data or "",
            "visited_on": form.visited_on.data,
        }
        try:
            inspections.record_outcome(inspection.id, data, g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "outcome")
        else:
            flash(f"Outcome recorded: {OUTCOME_LABELS[Outcome(data['outcome'])].lower()}")
            return redirect(url_for("oversight.inspection_page", inspection_id=inspection.id))
    db.session().refresh(inspection)
    return _inspection_page(inspection, outcome_form=form)


@blp.post(f"/inspections/{INSPECTION_ID}/cancel")
@auth.page_roles(*STAFF_ROLES)
def cancel_inspection(inspection_id: int):
    inspection = inspections.get(inspection_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            inspections.cancel(inspection.id, {"reason": form.reason.data}, g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "reason")
        else:
            flash(f"Inspection {inspection.reference} cancelled")
            return redirect(url_for("oversight.inspection_page", inspection_id=inspection.id))
    db.session().refresh(inspection)
    return _inspection_page(inspection, cancel_form=form)


# Body of Persons Approvals ----------------------------------------------------------------------------


@blp.get("/bopa-approvals")
@auth.page_roles(*STAFF_ROLES)
def bopa_list():
    status = request.args.get("status")
    status = status if status in BOPA_STATUSES else None
    query = bopa.list_query(g.current_user, status)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, last_page = _page_number(total)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    today = calendar.today()
    return render_template(
        "oversight/bopa_list.html",
        page_title="Body of persons approvals",
        approvals=rows,
        overdue={a.id for a in rows if bopa.is_overdue(a, today)},
        status=status,
        total=total,
        page=page,
        last_page=last_page,
    )


def _bopa_page(
    approval: BopaApproval, decision_form: DecisionForm | None = None, revoke_form: RevokeForm | None = None
):
    decision_form = decision_form or DecisionForm(formdata=None)
    revoke_form = revoke_form or RevokeForm(formdata=None)
    errors = error_list(decision_form, revoke_form)
    return render_template(
        "oversight/bopa.html",
        page_title=f"Approval {approval.reference}",
        approval=approval,
        overdue=bopa.is_overdue(approval),
        standard_conditions=approval.standard_conditions or list(bopa_rules.STANDARD_CONDITIONS),
        inspections=inspections.for_subject(SubjectKind.BOPA.value, approval.id),
        officers=_officer_names({i for i in (approval.decided_by, approval.revoked_by) if i}),
        decision_form=decision_form,
        revoke_form=revoke_form,
        errors=errors,
    ), (400 if errors else 200)


@blp.route(f"/bopa-approvals/{APPROVAL_ID}", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def bopa_page(approval_id: int):
    approval = bopa.get_visible(approval_id, g.current_user)
    if request.method == "GET":
        return _bopa_page(approval)
    form = DecisionForm()
    if form.validate_on_submit():
        data = {
            "decision": form.decision.data,
            "reason": form.reason.data or None,
            "conditions": (form.conditions.data or "").split("\n") if form.conditions.data else [],
            "approved_from": form.approved_from.data,
            "approved_until": form.approved_until.data,
        }
        if data["decision"] == "refuse":
            data.update(conditions=[], approved_from=None, approved_until=None)
        try:
            decided = bopa.decide(approval.id, data, g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "decision")
        else:
            flash(f"Approval {decided.reference} {decided.status}. The organisation has been emailed.")
            return redirect(url_for("oversight.bopa_page", approval_id=approval.id))
    db.session().refresh(approval)
    return _bopa_page(approval, decision_form=form)


@blp.post(f"/bopa-approvals/{APPROVAL_ID}/revoke")
@auth.page_roles(*STAFF_ROLES)
def revoke_bopa(approval_id: int):
    approval = bopa.get_visible(approval_id, g.current_user)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            bopa.revoke(approval.id, {"reason": form.revocation_reason.data}, g.current_user)
        except problems.Problem as error:
            _apply_problem(form, error, "revocation_reason")
        else:
            flash(f"Approval {approval.reference} revoked. The organisation has been emailed.")
            return redirect(url_for("oversight.bopa_page", approval_id=approval.id))
    db.session().refresh(approval)
    return _bopa_page(approval, revoke_form=form)
