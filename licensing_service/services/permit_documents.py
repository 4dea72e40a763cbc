"""Documents of a child employment permit: the permit, the refusal letter and the revocation letter.

The permit shows what an employer, a parent or an inspecting officer needs to act on it (Children and
Young Persons Act 1933 s18; the Nottinghamshire byelaws): the employer and the place of work, the child
(name and date of birth only: not their address or school), the job, the hours permitted in term time
and in the holidays, the conditions, when it ends, and a verification reference with a QR code for the
public check. Contexts are text built from stored data (never the clock), so the same permit renders the
same bytes.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from licensing_service.models.employment import EmploymentPermit
from licensing_service.rules import employment as rules
from licensing_service.services.licence_documents import (
    COUNCIL_NAME,
    SPP_ROLE,
    address_lines,
    contacts,
    qr_data_uri,
    verification_url,
    verify_page,
)
from shared import documents
from shared.formatting import long_date

__all__ = ["COUNCIL_NAME", "contacts", "render_permit", "render_refusal", "render_revocation", "hours_rows"]

PERMIT_KIND, REFUSAL_KIND, REVOCATION_KIND = "permit", "refusal", "revocation"


def _shift(item: dict[str, Any]) -> rules.Shift:
    return rules.Shift(
        item["day"],
        time.fromisoformat(item["start"]),
        time.fromisoformat(item["end"]),
        tuple((time.fromisoformat(b["start"]), time.fromisoformat(b["end"])) for b in item["breaks"]),
    )


def hours_rows(stored: dict[str, Any], period: str) -> list[dict[str, str]]:
    """The week of one period as printed: each day with its working times, breaks and hours."""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in stored.get(period) or []:
        by_day.setdefault(item["day"], []).append(item)
    rows = []
    for day in rules.DAYS:
        items = by_day.get(day) or []
        if not items:
            rows.append({"day": rules.DAY_NAMES[day], "times": "No work", "breaks": "", "hours": ""})
            continue
        rows.append(
            {
                "day": rules.DAY_NAMES[day],
                "times": ", ".join(f"{i['start']} to {i['end']}" for i in items),
                "breaks": ", ".join(f"{b['start']} to {b['end']}" for i in items for b in i["breaks"])
                or "None",
                "hours": rules.format_duration(sum(rules.shift_minutes(_shift(i)) for i in items)),
            }
        )
    return rows


def week_total(stored: dict[str, Any], period: str) -> str:
    return rules.format_duration(sum(rules.shift_minutes(_shift(i)) for i in stored.get(period) or []))


def standard_conditions(permit: EmploymentPermit) -> list[str]:
    latest = rules.LATEST[rules.Regime(permit.regime)].strftime("%H:%M")
    return [
        f"This permit is for the job described, with {permit.employer_name}, only. Any other work, or work "
        "for another employer, needs its own permit.",
        "The child may work only the hours shown in this permit, and never during school hours, before "
        f"07:00 or after {latest}.",
        "The child must have a rest break of at least 1 hour after no more than 4 hours of work, and at "
        "least 2 consecutive weeks without work during the school summer holidays.",
        "The employer must assess the risks of the work to the child before they start, tell the child's "
        "parent the results and the measures taken (Management of Health and Safety at Work Regulations "
        "1999, regulations 3 and 10), and keep the child safe and supervised.",
        "The employer must keep this permit, or a copy, at the place of work and show it to an authorised "
        "officer of Nottinghamshire County Council on request.",
        "The employer must tell the council at once of any change to the job, the hours or the place of "
        "work, or when the child stops working.",
        "Employing a child other than as this permit allows is an offence (section 21 of the Children and "
        "Young Persons Act 1933), and the council may revoke the permit.",
    ]


def permit_context(permit: EmploymentPermit, officer_name: str) -> dict[str, Any]:
    number = permit.permit_number or ""
    url = verification_url(number)
    return {
        "title": f"Child employment permit {number}",
        "footer_left": f"Child employment permit {number} — {COUNCIL_NAME}",
        "council": COUNCIL_NAME,
        "number": number,
        "reference": permit.reference,
        "issued_on": long_date(permit.issued_on),
        "valid_until": long_date(permit.valid_until),
        "employer_name": permit.employer_name,
        "employer_contact": permit.employer_contact,
        "employer_address": ", ".join(address_lines(permit.employer_address)),
        "child_name": permit.child_name,
        "child_date_of_birth": long_date(permit.child_date_of_birth),
        "job_description": permit.job_description,
        "job_category": rules.CATEGORY_LABELS.get(permit.job_category, permit.job_category),
        "start_date": long_date(permit.start_date),
        "term_time": hours_rows(permit.schedule, "term_time"),
        "term_total": week_total(permit.schedule, "term_time"),
        "holidays": hours_rows(permit.schedule, "holidays"),
        "holidays_total": week_total(permit.schedule, "holidays"),
        "school_starts": permit.schedule.get("school_starts"),
        "regime": rules.REGIME_NAMES[rules.Regime(permit.regime)],
        "conditions": standard_conditions(permit),
        "officer_name": officer_name,
        "officer_role": f"{SPP_ROLE}, {COUNCIL_NAME}",
        "verification_url": url,
        "verify_page": verify_page(),
        "qr": qr_data_uri(url),
        "contact": contacts(),
    }


def render_permit(permit: EmploymentPermit, officer_name: str) -> bytes:
    return documents.render_pdf("employment_permit.html", **permit_context(permit, officer_name))


def _letter(permit: EmploymentPermit, officer_name: str, on: date) -> dict[str, Any]:
    return {
        "council": COUNCIL_NAME,
        "reference": permit.reference,
        "letter_date": long_date(on),
        "recipient_name": permit.employer_contact,
        "recipient_organisation": permit.employer_name,
        "recipient_address": address_lines(permit.employer_address),
        "parent_name": permit.parent_name,
        "child_name": permit.child_name,
        "job_description": permit.job_description,
        "received_on": long_date(permit.received_on),
        "officer_name": officer_name,
        "officer_role": f"{SPP_ROLE}, {COUNCIL_NAME}",
        "contact": contacts(),
    }


def render_refusal(permit: EmploymentPermit, officer_name: str, on: date) -> bytes:
    return documents.render_pdf(
        "employment_refusal.html",
        **_letter(permit, officer_name, on),
        title=f"Child employment permit application {permit.reference}: refused",
        footer_left=f"Application {permit.reference}, refused — {COUNCIL_NAME}",
        reason=permit.refusal_reason or "",
    )


def render_revocation(permit: EmploymentPermit, officer_name: str) -> bytes:
    return documents.render_pdf(
        "employment_revocation.html",
        **_letter(permit, officer_name, permit.revoked_on),
        title=f"Child employment permit {permit.permit_number}: revoked",
        footer_left=f"Child employment permit {permit.permit_number}, revoked — {COUNCIL_NAME}",
        number=permit.permit_number,
        reason=permit.revocation_reason or "",
        revoked_on=long_date(permit.revoked_on),
    )
