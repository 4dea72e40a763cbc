"""Producers' pages: their productions, and each child's performance licence application as a task list.

A production is created on one page. Each child's application is a draft filled task by task (the
child, the days, the chaperone, education), each task its own page saved through
:func:`licensing_service.services.licences.update_section` with the API's own section schemas, so the
pages and the API apply the same rules. The days are added one at a time and the whole schedule is
checked against every limit after each change. "Check and submit" shows the notice the council would
have if the application were sent today, then :func:`licences.submit_draft` sends it.

A producer sees only their own productions and applications: anything else is 404, as in the API.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import marshmallow as ma
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from licensing_service.models.licences import LicenceStatus, ParentPartState, PerformanceLicence
from licensing_service.models.productions import ProductionType
from licensing_service.rules import notice, performance
from licensing_service.schemas.licences import (
    ChaperoneSectionSchema,
    ChildSectionSchema,
    EducationSectionSchema,
)
from licensing_service.schemas.performance import MAX_DAYS, DaySchema
from licensing_service.schemas.productions import ProductionInSchema
from licensing_service.services import licence_decisions, licences, parent_part, productions
from shared import auth, calendar, db, documents, problems
from shared.form_helpers import (
    YES_NO,
    area,
    email_format,
    error_list,
    place_errors,
    radios,
    render,
    strip,
    text,
    whole_number,
)
from shared.formatting import short_date
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, Role

blp = Blueprint("producer", __name__)

PRODUCERS = (Role.APPLICANT,)
OWNER_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
PRODUCTION_ID = "<int(max=2147483647):production_id>"
LICENCE_ID = "<int(max=2147483647):licence_id>"
PAGE_SIZE = 25
MAX_PAGE = 100_000
EARLIEST_BIRTH = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)

PRODUCTION_TYPES = {
    ProductionType.THEATRE.value: "Theatre",
    ProductionType.FILM.value: "Film",
    ProductionType.TELEVISION.value: "Television",
    ProductionType.MODELLING.value: "Modelling",
    ProductionType.SPORT.value: "Paid sport",
    ProductionType.OTHER.value: "Something else",
}
# The tag each application shows its producer (and the officers).
LICENCE_STATUSES = {
    LicenceStatus.DRAFT.value: ("Not submitted", "govuk-tag--grey"),
    LicenceStatus.SUBMITTED.value: ("Received", "govuk-tag--blue"),
    LicenceStatus.GRANTED.value: ("Granted", "govuk-tag--green"),
    LicenceStatus.REFUSED.value: ("Refused", "govuk-tag--red"),
    LicenceStatus.REVOKED.value: ("Revoked", "govuk-tag--red"),
    LicenceStatus.WITHDRAWN.value: ("Withdrawn", "govuk-tag--grey"),
}
DAY_KINDS = {
    performance.DayKind.PERFORMANCE.value: "Performance",
    performance.DayKind.REHEARSAL.value: "Rehearsal",
}
TASKS = (
    ("child", "Child's details", "producer.child"),
    ("days", "Performance and rehearsal days", "producer.days"),
    ("chaperone", "Chaperone", "producer.chaperone"),
    ("education", "Education", "producer.education"),
)
# Findings about the chaperone mean nothing until the chaperone task is done.
CHAPERONE_CODES = {"chaperone_approval", "chaperone_ratio"}
CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
INTERVAL = re.compile(
    r"([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:to|-|–|—|until)\s*([01]?\d|2[0-3])[:.]([0-5]\d)", re.I
)


# Shown on every page of this blueprint (and the officers' pages import them) ---------------------------


def clock_range(start: str, end: str) -> str:
    """``09:00 to 17:00``, saying when the end is after midnight."""
    return f"{start} to {end}" + (" the next day" if end < start else "")


def day_rows(days: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The schedule as people read it: one row a day."""
    rows = []
    for index, day in enumerate(days or []):
        try:
            on = date.fromisoformat(day["date"])
        except (KeyError, TypeError, ValueError):
            continue
        performing = [clock_range(i["start"], i["end"]) for i in day.get("performing") or []]
        rows.append(
            {
                "index": index,
                "date": on,
                "kind": DAY_KINDS.get(day.get("kind"), day.get("kind") or ""),
                "at_place": clock_range(day.get("arrive", ""), day.get("leave", "")),
                "performing": performing,
            }
        )
    return rows


def address_html(text: str | None) -> Markup:
    """An address as typed, one line of it to a line on the page."""
    lines = [line.strip() for line in (text or "").replace("\r", "\n").split("\n") if line.strip()]
    return Markup("<br>").join(lines)


