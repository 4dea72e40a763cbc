"""Chaperone approvals and training sessions through the API (SPEC §6): what may be sent, and what comes
back. Lengths and ranges fit the database, so no input can cause a 500."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from licensing_service.rules.chaperones import CheckKind, Decision, Kind, Outcome, Status
from licensing_service.schemas.productions import EMAIL, MAX_ID, NAME
from shared import api
from shared.schemas import BaseSchema

BIRTH_DATE = validate.Range(min=date(1900, 1, 1), max=date(2099, 12, 31), error="Enter a real date of birth")
EVENT_DATE = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="Enter a real date")


def _id() -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID))


REASON = validate.Length(max=2000)


def _not_blank(message: str):
    def check(value: str) -> None:
        if not value.strip():
            raise ma.ValidationError(message)

    return check


class ChaperoneApplicantSchema(BaseSchema):
    name = fields.String(required=True, validate=[NAME, _not_blank("Enter the applicant's full name")])
    date_of_birth = fields.Date(required=True, validate=BIRTH_DATE)
    address = fields.String(
        required=True, validate=[validate.Length(min=1, max=500), _not_blank("Enter the applicant's address")]
    )
    email = fields.Email(required=True, validate=EMAIL)


class ChaperoneDbsSchema(BaseSchema):
    certificate_number = fields.String(
        required=True,
        validate=validate.Regexp(r"^\s*\d{12}\s*$", error="The DBS certificate number is 12 digits"),
        metadata={"description": "The enhanced DBS certificate's 12-digit number"},
    )
    issue_date = fields.Date(required=True, validate=EVENT_DATE)
    update_service = fields.Boolean(
        required=True, metadata={"description": "Whether the certificate is on the DBS update service"}
    )


class ChaperoneRefereeSchema(BaseSchema):
    name = fields.String(required=True, validate=[NAME, _not_blank("Enter the referee's name")])
    email = fields.Email(required=True, validate=EMAIL)
    relationship = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), _not_blank("Say how the referee knows the applicant")],
        metadata={"description": "How the referee knows the applicant; not a member of their family"},
    )


class ChaperoneApprovalInSchema(BaseSchema):
    applicant = fields.Nested(ChaperoneApplicantSchema, required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in Kind]))
    dbs = fields.Nested(ChaperoneDbsSchema, required=True)
    references = fields.List(
        fields.Nested(ChaperoneRefereeSchema),
        required=True,
        validate=validate.Length(equal=2, error="Give exactly two referees"),
    )
    database_check_consent = fields.Boolean(
        required=True,
        metadata={"description": "Consent to a check of the council's children's services records"},
    )
    renewal_of = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The id of the earlier approval this renews (no training needed)"},
    )
    received_on = fields.Date(
        load_default=None,
        allow_none=True,
        validate=EVENT_DATE,
        metadata={"description": "Officers only (paper applications)"},
    )


class ChaperoneReferenceOutSchema(BaseSchema):
    name = fields.String()
    email = fields.String()
    relationship = fields.String()
    received = fields.Boolean()
    received_at = fields.DateTime(allow_none=True)
    known_for = fields.String(allow_none=True)
    capacity = fields.String(allow_none=True)
    suitable = fields.Boolean(allow_none=True)
    comments = fields.String(allow_none=True)


class ChaperoneCheckOutSchema(BaseSchema):
    kind = fields.String()
    outcome = fields.String()
    notes = fields.String()
    recorded_on = fields.Date()


class ChaperoneTrainingOutSchema(BaseSchema):
    session_id = fields.Integer()
    date = fields.Date()
    place = fields.String()
    attended = fields.Boolean(allow_none=True)


class ChaperoneDocumentLinkSchema(BaseSchema):
    kind = fields.String()
    url = fields.String()


class ChaperoneApprovalSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    kind = fields.String()
    applicant = fields.Dict()
    dbs = fields.Dict()
    database_check_consent = fields.Boolean()
    renewal_of = fields.Integer(allow_none=True)
    received_on = fields.Date()
    decision_due_on = fields.Date()
    overdue = fields.Boolean()
    references = fields.List(fields.Nested(ChaperoneReferenceOutSchema))
    checks = fields.List(
        fields.Nested(ChaperoneCheckOutSchema), allow_none=True, metadata={"description": "Staff only"}
    )
    training = fields.List(fields.Nested(ChaperoneTrainingOutSchema))
    training_needed = fields.Boolean()
    outstanding = fields.List(fields.String())
    photo = fields.Boolean(metadata={"description": "Whether a photo for the ID card has been uploaded"})
    approval_number = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    status_reason = fields.String(allow_none=True)
    status_changed_on = fields.Date(allow_none=True)
    documents = fields.List(fields.Nested(ChaperoneDocumentLinkSchema))

    @ma.post_dump
    def _dates_as_text(self, data, **_kwargs):
        applicant = data.get("applicant") or {}
        dbs = data.get("dbs") or {}
        for part, key in ((applicant, "date_of_birth"), (dbs, "issue_date")):
            if isinstance(part.get(key), date):
                part[key] = part[key].isoformat()
        return data


class ChaperoneApprovalListItemSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    kind = fields.String()
    applicant_name = fields.String()
    received_on = fields.Date()
    decision_due_on = fields.Date()
    renewal_of = fields.Integer(attribute="renewal_of_id", allow_none=True)
    approval_number = fields.String(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)


ChaperoneApprovalPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(ChaperoneApprovalListItemSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="ChaperoneApprovalPage",
)


class ChaperoneApprovalListArgs(api.PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


class ChaperoneCheckInSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in CheckKind]))
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in Outcome]))
    notes = fields.String(load_default="", validate=validate.Length(max=5000))

    @ma.validates_schema
    def _notes_with_concerns(self, data, **_kwargs) -> None:
        if data.get("outcome") == Outcome.CONCERNS and not (data.get("notes") or "").strip():
            raise ma.ValidationError("Describe the concerns", "notes")


class ChaperoneDecisionInSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf([d.value for d in Decision]))
    reason = fields.String(load_default=None, allow_none=True, validate=REASON)
    approved_on = fields.Date(load_default=None, allow_none=True, validate=EVENT_DATE)

    @ma.validates_schema
    def _reason_to_refuse(self, data, **_kwargs) -> None:
        if data.get("decision") == Decision.REFUSE and not (data.get("reason") or "").strip():
            raise ma.ValidationError("Give the reason for refusing the application", "reason")
        if data.get("decision") == Decision.REFUSE and data.get("approved_on"):
            raise ma.ValidationError("An approval date goes with an approval, not a refusal", "approved_on")


class DecisionOutSchema(ChaperoneApprovalSchema):
    pass


class ChaperoneReasonSchema(BaseSchema):
    reason = fields.String(
        required=True, validate=[validate.Length(min=1, max=2000), _not_blank("Give the reason")]
    )


class ChaperonePhotoFormSchema(BaseSchema):
    class Meta:
        unknown = ma.EXCLUDE

    photo = Upload(required=True)


class ChaperoneReferenceViewSchema(BaseSchema):
    reference = fields.String()
    applicant_name = fields.String()
    kind = fields.String()
    referee_name = fields.String()
    relationship = fields.String()
    expires_at = fields.DateTime()


class ChaperoneReferenceInSchema(BaseSchema):
    known_for = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), _not_blank("Say how long you have known the applicant")],
        metadata={"description": "How long the referee has known the applicant, e.g. 6 years"},
    )
    capacity = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), _not_blank("Say in what capacity you know the applicant")],
    )
    suitable = fields.Boolean(
        required=True, metadata={"description": "Whether the applicant is suitable to look after children"}
    )
    comments = fields.String(load_default="", validate=validate.Length(max=5000))
    declaration = fields.Boolean(required=True)

    @ma.validates("declaration")
    def _declared(self, value, **_kwargs) -> None:
        if value is not True:
            raise ma.ValidationError("Confirm the declaration to give the reference")

    @ma.validates_schema
    def _why_not_suitable(self, data, **_kwargs) -> None:
        if data.get("suitable") is False and not (data.get("comments") or "").strip():
            raise ma.ValidationError(
                "Tell us why you think they are not suitable to look after children", "comments"
            )


class ChaperoneReferenceDoneSchema(BaseSchema):
    reference = fields.Function(lambda r: r.approval.reference)
    received = fields.Function(lambda r: r.received_at is not None)


# --- training sessions --------------------------------------------------------------------------------


class TrainingSessionInSchema(BaseSchema):
    date = fields.Date(required=True, validate=EVENT_DATE)
    place = fields.String(
        required=True, validate=[validate.Length(min=1, max=300), _not_blank("Enter where the session is")]
    )
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))


class TrainingSessionSchema(BaseSchema):
    id = fields.Integer()
    date = fields.Date()
    place = fields.String()
    capacity = fields.Integer()
    booked = fields.Integer()
    places_left = fields.Integer()
    bookings = fields.List(fields.Nested("TrainingBookingSchema"), metadata={"description": "Staff only"})


TrainingSessionPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(TrainingSessionSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="TrainingSessionPage",
)


class TrainingSessionListArgs(api.PageArgs):
    include_past = fields.Boolean(load_default=False, metadata={"description": "Staff only"})
    include_full = fields.Boolean(load_default=False, metadata={"description": "Staff only"})


class TrainingBookingInSchema(BaseSchema):
    approval_id = _id()


class TrainingBookingSchema(BaseSchema):
    id = fields.Integer()
    session_id = fields.Integer()
    approval_id = fields.Integer()
    reference = fields.String()
    applicant_name = fields.String()
    booked_at = fields.DateTime()
    attended = fields.Boolean(allow_none=True)


class TrainingAttendanceInSchema(BaseSchema):
    approval_id = _id()
    attended = fields.Boolean(required=True)
