"""Employment permit pages: the public hours check, an employer applying, the parent's declaration from the
link, and the officer's permit page with the decision's 409 reasons in the error summary."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from tests.licensing.employment_builders import ON_TIME, PARENT_EMAIL, EmploymentWorld
from tests.support.pages import csrf_token, signed_in_client


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(ON_TIME, tick=False):
        yield EmploymentWorld(licensing_app)


def dated(name: str, day: str) -> list[tuple[str, str]]:
    year, month, dd = day.split("-")
    return [(name, str(int(dd))), (name, str(int(month))), (name, year)]


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def post_form(client, path: str, fields: list[tuple[str, str]]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data=MultiDict([("csrf_token", token), *fields]))


def hours_fields(**cells: str) -> list[tuple[str, str]]:
    return [(key.replace("__", "-"), value) for key, value in cells.items()]


def test_anyone_can_check_hours_with_messages_by_the_day(world):
    client = world.app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    fields = [
        *dated("date_of_birth", "2012-05-14"),
        ("job_category", "shop"),
        *dated("start_date", "2026-11-02"),
        *hours_fields(term_time__monday__start="16:00", term_time__monday__end="19:30"),
        *hours_fields(term_time__sunday__start="09:00", term_time__sunday__end="11:00"),
    ]
    response = post_form(client, "/check-working-hours", fields)
    assert response.status_code == 200
    page = text(response)
    assert "These hours are not allowed" in page
    assert "Term time, Monday: work ends at 19:30. A child may not work after 19:00." in page
    assert "3 hours 30 minutes of work on a school day. The most is 2 hours." in page
    ok = post_form(
        client,
        "/check-working-hours",
        [*fields[:7], *hours_fields(term_time__monday__start="16:00", term_time__monday__end="18:00")],
    )
    assert "These hours keep to the law" in text(ok)


def test_a_time_that_is_not_a_time_is_an_error_linked_to_its_box(world):
    client = world.app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    fields = [
        *dated("date_of_birth", "2012-05-14"),
        ("job_category", "shop"),
        *dated("start_date", "2026-11-02"),
        *hours_fields(holidays__friday__start="9am", holidays__friday__end="12:00"),
    ]
    response = post_form(client, "/check-working-hours", fields)
    assert response.status_code == 400
    assert 'href="#holidays-friday-start"' in response.get_data(as_text=True)
    assert "School holidays, Friday: enter the start time as HH:MM" in text(response)


def apply_fields(**changes) -> list[tuple[str, str]]:
    base = {
        "employer_name": "Corner Shop Ltd",
        "employer_address": "2 High Street, Mansfield NG18 1AB",
        "employer_contact": "Jo Owner",
        "employer_email": "jo@cornershop.example",
        "known_to_council": "no",
        "child_first_name": "Alex",
        "child_last_name": "Example",
        "child_address": "1 Example Street, Mansfield",
        "child_school_name": "Example Academy",
        "parent_name": "Sam Parent",
        "parent_email": PARENT_EMAIL,
        "parent_address": "1 Example Street, Mansfield",
        "job_category": "shop",
        "job_description": "Stacking shelves",
        "apply": "Send the application",
        **changes,
    }
    return [
        *base.items(),
        *dated("date_of_birth", "2012-05-14"),
        *dated("start_date", "2026-11-02"),
        *hours_fields(term_time__saturday__start="09:00", term_time__saturday__end="13:00"),
    ]


def test_an_employer_applies_and_the_parent_declares(world):
    client = signed_in_client(world.app, "producer@example.org")
    refused = post_form(
        client,
        "/employment-permits/apply",
        [*apply_fields(), *hours_fields(term_time__sunday__start="09:00", term_time__sunday__end="12:00")],
    )
    assert refused.status_code == 400
    assert "Change the hours so that they keep to the law before you apply" in text(refused)
    response = post_form(client, "/employment-permits/apply", apply_fields())
    assert response.status_code == 302, text(response)
    page = client.get(response.headers["Location"])
    assert "We are waiting for the parent's declaration" in text(page)
    assert "inspection" not in text(page).lower() and "visit" not in text(page).lower()
    token = world.declaration_token()
    parent = world.app.test_client()
    parent.environ_base["wsgi.url_scheme"] = "https"
    path = f"/employment-permit-declaration/{token}"
    view = parent.get(path)
    assert "Agree to Alex's work permit application" in text(view)
    missing = post_form(parent, path, [("name", "Sam Parent")])
    assert missing.status_code == 400
    assert "Confirm the declaration" in text(missing)
    done = post_form(parent, path, [("declaration", "y"), ("name", "Sam Parent")])
    assert done.status_code == 302
    assert parent.get(path).status_code == 410
    assert parent.get("/employment-permit-declaration/nonsense").status_code == 404


def test_the_officer_sees_why_a_permit_cannot_be_granted(world):
    permit = world.apply_permit()
    client = signed_in_client(world.app, "officer@example.org")
    path = f"/officer/employment-permits/{permit['id']}"
    response = post_form(client, path, [("decision", "grant")])
    assert response.status_code == 400
    assert "The parent has not given their declaration yet" in text(response)
    world.declare()
    granted = post_form(client, path, [("decision", "grant")])
    assert granted.status_code == 302
    page = text(client.get(path))
    assert f"NCC-EP-2026-{permit['id']:05d}" in page
    assert "valid until Monday 8 November 2027" in page
    listing = client.get("/officer/employment-permits?status=granted")
    assert permit["child"]["first_name"] in text(listing)


def test_employers_and_parents_do_not_reach_officer_pages(world):
    permit = world.apply_permit()
    employer = signed_in_client(world.app, "producer@example.org")
    assert employer.get(f"/officer/employment-permits/{permit['id']}").status_code == 403
    other = signed_in_client(world.app, "other.producer@example.org")
    assert other.get(f"/employment-permits/{permit['id']}").status_code == 404
    anonymous = world.app.test_client()
    assert anonymous.get("/officer/employment-permits").status_code == 302
