"""``/api/v1/penalty-notices/{id}/withdrawal``: an officer withdraws a notice; money paid is refunded."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.schemas import NoticeDetailSchema, WithdrawalSchema
from penalty_service.services import notices, withdrawals
from shared import auth
from shared.users import STAFF_ROLES

blp = Blueprint(
    "penalty_notice_withdrawals",
    __name__,
    url_prefix="/api/v1/penalty-notices",
    description="Withdrawing penalty notices",
)
ID = "<int(max=2147483647):notice_id>"


@blp.route(f"/{ID}/withdrawal")
class Withdrawal(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(WithdrawalSchema)
    @blp.response(200, NoticeDetailSchema)
    def post(self, data, notice_id):
        """Withdraw a notice (409 if already withdrawn or referred for prosecution).

        Money already paid is flagged for refund; the school and, where an email is known, the parent
        are told.
        """
        return notices.detail(withdrawals.withdraw(notice_id, data, auth.current_user()))
