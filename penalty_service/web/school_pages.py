"""Schools' pages: request a penalty notice one question a page, then follow requests and notices.

The answers are kept in the session (signed cookie) between pages: the register packed small by
:mod:`penalty_service.services.register_csv`. Each page validates on the server and shows the GOV.UK
error summary; "Check your answers" loads the answers with the API's own schema and sends them through
:func:`penalty_service.services.requests.submit`, so the pages and the API apply the same rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from penalty_service.models import PenaltyNotice, PenaltyRequest
from penalty_service.rules import attendance
from penalty_service.rules import requests as request_rules
from penalty_service.rules.notices import Offence
from penalty_service.schemas import UPN, PenaltyRequestInSchema
from penalty_service.services import notices, register_csv, school_copies, schools
from penalty_service.services import requests as request_service
from shared import auth, calendar, db, problems
from shared.formatting import long_date
from shared.forms import GovDateField
from shared.users import STAFF_ROLES, Role

blp = Blueprint("school", __name__, url_prefix="/school")

DRAFT = "school_request"
PAGE_SIZE = 25
MAX_PAGE = 100_000
MAX_PARENTS = 6
COOKIE_LIMIT = 3800  # browsers drop cookies over 4096 bytes, and with them the sign-in
SCHOOL_ONLY = (Role.SCHOOL,)
VIEWERS = (Role.SCHOOL, *STAFF_ROLES)
ID = "<int(max=2147483647):request_id>"

OFFENCES = {
    Offence.UNAUTHORISED_ABSENCE.value: (
        "Unauthorised absence",
        "Irregular attendance, including arriving after the register closed",
    ),
    Offence.LEAVE_OF_ABSENCE.value: (
        "Leave of absence in term time",
        "A holiday or other leave in term time that the school did not authorise",
    ),
    Offence.EXCLUDED_PUPIL_IN_PUBLIC_PLACE.value: (
        "Excluded pupil in a public place",
        "Seen in a public place in school hours in the first 5 school days of an exclusion",
    ),
}
REQUEST_STATUSES = {
    "received": ("Received", ""),
    "issued": ("Notices issued", "govuk-tag--green"),
    "rejected": ("Rejected", "govuk-tag--red"),
    "other_enforcement": ("Other enforcement", "govuk-tag--orange"),
}
NOTICE_STATUSES = {
    "issued": ("Issued", ""),
    "paid": ("Paid", "govuk-tag--green"),
    "unpaid": ("Unpaid", "govuk-tag--red"),
    "withdrawn": ("Withdrawn", "govuk-tag--grey"),
    "prosecution": ("Prosecution", "govuk-tag--purple"),
}
YES_NO = [("yes", "Yes"), ("no", "No")]


# Dates ------------------------------------------------------------------------------------------------


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "offences": OFFENCES,
        "request_statuses": REQUEST_STATUSES,
        "notice_statuses": NOTICE_STATUSES,
        "profile": attendance.Profile(current_app.config["THRESHOLD_PROFILE"]),
    }


# Forms ------------------------------------------------------------------------------------------------


def _strip(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _radios(label: str, choices, message: str, **kwargs) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(value, text) for value, text in choices],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf([c[0] for c in choices], message=message)],
        **kwargs,
    )


def _text(label: str, required: str, max_length: int, too_long: str, **kwargs) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[_strip],
        validators=[InputRequired(required), Length(max=max_length, message=too_long)],
        **kwargs,
    )


def _area(label: str, required: str, max_length: int, too_long: str, **kwargs) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[_strip],
        validators=[InputRequired(required), Length(max=max_length, message=too_long)],
        **kwargs,
    )


class OffenceForm(FlaskForm):
    offence = _radios(
        "What is the offence?",
        [(value, label) for value, (label, _hint) in OFFENCES.items()],
        "Select the offence",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class PupilForm(FlaskForm):
    first_name = _text(
        "First name",
        "Enter the pupil's first name",
        100,
        "The pupil's first name must be 100 characters or fewer",
    )
    last_name = _text(
        "Last name",
        "Enter the pupil's last name",
        100,
        "The pupil's last name must be 100 characters or fewer",
    )
    date_of_birth = GovDateField(
        "Date of birth",
        name_in_errors="Date of birth",
        required="Enter the pupil's date of birth",
        description="For example, 27 3 2014",
    )
    upn = StringField(
        "Unique pupil number (UPN)",
        widget=GovTextInput(),
        description="13 characters, for example A123456789012",
        filters=[lambda v: v.strip().upper().replace(" ", "") if isinstance(v, str) else v],
        validators=[InputRequired("Enter the pupil's UPN")],
    )
    year_group = _text(
        "Year group",
        "Enter the pupil's year group",
        10,
        "Year group must be 10 characters or fewer",
        description="For example, Reception, 3 or 10",
    )
    address = _area(
        "Home address", "Enter the pupil's home address", 500, "Address must be 500 characters or fewer"
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_upn(self, field):
        try:
            UPN(field.data)
        except ma.ValidationError:
            raise ValidationError("Enter a UPN in the correct format, like A123456789012") from None

    def validate_date_of_birth(self, field):
        today = calendar.today()
        if field.data >= today:
            raise ValidationError("Date of birth must be in the past")
        if not 2 <= calendar.age_on(field.data, today) <= 19:
            raise ValidationError("Date of birth must be for a pupil of school age")


def _email_check(form, field):
    if field.data:
        try:
            ma.validate.Email()(field.data)
        except ma.ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None


class ParentForm(FlaskForm):
    name = _text(
        "Full name", "Enter the parent's full name", 200, "Full name must be 200 characters or fewer"
    )
    relationship = _text(
        "Relationship to the pupil",
        "Enter the parent's relationship to the pupil",
        60,
        "Relationship must be 60 characters or fewer",
        description="For example, mother, father or carer",
    )
    address = _area(
        "Address",
        "Enter the parent's address",
        500,
        "Address must be 500 characters or fewer",
        description="The notice is posted to this address",
    )
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            _email_check,
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AnotherParentForm(FlaskForm):
    another = _radios(
        "Do you need to add another parent?", YES_NO, "Select yes if you need to add another parent"
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RemoveParentForm(FlaskForm):
    remove = _radios("", YES_NO, "Select yes if you want to remove this parent")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AttendanceForm(FlaskForm):
    register_file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        description="A CSV file exported from your management information system, with the headings "
        "date, session and code in the first row",
    )
    register_rows = TextAreaField(
        "Enter the sessions",
        widget=GovTextArea(),
        description="One session a line: date, AM or PM, and the attendance code, for example "
        "2026-01-12,AM,O",
        validators=[Length(max=40_000, message="Enter at most 800 sessions")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AboutForm(FlaskForm):
    returned_on = GovDateField(
        "When did the pupil return to school?",
        name_in_errors="The date the pupil returned to school",
        required=None,
        description="For example, 19 1 2026. Leave this blank if the pupil has not returned yet.",
    )
    nti = _radios(
        "Did the school issue a notice to improve?",
        YES_NO,
        "Select yes if the school issued a notice to improve",
    )
    nti_issued_on = GovDateField(
        "Date the notice to improve was issued",
        name_in_errors="The date the notice to improve was issued",
        required=None,
        description="For example, 1 12 2025",
    )
    nti_ends_on = GovDateField(
        "Date the improvement period ends",
        name_in_errors="The date the improvement period ends",
        required=None,
        description="For example, 15 12 2025",
    )
    code_of_conduct = BooleanField(
        "The school followed the local code of conduct for penalty notices before making this request",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_returned_on(self, field):
        if field.data and field.data > calendar.today():
            raise ValidationError("The date the pupil returned to school must be today or in the past")

    def validate_nti_issued_on(self, field):
        if field.data > calendar.today():
            raise ValidationError("The date the notice to improve was issued must be today or in the past")

    def validate_nti_ends_on(self, field):
        if self.nti_issued_on.data and field.data < self.nti_issued_on.data:
            raise ValidationError("The improvement period must end after the notice to improve was issued")

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        dates = (
            (self.nti_issued_on, "Enter the date the notice to improve was issued"),
            (self.nti_ends_on, "Enter the date the improvement period ends"),
        )
        for field, message in dates:
            if self.nti.data != "yes":
                field.errors = []  # the dates belong to "Yes": ignored when it is not chosen
            elif field.data is None and not field.errors:
                field.errors = [message]
        return not self.errors

    def validate_code_of_conduct(self, field):
        if field.data is not True:
            raise ValidationError("Confirm the school followed the code of conduct for penalty notices")


class SendForm(FlaskForm):
    """Only the CSRF token: the answers are in the session."""


def error_list(form: FlaskForm) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field (a date to the part that is wrong)."""
    items = []
    for field in form:
        if not field.errors:
            continue
        href = f"#{field.id}-{field.error_part}" if isinstance(field, GovDateField) else f"#{field.id}"
        items.append({"text": field.errors[0], "href": href})
    return items


