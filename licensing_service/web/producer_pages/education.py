"""The "Education" task: the school days the child will miss and any private tutor."""

from __future__ import annotations

import marshmallow as ma
from flask import g, redirect, url_for

from licensing_service.schemas.licences import EducationSectionSchema
from licensing_service.services import licences
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.drafts import draft, refused, to_application
from licensing_service.web.producer_pages.forms import EducationForm
from licensing_service.web.producer_pages.parsing import hours, plain
from shared import auth, problems
from shared.form_helpers import place_errors, render

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
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    missed = licence.education_school_days_missed
    form = EducationForm(
        data={
            "misses_school": None if missed is None else ("yes" if missed else "no"),
            "school_days_missed": str(missed) if missed else "",
            "tutor_name": licence.tutor_name,
            "tutor_hours_per_day": plain(licence.tutor_hours_per_day),
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
                    "hours_per_day": str(hours(form.tutor_hours_per_day.data)),
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
            refused(form, error, EDUCATION_FIELDS, "misses_school")
        else:
            return to_application(licence)
    return render(
        "producer/education.html",
        "Education",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )
