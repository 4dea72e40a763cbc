"""The officers' work queue page: every open item of every kind, soonest due first, each linking to the
page where it is worked, with a count of each kind. Today is Monday 2 February 2026."""

from __future__ import annotations

import re

import pytest
import time_machine

from licensing_service.services import licensing_queue
from licensing_service.web import work_queue_pages
from tests.licensing.test_bopa_api import NOW, World
from tests.licensing.test_oversight_pages import text
from tests.support.pages import signed_in_client


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield World(licensing_app)


def plan_inspection(world, approval_id: int, planned_on: str) -> dict:
    response = world.post(
        "/api/v1/inspections",
        {
            "subject_kind": "bopa",
            "subject_id": approval_id,
            "place_kind": "venue",
            "address": "Palace Theatre, Newark",
            "planned_on": planned_on,
        },
        world.officer,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def rows(response) -> list[str]:
    body = response.get_data(as_text=True)
    table = re.search(r'<table class="govuk-table app-work-queue">.*?</table>', body, re.S)
    assert table, "no queue table"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r"<tr.*?</tr>", table.group(0), re.S)
    ][1:]


def test_every_kind_on_the_queue_has_a_name_and_a_page():
    assert set(licensing_queue.kinds()) <= set(work_queue_pages.KINDS)


def test_the_officer_sees_every_kind_soonest_due_first_with_links_and_counts(world):
    approval = world.apply()  # a BOPA application: decision due before Saturday 21 March 2026
    inspection = plan_inspection(world, approval["id"], "2026-02-20")
    client = signed_in_client(world.app, "officer@example.org")

    page = client.get("/officer/queue")

    assert page.status_code == 200
    found = rows(page)
    assert len(found) == 2
    assert found[0].startswith("20 February 2026 " + inspection["reference"] + " Inspection Visit: ")
    assert approval["reference"] in found[1] and "Body of persons approval" in found[1]
    body = page.get_data(as_text=True)
    assert f'href="/officer/inspections/{inspection["id"]}"' in body
    assert f'href="/officer/bopa-approvals/{approval["id"]}"' in body
    words = text(page)
    assert "Inspection 1" in words and "Body of persons approval 1" in words
    assert "Performance licence 0" in words
    assert body.count('class="app-queue-counts__bar" width="300.0"') == 2


def test_the_queue_filters_by_kind_and_ignores_a_kind_it_does_not_know(world):
    approval = world.apply()
    plan_inspection(world, approval["id"], "2026-02-20")
    client = signed_in_client(world.app, "officer@example.org")

    only = client.get("/officer/queue?kind=bopa_approval")
    assert [r for r in rows(only)] and all("Body of persons approval" in r for r in rows(only))
    assert "Show every kind (2)" in text(only)

    unknown = client.get("/officer/queue?kind=<script>&page=999999999999")
    assert unknown.status_code == 200
    assert len(rows(unknown)) == 2


def test_an_empty_queue_says_so(world):
    client = signed_in_client(world.app, "officer@example.org")
    page = client.get("/officer/queue")
    assert page.status_code == 200
    assert "Nothing is waiting." in text(page)


def test_only_staff_see_the_work_queue(world):
    applicant = signed_in_client(world.app, "producer@example.org")
    assert applicant.get("/officer/queue").status_code == 403
    anonymous = world.app.test_client()
    response = anonymous.get("/officer/queue")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
