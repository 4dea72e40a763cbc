"""``/api/v1/productions``: a producer's productions, each with its children's applications."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.licences import DraftInSchema, PerformanceLicenceSchema
from licensing_service.schemas.productions import (
    ProductionDetailSchema,
    ProductionInSchema,
    ProductionListArgs,
    ProductionPageSchema,
    ProductionSchema,
)
from licensing_service.services import licences, productions
from shared import api, auth
from shared.users import STAFF_ROLES, Role

blp = Blueprint("productions", __name__, url_prefix="/api/v1", description="Productions")
APPLICANT_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
ID = "<int(max=2147483647):production_id>"


@blp.route("/productions")
class Productions(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ProductionInSchema)
    @blp.response(201, ProductionSchema)
    def post(self, data):
        """Create a production; the caller's account owns it (and the licences applied for in it)."""
        return productions.create(data, auth.current_user())

    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ProductionListArgs, location="query")
    @blp.response(200, ProductionPageSchema)
    def get(self, args):
        """Productions, newest first (an applicant sees only their own)."""
        return api.page_of(productions.list_query(auth.current_user()), args["page"], args["page_size"])


@blp.route(f"/productions/{ID}")
class Production(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, ProductionDetailSchema)
    def get(self, production_id):
        """One production with each child's application and its status (404 for another owner's)."""
        production = productions.get_visible(production_id, auth.current_user())
        production.children = productions.children(production)
        return production


@blp.route(f"/productions/{ID}/children")
class Children(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(DraftInSchema)
    @blp.response(201, PerformanceLicenceSchema)
    def post(self, data, production_id):
        """Start a draft application for a child in this production (optionally with the child's and
        parent's details). Fill the other sections with ``PUT /performance-licences/{id}/sections/...``,
        then ``POST /performance-licences/{id}/submit``."""
        return licences.create_draft(production_id, data, auth.current_user())
