"""Officers' pages for performance licences: the queue, and each application with its checks, the school's
opinion, the SPP's approval of the education arrangements and the decision; then a granted licence's
variations (each a new version) and its revocation.

Views stay thin: each form is checked here, then the same service the API calls acts, and its 409/422
reasons are shown in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``. Officers and
admins only; every other role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import marshmallow as ma
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from sqlalchemy import select
from wtforms import RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from licensing_service.models.licences import CheckKind, CheckOutcome, LicenceStatus, PerformanceLicence
from licensing_service.schemas.decisions import VariationInSchema
from licensing_service.services import (
    education_approvals,
    licence_checks,
    licence_decisions,
    licences,
    licensing_queue,
)
from licensing_service.web.licence_variation import VariationForms, check_conditions
from licensing_service.web.producer_pages.display import day_rows, document_links
from shared import auth, calendar, db, problems
from shared.calendar import LONDON
from shared.form_helpers import email_format, error_list, lines, render, strip
from shared.users import STAFF_ROLES, User

blp = Blueprint("licence_officer", __name__, url_prefix="/officer/licences")

LICENCE_ID = "<int(max=2147483647):licence_id>"
PAGE_SIZE = 25
MAX_PAGE = licensing_queue.MAX_DEPTH // PAGE_SIZE

CHECK_LABELS = {
    CheckKind.EDUCATION.value: "Education (attendance and welfare)",
    CheckKind.SOCIAL_CARE.value: "Social care",
    CheckKind.EARLY_HELP.value: "Early help",
    CheckKind.SCHOOL_OPINION.value: "The school's opinion",
}
OUTCOME_LABELS = {CheckOutcome.NO_CONCERNS.value: "No concerns", CheckOutcome.CONCERNS.value: "Concerns"}
OUTSTANDING_LABELS = {
    "parent_part": "Parent's part",
    CheckKind.EDUCATION.value: "Education check",
    CheckKind.SOCIAL_CARE.value: "Social care check",
    CheckKind.EARLY_HELP.value: "Early help check",
    CheckKind.SCHOOL_OPINION.value: "School's opinion",
    "education_arrangements": "Approval of the education arrangements",
}
PARTIES = {"holder": "Licence holder", "host_authority": "Host authority", "parent": "Parent or carer"}


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "check_labels": CHECK_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "outstanding_labels": OUTSTANDING_LABELS,
        "parties": PARTIES,
        "local_date": local_date,
    }


def local_date(moment: datetime | None) -> date | None:
    """The day in London of a stored UTC time."""
    return moment.astimezone(LONDON).date() if moment else None


# Forms ------------------------------------------------------------------------------------------------


class CheckForm(FlaskForm):
    """One check's outcome; each kind has its own form on the page (``prefix`` is the kind)."""

    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice(value, text) for value, text in OUTCOME_LABELS.items()],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select the outcome of the check"),
            AnyOf(list(OUTCOME_LABELS), message="Select the outcome of the check"),
        ],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        filters=[strip],
        description="Needed when there are concerns",
        validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_notes(self, field) -> None:
        if self.outcome.data == CheckOutcome.CONCERNS and not field.data:
            raise ValidationError("Say what the concerns are")


class EducationApprovalForm(FlaskForm):
    """The SPP's approval of the education arrangements (needed when the child misses school)."""

    approved = RadioField(
        "Do you approve the education arrangements?",
        choices=[SelectChoice("yes", "Yes, approve them"), SelectChoice("no", "No, do not approve them")],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether you approve the education arrangements"),
            AnyOf(["yes", "no"], message="Select whether you approve the education arrangements"),
        ],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        filters=[strip],
        description="Needed when you do not approve them",
        validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Save the education decision", widget=GovSubmitInput())

    def validate_notes(self, field) -> None:
        if self.approved.data == "no" and not field.data:
            raise ValidationError("Say why the education arrangements are not approved")


