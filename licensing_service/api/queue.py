"""``/api/v1/queue``: every open item of every kind, soonest due first, with what is outstanding."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from licensing_service.services import licensing_queue
from shared import auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES

blp = Blueprint("queue", __name__, url_prefix="/api/v1/queue", description="Officers' work queue")


class QueueArgs(BaseSchema):
    status = ma.fields.String(validate=validate.OneOf(licensing_queue.open_statuses()))
    kind = ma.fields.String(validate=validate.OneOf(licensing_queue.kinds()))
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class QueueItemSchema(BaseSchema):
    kind = ma.fields.String()
    id = ma.fields.Integer()
    reference = ma.fields.String()
    status = ma.fields.String()
    due_on = ma.fields.Date(allow_none=True)
    overdue = ma.fields.Boolean()
    late = ma.fields.Boolean()
    outstanding = ma.fields.List(ma.fields.String())
    summary = ma.fields.String()
    urgent = ma.fields.Boolean(metadata={"description": "A safeguarding concern, shown first"})


class QueueSchema(BaseSchema):
    items = ma.fields.List(ma.fields.Nested(QueueItemSchema))
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


@blp.route("")
class Queue(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, QueueSchema)
    def get(self, args):
        """Applications awaiting a decision, by decision date: ``overdue`` past it, ``late`` with under
        21 days' notice, and ``outstanding`` the parent's part and checks still to come."""
        return licensing_queue.page(**args)
