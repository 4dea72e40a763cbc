"""An organisation's pages for Body of Persons Approvals: apply, then follow each application.

The form asks for the performances and the children one to a line, so a whole series fits on one page;
each line is read here and the same service as ``POST /api/v1/bopa-approvals`` decides. An organisation
sees only its own applications, and nothing of any inspection.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from licensing_service.rules import bopa as rules
from licensing_service.services import bopa
from shared import auth, db, problems
from shared.form_helpers import strip
from shared.forms import GovDateField
from shared.users import Role

blp = Blueprint("bopa_pages", __name__, url_prefix="/bopa")

APPROVAL_ID = "<int(max=2147483647):approval_id>"
MAX_LINES = 200
EARLIEST_EVENT, LATEST_EVENT = date(2000, 1, 1), date(2099, 12, 31)
EARLIEST_BIRTH = date(1900, 1, 1)
DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
STATUSES = {
    rules.Status.SUBMITTED.value: ("Received", "govuk-tag--blue"),
    rules.Status.APPROVED.value: ("Approved", "govuk-tag--green"),
    rules.Status.REFUSED.value: ("Refused", "govuk-tag--red"),
    rules.Status.REVOKED.value: ("Revoked", "govuk-tag--grey"),
}


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {"statuses": STATUSES}


def _date(text: str, earliest: date, latest: date) -> date | None:
    found = DATE.fullmatch(text.strip())
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if earliest <= value <= latest else None


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def parse_performances(text: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """``21/3/2026, Palace Theatre, Newark`` on each line → [{date, venue}], and the lines' mistakes."""
    found, errors = [], []
    for number, line in enumerate(_lines(text), start=1):
        when, _, venue = line.partition(",")
        day = _date(when, EARLIEST_EVENT, LATEST_EVENT)
        if day is None:
            errors.append(f"Line {number}: start with the date as day/month/year, for example 21/3/2026")
        elif not venue.strip():
            errors.append(f"Line {number}: give the venue after the date, separated by a comma")
        elif len(venue.strip()) > 200:
            errors.append(f"Line {number}: the venue must be 200 characters or fewer")
        else:
            found.append({"date": day, "venue": venue.strip()})
    return found, errors


def parse_children(text: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """``Ava Example, 2/5/2015, Nottinghamshire`` on each line → [{name, date_of_birth, home_authority}]."""
    found, errors = [], []
    for number, line in enumerate(_lines(text), start=1):
        parts = [part.strip() for part in line.split(",")]
        if len(parts) < 3 or not parts[0] or not ",".join(parts[2:]).strip():
            errors.append(
                f"Line {number}: give the name, date of birth and home authority, separated by commas"
            )
            continue
        name, born, authority = parts[0], _date(parts[1], EARLIEST_BIRTH, LATEST_EVENT), ", ".join(parts[2:])
        if born is None:
            errors.append(f"Line {number}: give the date of birth as day/month/year, for example 2/5/2015")
        elif len(name) > 200 or len(authority) > 100:
            errors.append(f"Line {number}: the name or home authority is too long")
        else:
            found.append({"name": name, "date_of_birth": born, "home_authority": authority})
    return found, errors


class ApplyForm(FlaskForm):
    organisation_name = StringField(
        "Name of the organisation",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the name of the organisation"), Length(max=200)],
    )
    organisation_address = TextAreaField(
        "Address of the organisation",
        widget=GovTextArea(),
        filters=[strip],
        validators=[DataRequired("Enter the address of the organisation"), Length(max=500)],
    )
    contact = StringField(
        "Name of the person responsible",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the name of the person responsible"), Length(max=200)],
    )
    email = StringField(
        "Email address",
        description="We send the decision here",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter an email address"),
            Length(max=254),
        ],
    )
    phone = StringField(
        "Phone number (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[Optional(), Length(max=40)],
    )
    period_start = GovDateField("First day of the period", description="For example, 1 3 2026")
    period_end = GovDateField("Last day of the period", description="For example, 31 3 2026")
    series_description = TextAreaField(
        "Or describe the series of performances",
        description="If the approval is for a series rather than a period",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=2000, message="The description must be 2,000 characters or fewer")],
    )
    performances = TextAreaField(
        "Performances",
        description="One performance on each line: the date, then the venue. For example: "
        "21/3/2026, Palace Theatre, Newark",
        widget=GovTextArea(),
        filters=[strip],
        validators=[DataRequired("Enter the date and venue of each performance"), Length(max=40_000)],
    )
    children = TextAreaField(
        "Children",
        description="One child on each line: full name, date of birth, and the council where they live. For "
        "example: Ava Example, 2/5/2015, Nottinghamshire",
        widget=GovTextArea(),
        filters=[strip],
        validators=[
            DataRequired("Enter each child's name, date of birth and home authority"),
            Length(max=40_000),
        ],
    )
    no_payment = BooleanField(
        "No payment is made to any child, or to anyone else in respect of a child, other than for expenses",
        widget=GovCheckboxInput(),
    )
    no_school_absence = BooleanField(
        "No child will be absent from school to take part", widget=GovCheckboxInput()
    )
    submit = SubmitField("Send application", widget=GovSubmitInput())

    def validate_email(self, field) -> None:
        try:
            ma.validate.Email()(field.data or "")
        except ma.ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None

    def validate_performances(self, field) -> None:
        parsed, errors = parse_performances(field.data)
        if len(parsed) + len(errors) > MAX_LINES:
            raise ValidationError(f"Give no more than {MAX_LINES} performances")
        if errors:
            raise ValidationError(errors[0])

    def validate_children(self, field) -> None:
        parsed, errors = parse_children(field.data)
        if len(parsed) + len(errors) > MAX_LINES:
            raise ValidationError(f"Give no more than {MAX_LINES} children")
        if errors:
            raise ValidationError(errors[0])


