"""The officer's form to vary a granted licence (Children and Young Persons Act 1963 s39): the reason, the
council's conditions, night work, the chaperone and the days, read into the body of
:func:`licensing_service.services.licence_decisions.vary` (``VariationInSchema``).

Each day is typed as its producer typed it, with the producer's own :class:`DayForm` (times like 9:30,
performing times "10:00 to 11:30" one per line). Days before today are shown but have no form: they have
happened. The whole schedule is sent, past days as stored, so the service sees exactly what would be
licensed; the chaperone only when it differs, so an unchanged chaperone is never recorded as a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from licensing_service.models.licences import PerformanceLicence
from licensing_service.schemas.decisions import MAX_CONDITIONS
from licensing_service.schemas.performance import MAX_DAYS
from licensing_service.web.producer_pages.chaperone import CHAPERONE_FIELDS
from licensing_service.web.producer_pages.forms import ChaperoneForm, DayForm, day_form_data, day_from_form
from shared.form_helpers import YES_NO, lines, place_errors, radios, strip

NO_CSRF = {"csrf": False}  # parts of one form: the page's main form carries the token
DAY_FIELDS = {"date": "day", "kind": "kind", "arrive": "arrive", "leave": "leave", "performing": "performing"}
CONDITION_LENGTH = 1000


def check_conditions(form, field) -> None:
    """The council's conditions, one a line: at most 30, each 1,000 characters or fewer."""
    conditions = field.data.split("\n") if field.data else []
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationError(f"Add no more than {MAX_CONDITIONS} conditions")
    if any(len(condition) > CONDITION_LENGTH for condition in conditions):
        raise ValidationError("Each condition must be 1,000 characters or fewer")


class VariationForm(FlaskForm):
    reason = TextAreaField(
        "Why are you varying the licence?",
        widget=GovTextArea(),
        filters=[strip],
        description="The licence holder, the host authority and the parent get the new version with "
        "this reason.",
        validators=[
            DataRequired("Enter the reason for varying the licence"),
            Length(max=5000, message="Reason must be 5,000 characters or fewer"),
        ],
    )
    conditions = TextAreaField(
        "The council's conditions (optional)",
        widget=GovTextArea(),
        filters=[lines],
        description="One condition on each line. The standard conditions are always on the licence.",
        validators=[
            Length(max=20_000, message="Conditions must be 20,000 characters or fewer"),
            check_conditions,
        ],
    )
    night_work = radios(
        "Does the licence permit night work?", YES_NO, "Select yes if the licence permits night work"
    )
    submit = SubmitField("Vary the licence", widget=GovSubmitInput())


class VariedDayForm(DayForm):
    """A day on the licence not yet past: changed as the producer would type it, or removed."""

    remove = BooleanField("Remove this day", widget=GovCheckboxInput())

    def validate(self, extra_validators=None) -> bool:
        if self.remove.data:
            return True
        return super().validate(extra_validators)


def _typed(form: FlaskForm) -> bool:
    """Whether anything was typed into ``form`` (the new day is optional)."""
    return any(str(value).strip() for field in form for value in (field.raw_data or []))


def chaperone_data(licence: PerformanceLicence) -> dict[str, Any]:
    return {
        "approval_number": licence.chaperone_approval_number,
        "is_parent": bool(licence.chaperone_is_parent),
        "is_usual_teacher": bool(licence.chaperone_is_usual_teacher),
        "usual_teacher_name": licence.usual_teacher_name,
        "usual_teacher_school": licence.usual_teacher_school,
        "children_in_care": licence.chaperone_children_in_care,
        "also_private_teacher": bool(licence.chaperone_also_private_teacher),
    }


