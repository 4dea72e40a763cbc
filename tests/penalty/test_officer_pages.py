"""Officers' pages: queue, request, decision, notice."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from tests.penalty.builders import PenaltyWorld
from tests.support.pages import csrf_token, signed_in_client


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


def test_officer_finds_a_request_on_the_queue_and_issues_notices(world):
    created = world.request(received_on="2026-01-20")
    client = signed_in_client(world.app, "officer@example.org")
    queue = client.get("/officer/queue").get_data(as_text=True)
    assert created["reference"] in queue and "Request to decide" in queue

    page = client.get(f"/officer/requests/{created['id']}")
    html = page.get_data(as_text=True)
    assert "10 unauthorised sessions" in html and "Friday 16 January 2026" in html
    response = client.post(
        f"/officer/requests/{created['id']}",
        # GOV.UK date inputs send day, month and year under one name.
        data=MultiDict(
            [("csrf_token", csrf_token(html)), ("decision", "issue")]
            + [("issue_date", part) for part in ("26", "1", "2026")]
        ),
    )
    assert response.status_code == 302
    after = client.get(f"/officer/requests/{created['id']}").get_data(as_text=True)
    assert "1 notice issued" in after and "PN-2026-" in after and "Tuesday 24 February 2026" in after
    assert "Save decision" not in after


def test_rejecting_without_a_reason_shows_an_error_and_changes_nothing(world):
    created = world.request()
    client = signed_in_client(world.app, "officer@example.org")
    html = client.get(f"/officer/requests/{created['id']}").get_data(as_text=True)
    response = client.post(
        f"/officer/requests/{created['id']}", data={"csrf_token": csrf_token(html), "decision": "reject"}
    )
    assert response.status_code == 400
    assert "Enter the reason for rejecting the request" in response.get_data(as_text=True)
    assert (
        world.get(f"/api/v1/penalty-requests/{created['id']}", world.officer).get_json()["status"]
        == "received"
    )


def test_schools_cannot_open_officer_pages(world):
    created = world.request(headers=world.school)
    client = signed_in_client(world.app, "school@example.org")
    assert client.get("/officer/queue").status_code == 403
    assert client.get(f"/officer/requests/{created['id']}").status_code == 403


def test_notice_page_shows_amounts_and_dates(world):
    decision = world.decide(world.request()["id"], issue_date="2026-01-26")
    client = signed_in_client(world.app, "officer@example.org")
    html = client.get(f"/officer/notices/{decision['notices'][0]['id']}").get_data(as_text=True)
    assert "£80 until Tuesday 17 February 2026" in html and "£160 until Tuesday 24 February 2026" in html


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2026"), "Date of issue must be a real date"),
        (("x", "1", "2026"), "Date of issue must be a real date"),
        (("1", "1", "26"), "Year must include 4 numbers"),
        (("1", "1"), "Date of issue must include a year"),
    ],
)
def test_bad_dates_are_explained_not_500(world, parts, message):
    created = world.request()
    client = signed_in_client(world.app, "officer@example.org")
    html = client.get(f"/officer/requests/{created['id']}").get_data(as_text=True)
    data = MultiDict(
        [("csrf_token", csrf_token(html)), ("decision", "issue")] + [("issue_date", p) for p in parts]
    )
    response = client.post(f"/officer/requests/{created['id']}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_dashboard_shows_the_figures_with_charts(world):
    import time_machine

    created = world.request(received_on="2026-01-20")
    with time_machine.travel("2026-01-21 10:00 +0000"):
        world.decide(created["id"])  # decided on time
    world.request(received_on="2026-02-02")
    client = signed_in_client(world.app, "officer@example.org")
    html = client.get("/officer/dashboard").get_data(as_text=True)
    assert "requests received" in html and "<svg" in html and "Requests received by month" in html
    assert ">2</span>requests received" in html
    assert "decided within 10 working days (1 of 1)" in html
    assert "2026-01" in html and "2026-02" in html
    assert signed_in_client(world.app, "school@example.org").get("/officer/dashboard").status_code == 403


def test_officer_downloads_the_notice_pdf_from_the_notice_page(world):
    decision = world.decide(world.request()["id"], issue_date="2026-01-26")
    client = signed_in_client(world.app, "officer@example.org")
    notice_id = decision["notices"][0]["id"]
    assert f"/officer/notices/{notice_id}/notice.pdf" in client.get(f"/officer/notices/{notice_id}").get_data(
        as_text=True
    )
    response = client.get(f"/officer/notices/{notice_id}/notice.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
