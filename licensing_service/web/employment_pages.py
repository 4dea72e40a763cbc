"""Employers' pages: check a child's working hours (public), apply for a child employment permit, see the
permits applied for and download a permit; and the parent's declaration from the emailed link.

The weekly hours are entered day by day, for term time and for the school holidays: on each day up to two
working periods (a paper round before school and a shift after it) and a break. "Check the hours" checks
them with the same rules as the API and puts each message next to the day it is about, so an employer can
correct them before applying; an application with hours the law does not allow is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from licensing_service.models.employment import PermitStatus
from licensing_service.rules import employment as rules
from licensing_service.schemas.employment import WeeklyPatternSchema
from licensing_service.schemas.performance import HHMM
from licensing_service.services import employment_permits as permits
from licensing_service.services import permit_documents
from licensing_service.web import link_pages
from shared import auth, calendar, db, documents, problems
from shared.form_helpers import YES_NO, area, choices, email_format, error_list, radios, text
from shared.formatting import long_date
from shared.forms import GovDateField
from shared.users import Role

blp = Blueprint("employment_pages", __name__)

ID = "<int(max=2147483647):permit_id>"
TOKEN = "<string(maxlength=200):token>"
PAGE_SIZE = 25
DECLARED = "permit_declaration_done"
SLOTS = ("start", "end", "start2", "end2", "break_start", "break_end")
SLOT_NAMES = {
    "start": "start time",
    "end": "finish time",
    "start2": "second start time",
    "end2": "second finish time",
    "break_start": "break start",
    "break_end": "break end",
}
STATUS_TAGS = {
    "submitted": ("Submitted", "govuk-tag--blue"),
    "granted": ("Granted", "govuk-tag--green"),
    "refused": ("Refused", "govuk-tag--red"),
    "revoked": ("Revoked", "govuk-tag--red"),
    "expired": ("Expired", "govuk-tag--grey"),
}
CATEGORY_GROUPS = [
    ("Light work (from age 13)", list(rules.LIGHT_WORK.items())),
    ("Other work", [(rules.OTHER, "Other work (from age 15, reviewed by an officer)")]),
    ("Work no child may do", list(rules.PROHIBITED.items())),
]
UNAVAILABLE = {
    404: (
        "This link is not right",
        "Check that you copied the whole link from the email. If it still does not "
        "work, ask the employer or the council to send the link again.",
    ),
    409: ("Nothing more is needed from you", None),
    410: ("This link no longer works", "Ask the employer or the council to send you a new link."),
}


# --- the weekly grid ------------------------------------------------------------------------------------


def field_id(period: str, day: str, slot: str) -> str:
    return f"{period}-{day}-{slot}"


@dataclass
class Grid:
    """The hours as typed, the problems with them and the findings, by input and by day."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # input id -> message
    findings: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # "period-day" -> [(kind, msg)]
    week: list[tuple[str, str]] = field(default_factory=list)  # findings about a whole period or the job
    pattern: dict[str, Any] | None = None

    def summary(self) -> list[dict[str, str]]:
        return [{"text": message, "href": f"#{key}"} for key, message in self.errors.items()]


