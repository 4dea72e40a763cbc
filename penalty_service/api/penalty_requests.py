"""``/api/v1/penalty-requests`` and ``/api/v1/attendance/threshold-check``."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.schemas import (
    DecisionResultSchema,
    DecisionSchema,
    PenaltyRequestInSchema,
    PenaltyRequestSchema,
    RequestListArgs,
    RequestPageSchema,
    ThresholdCheckSchema,
    ThresholdSchema,
)
from penalty_service.services import notices, requests
from shared import api, auth, calendar
from shared.users import STAFF_ROLES, Role

blp = Blueprint("penalty_requests", __name__, url_prefix="/api/v1", description="Requests from schools")
SCHOOL_AND_STAFF = (Role.SCHOOL, *STAFF_ROLES)
ID = "<int(max=2147483647):request_id>"


def with_overdue(request):
    request.overdue = requests.is_overdue(request)
    return request


@blp.route("/attendance/threshold-check")
class ThresholdCheck(MethodView):
    @auth.public
    @blp.arguments(ThresholdCheckSchema)
    @blp.response(200, ThresholdSchema)
    def post(self, data):
        """Is the attendance threshold met by this register? (Only G, N, O and U count.)"""
        return requests.threshold_body(requests.threshold_for(data["attendance"], data.get("profile")))


@blp.route("/penalty-requests")
class PenaltyRequests(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.arguments(PenaltyRequestInSchema)
    @blp.response(201, PenaltyRequestSchema)
    def post(self, data):
        """Request penalty notices for one pupil (422 with the counts when the threshold is not met)."""
        return with_overdue(requests.submit(data, auth.current_user()))

    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.arguments(RequestListArgs, location="query")
    @blp.response(200, RequestPageSchema)
    def get(self, args):
        """Requests by decision date (a school sees only its own)."""
        query = requests.list_query(auth.current_user(), args.get("status"), args.get("school_urn"))
        page = api.page_of(query, args["page"], args["page_size"])
        today = calendar.today()
        page["items"] = [setattr(r, "overdue", requests.is_overdue(r, today)) or r for r in page["items"]]
        return page


@blp.route(f"/penalty-requests/{ID}")
class PenaltyRequest(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.response(200, PenaltyRequestSchema)
    def get(self, request_id):
        """One request with its threshold result and warnings."""
        return with_overdue(requests.get_visible(request_id, auth.current_user()))


@blp.route(f"/penalty-requests/{ID}/decision")
class Decision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(DecisionSchema)
    @blp.response(200, DecisionResultSchema)
    def post(self, data, request_id):
        """Issue one notice per parent, or reject the request with a reason (409 once decided)."""
        if not auth.current_user().is_staff:
            data["issue_date"] = data["posted_on"] = None
        decision = notices.decide(request_id, data, auth.current_user())
        with_overdue(decision.request)
        return decision