class SchoolRequestForm(FlaskForm):
    school_email = StringField(
        "School's email address",
        widget=GovTextInput(),
        filters=[strip],
        description="Usually the head teacher or the school office. The school gets a link that works once.",
        validators=[
            InputRequired("Enter the school's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            email_format,
        ],
    )
    submit = SubmitField("Ask the school", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = RadioField(
        "What do you want to do?",
        choices=[
            SelectChoice("grant", "Grant the licence"),
            SelectChoice("refuse", "Refuse the application"),
        ],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether to grant or refuse"),
            AnyOf(["grant", "refuse"], message="Select whether to grant or refuse"),
        ],
    )
    conditions = TextAreaField(
        "Extra conditions (optional)",
        widget=GovTextArea(),
        filters=[lines],
        description="One condition on each line. The standard conditions are always on the licence.",
        validators=[
            Length(max=20_000, message="Conditions must be 20,000 characters or fewer"),
            check_conditions,
        ],
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        filters=[strip],
        description="Needed to refuse, and to grant when a check found concerns",
        validators=[Length(max=5000, message="Reason must be 5,000 characters or fewer")],
    )
    late_reason = TextAreaField(
        "Why are you granting a late application?",
        widget=GovTextArea(),
        filters=[strip],
        description="The application gave less than 21 days' notice",
        validators=[Length(max=5000, message="Reason must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field) -> None:
        if self.decision.data == "refuse" and not field.data:
            raise ValidationError("Enter the reason for refusing the application")


class RevocationForm(FlaskForm):
    reason = TextAreaField(
        "Why are you revoking the licence?",
        widget=GovTextArea(),
        filters=[strip],
        description="The licence holder, the host authority and the parent get a letter giving this reason.",
        validators=[
            DataRequired("Enter the reason for revoking the licence"),
            Length(max=5000, message="Reason must be 5,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Revoke the licence", widget=GovSubmitInput())


# The queue --------------------------------------------------------------------------------------------


@blp.get("")
@auth.page_roles(*STAFF_ROLES)
def queue():
    requested = request.args.get("page", 1, type=int) or 1
    page = min(max(requested, 1), MAX_PAGE)
    today = calendar.today()
    result = licensing_queue.page(page=page, page_size=PAGE_SIZE, kind="performance_licence", today=today)
    total = result["total"]
    last_page = min(max(1, -(-total // PAGE_SIZE)), MAX_PAGE)
    if page > last_page:
        page = last_page
        result = licensing_queue.page(page=page, page_size=PAGE_SIZE, kind="performance_licence", today=today)
    items = result["items"]
    names = _child_names([item.id for item in items])
    return render_template(
        "licence_officer/queue.html",
        page_title="Licence queue",
        items=items,
        names=names,
        total=total,
        page=page,
        last_page=last_page,
        page_size=PAGE_SIZE,
    )


def _child_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session().execute(
        select(
            PerformanceLicence.id,
            PerformanceLicence.child_first_name,
            PerformanceLicence.child_last_name,
        ).where(PerformanceLicence.id.in_(ids))
    )
    return {row.id: f"{row.child_first_name or ''} {row.child_last_name or ''}".strip() for row in rows}


# One application --------------------------------------------------------------------------------------


def _check_forms(failed: CheckForm | None = None) -> dict[str, CheckForm]:
    """A form for each check; the one just sent keeps its answers and errors."""
    forms = {}
    for kind in CHECK_LABELS:
        if failed is not None and failed._prefix == f"{kind}-":
            forms[kind] = failed
        else:
            forms[kind] = CheckForm(formdata=None, prefix=kind)
    return forms


def _application_page(
    licence: PerformanceLicence,
    *,
    check_form: CheckForm | None = None,
    school_form: SchoolRequestForm | None = None,
    education_form: EducationApprovalForm | None = None,
    decision_form: DecisionForm | None = None,
    revocation_form: RevocationForm | None = None,
    extra: list[dict[str, str]] | None = None,
):
    check_forms = _check_forms(check_form)
    school_form = school_form or SchoolRequestForm(formdata=None)
    education_form = education_form or EducationApprovalForm(formdata=None)
    decision_form = decision_form or DecisionForm(formdata=None)
    revocation_form = revocation_form or RevocationForm(formdata=None)
    forms = (*check_forms.values(), school_form, education_form, decision_form, revocation_form)
    errors = error_list(*forms) + (extra or [])
    checks = {c.kind: c for c in licence.checks}
    users = _user_names(
        {c.recorded_by_id for c in licence.checks} | {licence.decided_by_id, licence.education_approved_by_id}
    )
    title = f"{licence.reference}: {licence.child_name or 'application'}"
    decided = licence.status not in (LicenceStatus.DRAFT, LicenceStatus.SUBMITTED)
    outcome = licence_decisions.outcome(licence) if decided else None
    return render_template(
        "licence_officer/application.html",
        page_title=("Error: " if errors else "") + title,
        licence=licence,
        production=licence.production,
        rows=day_rows(licence.days),
        checks=checks,
        check_forms=check_forms,
        school_form=school_form,
        education_form=education_form,
        decision_form=decision_form,
        revocation_form=revocation_form,
        errors=errors,
        readiness=licence_decisions.readiness(licence) if licence.status == LicenceStatus.SUBMITTED else None,
        overdue=licences.is_overdue(licence),
        users=users,
        outcome=outcome,
        documents=document_links(outcome),
        versions=licence_versions(outcome),
        can_vary=can_vary(licence),
    ), (400 if errors else 200)


def licence_versions(outcome: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each version of the licence, oldest first: when and why it was made, and whether its PDF is held."""
    if outcome is None:
        return []
    held = {d["version"] for d in outcome["documents"] if d["kind"] == "licence"}
    return [
        {
            **entry,
            "changes": [licence_decisions.CHANGE_LABELS.get(c, c) for c in entry["changes"]],
            "held": entry["version"] in held,
        }
        for entry in outcome["history"]
        if entry["version"] is not None
    ]


def can_vary(licence: PerformanceLicence) -> bool:
    """Granted and not yet ended (the service refuses anything else with a 409)."""
    ended = licence.last_day is not None and licence.last_day < calendar.today()
    return licence.status == LicenceStatus.GRANTED and not ended


def _user_names(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u.name or u.email for u in db.session().scalars(select(User).where(User.id.in_(wanted)))}


@blp.get(f"/{LICENCE_ID}")
@auth.page_roles(*STAFF_ROLES)
def application(licence_id: int):
    return _application_page(licences.get_visible(licence_id, g.current_user))


def _to_application(licence_id: int, anchor: str = ""):
    return redirect(url_for("licence_officer.application", licence_id=licence_id) + anchor)


def _act(
    licence_id: int,
    form: FlaskForm,
    act: Callable[[PerformanceLicence], object],
    done: Callable[[PerformanceLicence], str],
    *,
    field: str,
    page_form: str,
    anchor: str = "",
):
    """A form posted from the application page: act, then back to the page with a message; or the page
    again with the form's errors (a service refusal shown at ``field``)."""
    licence = licences.get_visible(licence_id, g.current_user)
    if form.validate_on_submit():
        try:
            act(licence)
        except problems.Problem as error:
            _problem_at(form, error, field)
        else:
            flash(done(licence))
            return _to_application(licence.id, anchor)
    db.session().refresh(licence)
    return _application_page(licence, **{page_form: form})


@blp.post(f"/{LICENCE_ID}/checks/<any(education, social_care, early_help, school_opinion):kind>")
@auth.page_roles(*STAFF_ROLES)
def record_check(licence_id: int, kind: str):
    form = CheckForm(prefix=kind)
    return _act(
        licence_id,
        form,
        lambda licence: licence_checks.record(
            licence.id,
            {"kind": kind, "outcome": form.outcome.data, "notes": form.notes.data or ""},
            g.current_user,
        ),
        lambda licence: f"{CHECK_LABELS[kind]}: {OUTCOME_LABELS[form.outcome.data].lower()} recorded",
        field="outcome",
        page_form="check_form",
        anchor="#checks",
    )


@blp.post(f"/{LICENCE_ID}/school-opinion")
@auth.page_roles(*STAFF_ROLES)
def ask_school(licence_id: int):
    form = SchoolRequestForm()
    return _act(
        licence_id,
        form,
        lambda licence: licence_checks.request_school_opinion(
            licence.id, form.school_email.data, g.current_user
        ),
        lambda licence: f"We have emailed {form.school_email.data} a link to give the school's opinion",
        field="school_email",
        page_form="school_form",
        anchor="#checks",
    )


@blp.post(f"/{LICENCE_ID}/education-approval")
@auth.page_roles(*STAFF_ROLES)
def approve_education(licence_id: int):
    form = EducationApprovalForm()
    return _act(
        licence_id,
        form,
        lambda licence: education_approvals.record(
            licence.id,
            {"approved": form.approved.data == "yes", "notes": form.notes.data or ""},
            g.current_user,
        ),
        lambda licence: (
            "Education arrangements approved"
            if form.approved.data == "yes"
            else "Education arrangements not approved"
        ),
        field="approved",
        page_form="education_form",
        anchor="#education-approval",
    )


@blp.post(f"/{LICENCE_ID}/decision")
@auth.page_roles(*STAFF_ROLES)
def decide(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    form = DecisionForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        conditions = form.conditions.data.split("\n") if form.conditions.data else []
        data = {
            "decision": form.decision.data,
            "reason": form.reason.data or None,
            "conditions": conditions,
            "late_reason": form.late_reason.data or None,
        }
        try:
            decided = licence_decisions.decide(licence.id, data, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            extra = _decision_errors(form, error)
        else:
            if decided.status == LicenceStatus.GRANTED:
                flash(f"Licence {decided.licence_number} granted. Copies have been sent.")
            else:
                flash("Application refused. The producer and the parent have been told.")
            return _to_application(licence.id)
    db.session().refresh(licence)
    return _application_page(licence, decision_form=form, extra=extra)


@blp.post(f"/{LICENCE_ID}/revocation")
@auth.page_roles(*STAFF_ROLES)
def revoke(licence_id: int):
    form = RevocationForm()
    return _act(
        licence_id,
        form,
        lambda licence: licence_decisions.revoke(licence.id, {"reason": form.reason.data}, g.current_user),
        lambda licence: (
            f"Licence {licence.licence_number} revoked. The letter has been sent to the same parties."
        ),
        field="reason",
        page_form="revocation_form",
    )


@blp.route(f"/{LICENCE_ID}/variation", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def vary(licence_id: int):
    """Vary a granted licence: the form read into :func:`licence_decisions.vary`'s body; its refusals
    (the schedule's breaches, a day already past, nothing changed) shown in the error summary."""
    licence = licences.get_visible(licence_id, g.current_user)
    if not can_vary(licence):
        return _to_application(licence.id)
    forms = VariationForms.of(licence, calendar.today())
    extra: list[dict[str, str]] = []
    breaches: list[str] = []
    if forms.validate_on_submit():
        try:
            data = VariationInSchema().load(forms.body(licence))
            varied = licence_decisions.vary(licence.id, data, g.current_user)
        except ma.ValidationError as error:
            extra = forms.place(problems.flatten_errors(error.messages))
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            extra = forms.place(error.errors or {"": [error.description or "The licence cannot be varied"]})
            breaches = (error.errors or {}).get("schedule", [])
        else:
            version = licence_decisions.outcome(varied)["version"]
            flash(
                f"Licence {varied.licence_number} varied (version {version}). Copies have been sent to the "
                "licence holder, the host authority and the parent."
            )
            return _to_application(licence.id)
    return render(
        "licence_officer/variation.html",
        f"Vary licence {licence.licence_number}",
        *forms.all(),
        extra=extra,
        licence=licence,
        forms=forms,
        past_rows=day_rows(forms.past),
        breaches=breaches,
        back=url_for("licence_officer.application", licence_id=licence.id),
    )


def _problem_at(form: FlaskForm, error: problems.Problem, default: str) -> None:
    """A service's refusal shown at the field it names (so in the error summary too)."""
    if (error.code or 500) >= 500:
        raise error
    placed = False
    for key, messages in (error.errors or {}).items():
        field = form._fields.get(key.split(".")[-1])
        if field is not None and field.name != "csrf_token" and not field.name.endswith("csrf_token"):
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        field = form._fields[default]
        field.errors = [*field.errors, error.description or "That cannot be done"]


DECISION_FIELDS = {
    "decision": "decision",
    "reason": "reason",
    "conditions": "conditions",
    "late_reason": "late_reason",
}
# What is missing before a grant, where to put it right on the page.
DECISION_ANCHORS = {
    "checks": "#checks",
    "parent_part": "#parent-part",
    "education_arrangements": "#education-approval",
    "breaches": "#breaches",
    "schedule": "#breaches",
}


def _decision_errors(form: DecisionForm, error: problems.Problem) -> list[dict[str, str]]:
    """The decision service's refusal: field errors at the form, what is missing linked to its section."""
    extra = []
    for key, messages in (error.errors or {}).items():
        top = key.split(".")[0]
        if top in DECISION_FIELDS:
            field = form._fields[DECISION_FIELDS[top]]
            field.errors = [*field.errors, *messages]
        else:
            href = DECISION_ANCHORS.get(top, "#decision")
            extra += [{"text": message, "href": href} for message in messages]
    if not error.errors or (not extra and not form.errors):
        extra.append({"text": error.description or "The decision cannot be saved", "href": "#decision"})
    return extra
