"""Builders for licensing API tests: accounts for each role, productions and application bodies on
real calendar dates, and readers for the outbox and the audit log."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from shared import db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage
from tests.support.api import add_user, bearer, token_for

# Monday 2 March 2026, mid-morning in London: "today" for tests where the notice period matters.
TODAY = date(2026, 3, 2)
TODAY_AT = "2026-03-02 10:00 +0000"
PRODUCER = "producer@example.org"
OTHER_PRODUCER = "other.producer@example.org"
PARENT_EMAIL = "parent@example.org"


def day(on: date, kind: str = "performance", arrive="09:00", leave="17:00", performing=None) -> dict:
    return {
        "date": on.isoformat(),
        "kind": kind,
        "arrive": arrive,
        "leave": leave,
        "performing": performing if performing is not None else [{"start": "10:00", "end": "11:30"}],
    }


def days_from(first: date, count: int = 3, **kwargs) -> list[dict]:
    return [day(first + timedelta(days=i), **kwargs) for i in range(count)]


def production_body(**extra: Any) -> dict:
    return {
        "name": "A Christmas Carol",
        "type": "theatre",
        "broadcast": False,
        "paid": True,
        "producer": {
            "name": "Pat Producer",
            "organisation": "Example Theatre Company Ltd",
            "email": "pat@theatre.example",
            "phone": "0115 000 0000",
            "address": "1 Theatre Square, Nottingham NG1 5AA",
        },
        "host_authority": {"name": "Nottingham City Council", "email": "licensing@city.example"},
        "venues": [{"name": "Theatre Royal", "address": "Theatre Square, Nottingham"}],
        **extra,
    }


def child_section() -> dict:
    return {
        "child": {
            "first_name": "Zoë",
            "last_name": "Example",
            "date_of_birth": "2015-06-14",
            "address": "1 Example Street, Mansfield NG18 1AA",
            "school_name": "Example Primary School",
        },
        "parent": {"name": "Sam Example", "email": PARENT_EMAIL, "address": "1 Example Street, Mansfield"},
    }


def licence_body(production_id: int, first_day: date, **extra: Any) -> dict:
    return {
        "production_id": production_id,
        **child_section(),
        "days": days_from(first_day),
        "night_work": False,
        "chaperone": {
            "approval_number": "CH-2025-000123",
            "children_in_care": 4,
            "also_private_teacher": False,
        },
        "education": {
            "school_days_missed": 1,
            "tutor": {"name": "Tess Tutor", "hours_per_day": 3, "pupils": 2, "similar_standard": False},
        },
        **extra,
    }


def png(width: int = 400, height: int = 400) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 400, height: int = 500) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, format="JPEG", progressive=True)
    return buffer.getvalue()


class LicensingWorld:
    """An app with an officer, an admin and two producers (each owning nothing yet), and their tokens."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        self.ids = {
            "officer": add_user(app, "officer@example.org", "officer"),
            "admin": add_user(app, "admin@example.org", "admin"),
            "producer": add_user(app, PRODUCER, "applicant"),
            "other": add_user(app, OTHER_PRODUCER, "applicant"),
        }
        self.officer = bearer(token_for(self.client, "officer@example.org"))
        self.admin = bearer(token_for(self.client, "admin@example.org"))
        self.producer = bearer(token_for(self.client, PRODUCER))
        self.other_producer = bearer(token_for(self.client, OTHER_PRODUCER))

    def sign_in(self, email: str) -> dict[str, str]:
        """A fresh token: tokens expire, so a test that moves the clock on signs in again."""
        return bearer(token_for(self.client, email))

    # --- HTTP ---------------------------------------------------------------------------------------

    def post(self, path: str, body: Any = None, headers: dict | None = None):
        return self.client.post(path, json=body if body is not None else {}, headers=headers or {})

    def put(self, path: str, body: Any, headers: dict | None = None):
        return self.client.put(path, json=body, headers=headers or {})

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(path, headers=headers or {})

    def production(self, headers: dict | None = None, **extra) -> dict:
        response = self.post("/api/v1/productions", production_body(**extra), headers or self.producer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def apply(self, first_day: date, headers: dict | None = None, production_id: int | None = None, **extra):
        headers = headers or self.producer
        if production_id is None:
            production_id = self.production(headers)["id"]
        response = self.post(
            "/api/v1/performance-licences", licence_body(production_id, first_day, **extra), headers
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def licence(self, licence_id: int, headers: dict | None = None) -> dict:
        response = self.get(f"/api/v1/performance-licences/{licence_id}", headers or self.officer)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    # --- what the service recorded ------------------------------------------------------------------

    def outbox(self, to_address: str | None = None) -> list[OutboxMessage]:
        with self.app.app_context():
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if to_address:
                query = query.where(OutboxMessage.to_address == to_address)
            return list(db.session().scalars(query))

    def link_token(self, path: str, to_address: str) -> str:
        """The token in the newest email to ``to_address`` with a link to ``path``."""
        for message in reversed(self.outbox(to_address)):
            found = re.search(rf"/{path}/([A-Za-z0-9_-]+)", message.body)
            if found:
                return found.group(1)
        raise AssertionError(f"no {path} link emailed to {to_address}")

    def parent_token(self) -> str:
        return self.link_token("parent-part", PARENT_EMAIL)

    def audit(self, object_type: str | None = None, object_id: object = None) -> list[AuditEvent]:
        with self.app.app_context():
            query = select(AuditEvent).order_by(AuditEvent.id)
            if object_type:
                query = query.where(AuditEvent.object_type == object_type)
            if object_id is not None:
                query = query.where(AuditEvent.object_id == str(object_id))
            return list(db.session().scalars(query))

    def actions(self, object_type: str, object_id: object) -> list[str]:
        return [event.action for event in self.audit(object_type, object_id)]

    def complete_parent_part(self, token: str | None = None, photo: bytes | None = None, **form):
        data = {"declaration": "true", "medical_declaration": "", **form}
        data["photo"] = (io.BytesIO(photo if photo is not None else png()), "child.png")
        return self.client.post(
            f"/api/v1/parent-part/{token or self.parent_token()}",
            data=data,
            content_type="multipart/form-data",
        )
