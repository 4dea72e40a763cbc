"""Officers' actions after a notice: withdraw it, prosecute or withdraw an unpaid one and follow the case,
record and import payments and match those in suspense, and send attendance enforcement letters.

Views stay thin: each form is checked here, then the same service the API calls decides, and its
409/422 reasons are shown in the GOV.UK error summary (status 400). Post-redirect-get with ``flash``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, StopValidation, ValidationError

from penalty_service.enforcement_models import EnforcementLetter, ProsecutionCase
from penalty_service.models import School
from penalty_service.rules.notices import WithdrawalGround
from penalty_service.rules.prosecution import CaseEvent, CourtOutcome
from penalty_service.rules.requests import EnforcementStep
from penalty_service.schemas import EnforcementLetterInSchema
from penalty_service.services import (
    bundles,
    enforcement_letters,
    notices,
    payments,
    prosecutions,
    withdrawals,
)
from shared import auth, calendar, db, documents, problems
from shared.formatting import long_date, money
from shared.forms import GovDateField
from shared.users import STAFF_ROLES

blp = Blueprint("officer_actions", __name__, url_prefix="/officer")

NOTICE_ID = "<int(max=2147483647):notice_id>"
CASE_ID = "<int(max=2147483647):case_id>"
PAYMENT_ID = "<int(max=2147483647):payment_id>"
LETTER_ID = "<int(max=2147483647):letter_id>"
SUSPENSE_PAGE_SIZE = 50
MAX_PAGE = 100_000
LAY_BY_WARNING_DAYS = 30
IMPORT_RESULT = "officer_payment_import"

EVENT_LABELS = {
    CaseEvent.INFORMATION_LAID.value: "Information laid",
    CaseEvent.HEARING_LISTED.value: "Hearing listed",
    CaseEvent.OUTCOME.value: "Outcome",
}
OUTCOME_LABELS = {
    CourtOutcome.FINE.value: "Fine",
    CourtOutcome.CONDITIONAL_DISCHARGE.value: "Conditional discharge",
    CourtOutcome.PARENTING_ORDER.value: "Parenting order",
    CourtOutcome.ACQUITTED.value: "Acquitted",
    CourtOutcome.WITHDRAWN.value: "Withdrawn by the prosecution",
}
CASE_STATUSES = {
    "open": ("Open", "govuk-tag--blue"),
    "information_laid": ("Information laid", "govuk-tag--purple"),
    "closed": ("Closed", "govuk-tag--grey"),
}
METHODS = {
    "card": "Debit or credit card",
    "bank_transfer": "Bank transfer",
    "cheque": "Cheque",
    "postal_order": "Postal order",
    "cash": "Cash",
}
PAYMENT_STATUSES = {
    payments.APPLIED: "Applied",
    payments.SUSPENSE: "In suspense",
    payments.REFUND_DUE: "Refund due",
}


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "event_labels": EVENT_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "case_statuses": CASE_STATUSES,
        "methods": METHODS,
        "payment_statuses": PAYMENT_STATUSES,
        "step_label": lambda step: EnforcementStep(step).label,
    }


@blp.app_template_filter("withdrawal_ground")
def withdrawal_ground(value: str | None) -> str:
    """A withdrawal ground's label, for any page that shows a withdrawn notice."""
    try:
        return WithdrawalGround(value).label
    except ValueError:
        return value or ""


# Forms ------------------------------------------------------------------------------------------------


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _required_date(message: str):
    """A date must be given: ``message`` when all three boxes are blank (a wrong date keeps its own)."""

    def check(form, field) -> None:
        if field.data is None:
            if not field.errors:
                raise StopValidation(message)
            raise StopValidation()

    return check


def _not_future(what: str):
    def check(form, field) -> None:
        if field.data is not None and field.data > calendar.today():
            raise ValidationError(f"{what} must be today or in the past")

    return check


