"""The school's opinion on a performance licence, from the link the council emailed the school.

Like the parent's part, the page needs no account: the single-purpose token is the authority
(:func:`licensing_service.services.licence_checks.school_view` and ``record_school_opinion``). The
school sees the pupil, the production, the days and the school days missed, never the parent's details.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, session, url_for
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError

from licensing_service.models.licences import CheckOutcome
from licensing_service.services import licence_checks
from licensing_service.web import link_pages
from shared import problems
from shared.form_helpers import error_list, strip

blp = Blueprint("school_opinion", __name__)

TOKEN = "<string(maxlength=200):token>"
DONE = "school_opinion_done"
OUTCOMES = [
    (CheckOutcome.NO_CONCERNS.value, "No concerns"),
    (CheckOutcome.CONCERNS.value, "The school has concerns"),
]


SCHOOL_UNAVAILABLE = {
    404: ("This link is not right", "Check that you copied the whole link from the email."),
    409: ("Nothing more is needed from you", None),
    410: (
        "This link no longer works",
        "Contact the council's licensing team if you still want to give the school's opinion.",
    ),
}


class OpinionForm(FlaskForm):
    outcome = RadioField(
        "Would taking part affect the child's education or welfare?",
        choices=[SelectChoice(value, text) for value, text in OUTCOMES],
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired("Select whether the school has concerns"),
            AnyOf([v for v, _ in OUTCOMES], message="Select whether the school has concerns"),
        ],
    )
    notes = TextAreaField(
        "Notes",
        widget=GovTextArea(),
        filters=[strip],
        description="Needed if the school has concerns: for example attendance, progress or welfare. "
        "The council's licensing officer reads this; the producer does not.",
        validators=[Length(max=5000, message="Notes must be 5,000 characters or fewer")],
    )
    submit = SubmitField("Send the school's opinion", widget=GovSubmitInput())

    def validate_notes(self, field) -> None:
        if self.outcome.data == CheckOutcome.CONCERNS and not field.data:
            raise ValidationError("Say what the school's concerns are")


@blp.route(f"/school-opinion/{TOKEN}", methods=["GET", "POST"])
def opinion(token: str):
    try:
        view = licence_checks.school_view(token)
    except problems.Problem as error:
        return link_pages.unavailable(error, SCHOOL_UNAVAILABLE)
    form = OpinionForm()
    if form.validate_on_submit():
        try:
            licence_checks.record_school_opinion(
                token, {"outcome": form.outcome.data, "notes": form.notes.data or ""}
            )
        except problems.Problem as error:
            if error.code != 422:
                return link_pages.unavailable(error, SCHOOL_UNAVAILABLE)
            form.notes.errors = [*form.notes.errors, *(m for ms in error.errors.values() for m in ms)]
        else:
            session[DONE] = {"reference": view["reference"], "child": view["child"]["first_name"]}
            return redirect(url_for("school_opinion.complete"))
    errors = error_list(form)
    child = view["child"]
    return render_template(
        "parent/school_opinion.html",
        page_title=("Error: " if errors else "")
        + f"The school's opinion on a licence for {child['first_name']}",
        form=form,
        errors=errors,
        view=view,
        child=child,
        days=_days(view["days"]),
    ), (400 if errors else 200)


def _days(days: list[dict[str, Any]]) -> list[tuple[date, str]]:
    shown = []
    for day in days:
        try:
            shown.append((date.fromisoformat(day["date"]), day["kind"]))
        except (KeyError, TypeError, ValueError):
            continue
    return shown


@blp.get("/school-opinion/complete")
def complete():
    done: dict[str, Any] | None = session.get(DONE)
    if not isinstance(done, dict):
        return redirect(url_for("pages.start"))
    return render_template("parent/school_opinion_complete.html", page_title="Opinion sent", done=done)
