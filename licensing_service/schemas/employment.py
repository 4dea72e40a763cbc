"""Child employment permits and the public hours check through the API (SPEC §6).

A weekly pattern is refused with a 422 and the field's path when it cannot happen: a time that is not
``HH:MM``, a period that ends at or before its start (work past midnight is not a child's work), a break
outside its period or overlapping another, two periods on the same day that overlap, or no working period
at all. Anything that can happen but breaks the limits is a finding, not a 422.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from licensing_service.models.employment import PermitStatus
from licensing_service.rules.employment import CATEGORY_LABELS, DAYS
from licensing_service.schemas.licences import StoredFindingSchema
from licensing_service.schemas.performance import ClockTime
from shared import api
from shared.schemas import BaseSchema

MAX_PERIODS = 21  # three a day
MAX_BREAKS = 4
EVENT_DATE = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="Enter a real date")
BIRTH_DATE = validate.Range(min=date(1900, 1, 1), max=date(2099, 12, 31), error="Enter a real date of birth")


def _text(maximum: int, **kwargs: Any) -> fields.String:
    return fields.String(
        required=True, validate=[validate.Length(min=1, max=maximum), validate.Regexp(r"\S")], **kwargs
    )


def _hhmm(t) -> str:
    return t.strftime("%H:%M")


class WorkBreakSchema(BaseSchema):
    start = ClockTime(required=True)
    end = ClockTime(required=True)


class WorkPeriodSchema(BaseSchema):
    day = fields.String(required=True, validate=validate.OneOf(DAYS))
    start = ClockTime(required=True)
    end = ClockTime(required=True)
    breaks = fields.List(
        fields.Nested(WorkBreakSchema), load_default=list, validate=validate.Length(max=MAX_BREAKS)
    )

    @ma.validates_schema
    def _times_in_order(self, data: dict, **_kwargs) -> None:
        if data["end"] <= data["start"]:
            raise ma.ValidationError("The end must be after the start, on the same day", "end")
        errors: dict[int, dict[str, list[str]]] = {}
        last_end = None
        for index, item in sorted(enumerate(data.get("breaks") or []), key=lambda p: p[1]["start"]):
            if item["end"] <= item["start"]:
                errors[index] = {"end": ["The break must end after it starts"]}
            elif item["start"] <= data["start"] or item["end"] >= data["end"]:
                errors[index] = {
                    "start": [f"The break must be inside {_hhmm(data['start'])} to {_hhmm(data['end'])}"]
                }
            elif last_end is not None and item["start"] < last_end:
                errors[index] = {"start": ["The break overlaps another break"]}
            last_end = item["end"]
        if errors:
            raise ma.ValidationError({"breaks": errors})


def _periods() -> fields.List:
    return fields.List(
        fields.Nested(WorkPeriodSchema), load_default=list, validate=validate.Length(max=MAX_PERIODS)
    )


class WeeklyPatternSchema(BaseSchema):
    term_time = _periods()
    holidays = _periods()
    holiday_weeks_free = fields.Boolean(
        load_default=False,
        metadata={
            "description": "The child will have 2 consecutive weeks without work in the school holidays"
        },
    )
    school_starts = ClockTime(
        load_default=None, allow_none=True, metadata={"description": "Default: setting SCHOOL_DAY_STARTS"}
    )
    school_ends = ClockTime(
        load_default=None, allow_none=True, metadata={"description": "Default: setting SCHOOL_DAY_ENDS"}
    )

    @ma.validates_schema
    def _sensible(self, data: dict, **_kwargs) -> None:
        if not data["term_time"] and not data["holidays"]:
            raise ma.ValidationError(
                "Give at least one working period, in term time or the holidays", "term_time"
            )
        if (
            data.get("school_starts")
            and data.get("school_ends")
            and data["school_ends"] <= data["school_starts"]
        ):
            raise ma.ValidationError("School must end after it starts", "school_ends")
        errors: dict[str, dict[int, dict[str, list[str]]]] = {}
        for name in ("term_time", "holidays"):
            for index, item in enumerate(data[name]):
                for other in data[name][:index]:
                    if (
                        other["day"] == item["day"]
                        and item["start"] < other["end"]
                        and other["start"] < item["end"]
                    ):
                        errors.setdefault(name, {})[index] = {
                            "start": [
                                f"This overlaps the {item['day'].capitalize()} period "
                                f"{_hhmm(other['start'])} to {_hhmm(other['end'])}"
                            ]
                        }
                        break
        if errors:
            raise ma.ValidationError(errors)


class JobCategorySchema(BaseSchema):
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORY_LABELS)))
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class HoursCheckSchema(BaseSchema):
    date_of_birth = fields.Date(required=True, validate=BIRTH_DATE)
    job = fields.Nested(JobCategorySchema, required=True)
    start_date = fields.Date(required=True, validate=EVENT_DATE)
    schedule = fields.Nested(WeeklyPatternSchema, required=True)


class HoursResultSchema(BaseSchema):
    breaches = fields.List(fields.Nested(StoredFindingSchema))
    warnings = fields.List(fields.Nested(StoredFindingSchema))
    regime = fields.String()
    age = fields.Integer()


class PermitEmployerSchema(BaseSchema):
    name = _text(200)
    address = _text(500)
    contact = _text(200)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    known_to_council = fields.Boolean(
        required=True, metadata={"description": "The council already knows this employer's premises"}
    )


class PermitChildSchema(BaseSchema):
    first_name = _text(100)
    last_name = _text(100)
    date_of_birth = fields.Date(required=True, validate=BIRTH_DATE)
    address = _text(500)
    school_name = _text(200)


class PermitParentSchema(BaseSchema):
    name = _text(200)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    address = _text(500)


class PermitJobSchema(BaseSchema):
    description = _text(2000)
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORY_LABELS)))


class PermitInSchema(BaseSchema):
    employer = fields.Nested(PermitEmployerSchema, required=True)
    child = fields.Nested(PermitChildSchema, required=True)
    parent = fields.Nested(PermitParentSchema, required=True)
    job = fields.Nested(PermitJobSchema, required=True)
    start_date = fields.Date(required=True, validate=EVENT_DATE)
    schedule = fields.Nested(WeeklyPatternSchema, required=True)
    received_on = fields.Date(
        load_default=None,
        allow_none=True,
        validate=EVENT_DATE,
        metadata={"description": "Officers only (paper applications); others get today"},
    )


class PermitDistributionSchema(BaseSchema):
    party = fields.String(metadata={"description": "employer or parent"})
    event = fields.String(metadata={"description": "granted, refused or revoked"})
    email = fields.String()
    sent_on = fields.Date()
    document_id = fields.Integer(allow_none=True)


def _period(p) -> dict | None:
    if p.unpermitted_from is None:
        return None
    return {"from": p.unpermitted_from.isoformat(), "until": p.unpermitted_until.isoformat()}


class PermitSchema(BaseSchema):
    """A permit or application as the employer, the parent's and the officer's views share it: nothing
    about inspections, which only officers see."""

    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    employer = fields.Function(
        lambda p: {
            "name": p.employer_name,
            "address": p.employer_address,
            "contact": p.employer_contact,
            "email": p.employer_email,
            "known_to_council": p.employer_known,
        }
    )
    child = fields.Function(
        lambda p: {
            "first_name": p.child_first_name,
            "last_name": p.child_last_name,
            "date_of_birth": p.child_date_of_birth.isoformat(),
            "address": p.child_address,
            "school_name": p.child_school_name,
        }
    )
    parent = fields.Function(
        lambda p: {"name": p.parent_name, "email": p.parent_email, "address": p.parent_address}
    )
    job = fields.Function(lambda p: {"description": p.job_description, "category": p.job_category})
    start_date = fields.Date()
    schedule = fields.Dict()
    received_on = fields.Date()
    late = fields.Boolean()
    unpermitted_period = fields.Function(_period, metadata={"description": "Worked without a permit (late)"})
    decision_due_on = fields.Date()
    regime = fields.String()
    breaches = fields.List(fields.Nested(StoredFindingSchema))
    warnings = fields.List(fields.Nested(StoredFindingSchema))
    parent_declaration = fields.Function(
        lambda p: {
            "given": p.parent_declared,
            "given_at": p.parent_declared_at.isoformat() if p.parent_declared_at else None,
        }
    )
    permit_number = fields.String(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)
    distribution = fields.List(fields.Nested(PermitDistributionSchema), attribute="distributions")


PermitPageSchema = BaseSchema.from_dict(
    {
        "items": fields.List(fields.Nested(PermitSchema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
        "total_capped": fields.Boolean(),
    },
    name="EmploymentPermitPage",
)


class PermitListArgs(api.PageArgs):
    status = fields.String(validate=validate.OneOf([s.value for s in PermitStatus]))


class PermitDecisionSchema(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["grant", "refuse"]))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    issue_date = fields.Date(load_default=None, allow_none=True, validate=EVENT_DATE)

    @ma.validates_schema
    def _refusal_explained(self, data: dict, **_kwargs) -> None:
        if data["decision"] == "refuse" and not (data.get("reason") or "").strip():
            raise ma.ValidationError("Give the reason for refusing the permit", "reason")
        if data["decision"] == "refuse" and data.get("issue_date"):
            raise ma.ValidationError("An issue date goes with a grant, not a refusal", "issue_date")


class PermitRevocationSchema(BaseSchema):
    reason = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=5000),
            validate.Regexp(r"\S", error="Give the reason for revoking the permit"),
        ],
    )


class DeclarationViewSchema(BaseSchema):
    reference = fields.String()
    child = fields.Dict()
    employer = fields.Dict()
    job = fields.Dict()
    start_date = fields.Date()
    schedule = fields.Dict()
    breaches = fields.List(fields.Nested(StoredFindingSchema))
    expires_at = fields.DateTime()


class DeclarationInSchema(BaseSchema):
    declaration = fields.Boolean(
        required=True, validate=validate.Equal(True, error="Confirm the declaration")
    )
    name = _text(200, metadata={"description": "The parent's name, as a signature"})
