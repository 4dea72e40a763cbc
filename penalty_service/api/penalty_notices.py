"""``/api/v1/penalty-notices``: notices with their dates, amounts and payment position."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.schemas import NoticeDetailSchema, NoticeListArgs, NoticePageSchema
from penalty_service.services import notices
from shared import api, auth
from shared.users import STAFF_ROLES, Role

blp = Blueprint(
    "penalty_notices", __name__, url_prefix="/api/v1/penalty-notices", description="Penalty notices"
)
SCHOOL_AND_STAFF = (Role.SCHOOL, *STAFF_ROLES)
ID = "<int(max=2147483647):notice_id>"


@blp.route("")
class PenaltyNotices(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.arguments(NoticeListArgs, location="query")
    @blp.response(200, NoticePageSchema)
    def get(self, args):
        """Notices, newest first, filtered by status and school (a school sees only its own)."""
        query = notices.list_query(auth.current_user(), args.get("status"), args.get("school_urn"))
        return api.page_of(query, args["page"], args["page_size"])


@blp.route(f"/{ID}")
class PenaltyNotice(MethodView):
    @auth.api_roles(*SCHOOL_AND_STAFF)
    @blp.response(200, NoticeDetailSchema)
    def get(self, notice_id):
        """One notice with the amount due today, the balance and any refund due."""
        return notices.detail(notices.get_visible(notice_id, auth.current_user()))