def _minutes(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


def read_grid(form: dict[str, str]) -> Grid:
    """The grid from posted form data: each day's periods and break, checked for what cannot happen."""
    grid = Grid()
    pattern: dict[str, list[dict[str, Any]]] = {"term_time": [], "holidays": []}
    for period in rules.Period:
        label = rules.PERIOD_LABELS[period]
        for day in rules.DAYS:
            name = f"{label}, {rules.DAY_NAMES[day]}"
            raw = {}
            for slot in SLOTS:
                key = field_id(period.value, day, slot)
                value = (form.get(key) or "").strip()[:5]
                grid.values[key] = value
                if value and not HHMM.fullmatch(value):
                    grid.errors[key] = f"{name}: enter the {SLOT_NAMES[slot]} as HH:MM, like 16:30"
                raw[slot] = value
            if any(k.startswith(f"{period.value}-{day}-") for k in grid.errors):
                continue
            periods = []
            for start, end in (("start", "end"), ("start2", "end2")):
                if raw[start] or raw[end]:
                    missing = end if raw[start] and not raw[end] else start if not raw[start] else None
                    if missing:
                        grid.errors[field_id(period.value, day, missing)] = (
                            f"{name}: enter the {SLOT_NAMES[missing]}"
                        )
                    elif _minutes(raw[end]) <= _minutes(raw[start]):
                        grid.errors[field_id(period.value, day, end)] = (
                            f"{name}: the {SLOT_NAMES[end]} must be after the {SLOT_NAMES[start]}"
                        )
                    else:
                        periods.append(
                            {"day": day, "start": raw[start], "end": raw[end], "breaks": [], "_slot": start}
                        )
            if raw["break_start"] or raw["break_end"]:
                b_start, b_end = raw["break_start"], raw["break_end"]
                if not (b_start and b_end):
                    slot = "break_end" if b_start else "break_start"
                    grid.errors[field_id(period.value, day, slot)] = f"{name}: enter the {SLOT_NAMES[slot]}"
                elif _minutes(b_end) <= _minutes(b_start):
                    grid.errors[field_id(period.value, day, "break_end")] = (
                        f"{name}: the break must end after it starts"
                    )
                else:
                    inside = next(
                        (
                            p
                            for p in periods
                            if _minutes(p["start"]) < _minutes(b_start)
                            and _minutes(b_end) < _minutes(p["end"])
                        ),
                        None,
                    )
                    if inside is None:
                        grid.errors[field_id(period.value, day, "break_start")] = (
                            f"{name}: the break must be inside a working period"
                        )
                    else:
                        inside["breaks"].append({"start": b_start, "end": b_end})
            if (
                len(periods) == 2
                and _minutes(periods[1]["start"]) < _minutes(periods[0]["end"])
                and _minutes(periods[0]["start"]) < _minutes(periods[1]["end"])
            ):
                grid.errors[field_id(period.value, day, "start2")] = f"{name}: the two periods overlap"
            pattern[period.value].extend({k: v for k, v in p.items() if k != "_slot"} for p in periods)
    if not grid.errors:
        if not pattern["term_time"] and not pattern["holidays"]:
            grid.errors[field_id("term_time", "monday", "start")] = (
                "Enter the hours the child will work on at least one day"
            )
        else:
            grid.pattern = pattern
    return grid


def add_findings(grid: Grid, result: rules.Result) -> None:
    for kind, findings in (("breach", result.breaches), ("warning", result.warnings)):
        for f in findings:
            if f.period and f.day:
                grid.findings.setdefault(f"{f.period}-{f.day}", []).append((kind, f.message))
            else:
                grid.week.append((kind, f.message))


def grid_from_schedule(stored: dict[str, Any]) -> dict[str, str]:
    """Values for the grid from a stored pattern (to show an application's hours again)."""
    values: dict[str, str] = {}
    for period in ("term_time", "holidays"):
        seen: dict[str, int] = {}
        for item in stored.get(period) or []:
            n = seen.get(item["day"], 0)
            seen[item["day"]] = n + 1
            suffix = "" if n == 0 else "2"
            values[field_id(period, item["day"], "start" + suffix)] = item["start"]
            values[field_id(period, item["day"], "end" + suffix)] = item["end"]
            for b in item["breaks"][:1]:
                values[field_id(period, item["day"], "break_start")] = b["start"]
                values[field_id(period, item["day"], "break_end")] = b["end"]
    return values


def full_pattern(grid: Grid, holiday_weeks_free: bool) -> dict[str, Any] | None:
    """The grid's pattern loaded through the API's schema (so both accept the same hours)."""
    if grid.pattern is None:
        return None
    try:
        return WeeklyPatternSchema().load({**grid.pattern, "holiday_weeks_free": holiday_weeks_free})
    except Exception:  # the grid's own checks catch what the schema refuses; never a 500 here
        grid.errors[field_id("term_time", "monday", "start")] = "Check the times: two periods overlap"
        return None


# --- forms ----------------------------------------------------------------------------------------------


def _category_field() -> SelectField:
    return SelectField(
        "What kind of work is it?",
        choices=choices([(value, label) for _group, items in CATEGORY_GROUPS for value, label in items]),
        validate_choice=False,
        validators=[
            InputRequired("Select the kind of work"),
            AnyOf(list(rules.CATEGORY_LABELS), message="Select the kind of work"),
        ],
    )


def _date(label: str, name: str, required: str) -> GovDateField:
    return GovDateField(label, name_in_errors=name, required=required, description="For example, 2 11 2026")


class HoursForm(FlaskForm):
    date_of_birth = _date(
        "What is the child's date of birth?", "Date of birth", "Enter the child's date of birth"
    )
    job_category = _category_field()
    start_date = _date(
        "When does (or did) the child start?", "The start date", "Enter the date the child starts work"
    )
    holiday_weeks_free = BooleanField(
        "The child will have 2 weeks in a row without any work during the school summer holidays",
        widget=GovCheckboxInput(),
    )
    check = SubmitField("Check the hours", widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        if not date(1990, 1, 1) <= field.data <= calendar.today():
            raise ValidationError("Date of birth must be a real date in the past")

    def validate_start_date(self, field) -> None:
        if not date(2000, 1, 1) <= field.data <= date(2099, 12, 31):
            raise ValidationError("The start date must be a real date")
        if self.date_of_birth.data and field.data <= self.date_of_birth.data:
            raise ValidationError("The start date must be after the child's date of birth")


class ApplyForm(HoursForm):
    employer_name = text(
        "Business name",
        "Enter the name of the business",
        200,
        "Business name must be 200 characters or fewer",
    )
    employer_address = area(
        "Address where the child works",
        "Enter the address where the child works",
        500,
        "The address must be 500 characters or fewer",
    )
    employer_contact = text("Your name", "Enter your name", 200, "Your name must be 200 characters or fewer")
    employer_email = text(
        "Your email address",
        "Enter your email address",
        254,
        "Email address must be 254 characters or fewer",
        validators=[email_format],
    )
    known_to_council = radios(
        "Have you employed children with a permit from Nottinghamshire County Council before?",
        YES_NO,
        "Select yes if you have employed children with a permit from the council before",
    )
    child_first_name = text(
        "First name", "Enter the child's first name", 100, "First name must be 100 characters or fewer"
    )
    child_last_name = text(
        "Last name", "Enter the child's last name", 100, "Last name must be 100 characters or fewer"
    )
    child_address = area(
        "Child's home address",
        "Enter the child's home address",
        500,
        "The address must be 500 characters or fewer",
    )
    child_school_name = text(
        "School", "Enter the name of the child's school", 200, "School must be 200 characters or fewer"
    )
    parent_name = text(
        "Parent or carer's full name",
        "Enter the parent or carer's name",
        200,
        "Name must be 200 characters or fewer",
    )
    parent_email = text(
        "Parent or carer's email address",
        "Enter the parent or carer's email address",
        254,
        "Email address must be 254 characters or fewer",
        validators=[email_format],
        description="We email them a link to confirm the details and give their agreement",
    )
    parent_address = area(
        "Parent or carer's address",
        "Enter the parent or carer's address",
        500,
        "The address must be 500 characters or fewer",
    )
    job_description = area(
        "Describe the job",
        "Describe the job the child will do",
        2000,
        "The description must be 2,000 characters or fewer",
    )
    apply = SubmitField("Send the application", widget=GovSubmitInput())


def _result(form: HoursForm, grid: Grid) -> rules.Result | None:
    pattern = full_pattern(grid, bool(form.holiday_weeks_free.data))
    if pattern is None:
        return None
    result = permits.check_hours(
        form.date_of_birth.data, form.job_category.data, form.start_date.data, pattern
    )
    add_findings(grid, result)
    return result


def _render(template: str, title: str, form: HoursForm, grid: Grid, status: int | None = None, **context):
    errors = error_list(form) + grid.summary()
    page_title = ("Error: " if errors else "") + title
    return render_template(
        template,
        page_title=page_title,
        heading=title,
        errors=errors,
        form=form,
        grid=grid,
        days=rules.DAYS,
        day_names=rules.DAY_NAMES,
        periods=[(p.value, rules.PERIOD_LABELS[p]) for p in rules.Period],
        category_groups=CATEGORY_GROUPS,
        field_id=field_id,
        **context,
    ), (status or (400 if errors else 200))


# --- the public check -----------------------------------------------------------------------------------


@blp.route("/check-working-hours", methods=["GET", "POST"])
def check_hours():
    form = HoursForm()
    grid = read_grid(request.form) if request.method == "POST" else Grid()
    result = None
    if form.validate_on_submit() and not grid.errors:
        result = _result(form, grid)
    return _render("employment/check.html", "Check a child's working hours", form, grid, result=result)


# --- employers ------------------------------------------------------------------------------------------


@blp.get("/employment-permits")
@auth.page_roles(Role.APPLICANT)
def index():
    status = request.args.get("status")
    status = status if status in {s.value for s in PermitStatus} else None
    query = permits.list_query(g.current_user, status)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    rows = list(db.session().scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    return render_template(
        "employment/index.html",
        page_title="Your employment permits",
        permits=rows[:PAGE_SIZE],
        more=len(rows) > PAGE_SIZE,
        page=page,
        status=status,
        tags=STATUS_TAGS,
    )


@blp.route("/employment-permits/apply", methods=["GET", "POST"])
@auth.page_roles(Role.APPLICANT)
def apply():
    form = ApplyForm()
    if request.method == "GET":
        form.employer_email.data = g.current_user.email
    grid = read_grid(request.form) if request.method == "POST" else Grid()
    result = None
    if form.validate_on_submit() and not grid.errors:
        result = _result(form, grid)
        if result is not None and form.apply.data:
            if result.breaches:
                grid.errors["hours"] = "Change the hours so that they keep to the law before you apply"
            else:
                data = {
                    "employer": {
                        "name": form.employer_name.data,
                        "address": form.employer_address.data,
                        "contact": form.employer_contact.data,
                        "email": form.employer_email.data,
                        "known_to_council": form.known_to_council.data == "yes",
                    },
                    "child": {
                        "first_name": form.child_first_name.data,
                        "last_name": form.child_last_name.data,
                        "date_of_birth": form.date_of_birth.data,
                        "address": form.child_address.data,
                        "school_name": form.child_school_name.data,
                    },
                    "parent": {
                        "name": form.parent_name.data,
                        "email": form.parent_email.data,
                        "address": form.parent_address.data,
                    },
                    "job": {"description": form.job_description.data, "category": form.job_category.data},
                    "start_date": form.start_date.data,
                    "schedule": full_pattern(grid, bool(form.holiday_weeks_free.data)),
                }
                try:
                    permit = permits.submit(data, g.current_user)
                except problems.Problem as error:
                    for path, messages in error.errors.items():
                        target = {
                            "child.date_of_birth": form.date_of_birth,
                            "start_date": form.start_date,
                        }.get(path)
                        if target is not None:
                            target.errors = [*target.errors, *messages]
                        else:
                            grid.errors["hours"] = messages[0]
                else:
                    flash(
                        f"Application {permit.reference} sent. We have emailed {permit.parent_name} a link "
                        "to give their declaration."
                    )
                    return redirect(url_for("employment_pages.permit_page", permit_id=permit.id))
    return _render("employment/apply.html", "Apply for a child employment permit", form, grid, result=result)


@blp.get(f"/employment-permits/{ID}")
@auth.page_roles(Role.APPLICANT)
def permit_page(permit_id: int):
    permit = permits.get_visible(permit_id, g.current_user)
    return render_template(
        "employment/permit.html",
        page_title=f"Employment permit {permit.permit_number or permit.reference}",
        permit=permit,
        tags=STATUS_TAGS,
        category=rules.CATEGORY_LABELS.get(permit.job_category, permit.job_category),
        term_time=permit_documents.hours_rows(permit.schedule, "term_time"),
        holidays=permit_documents.hours_rows(permit.schedule, "holidays"),
        kinds=permits.document_kinds(permit),
    )


@blp.get(f"/employment-permits/{ID}/<any(permit,refusal,revocation):kind>.pdf")
@auth.page_roles(Role.APPLICANT)
def document(permit_id: int, kind: str):
    permit = permits.get_visible(permit_id, g.current_user)
    return documents.pdf_response(permits.document(permit, kind), inline=False)


# --- the parent's declaration ---------------------------------------------------------------------------


class DeclarationForm(FlaskForm):
    declaration = BooleanField(
        "I am the child's parent or carer. I agree to my child doing this work at the times shown, and the "
        "details are correct to the best of my knowledge.",
        widget=GovCheckboxInput(),
    )
    name = text("Your full name", "Enter your full name", 200, "Your name must be 200 characters or fewer")
    submit = SubmitField("Give my declaration", widget=GovSubmitInput())

    def validate_declaration(self, field) -> None:
        if field.data is not True:
            raise ValidationError("Confirm the declaration to agree to the application")


@blp.route(f"/employment-permit-declaration/{TOKEN}", methods=["GET", "POST"])
def declaration(token: str):
    try:
        summary = permits.declaration_view(token)
    except problems.Problem as error:
        return link_pages.unavailable(error, UNAVAILABLE)
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            permit = permits.declare(token, {"declaration": True, "name": form.name.data})
        except problems.Problem as error:
            if error.code != 422:
                return link_pages.unavailable(error, UNAVAILABLE)
            form.name.errors = [*form.name.errors, *[m for ms in error.errors.values() for m in ms]]
        else:
            session[DECLARED] = {"reference": permit.reference, "child": permit.child_first_name}
            return redirect(url_for("employment_pages.declaration_done"))
    errors = error_list(form)
    permit = summary["permit"]
    return render_template(
        "employment/declaration.html",
        page_title=("Error: " if errors else "")
        + f"Agree to {permit.child_first_name}'s work permit application",
        form=form,
        errors=errors,
        permit=permit,
        category=rules.CATEGORY_LABELS.get(permit.job_category, permit.job_category),
        term_time=permit_documents.hours_rows(permit.schedule, "term_time"),
        holidays=permit_documents.hours_rows(permit.schedule, "holidays"),
        expires=long_date(summary["expires_at"].date()),
    ), (400 if errors else 200)


@blp.get("/employment-permit-declaration/done")
def declaration_done():
    done = session.get(DECLARED)
    if not isinstance(done, dict):
        return redirect(url_for("pages.start"))
    return render_template("employment/declaration_done.html", page_title="Declaration given", done=done)
