"""The SPP's decision on a performance licence (``/decision``), its variation and revocation, where the
copies went (``/distribution``), and its documents (``/documents/licence.pdf``, ``refusal.pdf``,
``revocation.pdf``). Deciding is for staff; the producer who owns the application may read the outcome
and the documents; anyone else gets 404."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.decisions import (
    DecisionInSchema,
    DistributionSchema,
    DocumentArgs,
    LicenceOutcomeSchema,
    RevocationInSchema,
    VariationInSchema,
)
from licensing_service.services import licence_decisions, licences
from shared import auth, documents
from shared.users import STAFF_ROLES, Role

blp = Blueprint(
    "licence_decisions",
    __name__,
    url_prefix="/api/v1",
    description="Decisions on performance licences: grant, refuse, vary, revoke; the licence and letters",
)
APPLICANT_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
ID = "<int(max=2147483647):licence_id>"
PDF = {"type": "string", "format": "binary"}


@blp.route(f"/performance-licences/{ID}/decision")
class Decision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(DecisionInSchema)
    @blp.response(200, LicenceOutcomeSchema)
    def post(self, data, licence_id):
        """Grant or refuse a submitted application.

        A grant gives the licence number, the licence PDF and its distribution to the licence holder, the
        host authority and the parent. 409 while anything is missing, each item named in ``missing``
        (``parent_part``, ``education``, ``social_care``, ``early_help``, ``school_opinion``,
        ``concerns_reason`` — a check found concerns and no ``reason`` was given — and ``schedule``, with
        its ``breaches``), or unless the application is submitted; 422 to grant a late application
        without ``late_reason``. A refusal needs ``reason`` (422) and sends the letter to the licence
        holder and the parent."""
        licence = licence_decisions.decide(licence_id, data, auth.current_user())
        return licence_decisions.outcome(licence)

    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, LicenceOutcomeSchema)
    def get(self, licence_id):
        """The decision so far: status, licence number and version, documents, where the copies of the
        latest decision went, and every decision in order."""
        user = auth.current_user()
        return licence_decisions.outcome(licences.get_visible(licence_id, user), staff=user.is_staff)


@blp.route(f"/performance-licences/{ID}/variation")
class Variation(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(VariationInSchema)
    @blp.response(200, LicenceOutcomeSchema)
    def post(self, data, licence_id):
        """Vary a granted licence (``days`` is the whole new schedule; ``conditions`` replaces the
        council's own). The schedule is checked again (409 with ``breaches``); days already past cannot
        change (422). The licence is made again as the next version and sent to the same parties. 409
        unless granted and not yet ended."""
        licence = licence_decisions.vary(licence_id, data, auth.current_user())
        return licence_decisions.outcome(licence)


@blp.route(f"/performance-licences/{ID}/revocation")
class Revocation(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(RevocationInSchema)
    @blp.response(200, LicenceOutcomeSchema)
    def post(self, data, licence_id):
        """Revoke a granted licence with a reason: the letter goes to the licence holder, the host
        authority and the parent. 409 unless granted."""
        licence = licence_decisions.revoke(licence_id, data, auth.current_user())
        return licence_decisions.outcome(licence)


@blp.route(f"/performance-licences/{ID}/distribution")
class Distribution(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, DistributionSchema(many=True))
    def get(self, licence_id):
        """Every copy sent: the licence on grant and on each variation, the refusal or revocation letter
        (party, email, event, date)."""
        licence = licences.get_visible(licence_id, auth.current_user())
        return licence_decisions.distribution_rows(licence, list(licence.distributions))


@blp.route(f"/performance-licences/{ID}/documents/licence.pdf")
class LicencePdf(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(DocumentArgs, location="query")
    @blp.response(200, PDF, content_type=documents.PDF_MIME, description="The licence (A4, tagged PDF)")
    def get(self, args, licence_id):
        """The licence as in force (or an earlier ``version``); 404 until granted."""
        licence = licences.get_visible(licence_id, auth.current_user())
        return documents.pdf_response(licence_decisions.licence_pdf(licence, args.get("version")))


@blp.route(f"/performance-licences/{ID}/documents/refusal.pdf")
class RefusalPdf(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, PDF, content_type=documents.PDF_MIME, description="The refusal letter")
    def get(self, licence_id):
        """The letter refusing the application; 404 unless refused."""
        licence = licences.get_visible(licence_id, auth.current_user())
        return documents.pdf_response(licence_decisions.refusal_pdf(licence))


@blp.route(f"/performance-licences/{ID}/documents/revocation.pdf")
class RevocationPdf(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, PDF, content_type=documents.PDF_MIME, description="The revocation letter")
    def get(self, licence_id):
        """The letter revoking the licence; 404 unless revoked."""
        licence = licences.get_visible(licence_id, auth.current_user())
        return documents.pdf_response(licence_decisions.revocation_pdf(licence))
