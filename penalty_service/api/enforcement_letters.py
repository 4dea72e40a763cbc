"""``/api/v1/enforcement-letters``: Notice to Attend → Formal Warning → Court Action, each a dated letter."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.schemas import EnforcementLetterInSchema, EnforcementLetterSchema
from penalty_service.services import enforcement_letters
from shared import auth, documents
from shared.users import STAFF_ROLES

blp = Blueprint(
    "enforcement_letters",
    __name__,
    url_prefix="/api/v1/enforcement-letters",
    description="Enforcement letters",
)
ID = "<int(max=2147483647):letter_id>"


@blp.route("")
class EnforcementLetters(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(EnforcementLetterInSchema)
    @blp.response(201, EnforcementLetterSchema)
    def post(self, data):
        """Send the next letter for this parent and pupil (409 before it is due, or after Court Action)."""
        return enforcement_letters.issue(data, auth.current_user())


@blp.route(f"/{ID}/letter.pdf")
class EnforcementLetterPdf(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, content_type="application/pdf")
    def get(self, letter_id):
        """The letter as sent."""
        return documents.pdf_response(enforcement_letters.letter_pdf(enforcement_letters.get(letter_id)))
