"""Builders for chaperone approval tests: accounts for each role, application bodies on real dates, the
referees' links from the outbox, and the steps that make an application ready to approve."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from shared import calendar, db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage
from tests.support.api import add_user, bearer, token_for

# Monday 2 March 2026, mid-morning in London.
TODAY = date(2026, 3, 2)
NOW = "2026-03-02 10:00 +0000"
APPLICANT = "chaperone@example.org"
OTHER = "other.chaperone@example.org"
CHAPERONE_EMAIL = "casey.chaperone@example.org"
REFEREES = ("robin.referee@example.org", "morgan.manager@example.org")

BODY: dict[str, Any] = {
    "applicant": {
        "name": "Casey Chaperone",
        "date_of_birth": "1990-05-01",
        "address": "2 Example Road, Newark NG24 1AA",
        "email": CHAPERONE_EMAIL,
    },
    "kind": "volunteer",
    "dbs": {"certificate_number": "001234567890", "issue_date": "2025-11-20", "update_service": True},
    "references": [
        {"name": "Robin Referee", "email": REFEREES[0], "relationship": "Neighbour"},
        {"name": "Morgan Manager", "email": REFEREES[1], "relationship": "Line manager at work"},
    ],
    "database_check_consent": True,
}
REFERENCE_ANSWERS = {
    "known_for": "6 years",
    "capacity": "Neighbour and fellow volunteer at the youth club",
    "suitable": True,
    "comments": "Calm, reliable and kind with children.",
    "declaration": True,
}


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BODY)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


class ChaperoneWorld:
    """An app with an officer, an admin, a school account and two applicants, each with a token."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        self.ids = {
            "officer": add_user(app, "officer@example.org", "officer"),
            "admin": add_user(app, "admin@example.org", "admin"),
            "school": add_user(app, "school@example.org", "school", school_urn="100001"),
            "applicant": add_user(app, APPLICANT, "applicant"),
            "other": add_user(app, OTHER, "applicant"),
        }
        self.officer = bearer(token_for(self.client, "officer@example.org"))
        self.admin = bearer(token_for(self.client, "admin@example.org"))
        self.school = bearer(token_for(self.client, "school@example.org"))
        self.applicant = bearer(token_for(self.client, APPLICANT))
        self.other = bearer(token_for(self.client, OTHER))

    def sign_in(self, email: str) -> dict[str, str]:
        return bearer(token_for(self.client, email))

    # --- HTTP ---------------------------------------------------------------------------------------

    def post(self, path: str, json: Any = None, headers: dict | None = None):
        return self.client.post(path, json=json if json is not None else {}, headers=headers or {})

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(path, headers=headers or {})

    def apply(self, headers: dict | None = None, **changes) -> dict:
        response = self.post("/api/v1/chaperone-approvals", body(**changes), headers or self.applicant)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def approval(self, approval_id: int, headers: dict | None = None) -> dict:
        response = self.get(f"/api/v1/chaperone-approvals/{approval_id}", headers or self.officer)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def check(self, approval_id: int, kind: str, outcome: str = "clear", notes: str = "", headers=None):
        return self.post(
            f"/api/v1/chaperone-approvals/{approval_id}/checks",
            {"kind": kind, "outcome": outcome, "notes": notes},
            headers or self.officer,
        )

    def decide(self, approval_id: int, data: dict, headers: dict | None = None):
        return self.post(f"/api/v1/chaperone-approvals/{approval_id}/decision", data, headers or self.officer)

    def referee_token(self, email: str) -> str:
        for message in reversed(self.outbox(email)):
            found = re.search(r"/chaperone-reference/([A-Za-z0-9_-]+)", message.body)
            if found:
                return found.group(1)
        raise AssertionError(f"no reference link emailed to {email}")

    def give_reference(self, email: str, **changes):
        return self.post(
            f"/api/v1/chaperone-references/{self.referee_token(email)}", {**REFERENCE_ANSWERS, **changes}
        )

    def give_both_references(self) -> None:
        for email in REFEREES:
            response = self.give_reference(email)
            assert response.status_code == 201, response.get_json()

    def session(self, on: date, capacity: int = 10, place: str = "County Hall, West Bridgford") -> dict:
        response = self.post(
            "/api/v1/training-sessions",
            {"date": on.isoformat(), "place": place, "capacity": capacity},
            self.officer,
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def book(self, session_id: int, approval_id: int, headers: dict | None = None):
        return self.post(
            f"/api/v1/training-sessions/{session_id}/bookings",
            {"approval_id": approval_id},
            headers or self.applicant,
        )

    def attend(self, session_id: int, approval_id: int, attended: bool = True):
        return self.post(
            f"/api/v1/training-sessions/{session_id}/attendance",
            {"approval_id": approval_id, "attended": attended},
            self.officer,
        )

    def make_ready(self, approval_id: int, *, training: bool = True, dbs: str = "clear") -> None:
        """Both references in, the three checks recorded and (today) training attended."""
        self.give_both_references()
        for kind, outcome in (("dbs", dbs), ("references", "clear"), ("database_check", "clear")):
            notes = "Caution recorded in 2009 for a minor offence" if outcome == "concerns" else ""
            response = self.check(approval_id, kind, outcome, notes)
            assert response.status_code == 200, response.get_json()
        if training:
            session = self.session(calendar.today())
            assert self.book(session["id"], approval_id, self.officer).status_code == 201
            assert self.attend(session["id"], approval_id).status_code == 200

    # --- what the service recorded ------------------------------------------------------------------

    def outbox(self, to_address: str | None = None) -> list[OutboxMessage]:
        with self.app.app_context():
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if to_address:
                query = query.where(OutboxMessage.to_address == to_address)
            return list(db.session().scalars(query))

    def actions(self, approval_id: int) -> list[str]:
        with self.app.app_context():
            return list(
                db.session().scalars(
                    select(AuditEvent.action)
                    .where(
                        AuditEvent.object_type == "chaperone_approval",
                        AuditEvent.object_id == str(approval_id),
                    )
                    .order_by(AuditEvent.id)
                )
            )
