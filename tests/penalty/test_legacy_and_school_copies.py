"""Notices from the previous system and copies of notices schools issued: both count towards the limit of
2 notices to a parent for a child in 3 years, and a school's copy is late more than 7 days after issue."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from penalty_service.models import PenaltyNotice
from shared import db
from shared.audit import AuditEvent
from tests.penalty.builders import OTHER_URN, SCHOOL_URN, PenaltyWorld
from tests.penalty.test_payments import NOW, pay, upload

UPN = "A123456789012"
LEGACY_HEADER = "pupil_upn,pupil_name,parent_name,issued_on,outcome,school_urn\n"


@pytest.fixture
def world(penalty_app):
    with time_machine.travel(NOW, tick=False):
        yield PenaltyWorld(penalty_app)


def legacy(world, **change):
    body = {
        "pupil_upn": UPN,
        "pupil_name": "Zoë Example",
        "parent_name": "Sam Example",
        "issued_on": "2025-05-12",
        "outcome": "paid",
        **change,
    }
    return world.post("/api/v1/legacy-notices", body, world.officer)


def next_council_notice(world, issue_date="2026-03-02") -> dict:
    return world.decide(world.request()["id"], issue_date=issue_date)


def legacy_count(app) -> int:
    with app.app_context():
        return db.session().scalar(
            select(func.count()).select_from(PenaltyNotice).where(PenaltyNotice.source == "legacy")
        )


# --- legacy notices ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("paid", "paid"), ("unpaid", "unpaid"), ("withdrawn", "withdrawn"), ("prosecuted", "prosecution")],
)
def test_a_legacy_notice_is_stored_with_the_nearest_status(world, outcome, status):
    response = legacy(world, outcome=outcome.upper(), school_urn=SCHOOL_URN, pupil_upn=" a123456789012 ")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["notice_number"] == f"LEGACY-{body['id']}"
    assert (body["source"], body["status"], body["legacy_outcome"]) == ("legacy", status, outcome)
    assert (body["pupil_upn"], body["school_urn"], body["issue_date"]) == (UPN, SCHOOL_URN, "2025-05-12")
    assert body["amount_full_pence"] is None and body["final_payment_day"] is None
    with world.app.app_context():
        event = db.session().scalar(
            select(AuditEvent).where(AuditEvent.action == "penalty_notice.legacy_recorded")
        )
    assert event.object_id == str(body["id"]) and event.after["legacy_outcome"] == outcome


def test_the_same_legacy_notice_twice_is_kept_once(world):
    first = legacy(world)
    again = legacy(world, parent_name="  SAM   example ")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"] and again.get_json()["duplicate"] is True
    assert legacy_count(world.app) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issued_on": "2026-03-11"}, "issued_on"),
        ({"outcome": "fined"}, "outcome"),
        ({"pupil_upn": "12345"}, "pupil_upn"),
        ({"school_urn": "999999"}, "school_urn"),
        ({"parent_name": ""}, "parent_name"),
    ],
)
def test_bad_legacy_notices_are_refused(world, change, field):
    response = legacy(world, **change)
    assert response.status_code == 422 and field in response.get_json()["errors"]
    assert legacy_count(world.app) == 0


def test_only_officers_and_admins_record_legacy_notices(world):
    body = {
        "pupil_upn": UPN,
        "pupil_name": "Z",
        "parent_name": "S",
        "issued_on": "2025-01-01",
        "outcome": "paid",
    }
    assert world.post("/api/v1/legacy-notices", body, world.school).status_code == 403
    assert upload(world, LEGACY_HEADER, "/api/v1/legacy-notices/import").status_code == 200
    response = world.client.post(
        "/api/v1/legacy-notices/import", data=LEGACY_HEADER, content_type="text/csv", headers=world.school
    )
    assert response.status_code == 403


def test_a_legacy_notice_within_3_years_makes_the_next_notice_a_second_notice(world):
    legacy(world, parent_name="sam EXAMPLE", issued_on="2023-03-03")  # inside the window for 2 March 2026
    notice = next_council_notice(world)["notices"][0]
    assert (notice["amount_lower_pence"], notice["amount_full_pence"], notice["is_second"]) == (
        None,
        16000,
        True,
    )


def test_a_legacy_notice_issued_3_years_before_does_not_count(world):
    legacy(world, issued_on="2023-03-02")  # the day 3 years before is outside the window
    notice = next_council_notice(world)["notices"][0]
    assert (notice["amount_lower_pence"], notice["amount_full_pence"], notice["is_second"]) == (
        8000,
        16000,
        False,
    )


def test_two_legacy_notices_block_a_third(world):
    legacy(world, issued_on="2024-01-15", outcome="paid")
    legacy(world, issued_on="2025-06-02", outcome="prosecuted")
    decision = next_council_notice(world)
    assert decision["status"] == "other_enforcement" and decision["notices"] == []
    assert decision["blocked"][0]["parent_name"] == "Sam Example"
    assert "2 notices already issued" in decision["blocked"][0]["reason"]


def test_a_withdrawn_legacy_notice_does_not_count(world):
    legacy(world, issued_on="2024-01-15", outcome="withdrawn")
    legacy(world, issued_on="2025-06-02", outcome="unpaid")
    notice = next_council_notice(world)["notices"][0]
    assert (notice["amount_lower_pence"], notice["is_second"]) == (None, True)  # one counts: a second notice


def test_money_quoting_a_legacy_number_waits_in_suspense(world):
    number = legacy(world).get_json()["notice_number"]
    assert pay(world, number, 8000, date(2026, 3, 1)).get_json()["status"] == "suspense"


def test_legacy_file_is_imported_all_or_nothing_and_only_once(world):
    content = LEGACY_HEADER + "\n".join(
        [
            f"{UPN},Zoë Example,Sam Example,2024-01-15,paid,{SCHOOL_URN}",
            "B123456789012,Ben Other,Alex Other,2025-02-03,WITHDRAWN,",
            f"{UPN},Zoë Example,SAM EXAMPLE,2024-01-15,paid,",  # the same notice again
        ]
    )
    response = upload(world, content, "/api/v1/legacy-notices/import")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"rows": 3, "created": 2, "duplicates": 1}
    with world.app.app_context():
        rows = (
            db.session()
            .execute(
                select(PenaltyNotice.id, PenaltyNotice.notice_number, PenaltyNotice.status).order_by(
                    PenaltyNotice.id
                )
            )
            .all()
        )
        audited = db.session().scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "penalty_notice.legacy_recorded")
        )
    assert [(n, s) for i, n, s in rows] == [
        (f"LEGACY-{rows[0][0]}", "paid"),
        (f"LEGACY-{rows[1][0]}", "withdrawn"),
    ]
    assert audited == 2
    assert upload(world, content, "/api/v1/legacy-notices/import").get_json() == {
        "rows": 3,
        "created": 0,
        "duplicates": 3,
    }
    decision = next_council_notice(world)
    assert decision["notices"][0]["is_second"] is True


def test_a_bad_row_in_a_legacy_file_imports_nothing(world):
    content = LEGACY_HEADER + "\n".join(
        [
            f"{UPN},Zoë Example,Sam Example,2024-01-15,paid,",
            f"{UPN},Zoë Example,Sam Example,15/01/2024,fined,999999",
        ]
    )
    response = upload(world, content, "/api/v1/legacy-notices/import")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"row 3.issued_on", "row 3.outcome", "row 3.school_urn"}
    assert legacy_count(world.app) == 0
    missing = upload(world, "pupil_upn,pupil_name\nA,B\n", "/api/v1/legacy-notices/import")
    assert missing.status_code == 422 and "parent_name" in missing.get_json()["detail"]


# --- school-issued notices --------------------------------------------------------------------------------


def school_copy(world, headers=None, **change) -> dict:
    body = {
        "school_urn": SCHOOL_URN,
        "notice_number": "sch/2026/001",
        "pupil": {"first_name": "Zoë", "last_name": "Example", "upn": UPN, "date_of_birth": "2014-05-02"},
        "parent": {"name": "Sam Example", "address": "1 Example Street, Mansfield"},
        "offence": "leave_of_absence",
        "issue_date": "2026-03-02",
        "posted_on": "2026-03-02",
        "first_absence_on": "2026-02-09",
        "last_absence_on": "2026-02-13",
        **change,
    }
    return world.post("/api/v1/school-issued-notices", body, headers or world.school)


@pytest.mark.parametrize(
    ("received", "late"),
    [
        pytest.param("2026-03-02", False, id="the day of issue"),
        pytest.param("2026-03-09", False, id="7 days after issue"),
        pytest.param("2026-03-10", True, id="8 days after issue"),
    ],
)
def test_a_copy_received_more_than_7_days_after_issue_is_late(world, received, late):
    with time_machine.travel(f"{received} 12:00 +0000", tick=False):
        response = school_copy(world)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["late_copy"] is late and body["copy_received_on"] == received
    queue = world.get("/api/v1/queue", world.officer).get_json()
    assert any(i["kind"] == "late_school_copy" and i["id"] == body["id"] for i in queue["items"]) is late


def test_a_school_copy_gets_the_dates_and_amounts_of_a_council_notice(world):
    response = school_copy(world)
    body = response.get_json()
    assert body["late_copy"] is True  # received on 10 March, 8 days after issue
    assert (body["notice_number"], body["source"], body["status"]) == ("SCH/2026/001", "school", "issued")
    assert body["served_on"] == "2026-03-04"  # posted Monday 2 March: the second working day after
    assert (body["lower_rate_until"], body["final_payment_day"]) == ("2026-03-24", "2026-03-31")
    assert (body["amount_lower_pence"], body["amount_full_pence"]) == (8000, 16000)
    assert body["lay_by"] == "2026-08-13" and body["warnings"] == []
    with world.app.app_context():
        event = db.session().scalar(
            select(AuditEvent).where(AuditEvent.action == "penalty_notice.school_copy_received")
        )
    assert event.after["late_copy"] is True and event.actor.startswith("school:")
    listed = world.get("/api/v1/penalty-notices", world.school).get_json()
    assert [n["notice_number"] for n in listed["items"]] == ["SCH/2026/001"]
    assert world.get(f"/api/v1/penalty-notices/{body['id']}", world.other_school).status_code == 404


def test_a_school_copy_counts_towards_the_limit_and_is_paid_by_its_number(world):
    copy = school_copy(world, issue_date="2026-02-16", posted_on="2026-02-16").get_json()
    notice = next_council_notice(world)["notices"][0]
    assert (notice["amount_lower_pence"], notice["is_second"]) == (None, True)
    paid = pay(world, " sch/2026/001", 8000, date(2026, 3, 5))
    assert paid.get_json()["notice"]["id"] == copy["id"]
    assert paid.get_json()["notice"]["status"] == "paid"


def test_payment_monitoring_covers_school_copies(world):
    copy = school_copy(world).get_json()
    with world.app.app_context():
        assert world.app.extensions["jobs"]["payment-monitoring"].func(date(2026, 4, 1))["unpaid"] == 1
    assert world.get(f"/api/v1/penalty-notices/{copy['id']}", world.officer).get_json()["status"] == "unpaid"


def test_amounts_the_school_stated_are_kept_with_a_warning_when_they_differ(world):
    body = school_copy(world, amount_lower_pence=6000, amount_full_pence=12000).get_json()
    assert (body["amount_lower_pence"], body["amount_full_pence"]) == (6000, 12000)
    assert "£60.00" in body["warnings"][0] and "£80.00" in body["warnings"][0]
    same = school_copy(
        world, notice_number="SCH-2", amount_lower_pence=None, amount_full_pence=16000
    ).get_json()
    assert same["amount_lower_pence"] is None  # the school gave no lower rate: as on the notice


def test_officers_record_copies_for_any_school_and_set_the_day_received(world):
    response = school_copy(world, headers=world.officer, school_urn=OTHER_URN, received_on="2026-03-05")
    assert response.status_code == 201
    assert (response.get_json()["copy_received_on"], response.get_json()["late_copy"]) == (
        "2026-03-05",
        False,
    )
    ignored = school_copy(world, notice_number="SCH-3", received_on="2026-03-05")  # a school gets today
    assert ignored.get_json()["copy_received_on"] == "2026-03-10"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"school_urn": OTHER_URN}, 422, "school_urn"),
        ({"notice_number": "PN-2026-0000001"}, 422, "notice_number"),
        ({"notice_number": "LEGACY-1"}, 422, "notice_number"),
        ({"notice_number": "no spaces allowed!"}, 422, "notice_number"),
        ({"issue_date": "2026-03-11", "posted_on": "2026-03-11"}, 422, "issue_date"),
        ({"last_absence_on": "2026-02-01"}, 422, "last_absence_on"),
        ({"posted_on": "2026-02-27"}, 422, "posted_on"),
        ({"amount_lower_pence": 8000}, 422, "amount_full_pence"),
        ({"amount_lower_pence": 20000, "amount_full_pence": 16000}, 422, "amount_lower_pence"),
        ({"pupil": {"first_name": "Z", "last_name": "E", "upn": "bad", "date_of_birth": "2014-05-02"}}, 422,
         "pupil.upn"),
        ({"offence": "truancy"}, 422, "offence"),
    ],
)  # fmt: skip
def test_bad_school_copies_are_refused(world, change, status, field):
    response = school_copy(world, **change)
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["errors"]


def test_the_same_school_number_twice_is_a_conflict(world):
    assert school_copy(world).status_code == 201
    again = school_copy(world, notice_number=" SCH/2026/001 ")
    assert again.status_code == 409 and "notice_number" in again.get_json()["errors"]
    assert world.client.post("/api/v1/school-issued-notices", json={}).status_code == 401
