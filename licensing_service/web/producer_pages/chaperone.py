"""The "Chaperone" task: an approved chaperone (their approval number and how many children they look
after), the child's parent, or the child's usual teacher (their name and school)."""

from __future__ import annotations

import marshmallow as ma
from flask import g, redirect, url_for

from licensing_service.schemas.licences import ChaperoneSectionSchema
from licensing_service.services import licences
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.drafts import draft, refused, to_application
from licensing_service.web.producer_pages.forms import ChaperoneForm
from shared import auth, problems
from shared.form_helpers import place_errors, render

CHAPERONE_FIELDS = {
    "chaperone.approval_number": "approval_number",
    "chaperone.children_in_care": "children_in_care",
    "chaperone.is_parent": "who",
    "chaperone.is_usual_teacher": "who",
    "chaperone.usual_teacher_name": "usual_teacher_name",
    "chaperone.usual_teacher_school": "usual_teacher_school",
    "chaperone.also_private_teacher": "also_private_teacher",
}


@blp.route(f"/applications/{LICENCE_ID}/chaperone", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def chaperone(licence_id: int):
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    form = ChaperoneForm(
        data={
            "who": ChaperoneForm.saved(licence),
            "approval_number": licence.chaperone_approval_number,
            "children_in_care": str(licence.chaperone_children_in_care)
            if licence.chaperone_children_in_care
            else "",
            "also_private_teacher": bool(licence.chaperone_also_private_teacher),
            "usual_teacher_name": licence.usual_teacher_name,
            "usual_teacher_school": licence.usual_teacher_school,
        }
    )
    if form.validate_on_submit():
        body = {"chaperone": form.chaperone()}
        try:
            licences.update_section(
                licence.id, "chaperone", ChaperoneSectionSchema().load(body), g.current_user
            )
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), CHAPERONE_FIELDS, "who")
        except problems.Problem as error:
            refused(form, error, CHAPERONE_FIELDS, "who")
        else:
            return to_application(licence)
    return render(
        "producer/chaperone.html",
        "Chaperone",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )
