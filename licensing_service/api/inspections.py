"""``/api/v1/inspections``: unannounced inspections of venues, lodgings and employers' premises.

Officers and admins only. Every other role gets 403 on every endpoint, before any look-up, so nothing
(not even whether an inspection exists) is revealed to applicants, producers, employers or parents.
"""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from licensing_service.services import inspections
from licensing_service.services.inspections import Outcome, PlaceKind, Status, SubjectKind
from shared import api, auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES

blp = Blueprint(
    "inspections",
    __name__,
    url_prefix="/api/v1/inspections",
    description="Unannounced inspections (officers only)",
)
ID = "<int(max=2147483647):inspection_id>"
MAX_ID = 2_147_483_647
VISIT_DATE = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="Enter a real date")


class InspectionInSchema(BaseSchema):
    subject_kind = fields.String(required=True, validate=validate.OneOf([k.value for k in SubjectKind]))
    subject_id = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=MAX_ID))
    place_kind = fields.String(required=True, validate=validate.OneOf([k.value for k in PlaceKind]))
    address = fields.String(required=True, validate=validate.Length(min=1, max=500))
    planned_on = fields.Date(required=True, validate=VISIT_DATE)
    officer_id = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The officer who will visit; yourself if not given"},
    )
    notes = fields.String(load_default="", validate=validate.Length(max=4000))
    unannounced = fields.Boolean(
        load_default=True,
        validate=validate.Equal(True, error="Inspections are always unannounced"),
        metadata={"description": "Always true"},
    )

    @ma.validates("address")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Enter the address to visit")


class InspectionSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    subject_kind = fields.String()
    subject_id = fields.Integer()
    subject = fields.Function(lambda i: inspections.subject_label(i.subject_kind, i.subject_id))
    place_kind = fields.String()
    address = fields.String()
    planned_on = fields.Date()
    officer_id = fields.Integer()
    unannounced = fields.Boolean()
    notes = fields.String()
    status = fields.String()
    overdue = fields.Function(lambda i: inspections.is_overdue(i))
    outcome = fields.String(allow_none=True)
    findings = fields.String(allow_none=True)
    visited_on = fields.Date(allow_none=True)
    recorded_at = fields.DateTime(allow_none=True)
    cancellation_reason = fields.String(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


InspectionPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(InspectionSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="InspectionPage",
)


class InspectionListArgs(api.PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    subject_kind = fields.String(validate=validate.OneOf([k.value for k in SubjectKind]))
    subject_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    place_kind = fields.String(validate=validate.OneOf([k.value for k in PlaceKind]))
    officer_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    outcome = fields.String(validate=validate.OneOf([o.value for o in Outcome]))
    planned_from = fields.Date(validate=VISIT_DATE)
    planned_to = fields.Date(validate=VISIT_DATE)


class InspectionOutcomeSchema(BaseSchema):
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in Outcome]))
    findings = fields.String(
        load_default="",
        validate=validate.Length(max=10_000),
        metadata={"description": "What the visit found; needed unless the outcome is compliant"},
    )
    visited_on = fields.Date(required=True, validate=VISIT_DATE)


class InspectionCancellationSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))

    @ma.validates("reason")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Give the reason for cancelling the inspection")


@blp.route("")
class Inspections(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(InspectionInSchema)
    @blp.response(201, InspectionSchema)
    def post(self, data):
        """Plan an unannounced inspection of a licence, permit, approval or production (no one is told)."""
        return inspections.plan(data, auth.current_user())

    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(InspectionListArgs, location="query")
    @blp.response(200, InspectionPageSchema)
    def get(self, args):
        """Inspections, planned first by date, then the rest; filter by status, subject, officer, outcome."""
        page, page_size = args.pop("page"), args.pop("page_size")
        return api.page_of(inspections.list_query(args), page, page_size)


@blp.route(f"/{ID}")
class Inspection(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, InspectionSchema)
    def get(self, inspection_id):
        """One inspection."""
        return inspections.get(inspection_id)


@blp.route(f"/{ID}/outcome")
class InspectionOutcome(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(InspectionOutcomeSchema)
    @blp.response(200, InspectionSchema)
    def post(self, data, inspection_id):
        """Record the visit: outcome, findings and the date (409 once recorded or if cancelled)."""
        return inspections.record_outcome(inspection_id, data, auth.current_user())


@blp.route(f"/{ID}/cancellation")
class InspectionCancellation(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(InspectionCancellationSchema)
    @blp.response(200, InspectionSchema)
    def post(self, data, inspection_id):
        """Cancel a planned inspection with a reason (409 once done or cancelled)."""
        return inspections.cancel(inspection_id, data, auth.current_user())
