"""Public verification of licences, permits and chaperone approvals.

``GET /api/v1/verify?number=...&date_of_birth=...`` answers ``{valid, valid_until, kind}`` and nothing
else; a number that matches nothing, or a date of birth that does not match the number, gets the same
"not valid" answer as a number that does not exist. No sign-in; limited per address
(``VERIFY_RATE_LIMIT``), so numbers cannot be tried in bulk.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.schemas.concerns import VerifyArgs, VerifyResultSchema
from licensing_service.services import verification
from shared import auth, rate_limits

blp = Blueprint(
    "verify",
    __name__,
    url_prefix="/api/v1",
    description="Public verification of licences, permits and chaperone approvals",
)


@blp.route("/verify")
class Verify(MethodView):
    @auth.public
    @rate_limits.limit("VERIFY_RATE_LIMIT")
    @blp.arguments(VerifyArgs, location="query")
    @blp.response(200, VerifyResultSchema)
    def get(self, args):
        """Whether a licence, permit or chaperone approval is valid today, and until when, from its number
        and the holder's date of birth (the child's, for a licence or permit). 429 past the limit."""
        return verification.verify(args["number"], args["date_of_birth"])
