"""``/api/v1/performance-licences``: one application per child — posted whole, or drafted section by
section and submitted; listed, withdrawn, and the parent's link re-sent."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.licences import (
    SECTION_SCHEMAS,
    LicenceListArgs,
    LicencePageSchema,
    ParentLinkSchema,
    PerformanceLicenceInSchema,
    PerformanceLicenceSchema,
    SubmitSchema,
    WithdrawSchema,
)
from licensing_service.services import licences, parent_part
from shared import api, auth
from shared.users import STAFF_ROLES, Role

blp = Blueprint(
    "performance_licences", __name__, url_prefix="/api/v1", description="Performance licence applications"
)
APPLICANT_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
ID = "<int(max=2147483647):licence_id>"


@blp.route("/performance-licences")
class PerformanceLicences(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(PerformanceLicenceInSchema)
    @blp.response(201, PerformanceLicenceSchema)
    def post(self, data):
        """Apply for a licence for one child, complete, and submit it: the notice is checked (``late``
        under 21 days), the schedule checked (``breaches``, ``warnings``), the parent emailed a link to
        their part and the producer a receipt. Only staff may give ``received_on`` (a paper
        application); anyone else's is today. Below the optional hard stop the application is
        refused at once (``status: refused`` with ``refusal_reason``)."""
        return licences.create_and_submit(data, auth.current_user())

    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(LicenceListArgs, location="query")
    @blp.response(200, LicencePageSchema)
    def get(self, args):
        """Applications, newest first (an applicant sees only those in their own productions)."""
        query = licences.list_query(auth.current_user(), args.get("status"), args.get("production_id"))
        return api.page_of(query, args["page"], args["page_size"])


@blp.route(f"/performance-licences/{ID}")
class PerformanceLicence(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, PerformanceLicenceSchema)
    def get(self, licence_id):
        """One application (staff also see the checks and what is outstanding)."""
        return licences.get_visible(licence_id, auth.current_user())


def _section_view(section: str, schema) -> None:
    class Section(MethodView):
        @auth.api_roles(*APPLICANT_AND_STAFF)
        @blp.arguments(schema)
        @blp.response(200, PerformanceLicenceSchema)
        def put(self, data, licence_id):
            return licences.update_section(licence_id, section, data, auth.current_user())

    Section.put.__doc__ = (
        f"Save the {section} section of a draft (the same keys as in the whole application); "
        "409 once submitted."
    )
    Section.__name__ = f"{section.title()}Section"
    blp.route(f"/performance-licences/{ID}/sections/{section}", endpoint=f"section_{section}")(Section)


for _section, _schema in SECTION_SCHEMAS.items():
    _section_view(_section, _schema)


@blp.route(f"/performance-licences/{ID}/submit")
class Submit(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(SubmitSchema)
    @blp.response(200, PerformanceLicenceSchema)
    def post(self, data, licence_id):
        """Submit a draft whose sections are all complete (422 naming those that are not; 409 unless
        a draft). What follows is as for a whole application posted at once."""
        return licences.submit_draft(licence_id, auth.current_user(), data.get("received_on"))


@blp.route(f"/performance-licences/{ID}/withdraw")
class Withdraw(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(WithdrawSchema)
    @blp.response(200, PerformanceLicenceSchema)
    def post(self, data, licence_id):
        """Withdraw a draft or submitted application (409 once decided or withdrawn). The parent's link
        stops working and the parent is told."""
        return licences.withdraw(licence_id, auth.current_user(), data.get("reason"))


@blp.route(f"/performance-licences/{ID}/parent-link")
class ParentLink(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ParentLinkSchema)
    @blp.response(200, PerformanceLicenceSchema)
    def post(self, data, licence_id):
        """Email the parent a new link to their part (optionally to a corrected ``parent_email``); the
        earlier link stops working. 409 unless submitted with the parent's part still to do."""
        return licences.resend_parent_link(licence_id, auth.current_user(), data.get("parent_email"))


@blp.route(f"/performance-licences/{ID}/parent-part/photo")
class ParentPhoto(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="image/*")
    def get(self, licence_id):
        """The child's photo from the parent's part (JPEG or PNG; 404 until the part is complete)."""
        part = parent_part.photo_of(licence_id, auth.current_user())
        response = Response(part.photo, mimetype=part.photo_content_type)
        response.headers["Content-Disposition"] = "inline"
        response.headers["Cache-Control"] = "no-store"
        return response
