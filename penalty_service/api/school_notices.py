"""``/api/v1/school-issued-notices``: a school's copy of a notice it issued itself (due within 7 days)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from penalty_service.rules.notices import Offence
from penalty_service.schemas import ADDRESS, LONG_NAME, NAME, UPN, URN, NoticeSchema
from penalty_service.services import school_copies
from penalty_service.services.payments import MAX_AMOUNT_PENCE
from shared import auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES, Role

blp = Blueprint(
    "school_issued_notices",
    __name__,
    url_prefix="/api/v1/school-issued-notices",
    description="Copies of notices schools issued",
)
AMOUNT = validate.Range(min=1, max=MAX_AMOUNT_PENCE)


def _stripped(data):
    if isinstance(data, dict):
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    return data


class CopyPupilSchema(BaseSchema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    upn = fields.String(required=True, validate=UPN)
    date_of_birth = fields.Date(required=True)

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        data = _stripped(data)
        if isinstance(data, dict) and isinstance(data.get("upn"), str):
            data["upn"] = "".join(data["upn"].split()).upper()
        return data


class CopyParentSchema(BaseSchema):
    name = fields.String(required=True, validate=LONG_NAME)
    address = fields.String(required=True, validate=ADDRESS)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        return _stripped(data)


class SchoolCopyInSchema(BaseSchema):
    school_urn = fields.String(required=True, validate=URN)
    notice_number = fields.String(required=True, validate=validate.Length(min=1, max=24))
    pupil = fields.Nested(CopyPupilSchema, required=True)
    parent = fields.Nested(CopyParentSchema, required=True)
    offence = fields.String(required=True, validate=validate.OneOf([o.value for o in Offence]))
    issue_date = fields.Date(required=True)
    posted_on = fields.Date(load_default=None, allow_none=True)
    first_absence_on = fields.Date(required=True)
    last_absence_on = fields.Date(required=True)
    amount_lower_pence = fields.Integer(strict=True, load_default=None, allow_none=True, validate=AMOUNT)
    amount_full_pence = fields.Integer(strict=True, load_default=None, allow_none=True, validate=AMOUNT)
    received_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "Officers only"})

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        return _stripped(data)

    @ma.validates_schema
    def _consistent(self, data, **_kwargs):
        errors: dict[str, list[str]] = {}
        if data["last_absence_on"] < data["first_absence_on"]:
            errors["last_absence_on"] = ["The last absence cannot be before the first"]
        if data["issue_date"] < data["last_absence_on"]:
            errors["issue_date"] = ["A notice cannot be issued before the last absence it covers"]
        if data.get("posted_on") and data["posted_on"] < data["issue_date"]:
            errors["posted_on"] = ["A notice cannot be posted before it is issued"]
        lower, full = data.get("amount_lower_pence"), data.get("amount_full_pence")
        if lower is not None and full is None:
            errors["amount_full_pence"] = ["Give the full amount as well as the lower amount"]
        if lower is not None and full is not None and lower > full:
            errors["amount_lower_pence"] = ["The lower amount cannot be more than the full amount"]
        if errors:
            raise ma.ValidationError(errors)


class SchoolCopySchema(NoticeSchema):
    copy_received_on = fields.Date()


@blp.route("")
class SchoolIssuedNotices(MethodView):
    @auth.api_roles(Role.SCHOOL, *STAFF_ROLES)
    @blp.arguments(SchoolCopyInSchema)
    @blp.response(201, SchoolCopySchema)
    def post(self, data):
        """Send the council a copy of a notice the school issued (``late_copy`` if more than 7 days after
        issue). Its dates and amounts follow the same rules as a council notice."""
        return school_copies.record(data, auth.current_user())
