"""Builders for penalty tests: schools, registers and request bodies on real calendar dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask

from tests.support.api import add_user, bearer, token_for

SCHOOL_URN = "122000"
OTHER_URN = "122001"


def weekdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def register(
    start: date, end: date, absent: set[tuple[date, str]] | None = None, code: str = "O"
) -> list[dict]:
    """Every weekday AM and PM from start to end: present ('/'), or ``code`` where listed as absent."""
    absent = absent or set()
    return [
        {"date": d.isoformat(), "session": s, "code": code if (d, s) in absent else "/"}
        for d in weekdays(start, end)
        for s in ("AM", "PM")
    ]


def absent_days(*days: date) -> set[tuple[date, str]]:
    return {(d, s) for d in days for s in ("AM", "PM")}


def request_body(
    *,
    urn: str = SCHOOL_URN,
    upn: str = "A123456789012",
    parents: list[dict] | None = None,
    attendance: list[dict] | None = None,
    offence: str = "unauthorised_absence",
    **extra: Any,
) -> dict:
    # Five whole days absent in the week of 12 January 2026 = 10 sessions, within 10 school weeks.
    default_register = register(
        date(2026, 1, 5), date(2026, 1, 23), absent_days(*weekdays(date(2026, 1, 12), date(2026, 1, 16)))
    )
    return {
        "school_urn": urn,
        "offence": offence,
        "pupil": {
            "first_name": "Zoë",
            "last_name": "Example",
            "date_of_birth": "2014-05-02",
            "upn": upn,
            "year_group": "6",
            "address": "1 Example Street, Mansfield NG18 1AA",
        },
        "parents": parents
        or [
            {
                "name": "Sam Example",
                "address": "1 Example Street, Mansfield NG18 1AA",
                "relationship": "mother",
            }
        ],
        "attendance": attendance if attendance is not None else default_register,
        "returned_to_school_on": "2026-01-19",
        "notice_to_improve": None,
        "code_of_conduct_confirmed": True,
        **extra,
    }


class PenaltyWorld:
    """An app with two schools, a user for each role and their tokens."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        add_user(app, "officer@example.org", "officer")
        add_user(app, "school@example.org", "school", school_urn=SCHOOL_URN)
        add_user(app, "other@example.org", "school", school_urn=OTHER_URN)
        self.officer = bearer(token_for(self.client, "officer@example.org"))
        self.school = bearer(token_for(self.client, "school@example.org"))
        self.other_school = bearer(token_for(self.client, "other@example.org"))
        for urn, name in ((SCHOOL_URN, "Example Primary School"), (OTHER_URN, "Other Academy")):
            response = self.post(
                "/api/v1/schools",
                {
                    "urn": urn,
                    "name": name,
                    "address": "School Lane, Mansfield",
                    "email": f"office{urn}@example.org",
                },
                self.officer,
            )
            assert response.status_code == 201, response.get_json()

    def post(self, path: str, body: Any, headers: dict):
        return self.client.post(path, json=body, headers=headers)

    def get(self, path: str, headers: dict):
        return self.client.get(path, headers=headers)

    def request(self, headers: dict | None = None, **kwargs) -> dict:
        body = request_body(**kwargs)
        response = self.post("/api/v1/penalty-requests", body, headers or self.officer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def decide(self, request_id: int, **body) -> dict:
        response = self.post(
            f"/api/v1/penalty-requests/{request_id}/decision", {"decision": "issue", **body}, self.officer
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()
