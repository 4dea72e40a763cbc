"""``/api/v1/performance-licences/{id}/checks``, the SPP's approval of the education arrangements, and
the school's opinion: asked for by email, given from the link at ``/api/v1/school-opinion/{token}``
(404 unknown; 410 expired, used or replaced)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.licences import (
    CheckInSchema,
    CheckResultSchema,
    CheckSchema,
    EducationApprovalInSchema,
    EducationApprovalSchema,
    SchoolOpinionDoneSchema,
    SchoolOpinionInSchema,
    SchoolOpinionRequestSchema,
    SchoolOpinionViewSchema,
)
from licensing_service.services import education_approvals, licence_checks, licences
from shared import auth
from shared.users import STAFF_ROLES

blp = Blueprint("licence_checks", __name__, url_prefix="/api/v1", description="Checks before a decision")
ID = "<int(max=2147483647):licence_id>"
TOKEN = "<string(maxlength=200):token>"


@blp.route(f"/performance-licences/{ID}/checks")
class Checks(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(CheckInSchema)
    @blp.response(201, CheckResultSchema)
    @blp.alt_response(200, schema=CheckResultSchema, description="An earlier outcome of this kind replaced")
    def post(self, data, licence_id):
        """Record a check's outcome: ``education``, ``social_care``, ``early_help`` or ``school_opinion``
        (``concerns`` needs notes). 201 the first time for a kind, 200 when it replaces an outcome;
        409 unless the application is awaiting a decision."""
        check, created = licence_checks.record(licence_id, data, auth.current_user())
        licence = licences.get_visible(licence_id, auth.current_user())
        return {"check": check, "outstanding": licence_checks.outstanding(licence)}, 201 if created else 200

    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, CheckSchema(many=True))
    def get(self, licence_id):
        """The checks recorded or asked for so far."""
        return licences.get_visible(licence_id, auth.current_user()).checks


@blp.route(f"/performance-licences/{ID}/education-approval")
class EducationApproval(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(EducationApprovalInSchema)
    @blp.response(200, EducationApprovalSchema)
    def post(self, data, licence_id):
        """Record whether the SPP approves the education arrangements (``approved: false`` needs notes).
        A licence for a child who misses school is granted only once they are approved; 409 unless the
        application is awaiting a decision and the child misses school."""
        licence = education_approvals.record(licence_id, data, auth.current_user())
        return education_approvals.state(licence)

    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, EducationApprovalSchema)
    def get(self, licence_id):
        """Whether the education arrangements need approval and what the SPP decided."""
        return education_approvals.state(licences.get_visible(licence_id, auth.current_user()))


@blp.route(f"/performance-licences/{ID}/school-opinion-request")
class SchoolOpinionRequest(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(SchoolOpinionRequestSchema)
    @blp.response(201, CheckSchema)
    def post(self, data, licence_id):
        """Email the school a link to give its opinion (a new request replaces the earlier link; 409 once
        the opinion is recorded or the application decided)."""
        return licence_checks.request_school_opinion(licence_id, data["school_email"], auth.current_user())


@blp.route(f"/school-opinion/{TOKEN}")
class SchoolOpinion(MethodView):
    @auth.public
    @blp.response(200, SchoolOpinionViewSchema)
    def get(self, token):
        """What the school is asked about: the pupil, the production, the days and school days missed."""
        return licence_checks.school_view(token)

    @auth.public
    @blp.arguments(SchoolOpinionInSchema)
    @blp.response(201, SchoolOpinionDoneSchema)
    def post(self, data, token):
        """Give the school's opinion (``no_concerns``, or ``concerns`` with notes); the link then stops
        working."""
        return licence_checks.record_school_opinion(token, data)
