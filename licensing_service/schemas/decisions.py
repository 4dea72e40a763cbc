"""The SPP's decision on a performance licence through the API (SPEC §6): grant or refuse, vary, revoke,
and what the decision made — the licence number, its documents and where copies went."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from licensing_service.schemas.performance import MAX_DAYS, ChaperoneSchema, DaySchema
from shared.formatting import long_date
from shared.schemas import BaseSchema

REASON = validate.Length(max=5000)
MAX_CONDITIONS = 30
CONDITION = validate.Length(max=1000)


class ConditionsField(fields.List):
    """The council's own conditions: a list of texts, or one text with a condition on each line. Blank
    lines are dropped."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            fields.String(validate=CONDITION),
            validate=validate.Length(max=MAX_CONDITIONS),
            metadata={"description": "Conditions the council adds, one per item (or per line of one text)"},
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            value = value.splitlines()
        items = super()._deserialize(value, attr, data, **kwargs)
        return [item.strip() for item in items if item.strip()]


def _required_text(message: str) -> fields.String:
    return fields.String(
        required=True,
        validate=[REASON, validate.Regexp(r"\S", error=message)],
        error_messages={"required": message, "null": message},
    )


class DecisionInSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["grant", "refuse"]))
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=REASON,
        metadata={
            "description": "Why: needed to refuse, and to grant where a check recorded concerns",
        },
    )
    conditions = ConditionsField(load_default=list)
    late_reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=REASON,
        metadata={
            "description": "Needed to grant an application that arrived with less than 21 days' notice"
        },
    )

    @ma.validates_schema
    def _refusal_explained(self, data: dict, **_kwargs) -> None:
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            raise ma.ValidationError("Give the reason for refusing the licence", "reason")


class VariationChangesSchema(BaseSchema):
    """What changes; each part given replaces the licence's. ``days`` is the whole new schedule."""

    days = fields.List(fields.Nested(DaySchema), validate=validate.Length(min=1, max=MAX_DAYS))
    night_work = fields.Boolean()
    chaperone = fields.Nested(ChaperoneSchema)
    conditions = ConditionsField()

    @ma.validates_schema
    def _something_and_distinct(self, data: dict, **_kwargs) -> None:
        if not data:
            raise ma.ValidationError("Say what changes: days, night_work, chaperone or conditions")
        seen = set()
        errors: dict[int, dict[str, list[str]]] = {}
        for index, day in enumerate(data.get("days") or []):
            if day.date in seen:
                errors[index] = {"date": [f"{long_date(day.date)} is entered twice"]}
            seen.add(day.date)
        if errors:
            raise ma.ValidationError({"days": errors})


class VariationInSchema(BaseSchema):
    reason = _required_text("Give the reason for varying the licence")
    changes = fields.Nested(VariationChangesSchema, required=True)


class RevocationInSchema(BaseSchema):
    reason = _required_text("Give the reason for revoking the licence")


class DocumentArgs(BaseSchema):
    version = fields.Integer(
        load_default=None,
        strict=False,
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "An earlier version of the licence (default: the one in force)"},
    )


class DocumentLinkSchema(BaseSchema):
    kind = fields.String(metadata={"description": "licence, refusal or revocation"})
    version = fields.Integer(allow_none=True)
    filename = fields.String()
    url = fields.String()
    sha256 = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)


class DistributionSchema(BaseSchema):
    party = fields.String(metadata={"description": "holder, host_authority or parent"})
    name = fields.String()
    email = fields.String(allow_none=True)
    event = fields.String(metadata={"description": "granted, refused, varied or revoked"})
    sent_on = fields.Date()
    delivery = fields.String(
        metadata={
            "description": "email (through the outbox); this_council (the host authority is Nottinghamshire "
            "County Council: nothing to send); not_sent (no email address held: send it another way)"
        }
    )
    document_id = fields.Integer(allow_none=True)


class HistorySchema(BaseSchema):
    event = fields.String()
    version = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    decided_on = fields.Date()
    decided_by = fields.String()
    changes = fields.List(fields.String())


class VerificationSchema(BaseSchema):
    reference = fields.String()
    url = fields.String()


class LicenceOutcomeSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    licence_number = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    conditions = fields.List(fields.String(), metadata={"description": "The council's own conditions"})
    standard_conditions = fields.List(fields.String())
    decided_at = fields.DateTime(allow_none=True)
    decided_by = fields.String(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    late_reason = fields.String(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)
    verification = fields.Nested(VerificationSchema, allow_none=True)
    documents = fields.List(fields.Nested(DocumentLinkSchema))
    distribution = fields.List(
        fields.Nested(DistributionSchema),
        metadata={"description": "Where the copies of the latest decision went"},
    )
    history = fields.List(fields.Nested(HistorySchema))
    warnings = fields.List(fields.String())
