"""Chaperone applicants' pages: apply, follow the application, upload a photo, book training and download
the approval letter and ID card; and the referee's page, opened from the link in their email.

Views stay thin: forms check what was typed, then the same services as the API act, and their 409/422
reasons are shown in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSelect, GovSubmitInput
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from licensing_service.models.chaperones import ChaperoneApproval
from licensing_service.rules import chaperones as rules
from licensing_service.services import chaperone_approvals as approvals
from licensing_service.services import training_sessions as training
from licensing_service.services.parent_part import MAX_PHOTO_BYTES
from licensing_service.web import link_pages
from shared import auth, calendar, db, documents, problems
from shared.form_helpers import YES_NO, area, email_format, place_errors, radios, render, text
from shared.formatting import long_date
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, Role

blp = Blueprint("chaperone_pages", __name__)

APPROVAL_ID = "<int(max=2147483647):approval_id>"
SESSION_ID = "<int(max=2147483647):session_id>"
TOKEN = "<string(maxlength=200):token>"
DONE = "chaperone_reference_done"
KINDS = [
    (
        "volunteer",
        "Volunteer",
        "You will not be paid to look after the children (for example, a parent helping at a show)",
    ),
    ("professional", "Professional", "You will be paid to act as a chaperone"),
]
STATUS_TAGS = {
    "submitted": "govuk-tag--blue",
    "checks_in_progress": "govuk-tag--light-blue",
    "approved": "govuk-tag--green",
    "refused": "govuk-tag--red",
    "suspended": "govuk-tag--orange",
    "revoked": "govuk-tag--grey",
    "expired": "govuk-tag--grey",
}
UNAVAILABLE = {
    404: (
        "This link is not right",
        "Check that you copied the whole link from the email. If it still does not work, ask the applicant "
        "to contact us.",
    ),
    409: ("No reference is needed now", None),
    410: (
        "This link no longer works",
        "Links work once and expire. Contact us if you still want to give a reference.",
    ),
}


@blp.app_template_global()
def chaperone_status(status: str) -> tuple[str, str]:
    """A status as a GOV.UK tag: (text, class)."""
    try:
        label = rules.STATUS_LABELS[rules.Status(status)]
    except ValueError:
        label = status
    return label, STATUS_TAGS.get(status, "govuk-tag--grey")


# --- applying -----------------------------------------------------------------------------------------


def _not_future(what: str):
    def check(form, field) -> None:
        if field.data is not None and field.data > calendar.today():
            raise ValidationError(f"{what} must be in the past")

    return check


def _dbs_number(form, field) -> None:
    if field.data and not (field.data.isascii() and field.data.isdigit() and len(field.data) == 12):
        raise ValidationError("The DBS certificate number must be 12 digits, like 001234567890")


class ApplyForm(FlaskForm):
    name = text("Full name", "Enter your full name", 200, "Your name must be 200 characters or fewer")
    date_of_birth = GovDateField(
        "Date of birth",
        description="For example, 27 3 1985. You must be 18 or over.",
        required="Enter your date of birth",
        validators=[_not_future("Your date of birth")],
    )
    address = area(
        "Home address", "Enter your home address", 500, "Your address must be 500 characters or fewer"
    )
    email = text(
        "Email address",
        "Enter your email address",
        254,
        "Your email address must be 254 characters or fewer",
        description="We send updates about your application here",
        validators=[email_format],
    )
    kind = radios(
        "Will you be a volunteer or a professional chaperone?",
        [(k, label) for k, label, _hint in KINDS],
        "Select whether you will be a volunteer or a professional chaperone",
    )
    renewal_of = SelectField(
        "Is this a renewal?", widget=GovSelect(), validate_choice=False, validators=[Optional()]
    )
    dbs_number = text(
        "Certificate number",
        "Enter your DBS certificate number",
        20,
        "The DBS certificate number must be 12 digits",
        description="12 digits, printed at the top right of the certificate",
        validators=[_dbs_number],
    )
    dbs_issue_date = GovDateField(
        "Date of issue",
        description="For example, 14 11 2025",
        required="Enter the date your DBS certificate was issued",
        validators=[_not_future("The date of issue")],
    )
    dbs_update_service = radios(
        "Is your certificate on the DBS update service?",
        YES_NO,
        "Select yes if your certificate is on the update service",
    )
    referee1_name = text(
        "Full name", "Enter the first referee's name", 200, "The name must be 200 characters or fewer"
    )
    referee1_email = text(
        "Email address",
        "Enter the first referee's email address",
        254,
        "The email address must be 254 characters or fewer",
        validators=[email_format],
    )
    referee1_relationship = text(
        "How do they know you?",
        "Say how the first referee knows you",
        100,
        "This must be 100 characters or fewer",
        description="For example, line manager or neighbour. A referee must not be a relative.",
    )
    referee2_name = text(
        "Full name", "Enter the second referee's name", 200, "The name must be 200 characters or fewer"
    )
    referee2_email = text(
        "Email address",
        "Enter the second referee's email address",
        254,
        "The email address must be 254 characters or fewer",
        validators=[email_format],
    )
    referee2_relationship = text(
        "How do they know you?",
        "Say how the second referee knows you",
        100,
        "This must be 100 characters or fewer",
        description="For example, head teacher or club leader. A referee must not be a relative.",
    )
    consent = BooleanField(
        "I agree to the council checking its children's services records about me",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Send application", widget=GovSubmitInput())


# Which form field an API error path belongs to.
APPLY_FIELDS = {
    "applicant.name": "name",
    "applicant.date_of_birth": "date_of_birth",
    "applicant.address": "address",
    "applicant.email": "email",
    "kind": "kind",
    "renewal_of": "renewal_of",
    "dbs.certificate_number": "dbs_number",
    "dbs.issue_date": "dbs_issue_date",
    "dbs.update_service": "dbs_update_service",
    "references.0.name": "referee1_name",
    "references.0.email": "referee1_email",
    "references.0.relationship": "referee1_relationship",
    "references.1.name": "referee2_name",
    "references.1.email": "referee2_email",
    "references.1.relationship": "referee2_relationship",
    "database_check_consent": "consent",
}


def _renewable(user) -> list[ChaperoneApproval]:
    return list(
        db.session().scalars(
            approvals.scope(select(ChaperoneApproval), user)
            .where(ChaperoneApproval.status.in_(rules.RENEWABLE_STATUSES))
            .order_by(ChaperoneApproval.id.desc())
            .limit(20)
        )
    )


def _apply_data(form: ApplyForm) -> dict[str, Any]:
    return {
        "applicant": {
            "name": form.name.data,
            "date_of_birth": form.date_of_birth.data,
            "address": form.address.data,
            "email": form.email.data,
        },
        "kind": form.kind.data,
        "dbs": {
            "certificate_number": form.dbs_number.data,
            "issue_date": form.dbs_issue_date.data,
            "update_service": form.dbs_update_service.data == "yes",
        },
        "references": [
            {
                "name": getattr(form, f"referee{n}_name").data,
                "email": getattr(form, f"referee{n}_email").data,
                "relationship": getattr(form, f"referee{n}_relationship").data,
            }
            for n in (1, 2)
        ],
        "database_check_consent": bool(form.consent.data),
        "renewal_of": int(form.renewal_of.data) if (form.renewal_of.data or "").isdigit() else None,
    }


@blp.route("/chaperone/apply", methods=["GET", "POST"])
@auth.page_roles(Role.APPLICANT)
def apply():
    user = g.current_user
    form = ApplyForm() if request.method == "POST" else ApplyForm(formdata=None, data={"email": user.email})
    earlier = _renewable(user)
    form.renewal_of.choices = [SelectChoice("", "No, this is my first application")] + [
        SelectChoice(str(a.id), f"Yes, renewing {a.approval_number}") for a in earlier
    ]
    if form.validate_on_submit():
        if form.renewal_of.data and form.renewal_of.data not in {str(a.id) for a in earlier}:
            form.renewal_of.errors = ["Select the approval you are renewing"]
        else:
            try:
                approval = approvals.submit(_apply_data(form), user)
            except problems.Problem as error:
                if (error.code or 500) >= 500:
                    raise
                place_errors(form, error.errors or {"name": [error.description]}, APPLY_FIELDS, "name")
            else:
                flash(f"Application {approval.reference} sent. We have emailed your referees.")
                return redirect(url_for("chaperone_pages.show", approval_id=approval.id))
    return render("chaperone/apply.html", "Apply to be a chaperone", form, kinds=KINDS, renewals=earlier)


@blp.get("/chaperone")
@auth.page_roles(Role.APPLICANT)
def index():
    rows = list(db.session().scalars(approvals.list_query(g.current_user).limit(100)))
    return render_template("chaperone/index.html", page_title="Chaperone approval", approvals=rows)


# --- one application ----------------------------------------------------------------------------------


class PhotoForm(FlaskForm):
    photo = FileField(
        "Upload a photo of yourself",
        widget=GovFileInput(),
        description="A recent, clear photo of your face: a JPG or PNG, smaller than 5 MB and at least 300 by "
        "300 pixels. It is printed on your ID card.",
    )
    submit = SubmitField("Upload photo", widget=GovSubmitInput())

    def validate_photo(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Select a photo to upload")


def _show(approval: ChaperoneApproval, photo_form: PhotoForm | None = None, extra: list | None = None):
    user = g.current_user
    shown = approvals.detail(approval, user)
    booked = {t["session_id"] for t in shown["training"]}
    sessions = []
    if approval.status in rules.OPEN_STATUSES:
        query = training.list_query(upcoming_from=calendar.today(), with_places=True).limit(10)
        sessions = [training.summary(s, n) for s, n in db.session().execute(query) if s.id not in booked]
    return render(
        "chaperone/show.html",
        f"Application {approval.reference}",
        photo_form or PhotoForm(formdata=None),
        extra=extra,
        approval=approval,
        shown=shown,
        sessions=sessions,
        labels=rules.OUTSTANDING_LABELS,
        kinds={k: label for k, label, _ in KINDS},
        max_mb=MAX_PHOTO_BYTES // (1024 * 1024),
    )


@blp.get(f"/chaperone/{APPROVAL_ID}")
@auth.page_roles(Role.APPLICANT)
def show(approval_id: int):
    return _show(approvals.get_visible(approval_id, g.current_user))


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    return render_template(
        "parent/unavailable.html",
        page_title="The photo is too large",
        title="The photo is too large",
        detail="The photo must be smaller than 5 MB.",
        advice=None,
        again=request.path.removesuffix("/photo"),
    ), 413


@blp.post(f"/chaperone/{APPROVAL_ID}/photo")
@auth.page_roles(Role.APPLICANT)
def photo(approval_id: int):
    approval = approvals.get_visible(approval_id, g.current_user)
    form = PhotoForm()
    if form.validate_on_submit():
        content = form.photo.data.stream.read(MAX_PHOTO_BYTES + 1)
        try:
            approvals.upload_photo(approval.id, content, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            form.photo.errors = [*form.photo.errors, *(error.errors.get("photo") or [error.description])]
        else:
            flash("Photo uploaded. It will be printed on your ID card.")
            return redirect(url_for("chaperone_pages.show", approval_id=approval.id))
    db.session().refresh(approval)
    return _show(approval, photo_form=form)


@blp.post(f"/chaperone/{APPROVAL_ID}/training/{SESSION_ID}")
@auth.page_roles(Role.APPLICANT)
def book(approval_id: int, session_id: int):
    approval = approvals.get_visible(approval_id, g.current_user)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _show(approval, extra=[{"text": "The form expired: try again", "href": "#training"}])
    try:
        _booking, _approval = training.book(session_id, approval.id, g.current_user)
    except problems.Problem as error:
        if error.code not in (404, 409):
            raise
        db.session().rollback()
        return _show(approval, extra=[{"text": error.description, "href": "#training"}])
    chosen = training.get(session_id)
    flash(f"You are booked on chaperone training on {long_date(chosen.held_on)} at {chosen.place}.")
    return redirect(url_for("chaperone_pages.show", approval_id=approval.id))


@blp.get(f"/chaperone/{APPROVAL_ID}/documents/<any(approval_letter, id_card, refusal_letter):kind>.pdf")
@auth.page_roles(Role.APPLICANT, *STAFF_ROLES)
def document(approval_id: int, kind: str):
    approval = approvals.get_visible(approval_id, g.current_user)
    return documents.pdf_response(approvals.document(approval, kind), inline=False)


@blp.get(f"/chaperone/{APPROVAL_ID}/photo")
@auth.page_roles(Role.APPLICANT, *STAFF_ROLES)
def photo_image(approval_id: int):
    approval = approvals.get_visible(approval_id, g.current_user)
    if approval.photo is None:
        raise problems.Problem(404, "No photo has been uploaded")
    response = Response(approval.photo, mimetype=approval.photo_content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the referee's page -------------------------------------------------------------------------------


class ReferenceForm(FlaskForm):
    known_for = text(
        "How long have you known them?",
        "Say how long you have known the applicant",
        100,
        "This must be 100 characters or fewer",
        description="For example, 6 years",
    )
    capacity = text(
        "In what capacity do you know them?",
        "Say in what capacity you know the applicant",
        200,
        "This must be 200 characters or fewer",
        description="For example, as their manager at work, or as a neighbour",
    )
    suitable = radios(
        "Do you think they are suitable to look after children?",
        YES_NO,
        "Select yes if you think they are suitable to look after children",
    )
    comments = area(
        "Anything else we should know (optional)",
        None,
        5000,
        "Comments must be 5,000 characters or fewer",
        description="If you answered no, tell us why.",
    )
    declaration = BooleanField(
        "The information I have given is true to the best of my knowledge, and I am not related to the "
        "applicant",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Send reference", widget=GovSubmitInput())

    def validate_comments(self, field) -> None:
        if self.suitable.data == "no" and not field.data:
            raise ValidationError("Tell us why you think they are not suitable to look after children")

    def validate_declaration(self, field) -> None:
        if field.data is not True:
            raise ValidationError("Confirm the declaration to give the reference")


@blp.route(f"/chaperone-reference/{TOKEN}", methods=["GET", "POST"])
def reference(token: str):
    try:
        view = approvals.reference_view(token)
    except problems.Problem as error:
        return link_pages.unavailable(error, UNAVAILABLE)
    form = ReferenceForm()
    if form.validate_on_submit():
        data = {
            "known_for": form.known_for.data,
            "capacity": form.capacity.data,
            "suitable": form.suitable.data == "yes",
            "comments": form.comments.data or "",
            "declaration": True,
        }
        try:
            approvals.give_reference(token, data)
        except problems.Problem as error:
            if error.code != 422:
                return link_pages.unavailable(error, UNAVAILABLE)
            place_errors(form, error.errors, {k: k for k in data}, "known_for")
        else:
            session[DONE] = {"applicant_name": view["applicant_name"]}
            return redirect(url_for("chaperone_pages.reference_done"))
    return render(
        "chaperone/reference.html",
        f"Reference for {view['applicant_name']}",
        form,
        view=view,
        kinds={k: label for k, label, _ in KINDS},
    )


@blp.get("/chaperone-reference/complete")
def reference_done():
    done = session.get(DONE)
    if not isinstance(done, dict):
        return redirect(url_for("pages.start"))
    return render_template("chaperone/reference_done.html", page_title="Reference sent", done=done)
