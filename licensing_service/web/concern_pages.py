"""The public concern report form: anyone, signed in or not, tells the council about a child who may be
working or performing without a licence. Every question about the reporter is optional (a report may be
anonymous). The same service as ``POST /api/v1/concerns`` records it; the confirmation shows the reference
and nothing else. Sending is limited per address (``PUBLIC_FORM_RATE_LIMIT``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, g, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, SubmitField
from wtforms.validators import ValidationError

from licensing_service.schemas.concerns import ConcernReportSchema
from licensing_service.services import concerns
from shared import auth, calendar, problems, rate_limits
from shared.form_helpers import area, email_format, error_list, place_errors, radios, text, whole_number
from shared.forms import GovDateField

blp = Blueprint("concern_pages", __name__)

REPORTED = "concern_reported"
# The API's field paths → the form's fields.
SCHEMA_FIELDS = {
    "child.name": "child_name",
    "child.age": "child_age",
    "child.date_of_birth": "child_date_of_birth",
    "child.school": "child_school",
    "activity": "activity",
    "location": "location",
    "organiser": "organiser",
    "when": "when",
    "description": "description",
    "at_risk_now": "at_risk_now",
    "reporter.name": "reporter_name",
    "reporter.email": "reporter_email",
    "reporter.phone": "reporter_phone",
    "reporter.organisation": "reporter_organisation",
}
ACTIVITIES = [
    ("performing", "Performing", "For example in a show, film, television programme, advert or as a model"),
    ("working", "Working", "For example delivering newspapers, in a shop, café or on a farm"),
    ("not_sure", "I'm not sure", None),
]


def _optional_whole_number(what: str, low: int, high: int):
    check = whole_number(what, low, high)

    def optional(form, field) -> None:
        if field.data:
            check(form, field)

    return optional


class ConcernForm(FlaskForm):
    # About the child
    child_name = text("Child's name (optional)", None, 200, "Child's name must be 200 characters or fewer")
    child_age = text(
        "Approximate age (optional)",
        None,
        3,
        "Age must be a whole number, like 3",
        validators=[_optional_whole_number("Age", 0, 18)],
    )
    child_date_of_birth = GovDateField(
        "Date of birth (optional)", name_in_errors="Date of birth", description="For example, 27 3 2012"
    )
    child_school = text("School (optional)", None, 200, "School must be 200 characters or fewer")
    # What is happening
    activity = radios(
        "What is the child doing?", [(v, t) for v, t, _hint in ACTIVITIES], "Select what the child is doing"
    )
    location = area(
        "Where is it happening?",
        "Enter where it is happening",
        2000,
        "Where it is happening must be 2,000 characters or fewer",
        description="The name of the venue, shop or business and its address, if you know it",
    )
    organiser = area(
        "Who is organising it or employing the child? (optional)",
        None,
        2000,
        "Who is organising it must be 2,000 characters or fewer",
        description="A name, business or production company",
    )
    when = text(
        "When does it happen? (optional)",
        None,
        2000,
        "When it happens must be 2,000 characters or fewer",
        description="For example, every Saturday from 8am to 6pm, or on 14 March",
    )
    description = area(
        "Tell us what is happening",
        "Describe what is happening",
        10_000,
        "What is happening must be 10,000 characters or fewer",
        description="Include anything that worries you about the child",
    )
    at_risk_now = radios(
        "Do you think the child is at risk of harm now?",
        [("yes", "Yes"), ("no", "No")],
        "Select yes if you think the child is at risk of harm now",
        description="For example working very late or very long hours, somewhere dangerous, or without "
        "anyone looking after them",
    )
    # About you
    reporter_name = text("Your name (optional)", None, 200, "Your name must be 200 characters or fewer")
    reporter_email = text(
        "Email address (optional)",
        None,
        254,
        "Email address must be 254 characters or fewer",
        validators=[email_format],
        description="We will send you the reference and may contact you if we need to know more",
    )
    reporter_phone = text("Phone number (optional)", None, 40, "Phone number must be 40 characters or fewer")
    reporter_professional = BooleanField(
        "I am reporting as part of my job, for example as a teacher, police officer or social worker",
        widget=GovCheckboxInput(),
    )
    reporter_organisation = text(
        "Organisation (optional)", None, 200, "Organisation must be 200 characters or fewer"
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())

    def validate_child_date_of_birth(self, field) -> None:
        if field.data < date(1990, 1, 1):
            raise ValidationError("Date of birth must be after 1990")
        if field.data > calendar.today():
            raise ValidationError("Date of birth must be in the past")


def report_data(form: ConcernForm) -> dict[str, Any]:
    """The form's answers in the API's shape."""
    age = (form.child_age.data or "").strip()
    return {
        "child": {
            "name": form.child_name.data or "",
            "age": int(age) if age else None,
            "date_of_birth": dob.isoformat() if (dob := form.child_date_of_birth.data) else None,
            "school": form.child_school.data or "",
        },
        "activity": form.activity.data,
        "location": form.location.data,
        "organiser": form.organiser.data or "",
        "when": form.when.data or "",
        "description": form.description.data,
        "at_risk_now": form.at_risk_now.data == "yes",
        "reporter": {
            "name": form.reporter_name.data or "",
            "email": form.reporter_email.data or "",
            "phone": form.reporter_phone.data or "",
            "professional": bool(form.reporter_professional.data),
            "organisation": form.reporter_organisation.data or "",
        },
    }


@blp.route("/report-a-concern", methods=["GET", "POST"])
@rate_limits.limit("PUBLIC_FORM_RATE_LIMIT", methods=["POST"])
def report():
    form = ConcernForm()
    if form.validate_on_submit():
        # The API's schema too: what it refuses (a NUL character, say) the page refuses as well.
        try:
            data = ConcernReportSchema().load(report_data(form))
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), SCHEMA_FIELDS, "description")
        else:
            g.current_user = auth.page_user()
            concern = concerns.report(data, g.current_user)
            session[REPORTED] = {"reference": concern.reference, "safeguarding": concern.safeguarding}
            return redirect(url_for("concern_pages.reported"))
    errors = error_list(form)
    title = "Report a child working or performing without a licence"
    return render_template(
        "concern/report.html",
        form=form,
        errors=errors,
        activities=ACTIVITIES,
        heading=title,
        page_title=("Error: " if errors else "") + title,
    ), (400 if errors else 200)


@blp.get("/report-a-concern/sent")
def reported():
    receipt = session.get(REPORTED)
    if not isinstance(receipt, dict) or not receipt.get("reference"):
        return redirect(url_for("concern_pages.report"))
    return render_template("concern/sent.html", page_title="Report sent", receipt=receipt)
