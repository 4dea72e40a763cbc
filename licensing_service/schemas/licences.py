"""Performance licence applications through the API (SPEC §6): the whole application in one post, or a
draft filled section by section; checks, the school's opinion and the parent's part.

The schedule, chaperone and education parts reuse the schemas of the public schedule check
(:mod:`licensing_service.schemas.performance`), whose loads give the rules' own dataclasses.
"""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from licensing_service.models.licences import CheckKind, CheckOutcome, LicenceStatus
from licensing_service.schemas.performance import MAX_DAYS, ChaperoneSchema, DaySchema, EducationSchema
from licensing_service.schemas.productions import EMAIL, MAX_ID, NAME, page_schema
from licensing_service.services import education_approvals, licence_checks, licences
from shared import auth, calendar
from shared.formatting import long_date
from shared.schemas import BaseSchema

SHORT_NAME = validate.Length(min=1, max=100)
ADDRESS = validate.Length(min=1, max=500)
NOTES = validate.Length(max=5000)


class ApplicantChildSchema(BaseSchema):
    first_name = fields.String(required=True, validate=SHORT_NAME)
    last_name = fields.String(required=True, validate=SHORT_NAME)
    date_of_birth = fields.Date(required=True)
    address = fields.String(required=True, validate=ADDRESS)
    school_name = fields.String(load_default="", validate=validate.Length(max=200))

    @ma.validates("date_of_birth")
    def _born(self, value, **_kwargs) -> None:
        if value > calendar.today():
            raise ma.ValidationError("Date of birth must be in the past")


class ApplicantParentSchema(BaseSchema):
    name = fields.String(required=True, validate=NAME)
    email = fields.Email(required=True, validate=EMAIL)
    address = fields.String(required=True, validate=ADDRESS)


DAYS = fields.List(fields.Nested(DaySchema), required=True, validate=validate.Length(min=1, max=MAX_DAYS))


class _DistinctDays(BaseSchema):
    """Each date once, none before the child was born (when the child is in the same body)."""

    @ma.validates_schema
    def _days_possible(self, data, **_kwargs) -> None:
        born = (data.get("child") or {}).get("date_of_birth")
        errors: dict[int, dict[str, list[str]]] = {}
        seen = set()
        for index, day in enumerate(data.get("days") or []):
            if born is not None and day.date < born:
                errors[index] = {"date": [f"{long_date(day.date)} is before the child's date of birth"]}
            elif day.date in seen:
                errors[index] = {"date": [f"{long_date(day.date)} is entered twice"]}
            seen.add(day.date)
        if errors:
            raise ma.ValidationError({"days": errors})


class PerformanceLicenceInSchema(_DistinctDays):
    production_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID))
    child = fields.Nested(ApplicantChildSchema, required=True)
    parent = fields.Nested(ApplicantParentSchema, required=True)
    days = DAYS
    night_work = fields.Boolean(load_default=False)
    chaperone = fields.Nested(ChaperoneSchema, required=True)
    education = fields.Nested(EducationSchema, load_default=None, allow_none=True)
    received_on = fields.Date(load_default=None, allow_none=True)


# --- drafts: one section at a time, each with the keys it has in the whole application -------------


class DraftInSchema(BaseSchema):
    child = fields.Nested(ApplicantChildSchema)
    parent = fields.Nested(ApplicantParentSchema)

    @ma.validates_schema
    def _both_or_neither(self, data, **_kwargs):
        if ("child" in data) != ("parent" in data):
            missing = "parent" if "child" in data else "child"
            raise ma.ValidationError("Give the child and the parent together", missing)


class ChildSectionSchema(BaseSchema):
    child = fields.Nested(ApplicantChildSchema, required=True)
    parent = fields.Nested(ApplicantParentSchema, required=True)


class DaysSectionSchema(_DistinctDays):
    days = DAYS
    night_work = fields.Boolean(load_default=False)


class ChaperoneSectionSchema(BaseSchema):
    chaperone = fields.Nested(ChaperoneSchema, required=True)


class EducationSectionSchema(BaseSchema):
    """``education`` null means the child misses no school."""

    education = fields.Nested(EducationSchema, required=True, allow_none=True)


SECTION_SCHEMAS = {
    "child": ChildSectionSchema,
    "days": DaysSectionSchema,
    "chaperone": ChaperoneSectionSchema,
    "education": EducationSectionSchema,
}


