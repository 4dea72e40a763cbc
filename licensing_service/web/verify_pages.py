"""The public page to check a licence, permit or chaperone approval: the number and the holder's date of
birth give "Valid until ..." or "Not valid", and nothing else (the same check as ``GET /api/v1/verify``).

The QR code on a licence leads here with the number filled in (``/verify?number=...``). The date of birth
is sent in a form (POST), never in the address, so it stays out of server logs and browser history.
Checks are limited per address (``VERIFY_RATE_LIMIT``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import ValidationError

from licensing_service.services import verification
from shared import calendar, rate_limits
from shared.form_helpers import error_list, text
from shared.forms import GovDateField

blp = Blueprint("verify_pages", __name__)

TITLE = "Check a licence, permit or chaperone approval"


class VerifyForm(FlaskForm):
    number = text(
        "Licence, permit or approval number",
        "Enter the licence, permit or approval number",
        50,
        "The number must be 50 characters or fewer",
        description="For example, NCC-PL-2026-00012",
    )
    date_of_birth = GovDateField(
        "Date of birth of the child or chaperone",
        name_in_errors="Date of birth",
        required="Enter the date of birth",
        description="For example, 27 3 2012",
    )
    submit = SubmitField("Check", widget=GovSubmitInput())

    def validate_date_of_birth(self, field) -> None:
        if field.data.year < 1900 or field.data > calendar.today():
            raise ValidationError("Date of birth must be a real date in the past")


@blp.route("/verify", methods=["GET", "POST"])
@rate_limits.limit("VERIFY_RATE_LIMIT", methods=["POST"])
def check():
    if request.method == "GET":
        form = VerifyForm(formdata=None, data={"number": request.args.get("number", "")[:50].strip()})
    else:
        form = VerifyForm()
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.validate_on_submit():
        result = verification.verify(form.number.data, form.date_of_birth.data)
    errors = error_list(form)
    return render_template(
        "verify/check.html",
        form=form,
        errors=errors,
        result=result,
        heading=TITLE,
        page_title=("Error: " if errors else "") + TITLE,
    ), (400 if errors else 200)