# The answers kept between pages ------------------------------------------------------------------------

STEPS = ("school.offence", "school.pupil", "school.parents", "school.attendance", "school.about")


def _draft() -> dict[str, Any]:
    draft = session.get(DRAFT)
    return dict(draft) if isinstance(draft, dict) else {}


def _cookie_size() -> int:
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    return len(serializer.dumps(dict(session))) if serializer else 0


def _save(draft: dict[str, Any]) -> bool:
    """Keep the answers; False (and nothing kept) if they no longer fit in the session cookie."""
    previous = session.get(DRAFT)
    session[DRAFT] = draft
    if _cookie_size() > COOKIE_LIMIT:
        session[DRAFT] = previous
        return False
    return True


TOO_LONG = "Your answers are too long to keep between pages: shorten the addresses or send fewer sessions"


def _done(draft: dict[str, Any], step: str) -> bool:
    return {
        "school.offence": draft.get("offence") in OFFENCES,
        "school.pupil": bool(draft.get("pupil")),
        "school.parents": bool(draft.get("parents")),
        "school.attendance": bool(register_csv.unpack(draft.get("register", ""))),
        "school.about": bool(draft.get("about")),
    }[step]


def _first_missing(draft: dict[str, Any], before: str | None = None) -> str | None:
    for step in STEPS:
        if step == before:
            return None
        if not _done(draft, step):
            return step
    return None


