"""How an application is shown to people: its status tags, its schedule one row a day, addresses, and the
links to its decision documents. The producers' pages use them, and so do the officers' and the parent's."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from licensing_service.models.licences import LicenceStatus, ParentPartState, PerformanceLicence
from licensing_service.models.productions import ProductionType
from licensing_service.rules import performance

PRODUCTION_TYPES = {
    ProductionType.THEATRE.value: "Theatre",
    ProductionType.FILM.value: "Film",
    ProductionType.TELEVISION.value: "Television",
    ProductionType.MODELLING.value: "Modelling",
    ProductionType.SPORT.value: "Paid sport",
    ProductionType.OTHER.value: "Something else",
}
# The tag each application shows its producer (and the officers).
LICENCE_STATUSES = {
    LicenceStatus.DRAFT.value: ("Not submitted", "govuk-tag--grey"),
    LicenceStatus.SUBMITTED.value: ("Received", "govuk-tag--blue"),
    LicenceStatus.GRANTED.value: ("Granted", "govuk-tag--green"),
    LicenceStatus.REFUSED.value: ("Refused", "govuk-tag--red"),
    LicenceStatus.REVOKED.value: ("Revoked", "govuk-tag--red"),
    LicenceStatus.WITHDRAWN.value: ("Withdrawn", "govuk-tag--grey"),
}
DAY_KINDS = {
    performance.DayKind.PERFORMANCE.value: "Performance",
    performance.DayKind.REHEARSAL.value: "Rehearsal",
}
DOCUMENT_LABELS = {
    "licence": "The licence",
    "refusal": "The refusal letter",
    "revocation": "The revocation letter",
}


def clock_range(start: str, end: str) -> str:
    """``09:00 to 17:00``, saying when the end is after midnight."""
    return f"{start} to {end}" + (" the next day" if end < start else "")


def day_rows(days: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The schedule as people read it: one row a day."""
    rows = []
    for index, day in enumerate(days or []):
        try:
            on = date.fromisoformat(day["date"])
        except (KeyError, TypeError, ValueError):
            continue
        performing = [clock_range(i["start"], i["end"]) for i in day.get("performing") or []]
        rows.append(
            {
                "index": index,
                "date": on,
                "kind": DAY_KINDS.get(day.get("kind"), day.get("kind") or ""),
                "at_place": clock_range(day.get("arrive", ""), day.get("leave", "")),
                "performing": performing,
            }
        )
    return rows


def address_html(text: str | None) -> Markup:
    """An address as typed, one line of it to a line on the page."""
    lines = [line.strip() for line in (text or "").replace("\r", "\n").split("\n") if line.strip()]
    return Markup("<br>").join(lines)


def parent_part_label(licence: PerformanceLicence) -> tuple[str, str]:
    """The parent's part as a task status: text and tag classes."""
    if licence.parent_part_state == ParentPartState.COMPLETED:
        return "Completed", ""
    if licence.parent_part_state == ParentPartState.REQUESTED and licence.status == LicenceStatus.SUBMITTED:
        return "Waiting for the parent", "govuk-tag--yellow"
    if licence.status == LicenceStatus.DRAFT:
        return "Cannot start yet", "govuk-tag--grey"
    return "Not completed", "govuk-tag--grey"


def progress(licence: PerformanceLicence) -> tuple[str, str]:
    """One tag for where a child's application has got to, as its producer follows it."""
    if licence.status == LicenceStatus.SUBMITTED and licence.parent_part_state != ParentPartState.COMPLETED:
        return "Waiting for the parent", "govuk-tag--yellow"
    return LICENCE_STATUSES.get(
        licence.status, (licence.status.replace("_", " ").capitalize(), "govuk-tag--grey")
    )


def document_links(outcome: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(kind, label) of each decision document, once each, from :func:`licence_decisions.outcome`."""
    kinds = []
    for document in (outcome or {}).get("documents", []):
        if document["kind"] in DOCUMENT_LABELS and document["kind"] not in kinds:
            kinds.append(document["kind"])
    return [(kind, DOCUMENT_LABELS[kind]) for kind in kinds]
