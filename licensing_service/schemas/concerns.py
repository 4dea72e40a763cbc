"""The concerns API's input and output: the public report, officers' actions and closure, and the
verification check."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from marshmallow import fields, validate

from licensing_service.models.concerns import ActionKind, Activity, ConcernStatus, Outcome
from licensing_service.services import concerns
from licensing_service.services.inspections import PlaceKind
from shared import api, calendar
from shared.schemas import BaseSchema

MAX_ID = 2_147_483_647
BIRTH_DATE = validate.Range(min=date(1900, 1, 1), max=date(2099, 12, 31), error="Enter a real date of birth")
EVENT_DATE = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="Enter a real date")
SHORT = 200
LONG = 2000
DESCRIPTION = 10_000


def _not_blank(message: str):
    def check(value: str) -> None:
        if not value.strip():
            raise ma.ValidationError(message)

    return check


class ChildSchema(BaseSchema):
    name = fields.String(load_default="", validate=validate.Length(max=SHORT))
    age = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=18, error="Enter an age from 0 to 18"),
        metadata={"description": "Approximate age in years, if the date of birth is not known"},
    )
    date_of_birth = fields.Date(load_default=None, allow_none=True, validate=BIRTH_DATE)
    school = fields.String(load_default="", validate=validate.Length(max=SHORT))

    @ma.validates("date_of_birth")
    def _not_future(self, value: date | None, **_kwargs) -> None:
        if value is not None and value > calendar.today():
            raise ma.ValidationError("The date of birth must be in the past")


class ReporterSchema(BaseSchema):
    name = fields.String(load_default="", validate=validate.Length(max=SHORT))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    professional = fields.Boolean(
        load_default=False, metadata={"description": "Reporting in a professional role (teacher, police...)"}
    )
    organisation = fields.String(load_default="", validate=validate.Length(max=SHORT))

    @ma.pre_load
    def _blank_email_is_none_given(self, data, **_kwargs):
        if isinstance(data, dict) and isinstance(data.get("email"), str) and not data["email"].strip():
            data = {k: v for k, v in data.items() if k != "email"}
        return data


class ConcernReportSchema(BaseSchema):
    child = fields.Nested(ChildSchema, load_default=dict)
    activity = fields.String(
        required=True,
        validate=validate.OneOf([a.value for a in Activity]),
        metadata={"description": "What the child is doing: performing, working or not_sure"},
    )
    location = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=LONG), _not_blank("Enter where it is happening")],
        metadata={"description": "Where it is happening: a venue, shop or address"},
    )
    organiser = fields.String(
        load_default="",
        validate=validate.Length(max=LONG),
        metadata={"description": "Who is organising the performance or employing the child, if known"},
    )
    when = fields.String(
        load_default="",
        validate=validate.Length(max=LONG),
        metadata={"description": "When it happens, for example 'Saturdays 8am to 6pm'"},
    )
    description = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=DESCRIPTION), _not_blank("Describe what is happening")],
    )
    at_risk_now = fields.Boolean(
        required=True,
        metadata={
            "description": "The child is at risk of harm now: a safeguarding concern, referred at once"
        },
    )
    reporter = fields.Nested(ReporterSchema, load_default=dict)


class ConcernReceiptSchema(BaseSchema):
    """All a reporter gets back: nothing of this or any other concern beyond its reference."""

    reference = fields.String()
    received_on = fields.Date()
    safeguarding = fields.Boolean()
    message = fields.Function(
        lambda c: (
            "Thank you. An officer will look into it today. If a child is in immediate danger, call 999."
            if c.safeguarding
            else "Thank you. An officer will look into it."
        )
    )


class ConcernActionSchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    taken_on = fields.Date()
    notes = fields.String()
    recipient = fields.Function(
        lambda a: (
            {
                "name": a.recipient_name,
                "organisation": a.recipient_organisation,
                "address": a.recipient_address,
            }
            if a.kind == ActionKind.LETTER
            else None
        )
    )
    reply_by = fields.Date(allow_none=True)
    letter_url = fields.Function(
        lambda a: concerns.letter_url(a.concern_id, a.id) if a.document_id else None, allow_none=True
    )
    inspection_id = fields.Integer(allow_none=True)
    recorded_by = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()


class ConcernSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    safeguarding = fields.Boolean()
    urgent = fields.Function(lambda c: concerns.is_urgent(c))
    received_on = fields.Date()
    due_on = fields.Date()
    overdue = fields.Function(lambda c: concerns.is_overdue(c))
    child = fields.Function(
        lambda c: {
            "name": c.child_name,
            "age": c.child_age,
            "date_of_birth": c.child_date_of_birth.isoformat() if c.child_date_of_birth else None,
            "school": c.child_school,
        }
    )
    activity = fields.String()
    location = fields.String()
    organiser = fields.String()
    when = fields.String(attribute="when_happening")
    description = fields.String()
    reporter = fields.Function(
        lambda c: {
            "name": c.reporter_name,
            "email": c.reporter_email,
            "phone": c.reporter_phone,
            "professional": c.reporter_is_professional,
            "organisation": c.reporter_organisation,
            "anonymous": c.anonymous,
        }
    )
    mash_referred_on = fields.Date(allow_none=True)
    mash_referred_by = fields.Integer(allow_none=True)
    outcome = fields.String(allow_none=True)
    outcome_notes = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class ConcernDetailSchema(ConcernSchema):
    actions = fields.List(fields.Nested(ConcernActionSchema))


ConcernPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(ConcernSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="ConcernPage",
)


class ConcernListArgs(api.PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in ConcernStatus]))


class RecipientSchema(BaseSchema):
    name = fields.String(
        required=True, validate=[validate.Length(min=1, max=SHORT), _not_blank("Enter who the letter is to")]
    )
    organisation = fields.String(load_default="", validate=validate.Length(max=SHORT))
    address = fields.String(
        required=True, validate=[validate.Length(min=1, max=500), _not_blank("Enter the address")]
    )


class VisitSchema(BaseSchema):
    place_kind = fields.String(required=True, validate=validate.OneOf([k.value for k in PlaceKind]))
    address = fields.String(
        required=True, validate=[validate.Length(min=1, max=500), _not_blank("Enter the address to visit")]
    )
    planned_on = fields.Date(required=True, validate=EVENT_DATE)
    officer_id = fields.Integer(
        strict=True, load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID)
    )


class ConcernActionInSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActionKind]))
    notes = fields.String(load_default="", validate=validate.Length(max=DESCRIPTION))
    taken_on = fields.Date(
        load_default=None,
        allow_none=True,
        validate=EVENT_DATE,
        metadata={"description": "Today if not given"},
    )
    recipient = fields.Nested(
        RecipientSchema, load_default=None, allow_none=True, metadata={"description": "A letter's addressee"}
    )
    visit = fields.Nested(
        VisitSchema, load_default=None, allow_none=True, metadata={"description": "An unannounced visit"}
    )

    @ma.validates_schema
    def _parts_of_the_kind(self, data, **_kwargs):
        kind = data.get("kind")
        if kind == ActionKind.LETTER and not data.get("recipient"):
            raise ma.ValidationError("Give the name and address the letter is to", "recipient")
        if kind == ActionKind.UNANNOUNCED_VISIT and not data.get("visit"):
            raise ma.ValidationError("Give the place, address and date of the visit", "visit")
        if kind != ActionKind.LETTER and data.get("recipient"):
            raise ma.ValidationError("Only a letter has a recipient", "recipient")
        if kind != ActionKind.UNANNOUNCED_VISIT and data.get("visit"):
            raise ma.ValidationError("Only an unannounced visit has a visit", "visit")


class ConcernClosureSchema(BaseSchema):
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in Outcome]))
    notes = fields.String(load_default="", validate=validate.Length(max=DESCRIPTION))


class VerifyArgs(BaseSchema):
    number = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=50),
            validate.Regexp(
                r"^[A-Za-z0-9 -]+$", error="Enter the number as it is printed, like NCC-PL-2026-00012"
            ),
        ],
    )
    date_of_birth = fields.Date(required=True, validate=BIRTH_DATE)


class VerifyResultSchema(BaseSchema):
    valid = fields.Boolean()
    valid_until = fields.Date(allow_none=True)
    kind = fields.String(allow_none=True)
