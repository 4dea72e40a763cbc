"""Performance schedules and the licence-requirement question through the API (SPEC §6).

``ScheduleCheckSchema`` is ``POST /api/v1/performance-schedules/check``; ``DaySchema``,
``ChaperoneSchema`` and ``EducationSchema`` are also the schedule parts of a licence application. Loading
gives the rules' own dataclasses (:mod:`licensing_service.rules.performance`), so the rules see exactly
what was checked here.

What is refused with a 422 and the field's path (the rules would still answer, but the answer would be
about a day that cannot happen): a time that is not ``HH:MM``; leaving at the minute of arrival;
performing that starts and ends at the same minute, falls outside the time at the place or overlaps
other performing that day; the same date twice; a day before the child's date of birth; more than 366
days or 10 stretches of performing a day. A ``leave`` earlier than ``arrive`` is after midnight, and so is
any performing time earlier than ``arrive`` on such a day.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from licensing_service.rules.performance import (
    Chaperone,
    Day,
    DayKind,
    Education,
    Interval,
    Tutor,
    timeline,
)
from licensing_service.rules.requirement import ActivityKind
from shared.formatting import long_date
from shared.schemas import BaseSchema

MAX_DAYS = 366
MAX_INTERVALS = 10
MAX_CHILDREN = 999
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
DATES = validate.Range(
    min=EARLIEST_DATE, max=LATEST_DATE, error="Enter a real date between 1900 and 2199, as YYYY-MM-DD"
)
HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class ClockTime(fields.String):
    """A time of day as ``HH:MM`` (24-hour clock), loaded as a ``datetime.time``."""

    default_error_messages = {"format": "Enter a time as HH:MM on the 24-hour clock, for example 09:30"}

    def __init__(self, **kwargs: Any):
        metadata = {"pattern": HHMM.pattern, "example": "09:30", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not HHMM.fullmatch(text):
            raise self.make_error("format")
        return time(int(text[:2]), int(text[3:]))

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return value.strftime("%H:%M") if isinstance(value, time) else super()._serialize(value, attr, obj)


def _day_date(**kwargs: Any) -> fields.Date:
    return fields.Date(validate=DATES, **kwargs)


def _hhmm(minutes: int) -> str:
    """Minutes from the day's midnight as HH:MM, saying when it is after midnight."""
    shown = f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
    return shown + (" the next day" if minutes >= 24 * 60 else "")


class IntervalSchema(BaseSchema):
    start = ClockTime(required=True)
    end = ClockTime(required=True, metadata={"description": "Earlier than start: ends after midnight"})

    @ma.validates_schema
    def _not_empty(self, data: dict, **_kwargs) -> None:
        if data["start"] == data["end"]:
            raise ma.ValidationError("The end must be a different time from the start", "end")

    @ma.post_load
    def _interval(self, data: dict, **_kwargs) -> Interval:
        return Interval(start=data["start"], end=data["end"])


class DaySchema(BaseSchema):
    date = _day_date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in DayKind]))
    arrive = ClockTime(required=True)
    leave = ClockTime(required=True, metadata={"description": "Earlier than arrive: leaves after midnight"})
    performing = fields.List(
        fields.Nested(IntervalSchema),
        required=True,
        validate=validate.Length(max=MAX_INTERVALS),
        metadata={
            "description": "When the child performs or rehearses; earlier than arrive is after midnight"
        },
    )

    @ma.validates_schema
    def _possible(self, data: dict, **_kwargs) -> None:
        if data["arrive"] == data["leave"]:
            raise ma.ValidationError(
                "Leave must be a different time from arrive (a time earlier than arrive is after midnight)",
                "leave",
            )
        line = timeline(self._day(data))
        at_place = f"{_hhmm(line.arrive)} to {_hhmm(line.leave)}"
        errors: dict[int, list[str]] = {}
        for index, (start, end) in enumerate(line.intervals):
            if start < line.arrive or end > line.leave:
                errors.setdefault(index, []).append(
                    f"Performing from {_hhmm(start)} to {_hhmm(end)} must be within the time at the place "
                    f"({at_place})"
                )
        order = sorted(range(len(line.intervals)), key=lambda i: line.intervals[i])
        for earlier, later in zip(order, order[1:], strict=False):
            if line.intervals[later][0] < line.intervals[earlier][1]:
                first = line.intervals[earlier]
                errors.setdefault(later, []).append(
                    f"This overlaps the performing from {_hhmm(first[0])} to {_hhmm(first[1])}"
                )
        if errors:
            raise ma.ValidationError({"performing": errors})

    @staticmethod
    def _day(data: dict) -> Day:
        return Day(
            date=data["date"],
            kind=DayKind(data["kind"]),
            arrive=data["arrive"],
            leave=data["leave"],
            performing=tuple(data["performing"]),
        )

    @ma.post_load
    def _to_day(self, data: dict, **_kwargs) -> Day:
        return self._day(data)


