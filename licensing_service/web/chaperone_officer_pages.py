"""Officers' pages for chaperone approvals and training sessions: the list of applications, an application
with its references, checks, training and the decision; suspension, reinstatement and revocation; training
sessions and their attendance. Officers and admins only; every other role gets 403.

Views stay thin: each form is checked here, then the same service as the API acts, and its 409/422
reasons are shown in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from sqlalchemy import func, select
from wtforms import SubmitField
from wtforms.validators import ValidationError

from licensing_service.models.chaperones import ChaperoneApproval
from licensing_service.rules import chaperones as rules
from licensing_service.services import chaperone_approvals as approvals
from licensing_service.services import training_sessions as training
from shared import auth, calendar, db, problems
from shared.form_helpers import area, radios, render, text, whole_number
from shared.formatting import long_date
from shared.forms import GovDateField
from shared.users import STAFF_ROLES

blp = Blueprint("chaperone_officer", __name__, url_prefix="/officer/chaperones")

APPROVAL_ID = "<int(max=2147483647):approval_id>"
SESSION_ID = "<int(max=2147483647):session_id>"
PAGE_SIZE = 25
MAX_PAGE = 100_000
OUTCOMES = [("clear", "Clear"), ("concerns", "Concerns")]
ACTIONS = {
    "suspend": ("Suspend approval", "suspended"),
    "reinstate": ("Lift suspension", "reinstated"),
    "revoke": ("Revoke approval", "revoked"),
}


class CheckForm(FlaskForm):
    outcome = radios("Outcome", OUTCOMES, "Select the outcome of the check")
    notes = area(
        "Notes", None, 5000, "Notes must be 5,000 characters or fewer", description="Needed with concerns"
    )
    submit = SubmitField("Record outcome", widget=GovSubmitInput())

    def validate_notes(self, field) -> None:
        if self.outcome.data == "concerns" and not field.data:
            raise ValidationError("Describe the concerns")


class DecisionForm(FlaskForm):
    decision = radios(
        "What do you want to do?",
        [("approve", "Approve the applicant as a chaperone"), ("refuse", "Refuse the application")],
        "Select whether to approve or refuse",
    )
    reason = area(
        "Reason",
        None,
        2000,
        "Reason must be 2,000 characters or fewer",
        description="Needed to refuse, and to approve where a check found concerns. The applicant sees a "
        "refusal's reason.",
    )
    approved_on = GovDateField("Date of approval (optional)", description="Leave blank for today")
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class StatusForm(FlaskForm):
    reason = area("Reason", "Enter the reason", 2000, "Reason must be 2,000 characters or fewer")
    submit = SubmitField("Save", widget=GovSubmitInput())


class SessionForm(FlaskForm):
    date = GovDateField(
        "Date", description="For example, 16 3 2026", required="Enter the date of the session"
    )
    place = text("Place", "Enter where the session is", 300, "Place must be 300 characters or fewer")
    capacity = text(
        "Number of places",
        "Enter the number of places",
        4,
        "Enter a number from 1 to 500",
        validators=[whole_number("The number of places", 1, 500)],
    )
    submit = SubmitField("Add session", widget=GovSubmitInput())


class AttendanceForm(FlaskForm):
    attended = radios(
        "Did they attend?", [("yes", "Attended"), ("no", "Did not attend")], "Select attended or not"
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


def _place(form: FlaskForm, error: problems.Problem, default: str) -> None:
    """A service's refusal shown at the field it is about (and so in the error summary)."""
    if (error.code or 500) >= 500:
        raise error
    placed = False
    for key, messages in error.errors.items():
        field = form._fields.get(key)
        if field is not None and key != "csrf_token":
            field.errors = [*field.errors, *messages]
            placed = True
        elif key in ("dbs", "references", "database_check", "training", "kind"):
            form._fields[default].errors = [*form._fields[default].errors, *messages]
            placed = True
    if not placed:
        form._fields[default].errors = [*form._fields[default].errors, error.description or "Not saved"]


