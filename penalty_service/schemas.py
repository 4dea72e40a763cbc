"""The penalty service API's input and output schemas (the contract in SPEC.md §6)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from penalty_service.rules.attendance import ALL_CODES, SESSIONS, Profile
from penalty_service.rules.notices import Offence, WithdrawalGround
from shared.schemas import BaseSchema

URN = validate.Regexp(r"^\d{6,8}$", error="Enter the school's URN: 6 to 8 digits")
# A UPN is a letter, 11 digits and a check character (a letter or digit); legacy UPNs may end in a digit.
UPN = validate.Regexp(r"^[A-Z]\d{11}[A-Z0-9]$", error="Enter a 13-character UPN, for example A123456789012")
NAME = validate.Length(min=1, max=100)
LONG_NAME = validate.Length(min=1, max=200)
ADDRESS = validate.Length(min=1, max=500)
MAX_SESSIONS = 800  # a full school year is about 380 sessions


def _upper_stripped(value):
    return value.strip().upper() if isinstance(value, str) else value


class SchoolSchema(BaseSchema):
    id = fields.Integer(dump_only=True)
    urn = fields.String(required=True, validate=URN)
    name = fields.String(required=True, validate=LONG_NAME)
    address = fields.String(required=True, validate=ADDRESS)
    email = fields.Email(required=True, validate=validate.Length(max=254))


class SessionSchema(BaseSchema):
    date = fields.Date(required=True)
    session = fields.String(
        required=True, validate=validate.OneOf(SESSIONS, error="Session must be AM or PM")
    )
    code = fields.String(required=True, validate=validate.Length(min=1, max=3))

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        if isinstance(data, dict):
            data = dict(data)
            for key in ("session", "code"):
                if isinstance(data.get(key), str):
                    data[key] = data[key].strip()
            if isinstance(data.get("session"), str):
                data["session"] = data["session"].upper()
            code = data.get("code")
            if isinstance(code, str) and code not in ("/", "\\", "#"):
                data["code"] = code.upper()
        return data

    @ma.validates("code")
    def _known_code(self, value: str, **_kwargs) -> None:
        if value not in ALL_CODES:
            raise ma.ValidationError(f"'{value}' is not a DfE attendance code")


class ThresholdCheckSchema(BaseSchema):
    attendance = fields.List(
        fields.Nested(SessionSchema), required=True, validate=validate.Length(min=1, max=MAX_SESSIONS)
    )
    profile = fields.String(validate=validate.OneOf([p.value for p in Profile]))


class MetOnSchema(BaseSchema):
    date = fields.Date()
    session = fields.String()


class ThresholdSchema(BaseSchema):
    met = fields.Boolean()
    met_on = fields.Nested(MetOnSchema, allow_none=True)
    sessions_counted = fields.Integer()
    sessions_needed = fields.Integer()
    window_weeks = fields.Integer()
    profile = fields.String()
    reason = fields.String()


class UpnSchema(BaseSchema):
    """A pupil's UPN, upper-cased and trimmed before it is checked."""

    upn = fields.String(required=True, validate=UPN)

    @ma.pre_load
    def _tidy_upn(self, data, **_kwargs):
        if isinstance(data, dict) and "upn" in data:
            data = {**data, "upn": _upper_stripped(data["upn"])}
        return data


class PupilSchema(UpnSchema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    date_of_birth = fields.Date(required=True)
    upn = fields.String(required=True, validate=UPN)
    year_group = fields.String(required=True, validate=validate.Length(min=1, max=10))
    address = fields.String(required=True, validate=ADDRESS)


class ParentSchema(BaseSchema):
    name = fields.String(required=True, validate=LONG_NAME)
    address = fields.String(required=True, validate=ADDRESS)
    relationship = fields.String(required=True, validate=validate.Length(min=1, max=60))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))


class NoticeToImproveSchema(BaseSchema):
    issued_on = fields.Date(required=True)
    period_ends_on = fields.Date(required=True)

    @ma.validates_schema
    def _period_after_issue(self, data, **_kwargs):
        if data["period_ends_on"] < data["issued_on"]:
            raise ma.ValidationError(
                "The improvement period must end after the notice was issued", "period_ends_on"
            )


