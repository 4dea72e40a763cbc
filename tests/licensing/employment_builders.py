"""Builders for child employment permit tests: an application on real calendar dates, the parent's link,
and an app with an officer, an admin and two employers.

The child, born on Monday 14 May 2012, starts work on Monday 2 November 2026 (aged 14): a paper round
before school, a shop job after school and on Saturdays, and more hours in the holidays.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask

from tests.licensing.builders import LicensingWorld

START = "2026-11-02"  # Monday
ON_TIME = "2026-11-09 10:00 +0000"  # Monday: 7 days after the start
LATE = "2026-11-10 10:00 +0000"  # Tuesday: 8 days after
EMPLOYER_EMAIL = "jo@cornershop.example"
PARENT_EMAIL = "sam.parent@example.org"
DECLARATION_PATH = "employment-permit-declaration"

TERM_TIME = [
    {"day": "monday", "start": "07:00", "end": "08:00", "breaks": []},
    {"day": "wednesday", "start": "16:00", "end": "18:00", "breaks": []},
    {"day": "saturday", "start": "09:00", "end": "13:00", "breaks": []},
]
HOLIDAYS = [
    {"day": "tuesday", "start": "09:00", "end": "15:00", "breaks": [{"start": "12:00", "end": "13:00"}]},
    {"day": "thursday", "start": "09:00", "end": "14:00", "breaks": [{"start": "11:30", "end": "12:30"}]},
]


def schedule(**changes: Any) -> dict[str, Any]:
    return {
        "term_time": copy.deepcopy(TERM_TIME),
        "holidays": copy.deepcopy(HOLIDAYS),
        "holiday_weeks_free": True,
        **changes,
    }


def permit_body(**changes: Any) -> dict[str, Any]:
    body = {
        "employer": {
            "name": "Corner Shop Ltd",
            "address": "2 High Street, Mansfield NG18 1AB",
            "contact": "Jo Owner",
            "email": EMPLOYER_EMAIL,
            "known_to_council": True,
        },
        "child": {
            "first_name": "Alex",
            "last_name": "Example",
            "date_of_birth": "2012-05-14",
            "address": "1 Example Street, Mansfield NG18 1AA",
            "school_name": "Example Academy",
        },
        "parent": {"name": "Sam Parent", "email": PARENT_EMAIL, "address": "1 Example Street, Mansfield"},
        "job": {"description": "Stacking shelves and serving at the till", "category": "shop"},
        "start_date": START,
        "schedule": schedule(),
    }
    body.update(changes)
    return body


class EmploymentWorld(LicensingWorld):
    """The licensing world's officer, admin and two applicants, the applicants acting as employers."""

    def __init__(self, app: Flask):
        super().__init__(app)
        self.employer = self.producer
        self.other_employer = self.other_producer

    def apply_permit(self, headers: dict | None = None, **changes: Any) -> dict:
        response = self.post("/api/v1/employment-permits", permit_body(**changes), headers or self.employer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def declaration_token(self, to_address: str = PARENT_EMAIL) -> str:
        return self.link_token(DECLARATION_PATH, to_address)

    def declare(self, token: str | None = None, name: str = "Sam Parent"):
        return self.post(
            f"/api/v1/permit-declarations/{token or self.declaration_token()}",
            {"declaration": True, "name": name},
        )

    def decide(self, permit_id: int, headers: dict | None = None, **body: Any):
        return self.post(
            f"/api/v1/employment-permits/{permit_id}/decision",
            {"decision": "grant", **body},
            headers or self.officer,
        )

    def granted(self, **changes: Any) -> dict:
        permit = self.apply_permit(**changes)
        assert self.declare().status_code == 200
        response = self.decide(permit["id"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def link_in(body: str) -> str | None:
    found = re.search(rf"/{DECLARATION_PATH}/([A-Za-z0-9_-]+)", body)
    return found.group(1) if found else None