# --- applications -------------------------------------------------------------------------------------


@blp.get("")
@auth.page_roles(*STAFF_ROLES)
def applications():
    status = request.args.get("status")
    status = status if status in {s.value for s in rules.Status} else None
    query = approvals.list_query(g.current_user, status)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    today = calendar.today()
    return render(
        "chaperone_officer/list.html",
        "Chaperone applications",
        approvals=rows,
        overdue={a.id for a in rows if approvals.is_overdue(a, today)},
        status=status,
        statuses=[(None, "All")] + [(s.value, label) for s, label in rules.STATUS_LABELS.items()],
        total=total,
        page=page,
        last_page=last_page,
    )


def _page(approval: ChaperoneApproval, **forms: FlaskForm):
    check_forms = {
        kind.value: forms.get(f"check_{kind.value}") or CheckForm(formdata=None, prefix=kind.value)
        for kind in rules.CheckKind
    }
    decision_form = forms.get("decision") or DecisionForm(formdata=None)
    status_forms = {
        action: forms.get(f"status_{action}") or StatusForm(formdata=None, prefix=action)
        for action in ACTIONS
    }
    shown = approvals.detail(approval, g.current_user)
    ready = approvals.readiness(approval, "reason given") if approval.status in rules.OPEN_STATUSES else None
    return render(
        "chaperone_officer/application.html",
        f"Chaperone application {approval.reference}",
        decision_form,
        *check_forms.values(),
        *status_forms.values(),
        approval=approval,
        shown=shown,
        check_forms=check_forms,
        decision_form=decision_form,
        status_forms=status_forms,
        actions=ACTIONS,
        ready=ready,
        check_labels={k.value: v for k, v in rules.CHECK_LABELS.items()},
        labels=rules.OUTSTANDING_LABELS,
        overdue=approvals.is_overdue(approval),
    )


@blp.get(f"/{APPROVAL_ID}")
@auth.page_roles(*STAFF_ROLES)
def application(approval_id: int):
    return _page(approvals.get_visible(approval_id, g.current_user))


@blp.post(f"/{APPROVAL_ID}/checks/<any(dbs, references, database_check):kind>")
@auth.page_roles(*STAFF_ROLES)
def record_check(approval_id: int, kind: str):
    approval = approvals.get_visible(approval_id, g.current_user)
    form = CheckForm(prefix=kind)
    if form.validate_on_submit():
        data = {"kind": kind, "outcome": form.outcome.data, "notes": form.notes.data or ""}
        try:
            approvals.record_check(approval.id, data, g.current_user)
        except problems.Problem as error:
            _place(form, error, "outcome")
        else:
            flash(f"{rules.CHECK_LABELS[rules.CheckKind(kind)]}: {form.outcome.data} recorded")
            return redirect(url_for("chaperone_officer.application", approval_id=approval.id))
    db.session().refresh(approval)
    return _page(approval, **{f"check_{kind}": form})


@blp.post(f"/{APPROVAL_ID}/decision")
@auth.page_roles(*STAFF_ROLES)
def decide(approval_id: int):
    approval = approvals.get_visible(approval_id, g.current_user)
    form = DecisionForm()
    if form.validate_on_submit():
        data = {
            "decision": form.decision.data,
            "reason": form.reason.data or None,
            "approved_on": form.approved_on.data if form.decision.data == "approve" else None,
        }
        try:
            decided = approvals.decide(approval.id, data, g.current_user)
        except problems.Problem as error:
            _place(form, error, "decision")
        else:
            if decided.status == rules.Status.APPROVED:
                flash(
                    f"Approved: {decided.approval_number}, valid until {long_date(decided.valid_until)}. "
                    "The letter and ID card have been emailed."
                )
            else:
                flash(f"Application {decided.reference} refused. The applicant has been emailed.")
            return redirect(url_for("chaperone_officer.application", approval_id=approval.id))
    db.session().refresh(approval)
    return _page(approval, decision=form)