def _returning() -> bool:
    return request.args.get("return") == "check"


def _next(default: str, draft: dict[str, Any], **values):
    """Where to go after a page: back to "Check your answers" when changing an answer (if nothing else is
    missing), else the next question."""
    if _returning() and _first_missing(draft) is None:
        return redirect(url_for("school.check"))
    return redirect(url_for(default, **values))


def _back(previous: str, **values) -> str:
    return url_for("school.check") if _returning() else url_for(previous, **values)


def _guard(step: str):
    """A redirect to the first unanswered question before ``step``, if there is one."""
    missing = _first_missing(_draft(), before=step)
    return redirect(url_for(missing)) if missing else None


def _register(draft: dict[str, Any]) -> list[dict]:
    return register_csv.unpack(draft.get("register", ""))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def threshold_sentence(result: attendance.ThresholdResult) -> str:
    n = result.sessions_counted
    counted = (
        f"{n} unauthorised session{'' if n == 1 else 's'} counted within {result.window_weeks} school weeks"
    )
    if result.met and result.met_on:
        return f"{counted}: the threshold is met on {long_date(result.met_on.date)} ({result.met_on.session})"
    return f"{counted}: the threshold of {result.sessions_needed} sessions is not met"


def _register_summary(draft: dict[str, Any]) -> dict[str, Any] | None:
    sessions = _register(draft)
    if not sessions:
        return None
    result = request_service.threshold_for(sessions)
    return {
        "sessions": len(sessions),
        "first": sessions[0]["date"],
        "last": sessions[-1]["date"],
        "unauthorised": sum(1 for s in sessions if s["code"] in attendance.UNAUTHORISED),
        "school_weeks": len(attendance.school_weeks(attendance.Session(**s) for s in sessions)),
        "result": result,
        "sentence": threshold_sentence(result),
        "applies": draft.get("offence") != Offence.EXCLUDED_PUPIL_IN_PUBLIC_PLACE.value,
        "source": draft.get("register_source", ""),
        "last_absence": attendance.last_absence(attendance.Session(**s) for s in sessions),
    }


def _warnings(draft: dict[str, Any]) -> list[str]:
    """What the council will be warned about if the request is sent today (never a refusal)."""
    today = calendar.today()
    warnings = []
    returned = _date((draft.get("about") or {}).get("returned_on"))
    if returned and (today - returned).days > request_rules.RETURN_GOOD_PRACTICE_DAYS:
        days = (today - returned).days
        warnings.append(
            f"The pupil returned to school on {long_date(returned)}, {days} days ago. Requests should reach "
            "the council within 3 weeks (21 days) of the pupil's return. You can still send this request."
        )
    summary = _register_summary(draft)
    if summary and summary["last_absence"]:
        warnings += request_rules.request_warnings(today, None, summary["last_absence"])
    return warnings


