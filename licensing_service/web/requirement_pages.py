"""The public page "Do I need a licence?": a few questions, and the answer on the same page.

The answer comes from :func:`licensing_service.rules.requirement.licence_requirement`, the same rule as
``POST /api/v1/licence-requirement``. The page asks for the first day and the number of days rather than
every date, and takes the days to run one after another from the first day: that puts them all within 6
months of each other, which is what the 4-day rule counts, and tells the user when the child passes
compulsory school age part way through.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from licensing_service.rules.requirement import ActivityKind, Requirement, licence_requirement
from shared import calendar
from shared.form_helpers import error_list
from shared.formatting import long_date
from shared.forms import GovDateField

blp = Blueprint("requirement", __name__)

MAX_DAYS = 366
MAX_PRIOR_DAYS = 184  # the days in 6 months
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
KINDS = {
    "performance": ("Perform", "In a play, film, television or radio programme, concert, show or similar"),
    "sport": ("Take part in sport", None),
    "modelling": ("Work as a model", None),
}
KIND_RULE = {
    "performance": ActivityKind.PERFORMANCE,
    "sport": ActivityKind.PAID_SPORT,
    "modelling": ActivityKind.PAID_MODELLING,
}
ARRANGERS = {
    "school": "The child's school",
    "bopa": "An organisation with a body of persons approval (BOPA) from a council",
    "other": "Someone else",
}
YES_NO = [("yes", "Yes"), ("no", "No")]


def _radios(label: str, choices: list[tuple[str, str]], message: str, **kwargs) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(value, text) for value, text in choices],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf([c[0] for c in choices], message=message)],
        **kwargs,
    )


def _whole_number(maximum: int, required: str, invalid: str, too_big: str):
    """A count typed into a text box: digits only, GOV.UK wording for each mistake."""

    def check(form, field) -> None:
        value = (field.data or "").strip()
        if not value:
            raise ValidationError(required)
        if not value.isdigit() or not value.isascii():
            raise ValidationError(invalid)
        if int(value) > maximum:
            raise ValidationError(too_big)

    return check


class RequirementForm(FlaskForm):
    date_of_birth = GovDateField(
        "What is the child's date of birth?",
        name_in_errors="Date of birth",
        required="Enter the child's date of birth",
        description="For example, 27 3 2015",
    )
    kind = _radios(
        "What will the child do?",
        [(value, label) for value, (label, _hint) in KINDS.items()],
        "Select what the child will do",
    )
    first_day = GovDateField(
        "What is the first day the child will perform or rehearse?",
        name_in_errors="The first day",
        required="Enter the first day the child will perform or rehearse",
        description="For example, 6 6 2026",
    )
    days = StringField(
        "On how many days will the child perform?",
        widget=GovTextInput(),
        description="Count each day once, even if the child performs more than once that day",
        validators=[
            _whole_number(
                MAX_DAYS,
                "Enter the number of days the child will perform",
                "Enter the number of days as a whole number, like 3",
                f"The number of days must be {MAX_DAYS} or fewer",
            )
        ],
    )
    prior_days = StringField(
        "On how many days has the child performed in the last 6 months?",
        widget=GovTextInput(),
        description="Enter 0 if the child has not performed in the last 6 months",
        validators=[
            _whole_number(
                MAX_PRIOR_DAYS,
                "Enter the number of days the child has performed in the last 6 months, or 0",
                "Enter the number of days as a whole number, like 2",
                f"The number of days in the last 6 months must be {MAX_PRIOR_DAYS} or fewer",
            )
        ],
    )
    paid = _radios(
        "Will anyone be paid for the child taking part?",
        YES_NO,
        "Select yes if anyone will be paid for the child taking part",
    )
    school_absence = _radios(
        "Will the child miss any school to take part?",
        YES_NO,
        "Select yes if the child will miss any school to take part",
    )
    arranged_by = _radios(
        "Who is arranging it?",
        list(ARRANGERS.items()),
        "Select who is arranging it",
    )
    submit = SubmitField("Check", widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        if field.data < EARLIEST:
            raise ValidationError("Date of birth must be after 1900")
        if field.data > calendar.today():
            raise ValidationError("Date of birth must be today or in the past")

    def validate_first_day(self, field) -> None:
        if not EARLIEST <= field.data <= LATEST:
            raise ValidationError("The first day must be a real date between 1900 and 2199")
        if self.date_of_birth.data and field.data < self.date_of_birth.data:
            raise ValidationError("The first day must be on or after the child's date of birth")


def answer(form: RequirementForm) -> Requirement:
    first: date = form.first_day.data
    dates = [first + timedelta(days=i) for i in range(int(form.days.data.strip()))]
    return licence_requirement(
        form.date_of_birth.data,
        dates,
        paid=form.paid.data == "yes",
        school_absence=form.school_absence.data == "yes",
        prior_days_last_6_months=int(form.prior_days.data.strip()),
        kind=KIND_RULE[form.kind.data],
        school_arranged=form.arranged_by.data == "school",
        under_bopa=form.arranged_by.data == "bopa",
    )


@blp.route("/licence-requirement", methods=["GET", "POST"])
def check():
    form = RequirementForm()
    result: Requirement | None = None
    if form.validate_on_submit():
        result = answer(form)
    errors = error_list(form)
    title = "Do I need a licence?"
    context: dict[str, Any] = {
        "form": form,
        "errors": errors,
        "result": result,
        "school_age_ends": long_date(result.compulsory_school_age_ends) if result else "",
        "kinds": KINDS,
        "page_title": ("Error: " if errors else "") + title,
        "heading": title,
    }
    return render_template("requirement/check.html", **context), 400 if errors else 200
