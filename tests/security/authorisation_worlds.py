"""The records the authorisation matrix asks about, one world per service: each record is owned by one
account (a producer, employer and chaperone applicant on licensing; a school on penalty) and asked for by
every role, the owner among them. Each world gives the value for every path parameter of the API, so
any rule can be filled in; a rule whose parameter has no value fails the matrix test."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from shared import db, users
from shared.users import User
from tests.licensing import chaperone_builders as chaperone
from tests.licensing.builders import child_section, day, licence_body, png
from tests.licensing.employment_builders import EmploymentWorld
from tests.licensing.test_bopa_api import body as bopa_body
from tests.licensing.test_concerns_api import LETTER, concern_id, report
from tests.licensing.test_licence_decisions import grant, ready
from tests.penalty.builders import SCHOOL_URN, PenaltyWorld, request_body
from tests.penalty.test_prosecutions import CHECKED, unpaid_notice
from tests.support.api import add_user

ROLES = ("anonymous", "owner", "applicant", "school", "officer", "admin")
UNKNOWN_TOKEN = "Zm9yZ2VkLWxpbmstdG9rZW4tdGhhdC1pcy1ub3QtcmVhbA"

# Monday 9 November 2026, mid-morning: a permit applied for on time, a licence five weeks ahead.
LICENSING_NOW = "2026-11-09 10:00 +0000"
LICENCE_FIRST_DAY = date(2026, 12, 16)
# Monday 2 March 2026: a notice issued in January is unpaid and within the time limit to prosecute.
PENALTY_NOW = "2026-03-02 10:00 +0000"


@dataclass
class MatrixWorld:
    """An app, the email address acting as each role, and the value for each path parameter (``params``),
    with ``overrides`` for the rules that need another record (a refused licence's letter), and
    ``bodies`` for the rules that check a body before they look for the record: there an empty body
    would be refused as invalid before ownership is tested."""

    app: Flask
    accounts: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    bodies: dict[str, Callable[[], dict[str, Any]]] = field(default_factory=dict)

    def token(self, role: str) -> str | None:
        """A fresh token for the role (none for anonymous): a rule may revoke the one it is sent with."""
        if role == "anonymous":
            return None
        with self.app.app_context(), db.transaction():
            user = db.session().scalar(select(User).where(User.email == self.accounts[role]))
            token, _record = users.issue_token(user, timedelta(hours=1))
        return token


def _accounts(app: Flask, existing: dict[str, str], extra: dict[str, tuple[str, str | None]]) -> dict:
    """Adds the accounts ``existing`` lacks: ``extra`` maps a role to (role name, school URN)."""
    accounts = dict(existing)
    for role, (name, urn) in extra.items():
        email = f"matrix.{role}@example.org"
        add_user(app, email, name, school_urn=urn)
        accounts[role] = email
    return accounts


def licensing_world(app: Flask) -> MatrixWorld:
    """Records of producer@example.org (as producer, employer and chaperone applicant): a production, a
    licence granted then revoked (so its licence and revocation letters exist), a refused licence, a
    granted employment permit, a refused chaperone application and a BOPA application; and the
    officers' own: a concern with a letter, an inspection and a training session."""
    world = EmploymentWorld(app)
    first = LICENCE_FIRST_DAY
    licence = ready(world, first, days=[day(first), day(first + timedelta(days=1))])
    grant(world, licence)
    revoked = world.post(
        f"/api/v1/performance-licences/{licence['id']}/revocation", {"reason": "Kept late"}, world.officer
    )
    assert revoked.status_code == 200, revoked.get_json()
    refused = world.apply(first, production_id=licence["production_id"])
    decision = {"decision": "refuse", "reason": "Too much school missed"}
    refusal = world.post(f"/api/v1/performance-licences/{refused['id']}/decision", decision, world.officer)
    assert refusal.status_code == 200, refusal.get_json()

    permit = world.granted()

    applied = world.post("/api/v1/chaperone-approvals", chaperone.body(), world.producer)
    assert applied.status_code == 201, applied.get_json()
    approval_id = applied.get_json()["id"]
    reasons = {"decision": "refuse", "reason": "References not given"}
    refused_approval = world.post(
        f"/api/v1/chaperone-approvals/{approval_id}/decision", reasons, world.officer
    )
    assert refused_approval.status_code == 200, refused_approval.get_json()

    performances = [
        {"date": "2026-12-12", "venue": "Palace Theatre, Newark"},
        {"date": "2026-12-13", "venue": "Palace Theatre, Newark"},
    ]
    bopa = world.post(
        "/api/v1/bopa-approvals",
        bopa_body(period={"start": "2026-12-01", "end": "2026-12-31"}, performances=performances),
        world.producer,
    )
    assert bopa.status_code == 201, bopa.get_json()

    concern = concern_id(world, world.post("/api/v1/concerns", report()).get_json()["reference"])
    action = world.post(f"/api/v1/concerns/{concern}/actions", LETTER, world.officer)
    assert action.status_code == 201, action.get_json()
    plan = {
        "subject_kind": "performance_licence",
        "subject_id": licence["id"],
        "place_kind": "venue",
        "address": "Theatre Royal, Theatre Square, Nottingham",
        "planned_on": "2026-12-16",
    }
    inspection = world.post("/api/v1/inspections", plan, world.officer)
    assert inspection.status_code == 201, inspection.get_json()
    session = world.post(
        "/api/v1/training-sessions",
        {"date": "2026-12-01", "place": "County Hall, West Bridgford", "capacity": 10},
        world.officer,
    )
    assert session.status_code == 201, session.get_json()

    accounts = _accounts(
        app,
        {
            "owner": "producer@example.org",
            "applicant": "other.producer@example.org",
            "officer": "officer@example.org",
            "admin": "admin@example.org",
        },
        {"school": ("school", "100001")},
    )
    params = {
        "licence_id": str(licence["id"]),
        "production_id": str(licence["production_id"]),
        "permit_id": str(permit["id"]),
        "approval_id": str(approval_id),
        "concern_id": str(concern),
        "action_id": str(action.get_json()["id"]),
        "inspection_id": str(inspection.get_json()["id"]),
        "session_id": str(session.get_json()["id"]),
        "kind": "permit",
        "token": UNKNOWN_TOKEN,
    }
    overrides = {
        "GET /api/v1/performance-licences/{licence_id}/documents/refusal.pdf": {
            "licence_id": str(refused["id"])
        },
        "GET /api/v1/chaperone-approvals/{approval_id}/documents/{kind}.pdf": {"kind": "refusal_letter"},
        "GET /api/v1/bopa-approvals/{approval_id}": {"approval_id": str(bopa.get_json()["id"])},
        "POST /api/v1/bopa-approvals/{approval_id}/decision": {"approval_id": str(bopa.get_json()["id"])},
        "POST /api/v1/bopa-approvals/{approval_id}/revocation": {"approval_id": str(bopa.get_json()["id"])},
    }
    sections = "PUT /api/v1/performance-licences/{licence_id}/sections"
    bodies = {
        f"{sections}/child": lambda: {"json": child_section()},
        f"{sections}/days": lambda: {"json": {"days": [day(first)], "night_work": False}},
        f"{sections}/chaperone": lambda: {"json": {"chaperone": {"is_parent": True}}},
        f"{sections}/education": lambda: {"json": {"education": None}},
        "PUT /api/v1/chaperone-approvals/{approval_id}/photo": lambda: {
            "data": {"photo": (io.BytesIO(png()), "photo.png")},
            "content_type": "multipart/form-data",
        },
        "POST /api/v1/training-sessions/{session_id}/bookings": lambda: {
            "json": {"approval_id": approval_id}
        },
        # A link's answer, complete, so only the unknown token refuses it.
        "POST /api/v1/parent-part/{token}": lambda: {
            "data": {"declaration": "true", "medical_declaration": "", "photo": (io.BytesIO(png()), "c.png")},
            "content_type": "multipart/form-data",
        },
        "POST /api/v1/school-opinion/{token}": lambda: {"json": {"outcome": "no_concerns"}},
        "POST /api/v1/chaperone-references/{token}": lambda: {"json": chaperone.REFERENCE_ANSWERS},
        "POST /api/v1/permit-declarations/{token}": lambda: {"json": {"declaration": True, "name": "Sam"}},
        # An application in the owner's production.
        "POST /api/v1/performance-licences": lambda: {"json": licence_body(licence["production_id"], first)},
    }
    return MatrixWorld(app, accounts, params, overrides, bodies)


def penalty_world(app: Flask) -> MatrixWorld:
    """Records of school@example.org (URN 122000): a request with a notice issued, left unpaid and taken
    to prosecution; a payment; an attendance letter; the other school is other@example.org."""
    world = PenaltyWorld(app)
    notice = unpaid_notice(world)
    case = world.post(
        f"/api/v1/penalty-notices/{notice['id']}/prosecution",
        {"decision": "prosecute", **CHECKED},
        world.officer,
    )
    assert case.status_code == 201, case.get_json()
    payment = world.post(
        "/api/v1/payments",
        {
            "notice_number": "PN-0000-0000000",
            "amount_pence": 8000,
            "paid_on": "2026-03-01",
            "reference": "BANK-MATRIX-1",
            "method": "card",
        },
        world.officer,
    )
    assert payment.status_code == 201, payment.get_json()
    letter = world.post(
        "/api/v1/enforcement-letters",
        {
            "school_urn": "122000",
            "pupil": {"first_name": "Zoë", "last_name": "Example", "upn": "A123456789012"},
            "parent": {"name": "Sam Example", "address": "1 Example Street, Mansfield NG18 1AA"},
            "issued_on": "2026-02-23",
        },
        world.officer,
    )
    assert letter.status_code == 201, letter.get_json()
    notice_body = world.get(f"/api/v1/penalty-notices/{notice['id']}", world.officer).get_json()
    accounts = _accounts(
        app,
        {"owner": "school@example.org", "school": "other@example.org", "officer": "officer@example.org"},
        {"applicant": ("applicant", None), "admin": ("admin", None)},
    )
    params = {
        "notice_id": str(notice["id"]),
        "request_id": str(notice_body["request_id"]),
        "case_id": str(case.get_json()["case_id"]),
        "payment_id": str(payment.get_json()["id"]),
        "letter_id": str(letter.get_json()["id"]),
    }
    # Requests and copies for the owner's school: another school may not make them.
    bodies = {
        "POST /api/v1/penalty-requests": lambda: {"json": request_body(urn=SCHOOL_URN)},
    }
    return MatrixWorld(app, accounts, params, bodies=bodies)
