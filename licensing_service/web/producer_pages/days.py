"""The "Performance and rehearsal days" task: the schedule, added a day at a time, with night work; the
whole schedule is checked against every limit after each change."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import flash, g, redirect, request, url_for

from licensing_service.models.licences import PerformanceLicence
from licensing_service.schemas.performance import MAX_DAYS, DaySchema
from licensing_service.services import licences
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.display import day_rows
from licensing_service.web.producer_pages.drafts import draft, refused, to_application
from licensing_service.web.producer_pages.forms import DayForm, NightWorkForm, RemoveDayForm, day_from_form
from shared import auth, problems
from shared.form_helpers import place_errors, render
from shared.formatting import short_date

# Findings about the chaperone mean nothing until the chaperone task is done.
CHAPERONE_CODES = {"chaperone_approval", "chaperone_ratio"}


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
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    form = NightWorkForm(
        data={"night_work": ("yes" if licence.night_work else "no") if licence.days else None}
    )
    if licence.days and form.validate_on_submit():
        night_work = form.night_work.data == "yes"
        if night_work != licence.night_work:
            _save_days(licence, list(licence.days), night_work)
        return to_application(licence)
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
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    existing = list(licence.days or [])
    form = DayForm()
    if len(existing) >= MAX_DAYS and request.method == "POST":
        form.validate_on_submit()
        form.day.errors = [*form.day.errors, f"You can add up to {MAX_DAYS} days to one application"]
    elif form.validate_on_submit():
        day = day_from_form(form)
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
                refused(form, error, {}, "day")
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
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    existing = list(licence.days or [])
    if RemoveDayForm().validate_on_submit() and index < len(existing):
        removed = existing.pop(index)
        _save_days(licence, existing, licence.night_work)
        flash(f"{short_date(removed['date'])} removed")
    return redirect(url_for("producer.days", licence_id=licence.id))