def parent_part_label(licence: PerformanceLicence) -> tuple[str, str]:
    """The parent's part as a task status: text and tag classes."""
    if licence.parent_part_state == ParentPartState.COMPLETED:
        return "Completed", ""
    if licence.parent_part_state == ParentPartState.REQUESTED and licence.status == LicenceStatus.SUBMITTED:
        return "Waiting for the parent", "govuk-tag--yellow"
    if licence.status == LicenceStatus.DRAFT:
        return "Cannot start yet", "govuk-tag--grey"
    return "Not completed", "govuk-tag--grey"


def progress(licence: PerformanceLicence) -> tuple[str, str]:
    """One tag for where a child's application has got to, as its producer follows it."""
    if licence.status == LicenceStatus.SUBMITTED and licence.parent_part_state != ParentPartState.COMPLETED:
        return "Waiting for the parent", "govuk-tag--yellow"
    return LICENCE_STATUSES.get(
        licence.status, (licence.status.replace("_", " ").capitalize(), "govuk-tag--grey")
    )


@blp.record_once
def _template_globals(state) -> None:
    # Globals rather than a context processor: the shared macros (producer/_macros.html) see them too.
    state.app.jinja_env.globals.update(
        licence_statuses=LICENCE_STATUSES,
        production_types=PRODUCTION_TYPES,
        day_kinds=DAY_KINDS,
        parent_part_label=parent_part_label,
        address_html=address_html,
        progress=progress,
    )


# Forms ------------------------------------------------------------------------------------------------


class ProductionForm(FlaskForm):
    name = text(
        "Name of the production",
        "Enter the name of the production",
        200,
        "Name must be 200 characters or fewer",
        description="For example, A Christmas Carol, or the series and episode",
    )
    type = radios(
        "What kind of production is it?", PRODUCTION_TYPES.items(), "Select what kind of production it is"
    )
    broadcast = radios(
        "Will it be broadcast or filmed to be shown?", YES_NO, "Select yes if it will be broadcast"
    )
    paid = radios(
        "Will anyone be paid for the child taking part?",
        YES_NO,
        "Select yes if anyone will be paid for the child taking part",
    )
    producer_name = text(
        "Full name",
        "Enter the full name of the person responsible",
        200,
        "Name must be 200 characters or fewer",
    )
    producer_organisation = text(
        "Organisation (optional)", None, 200, "Organisation must be 200 characters or fewer"
    )
    producer_email = text(
        "Email address",
        "Enter the email address of the person responsible",
        254,
        "Email address must be 254 characters or fewer",
        description="We send the licences and any questions here",
    )
    producer_phone = text("Phone number (optional)", None, 40, "Phone number must be 40 characters or fewer")
    producer_address = area("Address (optional)", None, 500, "Address must be 500 characters or fewer")
    venue_name = text(
        "Name of the place",
        "Enter the name of the place of performance",
        200,
        "Name of the place must be 200 characters or fewer",
        description="The theatre, studio or location",
    )
    venue_address = area(
        "Address of the place (optional)", None, 500, "Address must be 500 characters or fewer"
    )
    host_name = text(
        "Council for the place of performance",
        "Enter the council for the place of performance",
        200,
        "Council must be 200 characters or fewer",
        description="For example, Nottingham City Council. It gets a copy of each licence.",
    )
    host_email = StringField(
        "The council's email address (optional)",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            email_format,
        ],
    )
    submit = SubmitField("Create production", widget=GovSubmitInput())

    def validate_producer_email(self, field) -> None:
        email_format(self, field)


class AddChildForm(FlaskForm):
    """Only the CSRF token: a new draft for one more child."""


