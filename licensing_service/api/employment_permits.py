"""Child employment permits: ``/api/v1/employment-permits``, the public hours check and the parent's
declaration from the emailed link.

The payloads carry the permit only: nothing about the site visit, which employers and parents never see.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.employment import (
    DeclarationInSchema,
    DeclarationViewSchema,
    HoursCheckSchema,
    HoursResultSchema,
    PermitDecisionSchema,
    PermitInSchema,
    PermitListArgs,
    PermitPageSchema,
    PermitRevocationSchema,
    PermitSchema,
)
from licensing_service.services import employment_permits as permits
from shared import api, auth, documents
from shared.users import STAFF_ROLES, Role

blp = Blueprint("employment_permits", __name__, url_prefix="/api/v1", description="Child employment permits")
EMPLOYER_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
ID = "<int(max=2147483647):permit_id>"
TOKEN = "<string(maxlength=200):token>"


@blp.route("/employment-schedules/check")
class HoursCheck(MethodView):
    @auth.public
    @blp.arguments(HoursCheckSchema)
    @blp.response(200, HoursResultSchema)
    def post(self, data):
        """Breaches and warnings for a child's job and weekly hours (CYPA 1933 s18, the byelaws, and the
        2026 Act's hours from their commencement). Nothing is stored."""
        result = permits.check_hours(
            data["date_of_birth"], data["job"]["category"], data["start_date"], data["schedule"]
        )
        return {
            "breaches": [permits.finding_json(f) for f in result.breaches],
            "warnings": [permits.finding_json(f) for f in result.warnings],
            "regime": result.regime.value,
            "age": result.age,
        }


@blp.route("/employment-permits")
class EmploymentPermits(MethodView):
    @auth.api_roles(*EMPLOYER_AND_STAFF)
    @blp.arguments(PermitInSchema)
    @blp.response(201, PermitSchema)
    def post(self, data):
        """Apply for a permit within 7 days of the child starting (later is flagged ``late``, with the days
        worked without a permit). The parent is emailed a link to give their declaration."""
        return permits.submit(data, auth.current_user())

    @auth.api_roles(*EMPLOYER_AND_STAFF)
    @blp.arguments(PermitListArgs, location="query")
    @blp.response(200, PermitPageSchema)
    def get(self, args):
        """Permits and applications, newest decision date first (an employer sees only their own)."""
        return api.page_of(
            permits.list_query(auth.current_user(), args.get("status")), args["page"], args["page_size"]
        )


@blp.route(f"/employment-permits/{ID}")
class EmploymentPermit(MethodView):
    @auth.api_roles(*EMPLOYER_AND_STAFF)
    @blp.response(200, PermitSchema)
    def get(self, permit_id):
        """One permit or application (404 for another employer's)."""
        return permits.get_visible(permit_id, auth.current_user())


@blp.route(f"/employment-permits/{ID}/parent-link")
class ParentLink(MethodView):
    @auth.api_roles(*EMPLOYER_AND_STAFF)
    @blp.response(200, PermitSchema)
    def post(self, permit_id):
        """Send the parent a new link (the old one stops working); 409 once declared or decided."""
        return permits.resend_parent_link(permit_id, auth.current_user())


@blp.route(f"/employment-permits/{ID}/decision")
class Decision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(PermitDecisionSchema)
    @blp.response(200, PermitSchema)
    def post(self, data, permit_id):
        """Grant (``permit_number``, ``valid_until``: the day before the anniversary of ``issue_date``) or
        refuse with a reason. 409 naming each missing thing: ``parent_declaration``, ``schedule``."""
        return permits.decide(permit_id, data, auth.current_user())


@blp.route(f"/employment-permits/{ID}/revocation")
class Revocation(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(PermitRevocationSchema)
    @blp.response(200, PermitSchema)
    def post(self, data, permit_id):
        """Revoke a granted permit with a reason; the employer and the parent get the letter."""
        return permits.revoke(permit_id, data, auth.current_user())


@blp.route(f"/employment-permits/{ID}/documents/<any(permit,refusal,revocation):kind>.pdf")
class PermitDocument(MethodView):
    @auth.api_roles(*EMPLOYER_AND_STAFF)
    @blp.response(200, content_type="application/pdf")
    def get(self, permit_id, kind):
        """The permit, refusal letter or revocation letter (404 where there is none)."""
        permit = permits.get_visible(permit_id, auth.current_user())
        return documents.pdf_response(permits.document(permit, kind))


@blp.route(f"/permit-declarations/{TOKEN}")
class ParentDeclaration(MethodView):
    @auth.public
    @blp.response(200, DeclarationViewSchema)
    def get(self, token):
        """What the parent is asked to confirm (404 for an unknown link, 410 used or expired)."""
        return permits.declaration_view(token)

    @auth.public
    @blp.arguments(DeclarationInSchema)
    @blp.response(200, PermitSchema)
    def post(self, data, token):
        """Give the parent's declaration; the link then stops working."""
        return permits.declare(token, data)