@dataclass
class VariationForms:
    """Every part of the variation page: the main form, the chaperone, a form for each day not yet past
    and one for a new day (None when the licence already has the most days allowed)."""

    main: VariationForm
    chaperone: ChaperoneForm
    past: list[dict[str, Any]]
    days: list[VariedDayForm]
    new: DayForm | None
    # The form each day of the body came from, in order (None: a past day, sent as stored).
    slots: list[DayForm | None]

    @classmethod
    def of(cls, licence: PerformanceLicence, today: date) -> VariationForms:
        """The forms filled with the licence's terms (or, when posted, with what was sent)."""
        night_work = "yes" if licence.night_work else "no"
        main = VariationForm(data={"conditions": licence.conditions or "", "night_work": night_work})
        chaperone = ChaperoneForm(
            prefix="chaperone",
            meta=NO_CSRF,
            data={
                "who": ChaperoneForm.saved(licence),
                "approval_number": licence.chaperone_approval_number,
                "children_in_care": str(licence.chaperone_children_in_care or ""),
                "also_private_teacher": bool(licence.chaperone_also_private_teacher),
                "usual_teacher_name": licence.usual_teacher_name,
                "usual_teacher_school": licence.usual_teacher_school,
            },
        )
        stored = list(licence.days or [])
        past = [d for d in stored if date.fromisoformat(d["date"]) < today]
        days = [
            VariedDayForm(prefix=f"day-{d['date']}", meta=NO_CSRF, data=day_form_data(d))
            for d in stored
            if date.fromisoformat(d["date"]) >= today
        ]
        new = DayForm(prefix="new", meta=NO_CSRF) if len(stored) < MAX_DAYS else None
        return cls(main, chaperone, past, days, new, [])

    def all(self) -> list[FlaskForm]:
        return [self.main, self.chaperone, *self.days, *([self.new] if self.new is not None else [])]

    def validate_on_submit(self) -> bool:
        """Every part checked, so that every error shows at once; the new day only if anything was typed
        into it."""
        if not self.main.is_submitted():
            return False
        results = [self.main.validate(), self.chaperone.validate(), *(form.validate() for form in self.days)]
        if self.new is not None and _typed(self.new):
            results.append(self.new.validate())
        elif self.days and not self.past and all(form.remove.data for form in self.days):
            self.days[0].remove.errors = ["Keep at least one day: to end the licence, revoke it"]
            results.append(False)
        return all(results)

    def body(self, licence: PerformanceLicence) -> dict[str, Any]:
        """``{reason, changes}`` for ``VariationInSchema``."""
        kept = [form for form in self.days if not form.remove.data]
        if self.new is not None and _typed(self.new):
            kept.append(self.new)
        self.slots = [None] * len(self.past) + list(kept)
        changes: dict[str, Any] = {
            "days": [*self.past, *(day_from_form(form) for form in kept)],
            "night_work": self.main.night_work.data == "yes",
            "conditions": self.main.conditions.data or "",
        }
        chaperone = self.chaperone.chaperone()
        if chaperone != chaperone_data(licence):
            changes["chaperone"] = chaperone
        return {"reason": self.main.reason.data, "changes": changes}

    def place(self, messages: dict[str, list[str]]) -> list[dict[str, str]]:
        """Messages by path (the schema's or the service's) put at their fields; the rest (the schedule's
        breaches, a change to a past day, nothing changed) returned for the error summary."""
        extra = []
        for path, texts in messages.items():
            parts = path.split(".")
            if parts[0] == "reason":
                self.main.reason.errors = [*self.main.reason.errors, *texts]
            elif parts[0] != "changes" or len(parts) == 1:
                href = {"schedule": "#days", "changes": "#conditions"}.get(parts[0], "#reason")
                extra += [{"text": text, "href": href} for text in texts]
            elif parts[1] in ("conditions", "night_work"):
                field = self.main._fields[parts[1]]
                field.errors = [*field.errors, *texts]
            elif parts[1] == "chaperone":
                place_errors(self.chaperone, {".".join(parts[1:]): texts}, CHAPERONE_FIELDS, "who")
            elif parts[1] == "days" and len(parts) > 3 and parts[2].isdigit() and self._slot(int(parts[2])):
                place_errors(self._slot(int(parts[2])), {".".join(parts[3:]): texts}, DAY_FIELDS, "day")
            else:
                extra += [{"text": text, "href": "#days"} for text in texts]
        return extra

    def _slot(self, index: int) -> DayForm | None:
        return self.slots[index] if 0 <= index < len(self.slots) else None