class ChildForm(FlaskForm):
    first_name = text(
        "First name", "Enter the child's first name", 100, "First name must be 100 characters or fewer"
    )
    last_name = text(
        "Last name", "Enter the child's last name", 100, "Last name must be 100 characters or fewer"
    )
    date_of_birth = GovDateField(
        "Date of birth",
        name_in_errors="Date of birth",
        required="Enter the child's date of birth",
        description="For example, 27 3 2015",
    )
    address = area(
        "Home address", "Enter the child's home address", 500, "Address must be 500 characters or fewer"
    )
    school_name = text(
        "School (optional)",
        None,
        200,
        "School must be 200 characters or fewer",
        description="Leave blank if the child is not at school",
    )
    parent_name = text(
        "Parent or carer's full name",
        "Enter the parent or carer's full name",
        200,
        "Name must be 200 characters or fewer",
    )
    parent_email = text(
        "Parent or carer's email address",
        "Enter the parent or carer's email address",
        254,
        "Email address must be 254 characters or fewer",
        description="We email them a link to complete their part of the application",
    )
    parent_address = area(
        "Parent or carer's address",
        "Enter the parent or carer's address",
        500,
        "Address must be 500 characters or fewer",
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        if field.data > calendar.today():
            raise ValidationError("Date of birth must be in the past")
        if field.data < EARLIEST_BIRTH:
            raise ValidationError("Date of birth must be a real date")

    def validate_parent_email(self, field) -> None:
        email_format(self, field)


class DayForm(FlaskForm):
    day = GovDateField(
        "Date", name_in_errors="The date", required="Enter the date", description="For example, 14 3 2026"
    )
    kind = radios("Is it a performance or a rehearsal?", DAY_KINDS.items(), "Select performance or rehearsal")
    arrive = text(
        "Arrives at the place",
        "Enter the time the child arrives",
        5,
        "Enter a time like 09:30",
        description="24-hour clock, for example 09:30",
    )
    leave = text(
        "Leaves the place",
        "Enter the time the child leaves",
        5,
        "Enter a time like 17:00",
        description="24-hour clock, for example 17:00. A time earlier than the arrival is after midnight.",
    )
    performing = area(
        "When does the child perform or rehearse?",
        None,
        400,
        "Enter at most 10 times",
        description="Each time on its own line, for example 10:00 to 11:30. Leave blank if the child only "
        "waits or is taught at the place that day.",
    )
    submit = SubmitField("Add this day", widget=GovSubmitInput())

    def validate_day(self, field) -> None:
        if field.data < calendar.today():
            raise ValidationError("The date must be today or in the future")
        if field.data > LATEST_DAY:
            raise ValidationError("The date must be a real date")

    def validate_arrive(self, field) -> None:
        if clock(field.data) is None:
            raise ValidationError("Enter the arrival time like 09:30")

    def validate_leave(self, field) -> None:
        if clock(field.data) is None:
            raise ValidationError("Enter the leaving time like 17:00")

    def validate_performing(self, field) -> None:
        intervals(field.data)


class NightWorkForm(FlaskForm):
    night_work = radios(
        "Do you want the licence to permit night work?",
        YES_NO,
        "Select yes if you want the licence to permit night work",
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class RemoveDayForm(FlaskForm):
    """Only the CSRF token."""


class ChaperoneForm(FlaskForm):
    who = radios(
        "Who will look after the child?",
        [("chaperone", "An approved chaperone"), ("parent", "The child's parent")],
        "Select who will look after the child",
    )
    approval_number = text(
        "Chaperone's approval number",
        None,
        40,
        "Approval number must be 40 characters or fewer",
        description="As shown on their approval, for example CH-2025-000123",
    )
    children_in_care = StringField(
        "How many children will the chaperone look after at once?",
        widget=GovTextInput(),
        filters=[strip],
        description="Include this child",
        validators=[Optional()],
    )
    also_private_teacher = BooleanField(
        "The chaperone is also the children's private teacher", widget=GovCheckboxInput()
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.who.data == "chaperone":
            if not self.approval_number.data:
                self.approval_number.errors = ["Enter the chaperone's approval number"]
            if not self.children_in_care.data:
                self.children_in_care.errors = ["Enter how many children the chaperone will look after"]
            elif not self.children_in_care.errors:
                try:
                    whole_number("The number of children", 1, 999)(self, self.children_in_care)
                except ValidationError as error:
                    self.children_in_care.errors = [str(error)]
        else:
            self.approval_number.errors = []
            self.children_in_care.errors = []
        return not self.errors


class EducationForm(FlaskForm):
    misses_school = radios(
        "Will the child miss any school?", YES_NO, "Select yes if the child will miss any school"
    )
    school_days_missed = StringField(
        "How many school days will the child miss?", widget=GovTextInput(), filters=[strip]
    )
    tutor_name = text(
        "Tutor's name (optional)",
        None,
        200,
        "Name must be 200 characters or fewer",
        description="Leave blank if the school will set work instead of a private tutor",
    )
    tutor_hours_per_day = StringField(
        "Hours of teaching each school day",
        widget=GovTextInput(),
        filters=[strip],
        description="For example, 3",
    )
    tutor_pupils = StringField(
        "How many children will the tutor teach at once?",
        widget=GovTextInput(),
        filters=[strip],
        description="Include this child",
    )
    tutor_similar_standard = BooleanField(
        "All the children are of a similar standard", widget=GovCheckboxInput()
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        tutor_fields = (self.school_days_missed, self.tutor_hours_per_day, self.tutor_pupils)
        if self.misses_school.data != "yes":
            for field in tutor_fields:
                field.errors = []
            self.tutor_name.errors = []
            return not self.errors
        self._number(
            self.school_days_missed,
            "Enter how many school days the child will miss",
            "The number of school days",
            1,
            MAX_DAYS,
        )
        if self.tutor_name.data:
            self._number(
                self.tutor_pupils,
                "Enter how many children the tutor will teach",
                "The number of children",
                1,
                999,
            )
            hours = self.tutor_hours_per_day.data
            if not hours:
                self.tutor_hours_per_day.errors = ["Enter the hours of teaching each school day"]
            elif _hours(hours) is None:
                self.tutor_hours_per_day.errors = [
                    "Hours of teaching must be a number between 0 and 24, like 3 or 2.5"
                ]
        return not self.errors

    @staticmethod
    def _number(field, required: str, what: str, low: int, high: int) -> None:
        if not field.data:
            field.errors = [required]
            return
        try:
            whole_number(what, low, high)(None, field)
        except ValidationError as error:
            field.errors = [str(error)]


class SubmitForm(FlaskForm):
    """Only the CSRF token: the answers are saved with the draft."""


class ResendForm(FlaskForm):
    """Only the CSRF token."""


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "Why are you withdrawing it? (optional)",
        widget=GovTextArea(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description="The council and the parent are told that the application is withdrawn.",
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Withdraw the application", widget=GovSubmitInput())


# Parsing what people type ------------------------------------------------------------------------------


def clock(text: str | None) -> str | None:
    """``9:30``, ``09.30`` or ``09:30`` as ``09:30``; None if it is not a time of day."""
    found = CLOCK.fullmatch((text or "").strip())
    return f"{int(found.group(1)):02d}:{found.group(2)}" if found else None


def intervals(text: str | None) -> list[dict[str, str]]:
    """Each line ``10:00 to 11:30`` as ``{start, end}``; ValidationError naming a line that is not one."""
    found = []
    lines = [line.strip() for line in (text or "").replace(",", "\n").split("\n") if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = INTERVAL.fullmatch(line)
        if match is None:
            raise ValidationError(f"Enter each time like 10:00 to 11:30 (line {number} is “{line[:40]}”)")
        h1, m1, h2, m2 = match.groups()
        found.append({"start": f"{int(h1):02d}:{m1}", "end": f"{int(h2):02d}:{m2}"})
    if len(found) > 10:
        raise ValidationError("Enter at most 10 times a day")
    return found


def _hours(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(24):
        return None
    return value.quantize(Decimal("0.01"))


# Errors -----------------------------------------------------------------------------------------------


# Look-ups ---------------------------------------------------------------------------------------------


def _draft(licence_id: int) -> PerformanceLicence | None:
    """The application, and whether its tasks can still change (a redirect if not)."""
    licence = licences.get_visible(licence_id, g.current_user)
    return licence if licence.status == LicenceStatus.DRAFT else None


def _to_application(licence: PerformanceLicence):
    return redirect(url_for("producer.application", licence_id=licence.id))


def _page_number(total: int) -> tuple[int, int]:
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    return page, last_page


# Productions ------------------------------------------------------------------------------------------


@blp.get("/productions")
@auth.page_roles(*PRODUCERS)
def productions_page():
    query = productions.list_query(g.current_user)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, last_page = _page_number(total)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    counts: dict[int, int] = {}
    if rows:
        counted = db.session().execute(
            select(PerformanceLicence.production_id, func.count())
            .where(PerformanceLicence.production_id.in_([p.id for p in rows]))
            .group_by(PerformanceLicence.production_id)
        )
        counts = {production_id: n for production_id, n in counted}
    return render_template(
        "producer/productions.html",
        page_title="Your productions",
        productions=rows,
        counts=counts,
        page=page,
        last_page=last_page,
        total=total,
    )


PRODUCTION_FIELDS = {
    "name": "name",
    "type": "type",
    "broadcast": "broadcast",
    "paid": "paid",
    "producer.name": "producer_name",
    "producer.organisation": "producer_organisation",
    "producer.email": "producer_email",
    "producer.phone": "producer_phone",
    "producer.address": "producer_address",
    "host_authority.name": "host_name",
    "host_authority.email": "host_email",
    "host_authority": "host_name",
    "venues.0.name": "venue_name",
    "venues.0.address": "venue_address",
    "venues": "venue_name",
}


@blp.route("/productions/new", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def new_production():
    user = g.current_user
    form = ProductionForm(data={"producer_name": user.name, "producer_email": user.email})
    if form.validate_on_submit():
        body = {
            "name": form.name.data,
            "type": form.type.data,
            "broadcast": form.broadcast.data == "yes",
            "paid": form.paid.data == "yes",
            "producer": {
                "name": form.producer_name.data,
                "organisation": form.producer_organisation.data or "",
                "email": form.producer_email.data,
                "phone": form.producer_phone.data or "",
                "address": form.producer_address.data or "",
            },
            "host_authority": {"name": form.host_name.data, "email": form.host_email.data or None},
            "venues": [{"name": form.venue_name.data, "address": form.venue_address.data or ""}],
        }
        try:
            production = productions.create(ProductionInSchema().load(body), user)
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), PRODUCTION_FIELDS, "name")
        else:
            flash(f"{production.name} created. Now add each child who will take part.")
            return redirect(url_for("producer.production_page", production_id=production.id))
    return render(
        "producer/new_production.html",
        "Create a production",
        form,
        back=url_for("producer.productions_page"),
    )


@blp.get(f"/productions/{PRODUCTION_ID}")
@auth.page_roles(*PRODUCERS)
def production_page(production_id: int):
    production = productions.get_visible(production_id, g.current_user)
    return render_template(
        "producer/production.html",
        page_title=production.name,
        production=production,
        children=productions.children(production),
        form=AddChildForm(),
    )


@blp.post(f"/productions/{PRODUCTION_ID}/children")
@auth.page_roles(*PRODUCERS)
def add_child(production_id: int):
    production = productions.get_visible(production_id, g.current_user)
    form = AddChildForm()
    if not form.validate_on_submit():
        return redirect(url_for("producer.production_page", production_id=production.id))
    licence = licences.create_draft(production.id, None, g.current_user)
    return redirect(url_for("producer.child", licence_id=licence.id))


# One child's application ------------------------------------------------------------------------------


def _task_items(licence: PerformanceLicence) -> list[dict[str, Any]]:
    states = licences.tasks(licence)
    editable = licence.status == LicenceStatus.DRAFT
    items = []
    for key, title, endpoint in TASKS:
        done = states[key] == "completed"
        status = (
            {"text": "Completed"} if done else {"tag": {"text": "Incomplete", "classes": "govuk-tag--blue"}}
        )
        item: dict[str, Any] = {"title": {"text": title}, "status": status}
        if editable:
            item["href"] = url_for(endpoint, licence_id=licence.id)
        items.append(item)
    text, classes = parent_part_label(licence)
    parent_status = {"text": text} if not classes else {"tag": {"text": text, "classes": classes}}
    parent_item: dict[str, Any] = {"title": {"text": "Parent's part"}, "status": parent_status}
    if editable:
        parent_item["status"] = {"text": text, "classes": "govuk-task-list__status--cannot-start-yet"}
        parent_item["hint"] = {"text": "We email the parent a link when you submit"}
    elif licence.parent_part_state != ParentPartState.NOT_REQUESTED:
        parent_item["hint"] = {"text": f"Sent to {licence.parent_name} at {licence.parent_email}"}
    items.append(parent_item)
    return items


@blp.get(f"/applications/{LICENCE_ID}")
@auth.page_roles(*PRODUCERS)
def application(licence_id: int):
    return _application_page(licences.get_visible(licence_id, g.current_user))


def _application_page(licence: PerformanceLicence, withdraw_form: WithdrawForm | None = None):
    states = licences.tasks(licence)
    done = sum(1 for state in states.values() if state == "completed")
    errors = error_list(withdraw_form)
    return render_template(
        "producer/application.html",
        page_title=("Error: " if errors else "") + f"Application for {licence.child_name or 'a child'}",
        errors=errors,
        licence=licence,
        production=licence.production,
        tasks=_task_items(licence),
        done=done,
        total_tasks=len(states),
        ready=done == len(states),
        resend_form=ResendForm(),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        overdue=licences.is_overdue(licence),
        documents=document_links(_outcome(licence)),
    )


def _outcome(licence: PerformanceLicence) -> dict[str, Any] | None:
    if licence.status in (LicenceStatus.DRAFT, LicenceStatus.SUBMITTED, LicenceStatus.WITHDRAWN):
        return None
    return licence_decisions.outcome(licence)


CHILD_FIELDS = {
    "child.first_name": "first_name",
    "child.last_name": "last_name",
    "child.date_of_birth": "date_of_birth",
    "child.address": "address",
    "child.school_name": "school_name",
    "parent.name": "parent_name",
    "parent.email": "parent_email",
    "parent.address": "parent_address",
}


@blp.route(f"/applications/{LICENCE_ID}/child", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def child(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    form = ChildForm(
        data={
            "first_name": licence.child_first_name,
            "last_name": licence.child_last_name,
            "date_of_birth": licence.child_date_of_birth,
            "address": licence.child_address,
            "school_name": licence.child_school_name,
            "parent_name": licence.parent_name,
            "parent_email": licence.parent_email,
            "parent_address": licence.parent_address,
        }
    )
    if form.validate_on_submit():
        body = {
            "child": {
                "first_name": form.first_name.data,
                "last_name": form.last_name.data,
                "date_of_birth": form.date_of_birth.data.isoformat(),
                "address": form.address.data,
                "school_name": form.school_name.data or "",
            },
            "parent": {
                "name": form.parent_name.data,
                "email": form.parent_email.data,
                "address": form.parent_address.data,
            },
        }
        try:
            licences.update_section(licence.id, "child", ChildSectionSchema().load(body), g.current_user)
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), CHILD_FIELDS, "first_name")
        except problems.Problem as error:
            _refused(form, error, CHILD_FIELDS, "first_name")
        else:
            return _to_application(licence)
    return render(
        "producer/child.html",
        "Child's details",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )


def _refused(form: FlaskForm, error: problems.Problem, fields: dict[str, str], default: str) -> None:
    """A service's 4xx shown at the fields it names (a 5xx is not the user's to fix)."""
    if (error.code or 500) >= 500:
        raise error
    place_errors(
        form, error.errors or {default: [error.description or "That cannot be done"]}, fields, default
    )


def _shown_findings(licence: PerformanceLicence, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings about the chaperone wait until the chaperone task is done: before that, "no chaperone
    named" would only say the task is not done yet."""
    if licences.tasks(licence)["chaperone"] == "completed":
        return list(findings or [])
    return [f for f in findings or [] if f.get("code") not in CHAPERONE_CODES]


def _save_days(
    licence: PerformanceLicence, days: list[dict[str, Any]], night_work: bool
) -> PerformanceLicence:
    """Save the whole schedule (each day loaded by the API's day schema); the rules run in the service."""
    loaded = [DaySchema().load(d) for d in days]
    return licences.update_section(
        licence.id, "days", {"days": loaded, "night_work": night_work}, g.current_user
    )


@blp.route(f"/applications/{LICENCE_ID}/days", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def days(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    form = NightWorkForm(
        data={"night_work": ("yes" if licence.night_work else "no") if licence.days else None}
    )
    if licence.days and form.validate_on_submit():
        night_work = form.night_work.data == "yes"
        if night_work != licence.night_work:
            _save_days(licence, list(licence.days), night_work)
        return _to_application(licence)
    if request.method == "POST" and not licence.days:
        return redirect(url_for("producer.add_day", licence_id=licence.id))
    return render(
        "producer/days.html",
        "Performance and rehearsal days",
        form,
        licence=licence,
        rows=day_rows(licence.days),
        breaches=_shown_findings(licence, licence.breaches),
        warnings=_shown_findings(licence, licence.warnings),
        remove_form=RemoveDayForm(),
        max_days=MAX_DAYS,
        back=url_for("producer.application", licence_id=licence.id),
    )


@blp.route(f"/applications/{LICENCE_ID}/days/add", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def add_day(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    existing = list(licence.days or [])
    form = DayForm()
    if len(existing) >= MAX_DAYS and request.method == "POST":
        form.validate_on_submit()
        form.day.errors = [*form.day.errors, f"You can add up to {MAX_DAYS} days to one application"]
    elif form.validate_on_submit():
        day = {
            "date": form.day.data.isoformat(),
            "kind": form.kind.data,
            "arrive": clock(form.arrive.data),
            "leave": clock(form.leave.data),
            "performing": intervals(form.performing.data),
        }
        if licence.child_date_of_birth and form.day.data < licence.child_date_of_birth:
            form.day.errors = ["The date is before the child's date of birth"]
        elif any(d["date"] == day["date"] for d in existing):
            shown = short_date(day["date"])
            form.day.errors = [f"You have already added {shown}: remove it first to change it"]
        else:
            try:
                _save_days(licence, [*existing, day], licence.night_work)
            except ma.ValidationError as error:
                place_errors(
                    form,
                    problems.flatten_errors(error.messages),
                    {
                        "date": "day",
                        "kind": "kind",
                        "arrive": "arrive",
                        "leave": "leave",
                        "performing": "performing",
                    },
                    "day",
                )
            except problems.Problem as error:
                _refused(form, error, {}, "day")
            else:
                flash(f"{short_date(form.day.data)} added")
                return redirect(url_for("producer.days", licence_id=licence.id))
    return render(
        "producer/add_day.html",
        "Add a day",
        form,
        licence=licence,
        back=url_for("producer.days", licence_id=licence.id),
    )


@blp.post(f"/applications/{LICENCE_ID}/days/<int(max=999):index>/remove")
@auth.page_roles(*PRODUCERS)
def remove_day(licence_id: int, index: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    existing = list(licence.days or [])
    if RemoveDayForm().validate_on_submit() and index < len(existing):
        removed = existing.pop(index)
        _save_days(licence, existing, licence.night_work)
        flash(f"{short_date(removed['date'])} removed")
    return redirect(url_for("producer.days", licence_id=licence.id))


CHAPERONE_FIELDS = {
    "chaperone.approval_number": "approval_number",
    "chaperone.children_in_care": "children_in_care",
    "chaperone.is_parent": "who",
    "chaperone.also_private_teacher": "also_private_teacher",
}


@blp.route(f"/applications/{LICENCE_ID}/chaperone", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def chaperone(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    saved = licence.chaperone_is_parent
    form = ChaperoneForm(
        data={
            "who": None if saved is None else ("parent" if saved else "chaperone"),
            "approval_number": licence.chaperone_approval_number,
            "children_in_care": str(licence.chaperone_children_in_care)
            if licence.chaperone_children_in_care
            else "",
            "also_private_teacher": bool(licence.chaperone_also_private_teacher),
        }
    )
    if form.validate_on_submit():
        is_parent = form.who.data == "parent"
        body = {
            "chaperone": {
                "approval_number": None if is_parent else form.approval_number.data,
                "is_parent": is_parent,
                "children_in_care": 1 if is_parent else int(form.children_in_care.data),
                "also_private_teacher": False if is_parent else bool(form.also_private_teacher.data),
            }
        }
        try:
            licences.update_section(
                licence.id, "chaperone", ChaperoneSectionSchema().load(body), g.current_user
            )
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), CHAPERONE_FIELDS, "who")
        except problems.Problem as error:
            _refused(form, error, CHAPERONE_FIELDS, "who")
        else:
            return _to_application(licence)
    return render(
        "producer/chaperone.html",
        "Chaperone",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )


EDUCATION_FIELDS = {
    "education.school_days_missed": "school_days_missed",
    "education.tutor.name": "tutor_name",
    "education.tutor.hours_per_day": "tutor_hours_per_day",
    "education.tutor.pupils": "tutor_pupils",
    "education.tutor.similar_standard": "tutor_similar_standard",
}


@blp.route(f"/applications/{LICENCE_ID}/education", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def education(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    missed = licence.education_school_days_missed
    form = EducationForm(
        data={
            "misses_school": None if missed is None else ("yes" if missed else "no"),
            "school_days_missed": str(missed) if missed else "",
            "tutor_name": licence.tutor_name,
            "tutor_hours_per_day": _plain(licence.tutor_hours_per_day),
            "tutor_pupils": str(licence.tutor_pupils) if licence.tutor_pupils else "",
            "tutor_similar_standard": bool(licence.tutor_similar_standard),
        }
    )
    if form.validate_on_submit():
        education_body = None
        if form.misses_school.data == "yes":
            tutor = None
            if form.tutor_name.data:
                tutor = {
                    "name": form.tutor_name.data,
                    "hours_per_day": str(_hours(form.tutor_hours_per_day.data)),
                    "pupils": int(form.tutor_pupils.data),
                    "similar_standard": bool(form.tutor_similar_standard.data),
                }
            education_body = {"school_days_missed": int(form.school_days_missed.data), "tutor": tutor}
        try:
            data = EducationSectionSchema().load({"education": education_body})
            licences.update_section(licence.id, "education", data, g.current_user)
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), EDUCATION_FIELDS, "misses_school")
        except problems.Problem as error:
            _refused(form, error, EDUCATION_FIELDS, "misses_school")
        else:
            return _to_application(licence)
    return render(
        "producer/education.html",
        "Education",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


# Check and submit -------------------------------------------------------------------------------------


def notice_if_sent_today(licence: PerformanceLicence) -> notice.NoticeVerdict | None:
    if licence.first_day is None:
        return None
    return notice.notice_verdict(
        calendar.today(),
        licence.first_day,
        min_days=int(current_app.config["LICENCE_MIN_NOTICE_DAYS"]),
        hard_stop_days=licences.hard_stop_days(),
    )


SECTION_ANCHORS = {"child": "#child", "days": "#days", "chaperone": "#chaperone", "education": "#education"}


@blp.route(f"/applications/{LICENCE_ID}/check", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def check(licence_id: int):
    licence = _draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    if any(state != "completed" for state in licences.tasks(licence).values()):
        return _to_application(licence)
    form = SubmitForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        try:
            licences.submit_draft(licence.id, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            for key, messages in (error.errors or {"": [error.description or ""]}).items():
                anchor = SECTION_ANCHORS.get(key.split(".")[0], "#submit")
                extra += [{"text": message, "href": anchor} for message in messages]
        else:
            return redirect(url_for("producer.submitted", licence_id=licence.id))
        db.session().refresh(licence)
    return render(
        "producer/check.html",
        "Check your answers before submitting the application",
        form,
        extra=extra,
        licence=licence,
        production=licence.production,
        rows=day_rows(licence.days),
        verdict=notice_if_sent_today(licence),
        today=calendar.today(),
        back=url_for("producer.application", licence_id=licence.id),
    )


@blp.get(f"/applications/{LICENCE_ID}/submitted")
@auth.page_roles(*PRODUCERS)
def submitted(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    if licence.status == LicenceStatus.DRAFT:
        return _to_application(licence)
    return render_template(
        "producer/submitted.html",
        page_title="Application submitted"
        if licence.status != LicenceStatus.REFUSED
        else "Application refused",
        licence=licence,
        production=licence.production,
    )


@blp.post(f"/applications/{LICENCE_ID}/parent-link")
@auth.page_roles(*PRODUCERS)
def resend_parent_link(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    if ResendForm().validate_on_submit():
        try:
            licence = licences.resend_parent_link(licence.id, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            flash(error.description or "The link could not be sent")
        else:
            flash(f"We have emailed {licence.parent_name} a new link. The earlier link no longer works.")
    return _to_application(licence)


@blp.post(f"/applications/{LICENCE_ID}/withdraw")
@auth.page_roles(*PRODUCERS)
def withdraw(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            licences.withdraw(licence.id, g.current_user, form.reason.data or None)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            flash(error.description or "The application could not be withdrawn")
        else:
            flash(f"The application for {licence.child_name or 'the child'} is withdrawn")
        return _to_application(licence)
    return _application_page(licence, form), 400


# Files: the child's photo and the licence, for staff and the producer who owns the application ---------


@blp.get(f"/applications/{LICENCE_ID}/photo")
@auth.page_roles(*OWNER_AND_STAFF)
def photo(licence_id: int):
    part = parent_part.photo_of(licence_id, g.current_user)
    response = current_app.response_class(part.photo, mimetype=part.photo_content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response


DOCUMENTS = {
    "licence": licence_decisions.licence_pdf,
    "refusal": licence_decisions.refusal_pdf,
    "revocation": licence_decisions.revocation_pdf,
}
DOCUMENT_LABELS = {
    "licence": "The licence",
    "refusal": "The refusal letter",
    "revocation": "The revocation letter",
}


def document_links(outcome: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(kind, label) of each decision document, once each, from :func:`licence_decisions.outcome`."""
    kinds = []
    for document in (outcome or {}).get("documents", []):
        if document["kind"] in DOCUMENT_LABELS and document["kind"] not in kinds:
            kinds.append(document["kind"])
    return [(kind, DOCUMENT_LABELS[kind]) for kind in kinds]


@blp.get(f"/applications/{LICENCE_ID}/documents/<any(licence, refusal, revocation):kind>.pdf")
@auth.page_roles(*OWNER_AND_STAFF)
def document(licence_id: int, kind: str):
    """The licence as it stands, or the refusal or revocation letter (404 when there is none)."""
    licence = licences.get_visible(licence_id, g.current_user)
    return documents.pdf_response(DOCUMENTS[kind](licence))
