"""Officers' pages for child employment permits: the list (by status, paginated) and each permit with its
hours, the findings, the parent's declaration, the late flag, the site visit, the decision and revocation.

A grant that is not ready (no parent's declaration, hours that break the law) is refused by the same
service as the API; each missing thing is shown in the GOV.UK error summary (status 400).
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from sqlalchemy import func, select
from wtforms import SubmitField
from wtforms.validators import ValidationError

from licensing_service.models.employment import EmploymentPermit, PermitStatus
from licensing_service.rules import employment as rules
from licensing_service.services import employment_permits as permits
from licensing_service.services import inspections, permit_documents
from licensing_service.web.employment_pages import STATUS_TAGS
from shared import auth, calendar, db, documents, problems
from shared.form_helpers import area, error_list, radios
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, User

blp = Blueprint("employment_officer", __name__)

ID = "<int(max=2147483647):permit_id>"
PAGE_SIZE = 25


class DecisionForm(FlaskForm):
    decision = radios(
        "Decision", [("grant", "Grant the permit"), ("refuse", "Refuse the permit")], "Select grant or refuse"
    )
    reason = area(
        "Reason",
        None,
        5000,
        "The reason must be 5,000 characters or fewer",
        description="Needed to refuse. To grant, any note for the record.",
    )
    issue_date = GovDateField(
        "Date of issue (optional)", name_in_errors="Date of issue", description="Leave blank for today"
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())

    def validate_reason(self, field) -> None:
        if self.decision.data == "refuse" and not (field.data or "").strip():
            raise ValidationError("Give the reason for refusing the permit")


class RevokeForm(FlaskForm):
    revocation_reason = area(
        "Why is the permit revoked?",
        "Give the reason for revoking the permit",
        5000,
        "The reason must be 5,000 characters or fewer",
    )
    revoke = SubmitField("Revoke the permit", widget=GovSubmitInput())


@blp.get("/officer/employment-permits")
@auth.page_roles(*STAFF_ROLES)
def permits_list():
    status = request.args.get("status")
    status = status if status in {s.value for s in PermitStatus} else None
    query = permits.list_query(g.current_user, status)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    last_page = max(1, -(-total // PAGE_SIZE))
    page = request.args.get("page", "1")
    page = min(int(page), last_page) if page.isdigit() and int(page) > 0 else 1
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    today = calendar.today()
    return render_template(
        "employment_officer/list.html",
        page_title="Employment permits",
        permits=rows,
        overdue={p.id for p in rows if permits.is_overdue(p, today)},
        statuses=[s.value for s in PermitStatus],
        status=status,
        total=total,
        page=page,
        last_page=last_page,
        tags=STATUS_TAGS,
    )


def _page(permit: EmploymentPermit, decision_form=None, revoke_form=None, extra_errors=None):
    decision_form = decision_form or DecisionForm(formdata=None)
    revoke_form = revoke_form or RevokeForm(formdata=None)
    errors = error_list(decision_form, revoke_form) + (extra_errors or [])
    missing, _, _ = permits.readiness(permit) if permit.status == PermitStatus.SUBMITTED else ([], {}, [])
    result = permits.result_of(permit)
    names = {
        u.id: (u.name or u.email)
        for u in db.session().scalars(
            select(User).where(User.id.in_([i for i in (permit.decided_by, permit.revoked_by) if i]))
        )
    }
    return render_template(
        "employment_officer/permit.html",
        page_title=("Error: " if errors else "")
        + f"Employment permit {permit.permit_number or permit.reference}",
        permit=permit,
        tags=STATUS_TAGS,
        overdue=permits.is_overdue(permit),
        category=rules.CATEGORY_LABELS.get(permit.job_category, permit.job_category),
        term_time=permit_documents.hours_rows(permit.schedule, "term_time"),
        holidays=permit_documents.hours_rows(permit.schedule, "holidays"),
        term_total=permit_documents.week_total(permit.schedule, "term_time"),
        holidays_total=permit_documents.week_total(permit.schedule, "holidays"),
        breaches=result.breaches if permit.status == PermitStatus.SUBMITTED else [],
        warnings=result.warnings,
        missing=missing,
        visit=permits.site_visit(permit),
        outcome_labels=inspections.OUTCOME_LABELS,
        kinds=permits.document_kinds(permit),
        names=names,
        decision_form=decision_form,
        revoke_form=revoke_form,
        errors=errors,
    ), (400 if errors else 200)


@blp.route(f"/officer/employment-permits/{ID}", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def permit_page(permit_id: int):
    permit = permits.get_visible(permit_id, g.current_user)
    if request.method == "GET":
        return _page(permit)
    form = DecisionForm()
    extra = []
    if form.validate_on_submit():
        data = {"decision": form.decision.data, "reason": form.reason.data or None, "issue_date": None}
        if form.decision.data == "grant":
            data["issue_date"] = form.issue_date.data
        try:
            decided = permits.decide(permit.id, data, g.current_user)
        except problems.Problem as error:
            for key, messages in (error.errors or {"decision": [error.description]}).items():
                target = {"reason": form.reason, "issue_date": form.issue_date}.get(key)
                if target is not None:
                    target.errors = [*target.errors, *messages]
                else:
                    extra += [{"text": m, "href": "#decision"} for m in messages]
        else:
            what = (
                f"Permit {decided.permit_number} granted" if decided.permit_number else "Application refused"
            )
            flash(f"{what}. The employer and the parent have been emailed.")
            return redirect(url_for("employment_officer.permit_page", permit_id=permit.id))
    db.session().refresh(permit)
    return _page(permit, decision_form=form, extra_errors=extra)


@blp.post(f"/officer/employment-permits/{ID}/revoke")
@auth.page_roles(*STAFF_ROLES)
def revoke(permit_id: int):
    permit = permits.get_visible(permit_id, g.current_user)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            permits.revoke(permit.id, {"reason": form.revocation_reason.data}, g.current_user)
        except problems.Problem as error:
            form.revocation_reason.errors = [*form.revocation_reason.errors, error.description]
        else:
            flash(f"Permit {permit.permit_number} revoked. The employer and the parent have been emailed.")
            return redirect(url_for("employment_officer.permit_page", permit_id=permit.id))
    db.session().refresh(permit)
    return _page(permit, revoke_form=form)


@blp.get(f"/officer/employment-permits/{ID}/<any(permit,refusal,revocation):kind>.pdf")
@auth.page_roles(*STAFF_ROLES)
def document(permit_id: int, kind: str):
    permit = permits.get_visible(permit_id, g.current_user)
    return documents.pdf_response(permits.document(permit, kind))
