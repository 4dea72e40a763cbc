"""The SPP's approval of a child's education arrangements (SPEC §4.1; reg 13): where the licence means
absence from school, a grant needs it. Recording it again replaces the decision; the audit log keeps the
one before. A decision not to approve needs notes saying why, like a check that finds concerns."""

from __future__ import annotations

from typing import Any

from licensing_service.models.licences import LicenceStatus, PerformanceLicence
from licensing_service.services import licences
from shared import audit, db, problems
from shared.db import utcnow
from shared.users import User


def _school_days(n: int) -> str:
    return f"{n} school day{'s' if n != 1 else ''}"


def needed(licence: PerformanceLicence) -> str | None:
    """Why the education arrangements stop a grant, or None when they do not (no school missed, or
    approved)."""
    missed = licence.education_school_days_missed or 0
    if missed <= 0 or licence.education_approved is True:
        return None
    if licence.education_approved is False:
        return (
            f"Education arrangements not approved: the child would miss {_school_days(missed)} and the "
            "SPP did not approve how they will be taught"
        )
    return (
        f"Education arrangements not approved: the child would miss {_school_days(missed)}, so the SPP "
        "must approve how they will be taught"
    )


def state(licence: PerformanceLicence) -> dict[str, Any]:
    """The approval as staff see it: ``required`` when the child misses school."""
    return {
        "required": (licence.education_school_days_missed or 0) > 0,
        "approved": licence.education_approved,
        "notes": licence.education_approval_notes,
        "recorded_at": licence.education_approved_at,
        "recorded_by_id": licence.education_approved_by_id,
    }


def _snapshot(licence: PerformanceLicence) -> dict[str, Any] | None:
    if licence.education_approved is None:
        return None
    return {"approved": licence.education_approved, "recorded_by_id": licence.education_approved_by_id}


def record(licence_id: int, data: dict[str, Any], user: User) -> PerformanceLicence:
    """Record whether the SPP approves the arrangements: ``{approved, notes}``. 409 unless the
    application awaits a decision and the child misses school; 422 for not approving without notes."""
    approved = bool(data["approved"])
    notes = (data.get("notes") or "").strip()
    if not approved and not notes:
        raise problems.invalid("notes", "Say why the education arrangements are not approved")
    with db.transaction():
        licence = licences.get_visible(licence_id, user, for_update=True)
        if licence.status != LicenceStatus.SUBMITTED:
            raise problems.Problem(
                409,
                "The education arrangements are approved only before a decision: the application is "
                f"{licence.status}",
                extra={"current_status": licence.status},
            )
        if (licence.education_school_days_missed or 0) <= 0:
            raise problems.Problem(
                409, "The child misses no school: there are no education arrangements to approve"
            )
        before = _snapshot(licence)
        licence.education_approved = approved
        licence.education_approval_notes = notes or None
        licence.education_approved_at = utcnow()
        licence.education_approved_by_id = user.id
        audit.record(
            "performance_licence.education_approved"
            if approved
            else "performance_licence.education_not_approved",
            licences.OBJECT_TYPE,
            licence.id,
            before=before,
            after={**_snapshot(licence), "school_days_missed": licence.education_school_days_missed},
            note=notes or None,
        )
    return licence