class WithdrawForm(FlaskForm):
    ground = RadioField(
        "Why are you withdrawing this notice?",
        choices=_choices((g.value, g.label) for g in WithdrawalGround),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select why you are withdrawing the notice"),
            AnyOf([g.value for g in WithdrawalGround], message="Select why you are withdrawing the notice"),
        ],
    )
    notes = TextAreaField(
        "Notes",
        description="What happened and who decided. The school is told the reason.",
        widget=GovTextArea(),
        filters=[_strip],
        validators=[
            DataRequired("Enter notes about the withdrawal"),
            Length(max=2000, message="Notes must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Withdraw notice", widget=GovSubmitInput())


class ProsecutionDecisionForm(FlaskForm):
    decision = RadioField(
        "What has the council decided?",
        choices=_choices(
            [
                ("prosecute", "Prosecute under section 444 of the Education Act 1996"),
                ("withdraw", "Withdraw the notice: the council will not prosecute"),
            ]
        ),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether to prosecute or withdraw the notice"),
            AnyOf(["prosecute", "withdraw"], message="Select whether to prosecute or withdraw the notice"),
        ],
    )
    code_of_conduct_followed = BooleanField(
        "The code of conduct was followed in full", widget=GovCheckboxInput()
    )
    payments_rechecked = BooleanField(
        "I have re-checked payments, matched and in suspense, and correspondence",
        widget=GovCheckboxInput(),
    )
    notes = TextAreaField(
        "Notes",
        description="Optional. For a withdrawal, the reason the school is given.",
        widget=GovTextArea(),
        filters=[_strip],
        validators=[Length(max=4000, message="Notes must be 4,000 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class CaseEventForm(FlaskForm):
    type = RadioField(
        "What happened?",
        choices=_choices(EVENT_LABELS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select what happened"),
            AnyOf(list(EVENT_LABELS), message="Select what happened"),
        ],
    )
    outcome = SelectField(
        "Court's outcome",
        choices=_choices([("", "Choose the outcome"), *OUTCOME_LABELS.items()]),
        widget=GovSelect(),
        validate_choice=False,
    )
    date = GovDateField(
        "Date",
        description="For example, 10 7 2026",
        validators=[_required_date("Enter the date"), _not_future("The date")],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        filters=[_strip],
        validators=[Length(max=4000, message="Notes must be 4,000 characters or fewer")],
    )
    submit = SubmitField("Record event", widget=GovSubmitInput())

    def validate_outcome(self, field) -> None:
        if self.type.data != CaseEvent.OUTCOME.value:
            field.data = ""  # the outcome belongs to an outcome event only
            return
        if field.data not in OUTCOME_LABELS:
            raise ValidationError("Select the court's outcome")


class ImportForm(FlaskForm):
    file = FileField(
        "Upload a bank file",
        widget=GovFileInput(),
        description="A CSV file with the headings notice_number, amount (in pounds) or amount_pence, "
        "paid_on (YYYY-MM-DD), reference and method in the first row",
    )
    submit = SubmitField("Import payments", widget=GovSubmitInput())

    def validate_file(self, field) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError("Select a CSV file to upload")


AMOUNT = re.compile(r"(\d{1,7})(?:\.(\d{2}))?")


def to_pence(value: str | None) -> int | None:
    """'80.00', '£80', '1,000.50' in pounds → pence; None if it is not an amount of money."""
    found = AMOUNT.fullmatch((value or "").strip().removeprefix("£").replace(",", ""))
    if found is None:
        return None
    return int(found.group(1)) * 100 + int(found.group(2) or "0")


class PaymentForm(FlaskForm):
    notice_number = StringField(
        "Notice number",
        description="For example, PN-2026-0000001",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the notice number"),
            Length(max=40, message="Notice number must be 40 characters or fewer"),
        ],
    )
    amount = StringField(
        "Amount paid",
        description="In pounds and pence, for example 80.00",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[DataRequired("Enter the amount paid")],
    )
    paid_on = GovDateField(
        "Date paid",
        description="For example, 10 2 2026",
        validators=[_required_date("Enter the date paid"), _not_future("Date paid")],
    )
    reference = StringField(
        "Payment reference",
        description="The bank's or the payment provider's reference. A reference is only ever counted once.",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the payment reference"),
            Length(max=80, message="Payment reference must be 80 characters or fewer"),
        ],
    )
    method = RadioField(
        "How was it paid?",
        choices=_choices(METHODS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select how it was paid"),
            AnyOf(list(METHODS), message="Select how it was paid"),
        ],
    )
    submit = SubmitField("Record payment", widget=GovSubmitInput())

    def validate_amount(self, field) -> None:
        pence = to_pence(field.data)
        if pence is None:
            raise ValidationError("Enter the amount in pounds and pence, like 80.00")
        if not 1 <= pence <= payments.MAX_AMOUNT_PENCE:
            raise ValidationError(f"Amount paid must be between 1p and £{payments.MAX_AMOUNT_PENCE // 100:,}")


class MatchForm(FlaskForm):
    notice_number = StringField(
        "Notice number",
        filters=[_strip],
        validators=[
            DataRequired("Enter the notice number to match this payment to"),
            Length(max=40, message="Notice number must be 40 characters or fewer"),
        ],
    )


def _upn(value):
    return "".join(value.split()).upper() if isinstance(value, str) else value


class LetterForm(FlaskForm):
    school_urn = SelectField("School", widget=GovSelect(), validate_choice=False)
    first_name = StringField(
        "Pupil's first name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the pupil's first name"),
            Length(max=100, message="First name must be 100 characters or fewer"),
        ],
    )
    last_name = StringField(
        "Pupil's last name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the pupil's last name"),
            Length(max=100, message="Last name must be 100 characters or fewer"),
        ],
    )
    upn = StringField(
        "Unique pupil number (UPN)",
        description="13 characters, for example A123456789012",
        widget=GovTextInput(),
        filters=[_upn],
        validators=[DataRequired("Enter the pupil's UPN")],
    )
    parent_name = StringField(
        "Parent's full name",
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the parent's full name"),
            Length(max=200, message="Parent's name must be 200 characters or fewer"),
        ],
    )
    address = TextAreaField(
        "Parent's address",
        description="The letter is posted to this address",
        widget=GovTextArea(),
        filters=[_strip],
        validators=[
            DataRequired("Enter the parent's address"),
            Length(max=500, message="Address must be 500 characters or fewer"),
        ],
    )
    issued_on = GovDateField(
        "Date of the letter",
        description="Leave blank for today. For example, 5 1 2026",
        validators=[_not_future("Date of the letter")],
    )
    submit = SubmitField("Send letter", widget=GovSubmitInput())

    def validate_school_urn(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError("Select the school")

    def validate_upn(self, field) -> None:
        if not re.fullmatch(r"[A-Z]\d{11}[A-Z0-9]", field.data or ""):
            raise ValidationError("Enter a UPN in the correct format, like A123456789012")


class LookupForm(FlaskForm):
    class Meta:
        csrf = False

    upn = StringField(
        "Unique pupil number (UPN)",
        widget=GovTextInput(),
        filters=[_upn],
        validators=[Length(max=13, message="Enter a 13-character UPN, like A123456789012")],
    )


def _on_field(field, error: problems.Problem) -> None:
    """A service's refusal shown at the field it is about (and so in the error summary too)."""
    if (error.code or 500) >= 500:
        raise error
    field.errors = [*field.errors, error.description or "That cannot be done"]


def _apply_problem(form: FlaskForm, error: problems.Problem) -> list[dict[str, str]]:
    """A service's refusal on the form: messages naming a field go to that field; others are returned
    for the error summary."""
    extra: list[dict[str, str]] = []
    for key, messages in error.errors.items():
        field = form._fields.get(key.split(".")[-1])
        if field is not None and field.name != "csrf_token":
            field.errors = [*field.errors, *messages]
        else:
            extra += [{"text": m} for m in messages]
    if not error.errors:
        extra.append({"text": error.description or "That cannot be done"})
    return extra


def _summary(form: FlaskForm | None, extra: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """The error summary's entries: the form's fields (each linking to its field), then the rest."""
    items: list[dict[str, str]] = []
    if form is not None:
        for field in form:
            if field.errors:
                suffix = "-day" if isinstance(field, GovDateField) else ""
                items.append({"text": field.errors[0], "href": f"#{field.id}{suffix}"})
    return items + list(extra or [])


# Withdrawing a notice ------------------------------------------------------------------------------------


@blp.route(f"/notices/{NOTICE_ID}/withdraw", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def withdraw(notice_id: int):
    notice = notices.get_visible(notice_id, g.current_user)
    form = WithdrawForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        try:
            withdrawn = withdrawals.withdraw(
                notice.id, {"ground": form.ground.data, "notes": form.notes.data}, g.current_user
            )
        except problems.Problem as error:
            _on_field(form.ground, error)
        else:
            refund = notices.detail(withdrawn).refund_due_pence
            message = f"Notice {withdrawn.notice_number} withdrawn."
            if refund:
                message += f" {money(refund)} already paid is due to be refunded."
            flash(message)
            return redirect(url_for("officer.notice_page", notice_id=notice.id))
    blocked = withdrawals.NOT_WITHDRAWABLE.get(notice.status)
    errors = _summary(form, extra)
    return render_template(
        "officer_actions/withdraw.html",
        page_title=f"Withdraw notice {notice.notice_number}",
        notice=notices.detail(notice),
        form=form,
        errors=errors,
        blocked=blocked.format(withdrawn_on=long_date(notice.withdrawn_on)) if blocked else None,
    ), (400 if errors else 200)


# Prosecution ---------------------------------------------------------------------------------------------


def _case_id_for(notice_id: int) -> int | None:
    return db.session().scalar(select(ProsecutionCase.id).where(ProsecutionCase.notice_id == notice_id))


# Which field a refusal of the decision is about: the checks, else the decision itself.
DECISION_FIELDS = (("code of conduct", "code_of_conduct_followed"), ("Re-check", "payments_rechecked"))
EVENT_DATE_WORDS = ("must be laid by", "cannot be in the future")


@blp.route(f"/notices/{NOTICE_ID}/prosecution", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def prosecution_decision(notice_id: int):
    notice = notices.get_visible(notice_id, g.current_user)
    case_id = _case_id_for(notice.id)
    if case_id is not None and request.method == "GET":
        return redirect(url_for("officer_actions.case_page", case_id=case_id))
    form = ProsecutionDecisionForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        data = {
            "decision": form.decision.data,
            "code_of_conduct_followed": bool(form.code_of_conduct_followed.data),
            "payments_rechecked": bool(form.payments_rechecked.data),
            "notes": form.notes.data or "",
        }
        try:
            result = prosecutions.decide(notice.id, data, g.current_user)
        except problems.Problem as error:
            reason = error.description or ""
            name = next((n for words, n in DECISION_FIELDS if words in reason), "decision")
            _on_field(form[name], error)
        else:
            if result["case_id"] is not None:
                flash(f"Notice {notice.notice_number} referred for prosecution")
                return redirect(url_for("officer_actions.case_page", case_id=result["case_id"]))
            flash(f"Notice {notice.notice_number} withdrawn: the council will not prosecute")
            return redirect(url_for("officer.notice_page", notice_id=notice.id))
    today = calendar.today()
    errors = _summary(form, extra)
    return render_template(
        "officer_actions/prosecution_decision.html",
        page_title=f"Prosecute or withdraw notice {notice.notice_number}",
        notice=notices.detail(notice),
        form=form,
        errors=errors,
        past_limit=notice.lay_by is None or today > notice.lay_by,
    ), (400 if errors else 200)


def _lay_by_warning(case: ProsecutionCase, today: date) -> str | None:
    if case.status != "open":
        return None
    days = (case.lay_by - today).days
    if days < 0:
        return (
            f"The time limit to lay an information passed on {long_date(case.lay_by)}: "
            "the case cannot go to court"
        )
    if days <= LAY_BY_WARNING_DAYS:
        left = "today is the last day" if days == 0 else f"{days} day{'' if days == 1 else 's'} left"
        return f"Lay the information by {long_date(case.lay_by)} ({left})"
    return None


@blp.route(f"/prosecutions/{CASE_ID}", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def case_page(case_id: int):
    case = prosecutions.get_case(case_id)
    form = CaseEventForm()
    extra: list[dict[str, str]] = []
    if case.status != "closed" and form.validate_on_submit():
        data = {
            "type": form.type.data,
            "date": form.date.data,
            "outcome": form.outcome.data or None,
            "notes": form.notes.data or "",
        }
        try:
            prosecutions.add_event(case.id, data, g.current_user)
        except problems.Problem as error:
            about_date = any(words in (error.description or "") for words in EVENT_DATE_WORDS)
            _on_field(form.date if about_date else form.type, error)
        else:
            flash(f"{EVENT_LABELS[data['type']]} recorded")
            return redirect(url_for("officer_actions.case_page", case_id=case.id))
    errors = _summary(form, extra)
    return render_template(
        "officer_actions/case.html",
        page_title=f"Prosecution case {case.id}",
        case=case,
        notice=case.notice,
        form=form,
        errors=errors,
        lay_by_warning=_lay_by_warning(case, calendar.today()),
    ), (400 if errors else 200)


@blp.get(f"/prosecutions/{CASE_ID}/bundle.pdf")
@auth.page_roles(*STAFF_ROLES)
def bundle_pdf(case_id: int):
    return documents.pdf_response(bundles.bundle_pdf(prosecutions.get_case(case_id)))


# Payments ------------------------------------------------------------------------------------------------


def _page_number(total: int, size: int) -> tuple[int, int]:
    last_page = max(1, -(-total // size))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    return page, last_page


def _payments_page(
    *,
    import_form: ImportForm | None = None,
    payment_form: PaymentForm | None = None,
    import_errors: list[dict[str, str]] | None = None,
    payment_errors: list[dict[str, str]] | None = None,
    match_errors: dict[int, tuple[str, str]] | None = None,
    match_values: dict[int, str] | None = None,
):
    import_form = import_form or ImportForm(formdata=None)
    payment_form = payment_form or PaymentForm(formdata=None)
    match_errors = match_errors or {}
    query = payments.list_query(payments.SUSPENSE)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, last_page = _page_number(total, SUSPENSE_PAGE_SIZE)
    suspense = (
        db.session().scalars(query.limit(SUSPENSE_PAGE_SIZE).offset((page - 1) * SUSPENSE_PAGE_SIZE)).all()
    )
    errors = (
        _summary(import_form, import_errors)
        + _summary(payment_form, payment_errors)
        + [
            {"text": f"Payment {reference}: {message}", "href": f"#match-{pid}"}
            for pid, (reference, message) in match_errors.items()
        ]
    )
    result = session.pop(IMPORT_RESULT, None) if request.method == "GET" else None
    return render_template(
        "officer_actions/payments.html",
        page_title="Payments",
        import_form=import_form,
        payment_form=payment_form,
        import_file_error=(import_errors or [{}])[0].get("text"),
        errors=errors,
        suspense=suspense,
        match_errors={pid: message for pid, (_reference, message) in match_errors.items()},
        match_values=match_values or {},
        total=total,
        page=page,
        last_page=last_page,
        page_size=SUSPENSE_PAGE_SIZE,
        result=result if isinstance(result, dict) else None,
    ), (400 if errors else 200)


@blp.get("/payments")
@auth.page_roles(*STAFF_ROLES)
def payments_page():
    return _payments_page()


def _row_errors(error: problems.Problem) -> list[dict[str, str]]:
    """A refused bank file: what is wrong overall, then each row's problem."""
    items = [{"text": error.description or "The file could not be imported", "href": "#file"}]
    for key, messages in error.errors.items():
        if key == "file":
            items += [{"text": m, "href": "#file"} for m in messages if m != error.description]
            continue
        row, _, column = key.partition(".")
        where = f"{row.capitalize()}, {column}" if column else row.capitalize()
        items += [{"text": f"{where}: {m}", "href": "#file"} for m in messages]
    return items


@blp.post("/payments/import")
@auth.page_roles(*STAFF_ROLES)
def import_payments():
    form = ImportForm()
    if not form.validate_on_submit():
        return _payments_page(import_form=form)
    content = form.file.data.read(payments.MAX_IMPORT_BYTES + 1)
    try:
        if len(content) > payments.MAX_IMPORT_BYTES:
            raise problems.Problem(422, "The file is too large: split it into smaller files")
        result = payments.import_csv(content, g.current_user)
    except problems.Problem as error:
        if (error.code or 500) >= 500:
            raise
        return _payments_page(import_form=form, import_errors=_row_errors(error))
    session[IMPORT_RESULT] = result.as_dict()
    flash(f"Bank file imported: {result.rows} row{'' if result.rows == 1 else 's'} read")
    return redirect(url_for("officer_actions.payments_page"))


@blp.post("/payments/record")
@auth.page_roles(*STAFF_ROLES)
def record_payment():
    form = PaymentForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        data = {
            "notice_number": form.notice_number.data,
            "amount_pence": to_pence(form.amount.data),
            "paid_on": form.paid_on.data,
            "reference": form.reference.data,
            "method": form.method.data,
        }
        try:
            recorded = payments.record(data, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            extra = _apply_problem(form, error)
        else:
            payment = recorded.payment
            if not recorded.created:
                flash(f"A payment with reference {payment.reference} is already recorded: nothing was added")
            elif payment.notice_id is None:
                flash(
                    f"Payment of {money(payment.amount_pence)} recorded. No notice that can be paid has the "
                    f"number {payment.notice_number_given}, so it is in suspense to match"
                )
            else:
                notice = payments.notice_of(payment)
                flash(
                    f"Payment of {money(payment.amount_pence)} recorded for notice {notice.notice_number}, "
                    f"now {notice.status}"
                )
            return redirect(url_for("officer_actions.payments_page"))
    return _payments_page(payment_form=form, payment_errors=extra)


@blp.post(f"/payments/{PAYMENT_ID}/match")
@auth.page_roles(*STAFF_ROLES)
def match_payment(payment_id: int):
    payment = payments.get(payment_id)
    form = MatchForm()
    message = None
    if form.validate_on_submit():
        try:
            matched = payments.match(payment.id, form.notice_number.data, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            message = next(iter(error.errors.get("notice_number", [])), error.description)
        else:
            notice = payments.notice_of(matched)
            flash(
                f"Payment {matched.reference} matched to notice {notice.notice_number}, now {notice.status}"
            )
            return redirect(url_for("officer_actions.payments_page"))
    else:
        message = next((e[0] for e in form.errors.values() if e), "Enter the notice number")
    return _payments_page(
        match_errors={payment.id: (payment.reference, message or "That payment cannot be matched")},
        match_values={payment.id: form.notice_number.data or ""},
    )


# Enforcement letters -------------------------------------------------------------------------------------


def _school_choices() -> list[tuple[str, str]]:
    schools = db.session().execute(select(School.urn, School.name).order_by(School.name, School.urn)).all()
    return _choices([("", "Choose a school"), *((urn, f"{name} (URN {urn})") for urn, name in schools)])


def _letters_for(upn: str) -> list[EnforcementLetter]:
    return list(
        db.session().scalars(
            select(EnforcementLetter)
            .where(EnforcementLetter.pupil_upn == upn)
            .order_by(EnforcementLetter.parent_key, EnforcementLetter.issued_on, EnforcementLetter.id)
            .limit(200)
        )
    )


def _schools_of(letters: list[EnforcementLetter]) -> dict[int, School]:
    ids = {letter.school_id for letter in letters}
    return {s.id: s for s in db.session().scalars(select(School).where(School.id.in_(ids)))} if ids else {}


def _prefill(letter_id: int | None) -> dict[str, Any]:
    """The form answered as for an earlier letter, to send the next one to the same parent."""
    letter = db.session().get(EnforcementLetter, letter_id) if letter_id else None
    if letter is None:
        return {}
    school = db.session().get(School, letter.school_id)
    first, _, last = letter.pupil_name.rpartition(" ")
    return {
        "school_urn": school.urn if school else "",
        "first_name": first or last,
        "last_name": last if first else "",
        "upn": letter.pupil_upn,
        "parent_name": letter.parent_name,
        "address": letter.parent_address,
    }


def _letter_sent_message(letter: EnforcementLetter) -> str:
    step = EnforcementStep(letter.step)
    message = f"{step.label} sent to {letter.parent_name} on {long_date(letter.issued_on)}."
    steps = list(EnforcementStep)
    following = steps[min(steps.index(step) + 1, len(steps) - 1)]
    if letter.next_step_due_on:
        if following is EnforcementStep.PROSECUTION:
            message += f" Prosecution under section 444 may follow from {long_date(letter.next_step_due_on)}."
        else:
            message += f" The {following.label} is due from {long_date(letter.next_step_due_on)}."
    return message


@blp.route("/letters", methods=["GET", "POST"])
@auth.page_roles(*STAFF_ROLES)
def letters_page():
    after = request.args.get("after", type=int)
    form = LetterForm(data=_prefill(after) if request.method == "GET" else None)
    form.school_urn.choices = _school_choices()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        body = {
            "school_urn": form.school_urn.data,
            "pupil": {
                "first_name": form.first_name.data,
                "last_name": form.last_name.data,
                "upn": form.upn.data,
            },
            "parent": {"name": form.parent_name.data, "address": form.address.data},
            "issued_on": form.issued_on.data.isoformat() if form.issued_on.data else None,
        }
        try:
            letter = enforcement_letters.issue(EnforcementLetterInSchema().load(body), g.current_user)
        except ma.ValidationError as error:
            flat = problems.flatten_errors(error.messages)
            extra = [{"text": message} for messages in flat.values() for message in messages]
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            if error.errors:
                extra = _apply_problem(form, error)
            else:
                _on_field(form.issued_on, error)
        else:
            flash(_letter_sent_message(letter))
            return redirect(url_for("officer_actions.letters_page", upn=letter.pupil_upn))
    lookup = LookupForm(formdata=request.args if "upn" in request.args else None)
    lookup_error = None
    history: list[EnforcementLetter] | None = None
    if "upn" in request.args and lookup.validate():
        if lookup.upn.data:
            history = _letters_for(lookup.upn.data)
        else:
            lookup_error = "Enter the pupil's UPN"
    elif lookup.errors:
        lookup_error = lookup.upn.errors[0]
    errors = _summary(form, extra)
    if lookup_error:
        errors.append({"text": lookup_error, "href": "#lookup-upn"})
    return render_template(
        "officer_actions/letters.html",
        page_title="Enforcement letters",
        form=form,
        errors=errors,
        lookup=lookup,
        lookup_error=lookup_error,
        history=history,
        schools=_schools_of(history or []),
    ), (400 if errors else 200)


@blp.get(f"/letters/{LETTER_ID}.pdf")
@auth.page_roles(*STAFF_ROLES)
def letter_pdf(letter_id: int):
    return documents.pdf_response(enforcement_letters.letter_pdf(enforcement_letters.get(letter_id)))
