"""The producers' forms, one for each page, in the Design System's wording; and a day of the schedule as the
producer types it (:class:`DayForm`), read into the API's form of a day (the officers vary days with it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from licensing_service.schemas.performance import MAX_DAYS
from licensing_service.web.producer_pages.display import DAY_KINDS, PRODUCTION_TYPES
from licensing_service.web.producer_pages.parsing import clock, hours, intervals
from shared import calendar
from shared.form_helpers import YES_NO, area, email_format, radios, strip, text, whole_number
from shared.forms import GovDateField

EARLIEST_BIRTH = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


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
        [
            ("chaperone", "An approved chaperone"),
            ("parent", "The child's parent"),
            ("teacher", "The child's usual teacher"),
        ],
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
    usual_teacher_name = text("Teacher's full name", None, 200, "Name must be 200 characters or fewer")
    usual_teacher_school = text(
        "Teacher's school",
        None,
        200,
        "School must be 200 characters or fewer",
        description="Where they teach the child",
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
        if self.who.data == "teacher":
            if not self.usual_teacher_name.data:
                self.usual_teacher_name.errors = ["Enter the teacher's full name"]
            if not self.usual_teacher_school.data:
                self.usual_teacher_school.errors = ["Enter the teacher's school"]
        else:
            self.usual_teacher_name.errors = []
            self.usual_teacher_school.errors = []
        return not self.errors

    @staticmethod
    def saved(licence: Any) -> str | None:
        """The radio for what the licence holds (None: the section is not done)."""
        if licence.chaperone_is_parent is None:
            return None
        if licence.chaperone_is_parent:
            return "parent"
        return "teacher" if licence.chaperone_is_usual_teacher else "chaperone"

    def chaperone(self) -> dict[str, Any]:
        """The answers as the API's ``chaperone`` (``ChaperoneSchema`` input)."""
        who = self.who.data
        body: dict[str, Any] = {
            "approval_number": None,
            "is_parent": who == "parent",
            "is_usual_teacher": who == "teacher",
            "usual_teacher_name": None,
            "usual_teacher_school": None,
            "children_in_care": 1,
            "also_private_teacher": False,
        }
        if who == "chaperone":
            body.update(
                approval_number=self.approval_number.data,
                children_in_care=int(self.children_in_care.data),
                also_private_teacher=bool(self.also_private_teacher.data),
            )
        elif who == "teacher":
            body.update(
                usual_teacher_name=self.usual_teacher_name.data,
                usual_teacher_school=self.usual_teacher_school.data,
            )
        return body


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
            typed = self.tutor_hours_per_day.data
            if not typed:
                self.tutor_hours_per_day.errors = ["Enter the hours of teaching each school day"]
            elif hours(typed) is None:
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


def day_from_form(form: DayForm) -> dict[str, Any]:
    """A valid :class:`DayForm` as a day in the API's form (``DaySchema`` input)."""
    return {
        "date": form.day.data.isoformat(),
        "kind": form.kind.data,
        "arrive": clock(form.arrive.data),
        "leave": clock(form.leave.data),
        "performing": intervals(form.performing.data),
    }


def day_form_data(day: dict[str, Any]) -> dict[str, Any]:
    """A stored day as the producer typed it: the data to fill a :class:`DayForm` with."""
    return {
        "day": date.fromisoformat(day["date"]),
        "kind": day["kind"],
        "arrive": day["arrive"],
        "leave": day["leave"],
        "performing": "\n".join(f"{i['start']} to {i['end']}" for i in day.get("performing") or []),
    }