class SubmitSchema(BaseSchema):
    received_on = fields.Date(load_default=None, allow_none=True)


class WithdrawSchema(BaseSchema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ParentLinkSchema(BaseSchema):
    parent_email = fields.Email(load_default=None, allow_none=True, validate=EMAIL)


class LicenceListArgs(BaseSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in LicenceStatus]))
    production_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


# --- checks -----------------------------------------------------------------------------------------


class SchoolOpinionInSchema(BaseSchema):
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in CheckOutcome]))
    notes = fields.String(load_default="", validate=NOTES)

    @ma.validates_schema
    def _concerns_explained(self, data, **_kwargs):
        if data.get("outcome") == CheckOutcome.CONCERNS and not (data.get("notes") or "").strip():
            raise ma.ValidationError("Say what the concerns are", "notes")


class CheckInSchema(SchoolOpinionInSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in CheckKind]))


class SchoolOpinionRequestSchema(BaseSchema):
    school_email = fields.Email(required=True, validate=EMAIL)


class EducationApprovalInSchema(BaseSchema):
    approved = fields.Boolean(
        required=True, metadata={"description": "The SPP approves the education arrangements"}
    )
    notes = fields.String(load_default="", validate=NOTES)

    @ma.validates_schema
    def _refusal_explained(self, data, **_kwargs):
        if data.get("approved") is False and not (data.get("notes") or "").strip():
            raise ma.ValidationError("Say why the education arrangements are not approved", "notes")


class EducationApprovalSchema(BaseSchema):
    """``required`` when the child misses school; ``approved`` None until the SPP decides."""

    required = fields.Boolean()
    approved = fields.Boolean(allow_none=True)
    notes = fields.String(allow_none=True)
    recorded_at = fields.DateTime(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)


class StoredFindingSchema(BaseSchema):
    """A rule finding as stored with the application: ``{code, date, message}``."""

    code = fields.String()
    date = fields.String(allow_none=True)
    message = fields.String()


class CheckSchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    outcome = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    requested_at = fields.DateTime(allow_none=True)
    requested_from = fields.String(allow_none=True)
    recorded_at = fields.DateTime(allow_none=True)
    recorded_by = fields.String(allow_none=True)


# --- the application as the API shows it ------------------------------------------------------------


def _staff() -> bool:
    user = auth.current_user()
    return user is not None and user.is_staff


class PerformanceLicenceSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    production_id = fields.Integer()
    production_name = fields.Function(lambda r: r.production.name)
    child = fields.Function(
        lambda r: (
            None
            if r.child_first_name is None
            else {
                "first_name": r.child_first_name,
                "last_name": r.child_last_name,
                "date_of_birth": r.child_date_of_birth.isoformat(),
                "address": r.child_address,
                "school_name": r.child_school_name,
            }
        )
    )
    parent = fields.Function(
        lambda r: (
            None
            if r.parent_name is None
            else {"name": r.parent_name, "email": r.parent_email, "address": r.parent_address}
        )
    )
    days = fields.Function(lambda r: r.days or [])
    days_needing_no_licence = fields.Function(
        lambda r: r.days_needing_no_licence or [],
        metadata={"description": "Days after the end of compulsory school age: outside the licence"},
    )
    night_work = fields.Boolean()
    chaperone = fields.Method("_chaperone")
    education = fields.Method("_education")
    first_day = fields.Date(allow_none=True)
    last_day = fields.Date(allow_none=True)
    received_on = fields.Date(allow_none=True)
    days_notice = fields.Integer(allow_none=True)
    late = fields.Boolean()
    decision_due_on = fields.Date(allow_none=True)
    overdue = fields.Function(lambda r: licences.is_overdue(r))
    breaches = fields.List(fields.Nested(StoredFindingSchema))
    warnings = fields.List(fields.Nested(StoredFindingSchema))
    tasks = fields.Function(lambda r: licences.tasks(r))
    parent_part = fields.Method("_parent_part")
    # The council's checks and their notes are for staff only; a producer sees the parent's part state.
    checks = fields.Method("_checks")
    education_approval = fields.Method("_education_approval")
    outstanding = fields.Method("_outstanding")
    licence_number = fields.String(allow_none=True)
    conditions = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    refusal_reason = fields.String(allow_none=True)
    late_reason = fields.String(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()

    def _chaperone(self, r):
        if r.chaperone_is_parent is None:
            return None
        return {
            "approval_number": r.chaperone_approval_number,
            "is_parent": r.chaperone_is_parent,
            "is_usual_teacher": bool(r.chaperone_is_usual_teacher),
            "usual_teacher_name": r.usual_teacher_name,
            "usual_teacher_school": r.usual_teacher_school,
            "children_in_care": r.chaperone_children_in_care,
            "also_private_teacher": r.chaperone_also_private_teacher,
        }

    def _education(self, r):
        if r.education_school_days_missed is None:
            return None
        tutor = None
        if r.tutor_name is not None:
            tutor = {
                "name": r.tutor_name,
                "hours_per_day": float(r.tutor_hours_per_day) if r.tutor_hours_per_day is not None else None,
                "pupils": r.tutor_pupils,
                "similar_standard": r.tutor_similar_standard,
            }
        return {"school_days_missed": r.education_school_days_missed, "tutor": tutor}

    def _parent_part(self, r):
        part = r.parent_part
        body = {"state": r.parent_part_state, "completed_at": part.completed_at.isoformat() if part else None}
        if part is not None and _staff():
            body.update(
                declaration=part.declaration,
                medical_declaration=part.medical_declaration,
                photo={
                    "content_type": part.photo_content_type,
                    "size": part.photo_size,
                    "width": part.photo_width,
                    "height": part.photo_height,
                },
            )
        return body

    def _checks(self, r):
        return CheckSchema(many=True).dump(r.checks) if _staff() else None

    def _education_approval(self, r):
        return EducationApprovalSchema().dump(education_approvals.state(r)) if _staff() else None

    def _outstanding(self, r):
        if r.status != LicenceStatus.SUBMITTED or not _staff():
            return None
        return licence_checks.outstanding(r)


LicencePageSchema = page_schema(PerformanceLicenceSchema, "PerformanceLicencePage")


class CheckResultSchema(BaseSchema):
    check = fields.Nested(CheckSchema)
    outstanding = fields.List(fields.String())


# --- the parent's part and the school's opinion, by link --------------------------------------------


class ParentPartFormSchema(BaseSchema):
    """``multipart/form-data``: the declaration, the medical declaration and the photo file."""

    class Meta:
        unknown = ma.EXCLUDE

    declaration = fields.Boolean(required=True)
    medical_declaration = fields.String(load_default="", validate=NOTES)
    photo = Upload(required=True)

    @ma.validates("declaration")
    def _declared(self, value, **_kwargs) -> None:
        if value is not True:
            raise ma.ValidationError("Confirm the declaration to complete your part")


class LinkChildSchema(BaseSchema):
    first_name = fields.String()
    last_name = fields.String()
    date_of_birth = fields.Date()
    school_name = fields.String()


class LinkProductionSchema(BaseSchema):
    name = fields.String()
    type = fields.String()
    producer = fields.String()


class LinkDaySchema(BaseSchema):
    date = fields.String()
    kind = fields.String()
    arrive = fields.String()
    leave = fields.String()
    performing = fields.List(fields.Dict())


class ParentPartViewSchema(BaseSchema):
    reference = fields.String()
    child = fields.Nested(LinkChildSchema)
    parent_name = fields.String()
    production = fields.Nested(LinkProductionSchema)
    first_day = fields.Date()
    last_day = fields.Date()
    days = fields.List(fields.Nested(LinkDaySchema))
    expires_at = fields.DateTime()
    photo_max_bytes = fields.Integer()
    photo_min_pixels = fields.Integer()


class ParentPartDoneSchema(BaseSchema):
    reference = fields.String()
    parent_part_state = fields.String()
    completed_at = fields.Function(lambda r: r.parent_part.completed_at.isoformat())


class SchoolOpinionViewSchema(BaseSchema):
    reference = fields.String()
    child = fields.Nested(LinkChildSchema)
    production = fields.Nested(LinkProductionSchema)
    first_day = fields.Date()
    last_day = fields.Date()
    school_days_missed = fields.Integer()
    days = fields.List(fields.Nested(LinkDaySchema))
    expires_at = fields.DateTime()


class SchoolOpinionDoneSchema(BaseSchema):
    kind = fields.String()
    outcome = fields.String()
    recorded_at = fields.DateTime()
