"""``/api/v1/bopa-approvals``: Body of Persons Approvals. An organisation applies; an officer decides.

The payloads carry the approval only: nothing about inspections, which applicants never see.
"""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from licensing_service.rules.bopa import Decision, Status
from licensing_service.schemas.licences import StoredFindingSchema
from licensing_service.services import bopa
from shared import api, auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES, Role

blp = Blueprint(
    "bopa_approvals",
    __name__,
    url_prefix="/api/v1/bopa-approvals",
    description="Body of Persons Approvals (Children and Young Persons Act 1963 s37(3)(b))",
)
APPLICANT_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
ID = "<int(max=2147483647):approval_id>"

# Dates the calendar can work with: a performance this century, a child born since 1900.
EVENT_DATE = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="Enter a real date")
BIRTH_DATE = validate.Range(min=date(1900, 1, 1), max=date(2099, 12, 31), error="Enter a real date of birth")


class BopaOrganisationSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(required=True, validate=validate.Length(min=1, max=500))
    contact = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(load_default="", validate=validate.Length(max=40))


class BopaPeriodSchema(BaseSchema):
    start = fields.Date(required=True, validate=EVENT_DATE)
    end = fields.Date(required=True, validate=EVENT_DATE)


class BopaPerformanceSchema(BaseSchema):
    date = fields.Date(required=True, validate=EVENT_DATE)
    venue = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BopaChildSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    date_of_birth = fields.Date(required=True, validate=BIRTH_DATE)
    home_authority = fields.String(required=True, validate=validate.Length(min=1, max=100))


class BopaInSchema(BaseSchema):
    organisation = fields.Nested(BopaOrganisationSchema, required=True)
    period = fields.Nested(BopaPeriodSchema, load_default=None, allow_none=True)
    series_description = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    performances = fields.List(
        fields.Nested(BopaPerformanceSchema), required=True, validate=validate.Length(min=1, max=200)
    )
    children = fields.List(
        fields.Nested(BopaChildSchema), required=True, validate=validate.Length(min=1, max=200)
    )
    no_payment = fields.Boolean(
        required=True,
        metadata={"description": "No payment to the children or anyone else in respect of them"},
    )
    no_school_absence = fields.Boolean(
        required=True, metadata={"description": "No child is absent from school to take part"}
    )
    received_on = fields.Date(
        load_default=None, validate=EVENT_DATE, metadata={"description": "Officers only (paper applications)"}
    )


class BopaChildOutSchema(BaseSchema):
    name = fields.String()
    date_of_birth = fields.String()
    home_authority = fields.String()
    school_age_ends = fields.String()
    covered = fields.Boolean()
    covered_until = fields.String(allow_none=True)


class BopaSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    organisation = fields.Function(
        lambda a: {
            "name": a.organisation_name,
            "address": a.organisation_address,
            "contact": a.organisation_contact,
            "email": a.organisation_email,
            "phone": a.organisation_phone,
        }
    )
    period = fields.Function(
        lambda a: (
            {"start": a.period_start.isoformat(), "end": a.period_end.isoformat()}
            if a.period_start and a.period_end
            else None
        )
    )
    series_description = fields.String(allow_none=True)
    performances = fields.List(fields.Dict())
    children = fields.List(fields.Nested(BopaChildOutSchema))
    first_performance_on = fields.Date()
    last_performance_on = fields.Date()
    received_on = fields.Date()
    days_notice = fields.Integer()
    late = fields.Boolean()
    decision_due_on = fields.Date()
    overdue = fields.Function(lambda a: bopa.is_overdue(a))
    warnings = fields.List(fields.Nested(StoredFindingSchema))
    no_payment = fields.Boolean(attribute="no_payment_declared")
    no_school_absence = fields.Boolean(attribute="no_school_absence_declared")
    standard_conditions = fields.List(fields.String())
    conditions = fields.List(fields.String())
    approved_from = fields.Date(allow_none=True)
    approved_until = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revocation_reason = fields.String(allow_none=True)


BopaPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(BopaSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="BopaApprovalPage",
)


class BopaListArgs(api.PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


class BopaDecisionSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf([d.value for d in Decision]))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    conditions = fields.List(
        fields.String(validate=validate.Length(min=1, max=1000)),
        load_default=list,
        validate=validate.Length(max=30),
    )
    approved_from = fields.Date(load_default=None, allow_none=True, validate=EVENT_DATE)
    approved_until = fields.Date(load_default=None, allow_none=True, validate=EVENT_DATE)

    @ma.validates_schema
    def _approval_dates_only_to_approve(self, data, **_kwargs):
        if data["decision"] == Decision.REFUSE and (
            data.get("conditions") or data.get("approved_from") or data.get("approved_until")
        ):
            raise ma.ValidationError("Conditions and dates go with an approval, not a refusal", "decision")


class BopaRevocationSchema(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))

    @ma.validates("reason")
    def _not_blank(self, value: str, **_kwargs) -> None:
        if not value.strip():
            raise ma.ValidationError("Give the reason for revoking the approval")


@blp.route("")
class BopaApprovals(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(BopaInSchema)
    @blp.response(201, BopaSchema)
    def post(self, data):
        """Apply for an approval: dates, venues and each child at least 21 days before the first
        performance (later is flagged ``late``). 422 unless no payment and no absence from school are
        both declared."""
        return bopa.submit(data, auth.current_user())

    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(BopaListArgs, location="query")
    @blp.response(200, BopaPageSchema)
    def get(self, args):
        """Approvals by decision date (an applicant sees only its own)."""
        query = bopa.list_query(auth.current_user(), args.get("status"))
        return api.page_of(query, args["page"], args["page_size"])


@blp.route(f"/{ID}")
class BopaApproval(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, BopaSchema)
    def get(self, approval_id):
        """One approval (404 for another organisation's)."""
        return bopa.get_visible(approval_id, auth.current_user())


@blp.route(f"/{ID}/decision")
class BopaDecision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(BopaDecisionSchema)
    @blp.response(200, BopaSchema)
    def post(self, data, approval_id):
        """Approve (standard conditions plus any given, from and until the dates given or the period) or
        refuse with a reason. A late application needs a reason to approve. 409 once decided."""
        return bopa.decide(approval_id, data, auth.current_user())


@blp.route(f"/{ID}/revocation")
class BopaRevocation(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(BopaRevocationSchema)
    @blp.response(200, BopaSchema)
    def post(self, data, approval_id):
        """Revoke an approval with a reason; the organisation is told. 409 unless approved."""
        return bopa.revoke(approval_id, data, auth.current_user())
