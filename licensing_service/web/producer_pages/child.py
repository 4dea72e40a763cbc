"""The "Child's details" task: the child and their parent or carer."""

from __future__ import annotations

import marshmallow as ma
from flask import g, redirect, url_for

from licensing_service.schemas.licences import ChildSectionSchema
from licensing_service.services import licences
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.drafts import draft, refused, to_application
from licensing_service.web.producer_pages.forms import ChildForm
from shared import auth, problems
from shared.form_helpers import place_errors, render

CHILD_FIELDS = {
    "child.first_name": "first_name",
    "child.last_name": "last_name",
    "child.date_of_birth": "date_of_birth",
    "child.address": "address",
    "child.school_name": "school_name",
    "parent.name": "parent_name",
    "parent.email": "parent_email",
    "parent.address": "parent_address",
}


@blp.route(f"/applications/{LICENCE_ID}/child", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def child(licence_id: int):
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    form = ChildForm(
        data={
            "first_name": licence.child_first_name,
            "last_name": licence.child_last_name,
            "date_of_birth": licence.child_date_of_birth,
            "address": licence.child_address,
            "school_name": licence.child_school_name,
            "parent_name": licence.parent_name,
            "parent_email": licence.parent_email,
            "parent_address": licence.parent_address,
        }
    )
    if form.validate_on_submit():
        body = {
            "child": {
                "first_name": form.first_name.data,
                "last_name": form.last_name.data,
                "date_of_birth": form.date_of_birth.data.isoformat(),
                "address": form.address.data,
                "school_name": form.school_name.data or "",
            },
            "parent": {
                "name": form.parent_name.data,
                "email": form.parent_email.data,
                "address": form.parent_address.data,
            },
        }
        try:
            licences.update_section(licence.id, "child", ChildSectionSchema().load(body), g.current_user)
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), CHILD_FIELDS, "first_name")
        except problems.Problem as error:
            refused(form, error, CHILD_FIELDS, "first_name")
        else:
            return to_application(licence)
    return render(
        "producer/child.html",
        "Child's details",
        form,
        licence=licence,
        back=url_for("producer.application", licence_id=licence.id),
    )
