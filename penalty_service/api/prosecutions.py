"""Prosecution hand-off: ``/penalty-notices/{id}/prosecution`` and ``/prosecutions/{id}``."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.schemas import (
    CaseEventInSchema,
    ProsecutionCaseSchema,
    ProsecutionDecisionResultSchema,
    ProsecutionDecisionSchema,
)
from penalty_service.services import bundles, prosecutions
from shared import auth, documents
from shared.users import STAFF_ROLES

blp = Blueprint("prosecutions", __name__, url_prefix="/api/v1", description="Prosecution under s444")
ID = "<int(max=2147483647):case_id>"


@blp.route("/penalty-notices/<int(max=2147483647):notice_id>/prosecution")
class ProsecutionDecision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ProsecutionDecisionSchema)
    @blp.response(201, ProsecutionDecisionResultSchema)
    def post(self, data, notice_id):
        """Prosecute or withdraw an unpaid notice (409 where not allowed, e.g. past the time limit)."""
        return prosecutions.decide(notice_id, data, auth.current_user())


@blp.route(f"/prosecutions/{ID}")
class ProsecutionCase(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, ProsecutionCaseSchema)
    def get(self, case_id):
        """A prosecution case with its events."""
        return prosecutions.get_case(case_id)


@blp.route(f"/prosecutions/{ID}/events")
class CaseEvents(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(CaseEventInSchema)
    @blp.response(201, ProsecutionCaseSchema)
    def post(self, data, case_id):
        """Record the information laid, a hearing listed, or the court's outcome (sent to the school)."""
        return prosecutions.add_event(case_id, data, auth.current_user())


@blp.route(f"/prosecutions/{ID}/bundle.pdf")
class EvidenceBundle(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, content_type="application/pdf")
    def get(self, case_id):
        """The evidence bundle for the case, as one PDF."""
        return documents.pdf_response(bundles.bundle_pdf(prosecutions.get_case(case_id)))
