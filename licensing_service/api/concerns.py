"""Concerns about unlicensed work or performance.

Anyone may report one (``POST /api/v1/concerns``, no sign-in, limited per address with
``PUBLIC_FORM_RATE_LIMIT``) and gets back its reference and nothing else. Everything else is for officers
and admins only: every other role gets 403 before any look-up.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.concerns import (
    ConcernActionInSchema,
    ConcernActionSchema,
    ConcernClosureSchema,
    ConcernDetailSchema,
    ConcernListArgs,
    ConcernPageSchema,
    ConcernReceiptSchema,
    ConcernReportSchema,
)
from licensing_service.services import concerns
from shared import api, auth, documents, rate_limits
from shared.users import STAFF_ROLES

blp = Blueprint(
    "concerns", __name__, url_prefix="/api/v1", description="Concerns about unlicensed work or performance"
)
ID = "<int(max=2147483647):concern_id>"
ACTION_ID = "<int(max=2147483647):action_id>"
PDF = {"type": "string", "format": "binary"}


@blp.route("/concerns")
class Concerns(MethodView):
    @auth.public
    @rate_limits.limit("PUBLIC_FORM_RATE_LIMIT")
    @blp.arguments(ConcernReportSchema)
    @blp.response(201, ConcernReceiptSchema)
    def post(self, data):
        """Report a child working or performing without a licence. Anyone may report, and may stay
        anonymous. ``at_risk_now`` marks a safeguarding concern, referred to the MASH at once."""
        return concerns.report(data, auth.current_user())

    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ConcernListArgs, location="query")
    @blp.response(200, ConcernPageSchema)
    def get(self, args):
        """Concerns: open safeguarding ones first, then by due date; closed ones last."""
        return api.page_of(concerns.list_query(args.get("status")), args["page"], args["page_size"])


@blp.route(f"/concerns/{ID}")
class Concern(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, ConcernDetailSchema)
    def get(self, concern_id):
        """One concern with its actions."""
        return concerns.get(concern_id)


@blp.route(f"/concerns/{ID}/actions")
class ConcernActions(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ConcernActionInSchema)
    @blp.response(201, ConcernActionSchema)
    def post(self, data, concern_id):
        """Record an action: a ``letter`` (with its ``recipient``; the PDF is made and kept), support to
        apply, an ``unannounced_visit`` (with its ``visit``; an inspection is planned), a MASH referral or
        legal action. 409 once the concern is closed."""
        return concerns.add_action(concern_id, data, auth.current_user())


@blp.route(f"/concerns/{ID}/actions/{ACTION_ID}/letter.pdf")
class ConcernLetter(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, PDF, content_type=documents.PDF_MIME, description="The letter (A4, tagged PDF)")
    def get(self, concern_id, action_id):
        """The letter a ``letter`` action made."""
        return documents.pdf_response(concerns.letter_document(concern_id, action_id))


@blp.route(f"/concerns/{ID}/closure")
class ConcernClosure(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ConcernClosureSchema)
    @blp.response(200, ConcernDetailSchema)
    def post(self, data, concern_id):
        """Close the concern with an outcome (409 once closed)."""
        concerns.close(concern_id, data, auth.current_user())
        return concerns.get(concern_id)