# Which form field a service's error (by its API name) belongs to.
FIELD_OF = {
    "no_payment": "no_payment",
    "no_school_absence": "no_school_absence",
    "period": "period_start",
    "performances": "performances",
    "children": "children",
}


def _place(form: ApplyForm, error: problems.Problem) -> None:
    if (error.code or 500) >= 500:
        raise error
    for key, messages in error.errors.items():
        head, _, rest = key.partition(".")
        field = form[FIELD_OF.get(head, "organisation_name")]
        index = rest.split(".")[0]
        prefix = f"Line {int(index) + 1}: " if index.isdigit() else ""
        field.errors = [*field.errors, *(prefix + m for m in messages)]
    if not error.errors:
        form.organisation_name.errors = [*form.organisation_name.errors, error.description or "Not sent"]


def _summary(form: ApplyForm) -> list[dict[str, str]]:
    items = []
    for field in form:
        if field.errors:
            suffix = "-day" if isinstance(field, GovDateField) else ""
            items.append({"text": field.errors[0], "href": f"#{field.id}{suffix}"})
    return items


@blp.route("/apply", methods=["GET", "POST"])
@auth.page_roles(Role.APPLICANT)
def apply():
    form = ApplyForm()
    if form.validate_on_submit():
        data = {
            "organisation": {
                "name": form.organisation_name.data,
                "address": form.organisation_address.data,
                "contact": form.contact.data,
                "email": form.email.data,
                "phone": form.phone.data or "",
            },
            "period": {"start": form.period_start.data, "end": form.period_end.data}
            if form.period_start.data or form.period_end.data
            else None,
            "series_description": form.series_description.data or None,
            "performances": parse_performances(form.performances.data)[0],
            "children": parse_children(form.children.data)[0],
            "no_payment": bool(form.no_payment.data),
            "no_school_absence": bool(form.no_school_absence.data),
        }
        try:
            approval = bopa.submit(data, g.current_user)
        except problems.Problem as error:
            _place(form, error)
        else:
            flash(f"Application {approval.reference} sent. We have emailed {approval.organisation_email}.")
            return redirect(url_for("bopa_pages.show", approval_id=approval.id))
    errors = _summary(form)
    return render_template(
        "bopa/apply.html", page_title="Apply for a body of persons approval", form=form, errors=errors
    ), (400 if errors else 200)


@blp.get("")
@auth.page_roles(Role.APPLICANT)
def index():
    approvals = list(db.session().scalars(bopa.list_query(g.current_user).limit(200)))
    return render_template(
        "bopa/index.html", page_title="Your body of persons approvals", approvals=approvals
    )


@blp.get(f"/{APPROVAL_ID}")
@auth.page_roles(Role.APPLICANT)
def show(approval_id: int):
    approval = bopa.get_visible(approval_id, g.current_user)
    return render_template(
        "bopa/show.html",
        page_title=f"Application {approval.reference}",
        approval=approval,
    )
