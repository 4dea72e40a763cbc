"""Officers' pages: the queue, a request with its register and threshold, the decision, a notice."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from sqlalchemy import select
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from penalty_service.models import PenaltyNotice
from penalty_service.services import dashboard, notices, queue, requests
from penalty_service.services import documents as notice_documents
from shared import auth, calendar, db, documents, problems
from shared.forms import GovDateField
from shared.users import STAFF_ROLES

blp = Blueprint("officer", __name__, url_prefix="/officer")
ID = "<int(max=2147483647):request_id>"


class DecisionForm(FlaskForm):
    decision = RadioField(
        "What do you want to do?",
        choices=[
            SelectChoice("issue", "Issue a penalty notice to each parent"),
            SelectChoice("reject", "Reject the request"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether to issue notices or reject the request")],
    )
    reason = TextAreaField(
        "Reason or notes",
        description="Needed to reject. The school sees this.",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    issue_date = GovDateField("Date of issue", description="Leave blank for today. For example, 26 1 2026")
    posted_on = GovDateField("Date posted (first class)", description="Leave blank for the date of issue")
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for rejecting the request")


@blp.get("/queue")
@auth.page_roles(*STAFF_ROLES)
def queue_page():
    today = calendar.today()
    return render_template(
        "officer/queue.html",
        page_title="Work queue",
        items=queue.open_items(today),
        counts=queue.counts(),
        today=today,
    )


@blp.route(f"/requests/{ID}", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def request_page(request_id: int):
    request = requests.get_visible(request_id, g.current_user)
    form = DecisionForm()
    error = None
    if request.status == "received" and form.validate_on_submit():
        data = {
            "decision": form.decision.data,
            "reason": (form.reason.data or "").strip() or None,
            "issue_date": form.issue_date.data,
            "posted_on": form.posted_on.data,
        }
        try:
            decision = notices.decide(request.id, data, g.current_user)
        except problems.Problem as exc:
            error = exc.description
        else:
            issued = len(decision.notices)
            flash(f"{issued} notice{'s' if issued != 1 else ''} issued" if issued else "Decision saved")
            return redirect(url_for("officer.request_page", request_id=request.id))
    issued = (
        db.session()
        .scalars(
            select(PenaltyNotice).where(PenaltyNotice.request_id == request.id).order_by(PenaltyNotice.id)
        )
        .all()
    )
    status = 400 if (form.errors or error) else 200
    return render_template(
        "officer/request.html",
        page_title=f"Request {request.reference}",
        request=request,
        form=form,
        error=error,
        notices=issued,
        overdue=requests.is_overdue(request),
        threshold=requests.threshold_for(request.register, request.threshold_profile),
    ), status


@blp.get("/notices/<int(max=2147483647):notice_id>")
@auth.page_roles(*STAFF_ROLES)
def notice_page(notice_id: int):
    notice = notices.get_visible(notice_id, g.current_user)
    return render_template(
        "officer/notice.html", page_title=f"Notice {notice.notice_number}", notice=notices.detail(notice)
    )


@blp.get("/dashboard")
@auth.page_roles(*STAFF_ROLES)
def dashboard_page():
    figures = dashboard.figures()
    status_rows = [(status.capitalize(), count) for status, count in figures.notices_by_status.items()]
    return render_template(
        "officer/dashboard.html", page_title="Dashboard", figures=figures, status_rows=status_rows
    )


@blp.get("/notices/<int(max=2147483647):notice_id>/notice.pdf")
@auth.page_roles(*STAFF_ROLES)
def notice_pdf(notice_id: int):
    return documents.pdf_response(notice_documents.notice_pdf(notices.get_visible(notice_id, g.current_user)))
