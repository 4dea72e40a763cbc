"""Chaperone training sessions: officers arrange them, applicants book a place for their own application,
officers record attendance on or after the day. A full session never takes another booking, even when
20 arrive at once (PostgreSQL).

Today is Monday 2 March 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.licensing.chaperone_builders import NOW, ChaperoneWorld
from tests.support.concurrency import at_once

SESSIONS = "/api/v1/training-sessions"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield ChaperoneWorld(licensing_app)


def test_officers_arrange_sessions_and_anyone_signed_in_sees_those_with_places(world):
    body = {"date": "2026-03-16", "place": "County Hall, West Bridgford", "capacity": 1}
    assert world.post(SESSIONS, body, world.applicant).status_code == 403
    assert world.post(SESSIONS, body).status_code == 401
    assert world.post(SESSIONS, {**body, "date": "2026-03-01"}, world.officer).status_code == 422
    for bad in (
        {**body, "capacity": 0},
        {**body, "capacity": "5"},
        {**body, "place": " "},
        {**body, "date": "x"},
    ):
        assert world.post(SESSIONS, bad, world.officer).status_code == 422
    full = world.session(date(2026, 3, 16), capacity=1)
    later = world.session(date(2026, 4, 20), capacity=12, place="Mansfield Civic Centre")
    mine = world.apply()
    assert world.book(full["id"], mine["id"]).status_code == 201
    listed = world.get(SESSIONS, world.school).get_json()
    assert [s["id"] for s in listed["items"]] == [later["id"]] and listed["items"][0]["places_left"] == 12
    everything = world.get(f"{SESSIONS}?include_full=true", world.officer).get_json()
    assert [s["id"] for s in everything["items"]] == [full["id"], later["id"]]
    shown = world.get(f"{SESSIONS}/{full['id']}", world.officer).get_json()
    assert shown["bookings"][0]["applicant_name"] == "Casey Chaperone"
    assert "bookings" not in world.get(f"{SESSIONS}/{full['id']}", world.applicant).get_json()
    assert world.get(f"{SESSIONS}/999", world.applicant).status_code == 404


def test_booking_rules(world):
    session = world.session(date(2026, 3, 16), capacity=2)
    mine = world.apply()
    theirs = world.apply(world.other, applicant={"email": "other.person@example.org"})
    assert world.book(session["id"], theirs["id"]).status_code == 404  # another applicant's application
    booked = world.book(session["id"], mine["id"])
    assert booked.status_code == 201 and booked.get_json()["attended"] is None
    assert world.book(session["id"], mine["id"]).status_code == 409  # once per session
    assert world.book(session["id"], theirs["id"], world.officer).status_code == 201
    third = world.apply()
    assert world.book(session["id"], third["id"]).status_code == 409  # full
    assert world.book(session["id"], 2**31).status_code == 422
    assert world.book(session["id"], "1").status_code == 422
    assert any("Chaperone training booked" in m.subject for m in world.outbox("casey.chaperone@example.org"))
    assert "chaperone_approval.training_booked" in world.actions(mine["id"])
    refused = world.apply()
    world.decide(refused["id"], {"decision": "refuse", "reason": "Withdrawn"})
    other_session = world.session(date(2026, 3, 20))
    assert world.book(other_session["id"], refused["id"]).status_code == 409


def test_attendance_is_recorded_on_or_after_the_day(world):
    session = world.session(date(2026, 3, 16))
    mine = world.apply()
    unbooked = world.apply()
    world.book(session["id"], mine["id"])
    assert world.attend(session["id"], mine["id"]).status_code == 409  # before the day
    with time_machine.travel("2026-03-16 18:00 +0000", tick=False):
        officer = world.sign_in("officer@example.org")
        applicant = world.sign_in("chaperone@example.org")
        assert (
            world.post(
                f"{SESSIONS}/{session['id']}/attendance",
                {"approval_id": mine["id"], "attended": True},
                applicant,
            ).status_code
            == 403
        )
        response = world.post(
            f"{SESSIONS}/{session['id']}/attendance", {"approval_id": mine["id"], "attended": True}, officer
        )
        assert response.status_code == 200 and response.get_json()["attended"] is True
        assert (
            world.post(
                f"{SESSIONS}/{session['id']}/attendance",
                {"approval_id": unbooked["id"], "attended": True},
                officer,
            ).status_code
            == 409
        )
        assert world.approval(mine["id"], officer)["outstanding"] == ["dbs", "references", "database_check"]
        assert world.actions(mine["id"])[-1] == "chaperone_approval.training_attendance"
    with time_machine.travel("2026-03-17 09:00 +0000", tick=False):
        later = world.apply(world.sign_in("chaperone@example.org"))
        assert (
            world.book(session["id"], later["id"], world.sign_in("chaperone@example.org")).status_code == 409
        )


@pytest.mark.postgres
def test_twenty_bookings_at_once_for_five_places_make_five_bookings(world):
    session = world.session(date(2026, 3, 16), capacity=5)
    ids = [world.apply(world.officer)["id"] for _ in range(20)]
    app = world.app

    def booking(approval_id: int):
        def call():
            with time_machine.travel(NOW, tick=False):
                client = app.test_client()
                return client.post(
                    f"{SESSIONS}/{session['id']}/bookings",
                    json={"approval_id": approval_id},
                    headers=world.officer,
                ).status_code

        return call

    results = at_once([booking(i) for i in ids])
    assert sorted(results) == [201] * 5 + [409] * 15
    shown = world.get(f"{SESSIONS}/{session['id']}", world.officer).get_json()
    assert shown["booked"] == 5 and len(shown["bookings"]) == 5