@blp.post(f"/{APPROVAL_ID}/<any(suspend, reinstate, revoke):action>")
@auth.page_roles(*STAFF_ROLES)
def change_status(approval_id: int, action: str):
    approval = approvals.get_visible(approval_id, g.current_user)
    form = StatusForm(prefix=action)
    if form.validate_on_submit():
        try:
            approvals.change_status(approval.id, action, {"reason": form.reason.data}, g.current_user)
        except problems.Problem as error:
            _place(form, error, "reason")
        else:
            flash(
                f"Approval {approval.approval_number} {ACTIONS[action][1]}. The chaperone has been emailed."
            )
            return redirect(url_for("chaperone_officer.application", approval_id=approval.id))
    db.session().refresh(approval)
    return _page(approval, **{f"status_{action}": form})


# --- training sessions --------------------------------------------------------------------------------


def _sessions_page(form: SessionForm | None = None):
    show_past = request.args.get("past") == "1"
    query = training.list_query(upcoming_from=None if show_past else calendar.today(), with_places=False)
    rows = [training.summary(s, n) for s, n in db.session().execute(query.limit(200))]
    return render(
        "chaperone_officer/sessions.html",
        "Chaperone training sessions",
        form or SessionForm(formdata=None),
        sessions=rows,
        show_past=show_past,
    )


@blp.get("/training")
@auth.page_roles(*STAFF_ROLES)
def sessions():
    return _sessions_page()


@blp.post("/training")
@auth.page_roles(*STAFF_ROLES)
def create_session():
    form = SessionForm()
    if form.validate_on_submit():
        data = {"date": form.date.data, "place": form.place.data, "capacity": int(form.capacity.data)}
        try:
            created = training.create(data, g.current_user)
        except problems.Problem as error:
            _place(form, error, "place")
        else:
            flash(f"Training session added: {long_date(created.held_on)}, {created.place}")
            return redirect(url_for("chaperone_officer.session_page", session_id=created.id))
    return _sessions_page(form)


def _session_page(session_id: int, failed: tuple[int, AttendanceForm] | None = None):
    session = training.get(session_id)
    rows = training.bookings(session.id)
    forms: dict[int, AttendanceForm] = {}
    for booking, approval in rows:
        if failed is not None and failed[0] == approval.id:
            forms[approval.id] = failed[1]
        else:
            value = None if booking.attended is None else ("yes" if booking.attended else "no")
            forms[approval.id] = AttendanceForm(
                formdata=None, prefix=f"a{approval.id}", data={"attended": value}
            )
    return render(
        "chaperone_officer/session.html",
        f"Training on {long_date(session.held_on)}",
        *forms.values(),
        session=session,
        rows=rows,
        forms=forms,
        can_record=session.held_on <= calendar.today(),
    )


@blp.get(f"/training/{SESSION_ID}")
@auth.page_roles(*STAFF_ROLES)
def session_page(session_id: int):
    return _session_page(session_id)


@blp.post(f"/training/{SESSION_ID}/attendance/{APPROVAL_ID}")
@auth.page_roles(*STAFF_ROLES)
def attendance(session_id: int, approval_id: int):
    form = AttendanceForm(prefix=f"a{approval_id}")
    if form.validate_on_submit():
        try:
            _booking, approval = training.record_attendance(
                session_id, approval_id, form.attended.data == "yes", g.current_user
            )
        except problems.Problem as error:
            _place(form, error, "attended")
        else:
            outcome = "attended" if form.attended.data == "yes" else "did not attend"
            flash(f"{approval.applicant_name}: {outcome}")
            return redirect(url_for("chaperone_officer.session_page", session_id=session_id))
    return _session_page(session_id, (approval_id, form))