class PenaltyRequestInSchema(BaseSchema):
    school_urn = fields.String(required=True, validate=URN)
    offence = fields.String(required=True, validate=validate.OneOf([o.value for o in Offence]))
    pupil = fields.Nested(PupilSchema, required=True)
    parents = fields.List(fields.Nested(ParentSchema), required=True, validate=validate.Length(min=1, max=6))
    attendance = fields.List(
        fields.Nested(SessionSchema), required=True, validate=validate.Length(min=1, max=MAX_SESSIONS)
    )
    returned_to_school_on = fields.Date(load_default=None, allow_none=True)
    notice_to_improve = fields.Nested(NoticeToImproveSchema, load_default=None, allow_none=True)
    code_of_conduct_confirmed = fields.Boolean(required=True)
    received_on = fields.Date(load_default=None)

    @ma.validates("code_of_conduct_confirmed")
    def _confirmed(self, value: bool, **_kwargs) -> None:
        if value is not True:
            raise ma.ValidationError("Confirm the school followed the local code of conduct")


class ParentOutSchema(BaseSchema):
    name = fields.String()
    address = fields.String()
    relationship = fields.String(attribute="relationship_to_pupil")
    email = fields.String(allow_none=True)


class PenaltyRequestSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    school_urn = fields.Function(lambda r: r.school.urn)
    school_name = fields.Function(lambda r: r.school.name)
    offence = fields.String()
    pupil = fields.Function(
        lambda r: {
            "first_name": r.pupil_first_name,
            "last_name": r.pupil_last_name,
            "date_of_birth": r.pupil_date_of_birth.isoformat(),
            "upn": r.pupil_upn,
            "year_group": r.pupil_year_group,
            "address": r.pupil_address,
        }
    )
    parents = fields.List(fields.Nested(ParentOutSchema))
    received_on = fields.Date()
    issue_due_on = fields.Date()
    overdue = fields.Boolean()
    returned_to_school_on = fields.Date(allow_none=True)
    first_absence_on = fields.Date(allow_none=True)
    last_absence_on = fields.Date(allow_none=True)
    threshold = fields.Method("_threshold")
    warnings = fields.List(fields.String())
    decision_reason = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)

    def _threshold(self, r):
        met_on = {"date": r.met_on_date.isoformat(), "session": r.met_on_session} if r.met_on_date else None
        return {
            "met": met_on is not None,
            "met_on": met_on,
            "sessions_counted": r.sessions_counted,
            "sessions_needed": r.sessions_needed,
            "window_weeks": r.window_weeks,
            "profile": r.threshold_profile,
        }


class RequestListArgs(BaseSchema):
    status = fields.String(validate=validate.OneOf(["received", "issued", "rejected", "other_enforcement"]))
    school_urn = fields.String(validate=URN)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class DecisionSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["issue", "reject"]))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    issue_date = fields.Date(load_default=None)
    posted_on = fields.Date(load_default=None)

    @ma.validates_schema
    def _reason_for_rejection(self, data, **_kwargs):
        if data["decision"] == "reject" and not (data.get("reason") or "").strip():
            raise ma.ValidationError("Give the reason for rejecting the request", "reason")
        if data.get("issue_date") and data.get("posted_on") and data["posted_on"] < data["issue_date"]:
            raise ma.ValidationError("A notice cannot be posted before it is issued", "posted_on")


class NoticeSchema(BaseSchema):
    id = fields.Integer()
    notice_number = fields.String()
    source = fields.String()
    request_id = fields.Integer(allow_none=True)
    school_urn = fields.Function(lambda n: n.school.urn if n.school else None)
    offence = fields.String(allow_none=True)
    pupil_upn = fields.String()
    pupil_name = fields.String()
    parent_name = fields.String()
    parent_address = fields.String()
    issue_date = fields.Date()
    posted_on = fields.Date(allow_none=True)
    served_on = fields.Date(allow_none=True)
    lower_rate_until = fields.Date(allow_none=True)
    final_payment_day = fields.Date(allow_none=True)
    amount_lower_pence = fields.Integer(allow_none=True)
    amount_full_pence = fields.Integer(allow_none=True)
    is_second = fields.Boolean()
    lay_by = fields.Date(allow_none=True)
    period_from = fields.Date(allow_none=True)
    period_to = fields.Date(allow_none=True)
    status = fields.String()
    paid_on = fields.Date(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)
    withdrawal_ground = fields.String(allow_none=True)
    warnings = fields.List(fields.String())
    late_copy = fields.Boolean()


