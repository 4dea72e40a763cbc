"""What the task pages share: the draft being filled in, the way back to its task list, and a service's
refusal shown at the fields it names."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_wtf import FlaskForm

from licensing_service.models.licences import LicenceStatus, PerformanceLicence
from licensing_service.services import licences
from shared import problems
from shared.form_helpers import place_errors


def draft(licence_id: int) -> PerformanceLicence | None:
    """The application, and whether its tasks can still change (a redirect if not)."""
    licence = licences.get_visible(licence_id, g.current_user)
    return licence if licence.status == LicenceStatus.DRAFT else None


def to_application(licence: PerformanceLicence):
    return redirect(url_for("producer.application", licence_id=licence.id))


def refused(form: FlaskForm, error: problems.Problem, fields: dict[str, str], default: str) -> None:
    """A service's 4xx shown at the fields it names (a 5xx is not the user's to fix)."""
    if (error.code or 500) >= 500:
        raise error
    place_errors(
        form, error.errors or {default: [error.description or "That cannot be done"]}, fields, default
    )