class ChaperoneSchema(BaseSchema):
    """Who looks after the child: an approved chaperone's ``approval_number``, ``is_parent`` when a parent
    does, or ``is_usual_teacher`` (with ``usual_teacher_name`` and ``usual_teacher_school``) when the
    child's usual teacher does (reg 15). More than one of these is refused.

    None is accepted: the schedule check then reports that no approved chaperone is named.
    """

    approval_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    is_parent = fields.Boolean(load_default=False)
    is_usual_teacher = fields.Boolean(
        load_default=False, metadata={"description": "The child's usual teacher looks after them"}
    )
    usual_teacher_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    usual_teacher_school = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=200)
    )
    children_in_care = fields.Integer(
        load_default=1,
        strict=True,
        validate=validate.Range(min=1, max=MAX_CHILDREN),
        metadata={"description": "Children in the chaperone's care at once, this child included"},
    )
    also_private_teacher = fields.Boolean(load_default=False)

    @ma.validates_schema
    def _one_of_them(self, data: dict, **_kwargs) -> None:
        number = (data.get("approval_number") or "").strip()
        if data["is_parent"] and data["is_usual_teacher"]:
            raise ma.ValidationError(
                "Say a parent or the child's usual teacher will look after the child, not both",
                "is_usual_teacher",
            )
        if number and (data["is_parent"] or data["is_usual_teacher"]):
            who = "a parent" if data["is_parent"] else "the child's usual teacher"
            raise ma.ValidationError(
                f"Give the chaperone's approval number, or say {who} will look after the child, not both",
                "approval_number",
            )
        if data["is_usual_teacher"]:
            errors = {
                key: [f"Enter the usual teacher's {what}"]
                for key, what in (("usual_teacher_name", "name"), ("usual_teacher_school", "school"))
                if not (data.get(key) or "").strip()
            }
            if errors:
                raise ma.ValidationError(errors)

    @ma.post_load
    def _chaperone(self, data: dict, **_kwargs) -> Chaperone:
        def stripped(key: str) -> str | None:
            return (data.get(key) or "").strip() or None

        teacher = data["is_usual_teacher"]
        return Chaperone(
            approval_number=stripped("approval_number"),
            is_parent=data["is_parent"],
            is_usual_teacher=teacher,
            usual_teacher_name=stripped("usual_teacher_name") if teacher else None,
            usual_teacher_school=stripped("usual_teacher_school") if teacher else None,
            children_in_care=data["children_in_care"],
            also_private_teacher=data["also_private_teacher"],
        )


def _hours_in_a_day(value: Decimal) -> None:
    # A plain function, not validate.Range: apispec would print a Decimal range as strings.
    if not 0 <= value <= 24:
        raise ma.ValidationError("Enter the hours as a number from 0 to 24")


class TutorSchema(BaseSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    hours_per_day = fields.Decimal(
        required=True,
        places=2,
        validate=_hours_in_a_day,
        metadata={"description": "Hours taught on each weekday of the schedule", "minimum": 0, "maximum": 24},
    )
    pupils = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_CHILDREN),
        metadata={"description": "Children taught at once, this child included"},
    )
    similar_standard = fields.Boolean(load_default=False)

    @ma.post_load
    def _tutor(self, data: dict, **_kwargs) -> Tutor:
        return Tutor(**data)


class EducationSchema(BaseSchema):
    school_days_missed = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=MAX_DAYS)
    )
    tutor = fields.Nested(TutorSchema, load_default=None, allow_none=True)

    @ma.post_load
    def _education(self, data: dict, **_kwargs) -> Education:
        return Education(school_days_missed=data["school_days_missed"], tutor=data["tutor"])


class ScheduleCheckSchema(BaseSchema):
    """A child's schedule to check against the limits; loads as the keyword arguments of
    :func:`licensing_service.rules.performance.check_schedule` (with ``date_of_birth``)."""

    date_of_birth = fields.Date(required=True, validate=DATES)
    days = fields.List(fields.Nested(DaySchema), required=True, validate=validate.Length(min=1, max=MAX_DAYS))
    night_work = fields.Boolean(
        load_default=False, metadata={"description": "The licence would permit performing at night"}
    )
    chaperone = fields.Nested(ChaperoneSchema, load_default=None, allow_none=True)
    education = fields.Nested(EducationSchema, load_default=None, allow_none=True)

    @ma.validates_schema
    def _days_in_order(self, data: dict, **_kwargs) -> None:
        errors: dict[int, dict[str, list[str]]] = {}
        seen: set[date] = set()
        born = data["date_of_birth"]
        for index, day in enumerate(data["days"]):
            if day.date < born:
                errors[index] = {"date": [f"{long_date(day.date)} is before the child's date of birth"]}
            elif day.date in seen:
                errors[index] = {"date": [f"{long_date(day.date)} is entered twice"]}
            seen.add(day.date)
        if errors:
            raise ma.ValidationError({"days": errors})


class FindingSchema(BaseSchema):
    code = fields.String(metadata={"description": "What rule: the codes of SPEC §6"})
    date = fields.Date(allow_none=True, metadata={"description": "The day concerned; null for the whole"})
    message = fields.String()


class ScheduleResultSchema(BaseSchema):
    breaches = fields.List(fields.Nested(FindingSchema))
    warnings = fields.List(fields.Nested(FindingSchema))


class LicenceRequirementSchema(BaseSchema):
    """Loads as the arguments of :func:`licensing_service.rules.requirement.licence_requirement`."""

    date_of_birth = fields.Date(required=True, validate=DATES)
    dates = fields.List(
        _day_date(),
        required=True,
        validate=validate.Length(max=MAX_DAYS),
        metadata={"description": "The days the child would perform or rehearse"},
    )
    paid = fields.Boolean(
        required=True, metadata={"description": "Anyone is paid (beyond expenses) for the child taking part"}
    )
    school_absence = fields.Boolean(required=True)
    prior_days_last_6_months = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=184),
        metadata={"description": "Days the child performed in the 6 months before the first date"},
    )
    kind = fields.String(
        load_default=ActivityKind.PERFORMANCE.value, validate=validate.OneOf([k.value for k in ActivityKind])
    )
    school_arranged = fields.Boolean(load_default=False)
    under_bopa = fields.Boolean(load_default=False)

    @ma.post_load
    def _arguments(self, data: dict, **_kwargs) -> dict[str, Any]:
        return {**data, "kind": ActivityKind(data["kind"])}


class RequirementResultSchema(BaseSchema):
    licence_required = fields.Boolean()
    reason = fields.String()
    compulsory_school_age_ends = fields.Date()