class NoticeDetailSchema(NoticeSchema):
    amount_due_pence = fields.Integer(allow_none=True)
    balance_pence = fields.Integer()
    paid_pence = fields.Integer()
    refund_due_pence = fields.Integer()


class BlockedSchema(BaseSchema):
    parent_name = fields.String()
    reason = fields.String()


class DecisionResultSchema(BaseSchema):
    status = fields.String()
    request = fields.Nested(PenaltyRequestSchema)
    notices = fields.List(fields.Nested(NoticeSchema))
    blocked = fields.List(fields.Nested(BlockedSchema))


class NoticeListArgs(BaseSchema):
    status = fields.String(validate=validate.OneOf(["issued", "paid", "unpaid", "withdrawn", "prosecution"]))
    school_urn = fields.String(validate=URN)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class WithdrawalSchema(BaseSchema):
    ground = fields.String(required=True, validate=validate.OneOf([g.value for g in WithdrawalGround]))
    notes = fields.String(required=True, validate=validate.Length(min=1, max=2000))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    return BaseSchema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
            "total": fields.Integer(metadata={"description": "Counted up to 10,000"}),
            "total_capped": fields.Boolean(metadata={"description": "More records match than ``total``"}),
        },
        name=name,
    )


RequestPageSchema = page_schema(PenaltyRequestSchema, "PenaltyRequestPage")
NoticePageSchema = page_schema(NoticeSchema, "PenaltyNoticePage")


class ProsecutionDecisionSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["prosecute", "withdraw"]))
    code_of_conduct_followed = fields.Boolean(required=True)
    payments_rechecked = fields.Boolean(required=True)
    notes = fields.String(load_default="", validate=validate.Length(max=4000))


class ProsecutionDecisionResultSchema(BaseSchema):
    case_id = fields.Integer(allow_none=True)
    lay_by = fields.Date(allow_none=True)
    status = fields.String()
    bundle = fields.String(allow_none=True)


class CaseEventInSchema(BaseSchema):
    type = fields.String(
        required=True, validate=validate.OneOf(["information_laid", "hearing_listed", "outcome"])
    )
    date = fields.Date(required=True)
    outcome = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            ["fine", "conditional_discharge", "parenting_order", "acquitted", "withdrawn"]
        ),
    )
    notes = fields.String(load_default="", validate=validate.Length(max=4000))

    @ma.validates_schema
    def _outcome_with_outcome_event(self, data, **_kwargs):
        if data["type"] == "outcome" and not data.get("outcome"):
            raise ma.ValidationError("Give the court's outcome", "outcome")
        if data["type"] != "outcome" and data.get("outcome"):
            raise ma.ValidationError("An outcome goes only with an outcome event", "outcome")


class CaseEventSchema(BaseSchema):
    id = fields.Integer()
    type = fields.String()
    date = fields.Date()
    outcome = fields.String(allow_none=True)
    notes = fields.String()


class ProsecutionCaseSchema(BaseSchema):
    id = fields.Integer()
    notice_id = fields.Integer()
    notice_number = fields.Function(lambda c: c.notice.notice_number)
    lay_by = fields.Date()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    decided_on = fields.Date()
    events = fields.List(fields.Nested(CaseEventSchema))


class LetterPupilSchema(UpnSchema):
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    upn = fields.String(required=True, validate=UPN)


class LetterParentSchema(BaseSchema):
    name = fields.String(required=True, validate=LONG_NAME)
    address = fields.String(required=True, validate=ADDRESS)


class EnforcementLetterInSchema(BaseSchema):
    school_urn = fields.String(required=True, validate=URN)
    pupil = fields.Nested(LetterPupilSchema, required=True)
    parent = fields.Nested(LetterParentSchema, required=True)
    issued_on = fields.Date(load_default=None)


class EnforcementLetterSchema(BaseSchema):
    id = fields.Integer()
    step = fields.String()
    pupil_upn = fields.String()
    pupil_name = fields.String()
    parent_name = fields.String()
    issued_on = fields.Date()
    next_step_due_on = fields.Date(allow_none=True)
    letter = fields.Function(lambda letter: f"/api/v1/enforcement-letters/{letter.id}/letter.pdf")
