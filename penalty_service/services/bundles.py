"""The evidence bundle for a prosecution: one PDF with everything the prosecutor needs.

Case summary; the notice as served (the stored PDF's facts) and proof of service; the payment record
(matched payments and any in suspense that name the notice); the attendance record with the counted
absences; the notice to improve; and the school's statement that the code of conduct was followed.
"""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import func, select

from penalty_service.enforcement_models import ProsecutionCase
from penalty_service.models import Payment, PenaltyRequest
from penalty_service.rules.attendance import UNAUTHORISED
from penalty_service.services.documents import address_lines
from shared import audit, db, documents
from shared.documents import Document
from shared.formatting import long_date, money

BUNDLE_OBJECT, BUNDLE_KIND = "prosecution_case", "bundle"


def _register_rows(register: list[dict]) -> list[dict]:
    rows = []
    for day, sessions in groupby(register, key=lambda s: s["date"]):
        codes = {s["session"]: s["code"] for s in sessions}
        rows.append({"date": day, "am": codes.get("AM", ""), "pm": codes.get("PM", "")})
    return rows


def bundle_context(case: ProsecutionCase) -> dict:
    notice = case.notice
    request = db.session().get(PenaltyRequest, notice.request_id) if notice.request_id else None
    number = notice.notice_number.upper()
    payments = (
        db.session()
        .scalars(
            select(Payment)
            .where((Payment.notice_id == notice.id) | (func.upper(Payment.notice_number_given) == number))
            .order_by(Payment.paid_on, Payment.id)
        )
        .all()
    )
    register = request.register if request else []
    return {
        "title": f"Evidence bundle: {notice.notice_number}",
        "footer_left": f"Evidence bundle — case {case.id} — {notice.notice_number}",
        "case": case,
        "notice": notice,
        "request": request,
        "long_date": long_date,
        "money": money,
        "parent_address": address_lines(notice.parent_address),
        "payments": payments,
        "register_rows": _register_rows(register),
        "absences": sum(1 for s in register if s["code"] in UNAUTHORISED),
        "unauthorised": UNAUTHORISED,
    }


def bundle_pdf(case: ProsecutionCase) -> Document:
    """The case's bundle as stored, made the first time it is asked for."""
    existing = documents.latest(BUNDLE_OBJECT, case.id, BUNDLE_KIND)
    if existing is not None:
        return existing
    content = documents.render_pdf("prosecution_bundle.html", **bundle_context(case))
    with db.transaction():
        document = documents.store(
            BUNDLE_OBJECT, case.id, BUNDLE_KIND, f"bundle-{case.notice.notice_number}.pdf", content
        )
        db.session().flush()
        audit.record(
            "document.created", BUNDLE_OBJECT, case.id, after={"kind": BUNDLE_KIND, "id": document.id}
        )
    return document