def _render(template: str, title: str, form: FlaskForm | None = None, status: int | None = None, **context):
    errors = error_list(form) if form is not None else []
    errors += context.pop("extra_errors", [])
    if status is None:
        status = 400 if errors else 200
    page_title = ("Error: " if errors else "") + title
    return (
        render_template(
            template, page_title=page_title, form=form, errors=errors, returning=_returning(), **context
        ),
        status,
    )


# The request journey --------------------------------------------------------------------------------


@blp.get("/")
@auth.page_roles(*VIEWERS)
def index():
    return redirect(url_for("school.requests"))


@blp.get("/requests/new")
@auth.page_roles(*SCHOOL_ONLY)
def new_request():
    draft = _draft()
    school = schools.by_urn(g.current_user.school_urn or "")
    in_progress = any(_done(draft, step) for step in STEPS)
    resume = _first_missing(draft) or "school.check"
    return render_template(
        "school/start.html",
        page_title="Request a penalty notice",
        school=school,
        in_progress=in_progress,
        resume=url_for(resume),
    )


@blp.post("/requests/new")
@auth.page_roles(*SCHOOL_ONLY)
def start_again():
    session.pop(DRAFT, None)
    return redirect(url_for("school.offence"))


@blp.route("/requests/new/offence", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def offence():
    draft = _draft()
    form = OffenceForm(data={"offence": draft.get("offence")})
    if form.validate_on_submit():
        draft["offence"] = form.offence.data
        _save(draft)
        return _next("school.pupil", draft)
    return _render("school/offence.html", "What is the offence?", form, back=_back("school.new_request"))


@blp.route("/requests/new/pupil", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def pupil():
    if guard := _guard("school.pupil"):
        return guard
    draft = _draft()
    saved = dict(draft.get("pupil") or {})
    saved["date_of_birth"] = _date(saved.get("date_of_birth"))
    form = PupilForm(data=saved)
    extra = []
    if form.validate_on_submit():
        draft["pupil"] = {
            "first_name": form.first_name.data,
            "last_name": form.last_name.data,
            "date_of_birth": form.date_of_birth.data.isoformat(),
            "upn": form.upn.data,
            "year_group": form.year_group.data,
            "address": form.address.data,
        }
        if _save(draft):
            return _next("school.parents", draft)
        extra = [{"text": TOO_LONG, "href": "#address"}]
    return _render(
        "school/pupil.html", "Pupil details", form, back=_back("school.offence"), extra_errors=extra
    )


@blp.route("/requests/new/parents/<int(max=5):index>", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def parent(index: int):
    if guard := _guard("school.parents"):
        return guard
    draft = _draft()
    added = list(draft.get("parents") or [])
    if index > len(added):
        return redirect(url_for("school.parent", index=len(added), **_keep_return()))
    form = ParentForm(data=added[index] if index < len(added) else {})
    extra = []
    if form.validate_on_submit():
        same = [p for i, p in enumerate(added) if i != index and _same_name(p["name"], form.name.data)]
        if same:  # one notice per parent: the same name for the same pupil is the same parent
            form.name.errors = [f"You have already added {same[0]['name']}"]
        else:
            entry = {
                "name": form.name.data,
                "relationship": form.relationship.data,
                "address": form.address.data,
                "email": form.email.data or None,
            }
            if index < len(added):
                added[index] = entry
            else:
                added.append(entry)
            draft["parents"] = added
            if _save(draft):
                return redirect(url_for("school.parents", **_keep_return()))
            extra = [{"text": TOO_LONG, "href": "#address"}]
    back = url_for("school.parents", **_keep_return()) if added else _back("school.pupil")
    title = "Parent to receive a notice" if index == 0 else "Another parent to receive a notice"
    return _render("school/parent.html", title, form, back=back, index=index, extra_errors=extra)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _keep_return() -> dict[str, str]:
    return {"return": "check"} if _returning() else {}


@blp.route("/requests/new/parents", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def parents():
    if guard := _guard("school.parents"):
        return guard
    draft = _draft()
    added = draft.get("parents") or []
    if not added:
        return redirect(url_for("school.parent", index=0))
    form = AnotherParentForm()
    full = len(added) >= MAX_PARENTS
    if full and request.method == "POST":
        return _next("school.attendance", draft)
    if form.validate_on_submit():
        if form.another.data == "yes":
            return redirect(url_for("school.parent", index=len(added), **_keep_return()))
        return _next("school.attendance", draft)
    n = len(added)
    title = f"You have added {n} parent{'' if n == 1 else 's'}"
    return _render("school/parents.html", title, form, back=_back("school.pupil"), parents=added, full=full)


@blp.route("/requests/new/parents/<int(max=5):index>/remove", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def remove_parent(index: int):
    draft = _draft()
    added = list(draft.get("parents") or [])
    if index >= len(added):
        return redirect(url_for("school.parents", **_keep_return()))
    name = added[index]["name"]
    form = RemoveParentForm()
    if form.validate_on_submit():
        if form.remove.data == "yes":
            del added[index]
            draft["parents"] = added
            _save(draft)
        if not added:
            return redirect(url_for("school.parent", index=0, **_keep_return()))
        return redirect(url_for("school.parents", **_keep_return()))
    return _render(
        "school/remove_parent.html",
        f"Are you sure you want to remove {name}?",
        form,
        back=url_for("school.parents", **_keep_return()),
        name=name,
    )


@blp.route("/requests/new/attendance", methods=["GET", "POST"], endpoint="attendance")
@auth.page_roles(*SCHOOL_ONLY)
def attendance_register():
    if guard := _guard("school.attendance"):
        return guard
    draft = _draft()
    form = AttendanceForm(data={"register_rows": register_csv.to_text(_register(draft))})
    field_errors: dict[str, Markup] = {}
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        parsed, field, source = _parse_register(form)
        if parsed.ok:
            draft["register"] = register_csv.pack(parsed.sessions)
            draft["register_source"] = source[:120]
            if _save(draft):
                return redirect(url_for("school.threshold", **_keep_return()))
            parsed.errors = [TOO_LONG]
        shown = parsed.errors[:10]
        if len(parsed.errors) > len(shown):
            more = len(parsed.errors) - len(shown)
            shown.append(f"…and {more} more error{'' if more == 1 else 's'}")
        extra = [{"text": message, "href": f"#{field.id}"} for message in shown]
        field_errors[field.name] = Markup("<br>").join(shown)  # every row's problem, at the field too
    return _render(
        "school/attendance.html",
        "Attendance register",
        form,
        back=_back("school.parents"),
        extra_errors=extra,
        field_errors=field_errors,
        summary=_register_summary(draft),
    )


def _parse_register(form: AttendanceForm) -> tuple[register_csv.ParsedRegister, Field, str]:
    """The register from the uploaded file if one was chosen, else from the box."""
    upload = form.register_file.data
    if upload:
        data = upload.stream.read(register_csv.MAX_FILE_BYTES + 1)
        name = (upload.filename or "").rsplit("/", 1)[-1]
        return register_csv.from_csv(data), form.register_file, f"Uploaded file {name}".strip()
    if (form.register_rows.data or "").strip():
        return register_csv.from_text(form.register_rows.data), form.register_rows, "Entered sessions"
    missing = register_csv.ParsedRegister(errors=["Upload the attendance register or enter the sessions"])
    return missing, form.register_file, ""


@blp.get("/requests/new/attendance/result")
@auth.page_roles(*SCHOOL_ONLY)
def threshold():
    if guard := _guard("school.about"):
        return guard
    draft = _draft()
    summary = _register_summary(draft)
    next_url = (
        url_for("school.check") if _returning() and not _first_missing(draft) else url_for("school.about")
    )
    if not summary["applies"]:
        title = "Attendance register"
    elif summary["result"].met:
        title = "The attendance threshold is met"
    else:
        title = "The attendance threshold is not met"
    return _render(
        "school/threshold.html",
        title,
        back=url_for("school.attendance", **_keep_return()),
        summary=summary,
        warnings=_warnings(draft),
        next_url=next_url,
    )


@blp.route("/requests/new/return-to-school", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def about():
    if guard := _guard("school.about"):
        return guard
    draft = _draft()
    saved = draft.get("about") or {}
    nti = saved.get("nti") or {}
    form = AboutForm(
        data={
            "returned_on": _date(saved.get("returned_on")),
            "nti": ("yes" if nti else "no") if saved else None,
            "nti_issued_on": _date(nti.get("issued_on")),
            "nti_ends_on": _date(nti.get("period_ends_on")),
            "code_of_conduct": saved.get("code_of_conduct", False),
        }
    )
    if form.validate_on_submit():
        has_nti = form.nti.data == "yes"
        draft["about"] = {
            "returned_on": form.returned_on.data.isoformat() if form.returned_on.data else None,
            "nti": {
                "issued_on": form.nti_issued_on.data.isoformat(),
                "period_ends_on": form.nti_ends_on.data.isoformat(),
            }
            if has_nti
            else None,
            "code_of_conduct": True,
        }
        _save(draft)
        return redirect(url_for("school.check"))
    return _render(
        "school/about.html",
        "Return to school and code of conduct",
        form,
        back=_back("school.threshold"),
    )


def _request_body(draft: dict[str, Any]) -> dict[str, Any]:
    """The answers as the API receives them (``PenaltyRequestInSchema``)."""
    about = draft["about"]
    return {
        "school_urn": g.current_user.school_urn or "",
        "offence": draft["offence"],
        "pupil": draft["pupil"],
        "parents": [{**p, "email": p.get("email") or None} for p in draft["parents"]],
        "attendance": [{**s, "date": s["date"].isoformat()} for s in _register(draft)],
        "returned_to_school_on": about.get("returned_on"),
        "notice_to_improve": about.get("nti"),
        "code_of_conduct_confirmed": bool(about.get("code_of_conduct")),
    }


SECTIONS = {
    "offence": "offence",
    "pupil": "pupil",
    "parents": "parents",
    "attendance": "attendance",
    "returned_to_school_on": "about",
    "notice_to_improve": "about",
    "code_of_conduct_confirmed": "about",
}


def _problem_errors(errors: dict[str, list[str]], detail: str) -> list[dict[str, str]]:
    """A refusal's messages for the error summary, each linking to the answers it is about."""
    items = []
    for key, messages in errors.items():
        section = SECTIONS.get(key.split(".")[0])
        items += [{"text": m, **({"href": f"#{section}"} if section else {})} for m in messages]
    return items or [{"text": detail}]


@blp.route("/requests/new/check", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def check():
    draft = _draft()
    if missing := _first_missing(draft):
        return redirect(url_for(missing))
    form = SendForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        try:
            data = PenaltyRequestInSchema().load(_request_body(draft))
            created = request_service.submit(data, g.current_user)
        except ma.ValidationError as error:
            extra = _problem_errors(problems.flatten_errors(error.messages), "Check your answers")
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            if "threshold" in error.extra:  # the reason with the counts, as the API gives it
                extra = [{"text": error.description or "", "href": "#attendance"}]
            else:
                extra = _problem_errors(error.errors, error.description or "")
        else:
            session.pop(DRAFT, None)
            return redirect(url_for("school.sent", request_id=created.id))
    summary = _register_summary(draft)
    return _render(
        "school/check.html",
        "Check your answers before sending your request",
        form,
        back=url_for("school.about"),
        draft=draft,
        pupil_dob=_date(draft["pupil"].get("date_of_birth")),
        about=draft["about"],
        returned_on=_date(draft["about"].get("returned_on")),
        nti_issued_on=_date((draft["about"].get("nti") or {}).get("issued_on")),
        nti_ends_on=_date((draft["about"].get("nti") or {}).get("period_ends_on")),
        summary=summary,
        warnings=_warnings(draft),
        extra_errors=extra,
        max_parents=MAX_PARENTS,
    )


@blp.get(f"/requests/{ID}/sent")
@auth.page_roles(*SCHOOL_ONLY)
def sent(request_id: int):
    penalty_request = request_service.get_visible(request_id, g.current_user)
    return render_template(
        "school/sent.html", page_title="Request sent", penalty_request=penalty_request, returning=False
    )


# Requests and their outcomes ----------------------------------------------------------------------------


@blp.get("/requests")
@auth.page_roles(*VIEWERS)
def requests():
    user = g.current_user
    query = request_service.list_query(user).order_by(None)
    query = query.order_by(PenaltyRequest.received_on.desc(), PenaltyRequest.id.desc())
    total = db.session().scalar(select(func.count()).select_from(query.subquery())) or 0
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    items = db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    today = calendar.today()
    return render_template(
        "school/requests.html",
        page_title="Your requests" if user.role == Role.SCHOOL else "Requests from schools",
        items=items,
        overdue={r.id: request_service.is_overdue(r, today) for r in items},
        page=page,
        last_page=last_page,
        total=total,
        page_size=PAGE_SIZE,
        show_school=user.role != Role.SCHOOL,
    )


@blp.get(f"/requests/{ID}")
@auth.page_roles(*VIEWERS)
def show_request(request_id: int):
    user = g.current_user
    penalty_request = request_service.get_visible(request_id, user)
    query = notices.list_query(user).where(PenaltyNotice.request_id == penalty_request.id)
    query = query.order_by(None).order_by(PenaltyNotice.id)
    request_notices = db.session().scalars(query).all()
    return render_template(
        "school/request.html",
        page_title=f"Request {penalty_request.reference}",
        penalty_request=penalty_request,
        notices=request_notices,
        overdue=request_service.is_overdue(penalty_request),
    )


# A copy of a notice the school issued itself ------------------------------------------------------------


class SchoolCopyForm(FlaskForm):
    notice_number = _text(
        "Your school's notice number",
        "Enter the notice number",
        24,
        "Notice number must be 24 characters or fewer",
    )
    offence = _radios(
        "What was the notice for?", [(k, v[0]) for k, v in OFFENCES.items()], "Select the offence"
    )
    first_name = _text("Pupil's first name", "Enter the pupil's first name", 100, "First name is too long")
    last_name = _text("Pupil's last name", "Enter the pupil's last name", 100, "Last name is too long")
    upn = _text(
        "Pupil's UPN", "Enter the pupil's UPN", 13, "Enter a UPN in the correct format, like A123456789012"
    )
    date_of_birth = GovDateField("Pupil's date of birth", required="Enter the pupil's date of birth")
    parent_name = _text("Parent's full name", "Enter the parent's name", 200, "Name is too long")
    parent_address = _area("Parent's address", "Enter the parent's address", 500, "Address is too long")
    issue_date = GovDateField("Date the notice was issued", required="Enter the date the notice was issued")
    posted_on = GovDateField("Date it was posted", description="Leave blank if posted the day it was issued")
    first_absence_on = GovDateField(
        "First day of absence it covers", required="Enter the first day of absence"
    )
    last_absence_on = GovDateField("Last day of absence it covers", required="Enter the last day of absence")
    submit = SubmitField("Send the copy", widget=GovSubmitInput())

    def validate_upn(self, field):
        try:
            UPN(field.data.upper())
        except ma.ValidationError:
            raise ValidationError("Enter a UPN in the correct format, like A123456789012") from None

    def validate_last_absence_on(self, field):
        if self.first_absence_on.data and field.data < self.first_absence_on.data:
            raise ValidationError("The last day of absence must be on or after the first")


@blp.route("/notices/copy", methods=["GET", "POST"])
@auth.page_roles(*SCHOOL_ONLY)
def school_copy():
    form = SchoolCopyForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        data = {
            "school_urn": g.current_user.school_urn,
            "notice_number": form.notice_number.data,
            "offence": form.offence.data,
            "pupil": {
                "first_name": form.first_name.data,
                "last_name": form.last_name.data,
                "upn": form.upn.data.upper(),
                "date_of_birth": form.date_of_birth.data,
            },
            "parent": {"name": form.parent_name.data, "address": form.parent_address.data},
            "issue_date": form.issue_date.data,
            "posted_on": form.posted_on.data,
            "first_absence_on": form.first_absence_on.data,
            "last_absence_on": form.last_absence_on.data,
        }
        try:
            notice = school_copies.record(data, g.current_user)
        except problems.Problem as exc:
            field = next(iter(exc.errors), "notice_number").split(".")[-1]
            extra.append({"text": exc.description, "href": f"#{field}"})
        else:
            return _render(
                "school/copy_sent.html",
                "Copy received",
                notice=notice,
                status=200,
                back=url_for("school.requests"),
            )
    return _render(
        "school/copy.html",
        "Send a copy of a notice your school issued",
        form,
        offences=OFFENCES,
        extra_errors=extra,
        back=url_for("school.requests"),
    )
