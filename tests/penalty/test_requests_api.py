"""Requests from schools through the API: threshold, dates, warnings, decisions, fan-out, limits."""

from __future__ import annotations

import pytest

from tests.penalty.builders import OTHER_URN, PenaltyWorld, request_body


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


def test_officer_records_a_paper_request_and_issues_one_notice_per_parent(world):
    parents = [
        {"name": "Sam Example", "address": "1 Example Street", "relationship": "mother"},
        {"name": "Alex Example", "address": "9 Other Road", "relationship": "father"},
    ]
    created = world.request(parents=parents, received_on="2025-12-15")
    assert created["reference"].startswith("PNR-2025-")
    assert created["issue_due_on"] == "2025-12-31"  # 10 working days across Christmas 2025
    assert created["threshold"]["met"] and created["threshold"]["met_on"] == {
        "date": "2026-01-16",
        "session": "PM",
    }

    decision = world.decide(created["id"], issue_date="2026-01-26", posted_on="2026-01-26")
    assert decision["status"] == "issued" and decision["blocked"] == []
    notices = decision["notices"]
    assert [n["parent_name"] for n in notices] == ["Sam Example", "Alex Example"]
    first = notices[0]
    assert first["served_on"] == "2026-01-28"  # posted Monday, deemed served on the second working day
    assert first["lower_rate_until"] == "2026-02-17" and first["final_payment_day"] == "2026-02-24"
    assert (first["amount_lower_pence"], first["amount_full_pence"]) == (8000, 16000)
    assert first["lay_by"] == "2026-07-16"  # six months after the last absence on 16 January 2026


def test_threshold_not_met_is_refused_with_the_counts_and_nothing_is_stored(world):
    from datetime import date

    from tests.penalty.builders import absent_days, register, weekdays

    nine = absent_days(*weekdays(date(2026, 1, 12), date(2026, 1, 15))) | {(date(2026, 1, 16), "AM")}
    body = request_body(attendance=register(date(2026, 1, 5), date(2026, 1, 23), nine))
    response = world.post("/api/v1/penalty-requests", body, world.school)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["threshold"]["sessions_counted"] == 9 and problem["threshold"]["sessions_needed"] == 10
    assert "9" in problem["detail"] and "10" in problem["detail"]
    listed = world.get("/api/v1/penalty-requests", world.officer).get_json()
    assert listed["total"] == 0


def test_a_school_sees_only_its_own_requests(world):
    mine = world.request(headers=world.school)
    theirs = world.request(headers=world.other_school, urn=OTHER_URN)
    assert world.get(f"/api/v1/penalty-requests/{theirs['id']}", world.school).status_code == 404
    assert world.get(f"/api/v1/penalty-requests/{mine['id']}", world.school).status_code == 200
    listed = world.get("/api/v1/penalty-requests", world.school).get_json()
    assert [r["id"] for r in listed["items"]] == [mine["id"]]
    refused = world.post("/api/v1/penalty-requests", request_body(urn=OTHER_URN), world.school)
    assert refused.status_code == 422 and "school_urn" in refused.get_json()["errors"]


def test_school_cannot_decide_and_a_decided_request_cannot_be_decided_again(world):
    created = world.request(headers=world.school)
    forbidden = world.post(
        f"/api/v1/penalty-requests/{created['id']}/decision", {"decision": "issue"}, world.school
    )
    assert forbidden.status_code == 403
    world.decide(created["id"])
    again = world.post(
        f"/api/v1/penalty-requests/{created['id']}/decision", {"decision": "issue"}, world.officer
    )
    assert again.status_code == 409


def test_third_notice_to_the_same_parent_for_the_same_child_is_blocked(world):
    for issue_date in ("2026-01-26", "2026-03-02"):
        created = world.request()
        world.decide(created["id"], issue_date=issue_date)
    third = world.request()
    decision = world.decide(third["id"], issue_date="2026-04-20")
    assert decision["status"] == "other_enforcement" and decision["notices"] == []
    assert decision["blocked"][0]["parent_name"] == "Sam Example"
    assert "s444" in decision["blocked"][0]["reason"]


def test_second_notice_within_three_years_is_160_pounds_with_no_lower_rate(world):
    world.decide(world.request()["id"], issue_date="2026-01-26")
    second = world.decide(
        world.request(parents=[{"name": " sam  EXAMPLE ", "address": "x", "relationship": "mother"}])["id"],
        issue_date="2026-03-02",
    )
    notice = second["notices"][0]
    assert (notice["amount_lower_pence"], notice["amount_full_pence"], notice["is_second"]) == (
        None,
        16000,
        True,
    )


def test_queue_lists_requests_by_decision_date_with_overdue_flagged(world):
    import time_machine

    late = world.request(received_on="2025-12-15")  # due 31 December 2025
    early = world.request(received_on="2026-01-05")  # due 19 January 2026
    world.decide(world.request(received_on="2026-01-06")["id"])
    with time_machine.travel("2026-01-10 09:00 +0000"):
        body = world.get("/api/v1/queue", world.officer).get_json()
    requests = [i for i in body["items"] if i["kind"] == "penalty_request"]
    assert [(i["id"], i["due_on"], i["overdue"]) for i in requests] == [
        (late["id"], "2025-12-31", True),
        (early["id"], "2026-01-19", False),
    ]
    assert body["counts"]["penalty_request"] == 2
    assert world.get("/api/v1/queue", world.school).status_code == 403


def test_the_same_parent_twice_is_refused_with_the_field(world):
    parents = [
        {"name": "Sam Example", "address": "1 Example Street", "relationship": "mother"},
        {"name": "sam   EXAMPLE", "address": "1 Example Street", "relationship": "mother"},
    ]
    response = world.post("/api/v1/penalty-requests", request_body(parents=parents), world.officer)
    assert response.status_code == 422
    assert "parents.1.name" in response.get_json()["errors"]
