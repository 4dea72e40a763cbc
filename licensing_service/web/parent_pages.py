"""The parent's or carer's part of a performance licence application, from the link in their email.

Parents have no account: the link's token is the authority, it serves this purpose only and works once
(:mod:`licensing_service.services.links`). The page says what the licence is for, then takes the
declaration, any medical information and a photo of the child; the photo's type, size and dimensions
are checked by :func:`licensing_service.services.parent_part.complete`, as for the API. A link that is
unknown, used, replaced or expired, or an application that no longer needs the parent, gets a page
that says so and what to do next.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput, GovTextArea
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from licensing_service.services import parent_part
from licensing_service.web import link_pages
from licensing_service.web.producer_pages.display import day_rows
from shared import problems
from shared.form_helpers import error_list, strip

blp = Blueprint("parent", __name__)

TOKEN = "<string(maxlength=200):token>"
DONE = "parent_part_done"
MB = 1024 * 1024

# What each refusal of a link means for the parent, and what they can do.
UNAVAILABLE = {
    404: (
        "This link is not right",
        "Check that you copied the whole link from the email. If it still does not work, ask the producer "
        "to send the link again.",
    ),
    409: ("Nothing more is needed from you", None),
    410: ("This link no longer works", "Ask the producer to send you a new link."),
}


class ParentPartForm(FlaskForm):
    declaration = BooleanField(
        "I am the child's parent or carer. I agree to the child taking part on the days shown, and the "
        "information in this application is correct to the best of my knowledge.",
        widget=GovCheckboxInput(),
    )
    medical_declaration = TextAreaField(
        "Medical information (optional)",
        widget=GovTextArea(),
        filters=[strip],
        description="Any health condition, allergy or medicine the chaperone should know about. "
        "Leave this blank if there is nothing.",
        validators=[Length(max=5000, message="Medical information must be 5,000 characters or fewer")],
    )
    photo = FileField(
        "A recent photo of the child",
        widget=GovFileInput(),
        description="A JPG or PNG, smaller than 5 MB and at least 300 by 300 pixels, showing the child's "
        "face clearly. It is printed on the licence.",
    )
    submit = SubmitField("Send", widget=GovSubmitInput())

    def validate_declaration(self, field) -> None:
        if field.data is not True:
            raise ValidationError("Confirm the declaration to complete your part")

    def validate_photo(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Upload a photo of the child")


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    # The upload is refused before any view runs: say what to do rather than show a bare 413.
    return render_template(
        "parent/unavailable.html",
        page_title="The photo is too large",
        title="The photo is too large",
        detail="The photo must be smaller than 5 MB.",
        advice=None,
        again=request.path,
    ), 413


@blp.route(f"/parent-part/{TOKEN}", methods=["GET", "POST"])
@blp.route(f"/parent/{TOKEN}", methods=["GET", "POST"])
def part(token: str):
    try:
        summary = parent_part.view(token)
    except problems.Problem as error:
        return link_pages.unavailable(error, UNAVAILABLE)
    form = ParentPartForm()
    if form.validate_on_submit():
        content = form.photo.data.stream.read(parent_part.MAX_PHOTO_BYTES + 1)
        data = {"declaration": True, "medical_declaration": form.medical_declaration.data or ""}
        try:
            licence = parent_part.complete(token, data, content)
        except problems.Problem as error:
            if error.code != 422:
                return link_pages.unavailable(error, UNAVAILABLE)
            for key, messages in error.errors.items():
                field = form._fields.get(key.split(".")[0], form.photo)
                field.errors = [*field.errors, *messages]
        else:
            session[DONE] = {"reference": licence.reference, "child": licence.child_first_name}
            return redirect(url_for("parent.complete"))
    errors = error_list(form)
    child = summary["child"]
    return render_template(
        "parent/part.html",
        page_title=("Error: " if errors else "")
        + f"Your part of {child['first_name']}'s licence application",
        form=form,
        errors=errors,
        summary=summary,
        child=child,
        rows=day_rows(summary["days"]),
        max_mb=parent_part.MAX_PHOTO_BYTES // MB,
    ), (400 if errors else 200)


@blp.get("/parent-part/complete")
def complete():
    done: dict[str, Any] | None = session.get(DONE)
    if not isinstance(done, dict):
        return redirect(url_for("pages.start"))
    return render_template("parent/complete.html", page_title="Your part is complete", done=done)
