"""Documents of a performance licence decision: the licence itself, the refusal letter and the revocation
letter, as text contexts for ``templates/documents/`` and rendered to A4 tagged PDFs.

What the licence shows, and why (Children and Young Persons Act 1963 s37; Children (Performances and
Activities) (England) Regulations 2014):

- the licence holder (the person responsible for the production, who applied) and the production, its
  places and the host authority;
- the child: name, date of birth and photograph — enough for a chaperone, the producer or an inspecting
  officer to know the child. Not the child's address, school or medical information: the licence goes to
  the producer and to another council, and neither needs them to act on it (UK GDPR Article 5(1)(c)).
  The school is named only where the licence authorises absence from it (s37(7));
- every day with the times at the place and the times performing, whether night work is permitted, the
  chaperone, the approved education arrangements, and the conditions: the standard ones from the
  Regulations, then the council's own;
- who granted it and when, and a verification reference with a QR code for the public check
  (``/verify``: the licence number and the child's date of birth give valid / not valid and until when).

Contexts hold text only, built from stored data (never the clock), so the same licence and decision render
the same bytes; :func:`shared.documents.render_pdf` fixes the rest.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app, has_request_context, request

from licensing_service.models.decisions import DecisionEvent, LicenceDecision
from licensing_service.models.licences import PerformanceLicence
from licensing_service.rules import performance
from licensing_service.services import licences
from shared import documents
from shared.calendar import LONDON
from shared.formatting import long_date

log = logging.getLogger(__name__)

COUNCIL_NAME = "Nottinghamshire County Council"
SPP_ROLE = "Senior Professional Practitioner – Employment and Entertainment"
# Contact details printed on the documents; each may be overridden by a setting of the same name.
CONTACT_DEFAULTS = {
    "LICENSING_TEAM_NAME": "Child Employment and Entertainment Team",
    "LICENSING_POSTAL_ADDRESS": "County Hall, West Bridgford, Nottingham NG2 7QP",
    "LICENSING_TEAM_EMAIL": "child.licensing@nottscc.gov.uk",
    "LICENSING_PHONE": "0300 500 80 80",
    "LICENSING_PRIVACY_WEBSITE": "www.nottinghamshire.gov.uk/privacy",
}
# The photo as printed: at most 35 × 45 mm at 300 dpi. Larger uploads are scaled down so that the
# licence stays well under GOV.UK Notify's 2 MB attachment limit.
PHOTO_MAX_PIXELS = (413, 531)
PHOTO_JPEG_QUALITY = 85

LICENCE_KIND, REFUSAL_KIND, REVOCATION_KIND = "licence", "refusal", "revocation"
KIND_LABELS = {"performance": "Performance", "rehearsal": "Rehearsal"}


def contacts() -> dict[str, str]:
    config = current_app.config
    return {
        key.removeprefix("LICENSING_").lower(): config.get(key) or value
        for key, value in CONTACT_DEFAULTS.items()
    }


def address_lines(address: str | None) -> list[str]:
    """An address stored as one text, split into lines at commas and line breaks."""
    text = (address or "").replace("\r", "\n").replace(",", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- verification and the pictures --------------------------------------------------------------------


def verify_page() -> str:
    """The public check of licences and approvals."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return f"{base}/verify"


