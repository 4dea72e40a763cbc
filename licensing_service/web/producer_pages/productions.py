"""The producer's productions: the list, a new production, one production with its children, and a new
child's application (a draft) added to it."""

from __future__ import annotations

import marshmallow as ma
from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.schemas.productions import ProductionInSchema
from licensing_service.services import licences, productions
from licensing_service.web.producer_pages.blueprint import PRODUCERS, PRODUCTION_ID, blp
from licensing_service.web.producer_pages.forms import AddChildForm, ProductionForm
from shared import auth, db, problems
from shared.form_helpers import place_errors, render

PAGE_SIZE = 25
MAX_PAGE = 100_000


def _page_number(total: int) -> tuple[int, int]:
    last_page = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE, last_page)
    return page, last_page


@blp.get("/productions")
@auth.page_roles(*PRODUCERS)
def productions_page():
    query = productions.list_query(g.current_user)
    total = db.session().scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, last_page = _page_number(total)
    rows = list(db.session().scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    counts: dict[int, int] = {}
    if rows:
        counted = db.session().execute(
            select(PerformanceLicence.production_id, func.count())
            .where(PerformanceLicence.production_id.in_([p.id for p in rows]))
            .group_by(PerformanceLicence.production_id)
        )
        counts = {production_id: n for production_id, n in counted}
    return render_template(
        "producer/productions.html",
        page_title="Your productions",
        productions=rows,
        counts=counts,
        page=page,
        last_page=last_page,
        total=total,
    )


PRODUCTION_FIELDS = {
    "name": "name",
    "type": "type",
    "broadcast": "broadcast",
    "paid": "paid",
    "producer.name": "producer_name",
    "producer.organisation": "producer_organisation",
    "producer.email": "producer_email",
    "producer.phone": "producer_phone",
    "producer.address": "producer_address",
    "host_authority.name": "host_name",
    "host_authority.email": "host_email",
    "host_authority": "host_name",
    "venues.0.name": "venue_name",
    "venues.0.address": "venue_address",
    "venues": "venue_name",
}


@blp.route("/productions/new", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def new_production():
    user = g.current_user
    form = ProductionForm(data={"producer_name": user.name, "producer_email": user.email})
    if form.validate_on_submit():
        body = {
            "name": form.name.data,
            "type": form.type.data,
            "broadcast": form.broadcast.data == "yes",
            "paid": form.paid.data == "yes",
            "producer": {
                "name": form.producer_name.data,
                "organisation": form.producer_organisation.data or "",
                "email": form.producer_email.data,
                "phone": form.producer_phone.data or "",
                "address": form.producer_address.data or "",
            },
            "host_authority": {"name": form.host_name.data, "email": form.host_email.data or None},
            "venues": [{"name": form.venue_name.data, "address": form.venue_address.data or ""}],
        }
        try:
            production = productions.create(ProductionInSchema().load(body), user)
        except ma.ValidationError as error:
            place_errors(form, problems.flatten_errors(error.messages), PRODUCTION_FIELDS, "name")
        else:
            flash(f"{production.name} created. Now add each child who will take part.")
            return redirect(url_for("producer.production_page", production_id=production.id))
    return render(
        "producer/new_production.html",
        "Create a production",
        form,
        back=url_for("producer.productions_page"),
    )


@blp.get(f"/productions/{PRODUCTION_ID}")
@auth.page_roles(*PRODUCERS)
def production_page(production_id: int):
    production = productions.get_visible(production_id, g.current_user)
    return render_template(
        "producer/production.html",
        page_title=production.name,
        production=production,
        children=productions.children(production),
        form=AddChildForm(),
    )


@blp.post(f"/productions/{PRODUCTION_ID}/children")
@auth.page_roles(*PRODUCERS)
def add_child(production_id: int):
    production = productions.get_visible(production_id, g.current_user)
    form = AddChildForm()
    if not form.validate_on_submit():
        return redirect(url_for("producer.production_page", production_id=production.id))
    licence = licences.create_draft(production.id, None, g.current_user)
    return redirect(url_for("producer.child", licence_id=licence.id))
