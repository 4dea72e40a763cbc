"""The penalty service's PDFs: a notice (``/penalty-notices/{id}/document.pdf``) and the outcome letter to
the school (``/penalty-requests/{id}/school-letter.pdf``). A school gets only its own (404 otherwise)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.services import documents as document_service
from penalty_service.services import notices, requests
from shared import auth, documents
from shared.users import STAFF_ROLES, Role

blp = Blueprint("penalty_documents", __name__, url_prefix="/api/v1", description="Penalty service documents")
SCHOOL_AND_STAFF = (Role.SCHOOL, *STAFF_ROLES)
NOTICE_ID = "<int(max=2147483647):notice_id>"
REQUEST_ID = "<int(max=2147483647):request_id>"
PDF = {"type": "string", "format": "binary"}  # documents the body; a view returning a Response is sent as is


@blp.route(f"/penalty-notices/{NOTICE_ID}/document.pdf")
class NoticeDocument(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.response(
        200, PDF, content_type=documents.PDF_MIME, description="The penalty notice (A4, tagged PDF)"
    )
    def get(self, notice_id):
        """The penalty notice as served, made on first request if it is not stored yet."""
        notice = notices.get_visible(notice_id, auth.current_user())
        return documents.pdf_response(document_service.notice_pdf(notice))


@blp.route(f"/penalty-requests/{REQUEST_ID}/school-letter.pdf")
class SchoolLetter(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.response(200, PDF, content_type=documents.PDF_MIME, description="The outcome letter to the school")
    def get(self, request_id):
        """The letter telling the school which notices were issued for its request, or why none were."""
        request = requests.get_visible(request_id, auth.current_user())
        return documents.pdf_response(document_service.school_letter_pdf(request))