def verification_url(number: str) -> str:
    """Where the QR code leads: the public check, with the licence number filled in."""
    return f"{verify_page()}?number={quote(number, safe='')}"


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code (SVG, medium error correction), as a ``data:`` URI."""
    import qrcode  # noqa: PLC0415 - only documents need it
    import qrcode.image.svg  # noqa: PLC0415

    code = qrcode.QRCode(
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def photo_data_uri(content: bytes | None) -> str | None:
    """The child's photo, upright, scaled to fit the licence, re-encoded as a JPEG: re-encoding also
    drops the camera's metadata (a phone photo's EXIF can hold where it was taken). None when the photo
    cannot be read, so that the licence still renders and says so."""
    if not content:
        return None
    try:
        from PIL import Image, ImageOps  # noqa: PLC0415 - a WeasyPrint dependency; only documents need it

        with Image.open(io.BytesIO(content)) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        image.thumbnail(PHOTO_MAX_PIXELS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=PHOTO_JPEG_QUALITY)
    except Exception:
        log.warning("the child's photo could not be read for the licence", exc_info=True)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


# --- the licence ----------------------------------------------------------------------------------------


def _clock(minutes: int) -> str:
    days, rest = divmod(minutes, 24 * 60)
    shown = f"{rest // 60:02d}:{rest % 60:02d}"
    return shown + (" (next day)" if days else "")


@dataclass(frozen=True)
class DayRow:
    date: str
    kind: str
    at_place: str
    performing: list[str]
    performing_total: str


def day_rows(licence: PerformanceLicence) -> list[DayRow]:
    rows = []
    for day in licences.days_of(licence):
        line = performance.timeline(day)
        rows.append(
            DayRow(
                date=long_date(day.date),
                kind=KIND_LABELS.get(str(day.kind), str(day.kind).title()),
                at_place=f"{_clock(line.arrive)} to {_clock(line.leave)}",
                performing=[f"{_clock(start)} to {_clock(end)}" for start, end in sorted(line.intervals)],
                performing_total=performance.format_duration(line.performing_total),
            )
        )
    return rows


def standard_conditions(licence: PerformanceLicence) -> list[str]:
    """The conditions every licence carries, from the Act and the Regulations, worded for this licence."""
    conditions = [
        "The child may take part only on the days shown in this licence, and must not be at the place of "
        "performance or rehearsal, or perform, outside the times shown for each day (regulations 21 and "
        "22 of the Children (Performances and Activities) (England) Regulations 2014).",
        "Unless a parent of the child, or their usual teacher, is looking after them, the child must be in "
        "the care of the approved chaperone named in this licence, who must be present at all times while "
        "the child is at the place of performance or rehearsal and while the child travels to and from it "
        "with the production. A chaperone may have no more than 12 children in their care at once, or 3 if "
        "they are also the children's private teacher (regulation 15).",
        "Between leaving the place of performance or rehearsal one day and arriving there the next, the "
        "child must have a break of at least 12 hours (regulation 24). The child must not take part in "
        "performances or rehearsals on more than 6 consecutive days (regulation 26).",
    ]
    if licence.night_work:
        conditions.append(
            "Night work is permitted on the days shown: the child may perform outside the earliest and "
            "latest times for their age only at the times in this licence, and after their part ends at "
            "least 16 hours must pass before they take part in another performance or rehearsal "
            "(regulation 28)."
        )
    else:
        conditions.append(
            "Night work is not permitted: the child must not perform before 07:00 or after the latest time "
            "for their age (regulations 21 and 28)."
        )
    if (licence.education_school_days_missed or 0) > 0:
        conditions.append(
            "The education arrangements in this licence, approved by the council, must be carried out "
            "(regulation 13). The child may be absent from school for the purposes of this licence on the "
            "school days among the days shown; that absence is authorised by this licence (section 37(7) "
            "of the Children and Young Persons Act 1963)."
        )
    conditions += [
        "The place of performance or rehearsal, any accommodation and any travel arranged for the child "
        "must meet regulations 16 to 18 (suitable accommodation, suitable dressing and rest facilities, "
        "and safe travel arrangements).",
        "The licence holder must keep this licence, or a copy, at the place of performance or rehearsal; "
        "show it on request to an authorised officer of Nottinghamshire County Council or of the council "
        "where the performance takes place; and keep the records the Regulations require.",
        "The licence holder must tell the council at once of any change to the days, times, places or "
        "chaperone. A change needs the licence to be varied before it happens.",
        "Failing to observe a condition of this licence is an offence (section 40 of the Children and "
        "Young Persons Act 1963), and the council may vary or revoke the licence (section 39).",
    ]
    return conditions


def _chaperone(licence: PerformanceLicence) -> list[tuple[str, str]]:
    if licence.chaperone_is_parent:
        return [("Looked after by", f"A parent of the child: {licence.parent_name or 'the child’s parent'}")]
    if licence.chaperone_is_usual_teacher:
        return [
            ("Looked after by", f"The child's usual teacher: {licence.usual_teacher_name or 'not named'}"),
            ("Teacher's school", licence.usual_teacher_school or "Not given"),
        ]
    rows = [
        ("Looked after by", "A chaperone approved by a local authority"),
        ("Approval number", licence.chaperone_approval_number or "Not given"),
    ]
    if licence.chaperone_children_in_care:
        rows.append(("Children in the chaperone's care at once", str(licence.chaperone_children_in_care)))
    if licence.chaperone_also_private_teacher:
        rows.append(("Also the child's private teacher", "Yes"))
    return rows


def days_needing_no_licence(licence: PerformanceLicence) -> str:
    """What the licence says of the days given after the end of compulsory school age ('' if none)."""
    later = licences.days_needing_no_licence(licence)
    if not later or licence.child_date_of_birth is None:
        return ""
    ends = performance.compulsory_school_age_ends(licence.child_date_of_birth)
    named = ", ".join(long_date(date.fromisoformat(d["date"])) for d in later)
    return (
        f"The child's compulsory school age ends on {long_date(ends)}: no licence is needed from "
        f"{long_date(ends + timedelta(days=1))}, so this licence does not cover {named}."
    )


def _education(licence: PerformanceLicence) -> list[tuple[str, str]]:
    missed = licence.education_school_days_missed or 0
    if missed == 0:
        return [("Absence from school", "None: this licence does not authorise any absence from school")]
    rows = [
        ("Absence from school", f"Up to {missed} school day{'s' if missed != 1 else ''}"),
    ]
    if licence.child_school_name:
        rows.append(("School", licence.child_school_name))
    if licence.tutor_name:
        hours = licence.tutor_hours_per_day
        hours_text = f"{hours.normalize():f}" if hours is not None else "?"
        rows += [
            ("Private teacher", licence.tutor_name),
            ("Teaching", f"{hours_text} hours on each school day missed"),
        ]
        if licence.tutor_pupils:
            rows.append(("Children taught at once", str(licence.tutor_pupils)))
    else:
        rows.append(("Private teacher", "None: the arrangements are as approved by the council"))
    rows.append(("Approved by", f"{COUNCIL_NAME}, with this licence"))
    return rows


def _officer_rows(decision: LicenceDecision) -> list[tuple[str, str]]:
    return [("Officer", decision.officer_name), ("Role", f"{decision.officer_role}, {COUNCIL_NAME}")]


def licence_context(
    licence: PerformanceLicence, decision: LicenceDecision, history: list[LicenceDecision]
) -> dict[str, Any]:
    """The licence as of ``decision`` (the grant, or the variation that made this version); ``history``
    is every grant and variation up to it, oldest first."""
    production = licence.production
    number = licence.licence_number or ""
    url = verification_url(number)
    part = licence.parent_part
    granted = next((d for d in history if d.event == DecisionEvent.GRANTED), decision)
    variations = [d for d in history if d.event == DecisionEvent.VARIED]
    host = production.host_authority_name or COUNCIL_NAME
    return {
        "title": f"Child performance licence {number}",
        "footer_left": f"Performance licence {number}, version {decision.version} — {COUNCIL_NAME}",
        "council": COUNCIL_NAME,
        "number": number,
        "version": decision.version,
        "reference": licence.reference,
        "valid_from": long_date(licence.first_day),
        "valid_until": long_date(licence.last_day),
        "holder_name": production.producer_organisation or production.producer_name,
        "holder_person": production.producer_name if production.producer_organisation else "",
        "holder_address": ", ".join(address_lines(production.producer_address)),
        "child_name": licence.child_name,
        "child_date_of_birth": long_date(licence.child_date_of_birth),
        "photo": photo_data_uri(part.photo if part is not None else None),
        "production_name": production.name,
        "production_type": production.type.replace("_", " ").capitalize(),
        "broadcast": production.broadcast,
        "venues": [
            {"name": v.get("name", ""), "address": ", ".join(address_lines(v.get("address")))}
            for v in production.venues or []
        ],
        "host_authority": host,
        "days": day_rows(licence),
        "days_needing_no_licence": days_needing_no_licence(licence),
        "night_work": licence.night_work,
        "chaperone": _chaperone(licence),
        "education": _education(licence),
        "standard_conditions": standard_conditions(licence),
        "council_conditions": list(decision.conditions or []),
        "officer": _officer_rows(granted),
        "granted_on": long_date(granted.decided_on),
        "varied": [
            {
                "version": d.version,
                "on": long_date(d.decided_on),
                "by": d.officer_name,
                "reason": d.reason or "",
            }
            for d in variations
        ],
        "verification_url": url,
        "verify_page": verify_page(),
        "qr": qr_data_uri(url),
        "contact": contacts(),
    }


def render_licence(
    licence: PerformanceLicence, decision: LicenceDecision, history: list[LicenceDecision]
) -> bytes:
    return documents.render_pdf("performance_licence.html", **licence_context(licence, decision, history))


def licence_filename(licence: PerformanceLicence, version: int | None) -> str:
    suffix = f"-v{version}" if version and version > 1 else ""
    return f"{licence.licence_number}{suffix}.pdf"


# --- letters --------------------------------------------------------------------------------------------


def _letter_base(licence: PerformanceLicence, decision: LicenceDecision | None) -> dict[str, Any]:
    production = licence.production
    if decision is not None:
        decided_on = decision.decided_on
        officer_name, officer_role = decision.officer_name, f"{decision.officer_role}, {COUNCIL_NAME}"
    else:  # refused automatically on submission: no officer decided
        decided_on = (
            licence.decided_at.astimezone(LONDON).date() if licence.decided_at else licence.received_on
        )
        officer_name, officer_role = contacts()["team_name"], COUNCIL_NAME
    return {
        "council": COUNCIL_NAME,
        "reference": licence.reference,
        "letter_date": long_date(decided_on),
        "recipient_name": production.producer_name,
        "recipient_organisation": production.producer_organisation,
        "recipient_address": address_lines(production.producer_address),
        "child_name": licence.child_name,
        "production_name": production.name,
        "first_day": long_date(licence.first_day),
        "last_day": long_date(licence.last_day),
        "parent_name": licence.parent_name or "",
        "officer_name": officer_name,
        "officer_role": officer_role,
        "contact": contacts(),
    }


def refusal_context(licence: PerformanceLicence, decision: LicenceDecision | None) -> dict[str, Any]:
    base = _letter_base(licence, decision)
    return {
        **base,
        "title": f"Performance licence application {licence.reference}: refused",
        "footer_left": f"Application {licence.reference}, refused — {COUNCIL_NAME}",
        "reason": (decision.reason if decision is not None else None) or licence.refusal_reason or "",
        "automatic": decision is None,
        "received_on": long_date(licence.received_on),
    }


def revocation_context(licence: PerformanceLicence, decision: LicenceDecision) -> dict[str, Any]:
    base = _letter_base(licence, decision)
    production = licence.production
    return {
        **base,
        "title": f"Performance licence {licence.licence_number}: revoked",
        "footer_left": f"Performance licence {licence.licence_number}, revoked — {COUNCIL_NAME}",
        "number": licence.licence_number,
        "reason": decision.reason or "",
        "revoked_on": long_date(decision.decided_on),
        "host_authority": production.host_authority_name or COUNCIL_NAME,
    }


def render_refusal(licence: PerformanceLicence, decision: LicenceDecision | None) -> bytes:
    return documents.render_pdf("licence_refusal.html", **refusal_context(licence, decision))


def render_revocation(licence: PerformanceLicence, decision: LicenceDecision) -> bytes:
    return documents.render_pdf("licence_revocation.html", **revocation_context(licence, decision))


def refusal_filename(licence: PerformanceLicence) -> str:
    return f"{licence.reference}-refusal.pdf"


def revocation_filename(licence: PerformanceLicence) -> str:
    return f"{licence.licence_number}-revocation.pdf"
