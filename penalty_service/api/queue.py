"""``/api/v1/queue``: the officers' work, soonest due first."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from penalty_service.services import queue
from shared import auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES

blp = Blueprint("queue", __name__, url_prefix="/api/v1/queue", description="Officers' work queue")


class QueueItemSchema(BaseSchema):
    kind = ma.fields.String()
    id = ma.fields.Integer()
    reference = ma.fields.String()
    status = ma.fields.String()
    due_on = ma.fields.Date(allow_none=True)
    overdue = ma.fields.Boolean()
    summary = ma.fields.String()


class QueueSchema(BaseSchema):
    items = ma.fields.List(ma.fields.Nested(QueueItemSchema))
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    per_kind_limit = ma.fields.Integer()


@blp.route("")
class Queue(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, QueueSchema)
    def get(self):
        """Requests to decide, unpaid notices to review for prosecution, payments to match, late copies."""
        return {"items": queue.open_items(), "counts": queue.counts(), "per_kind_limit": queue.PER_KIND}
