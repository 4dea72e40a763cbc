"""The public check of a licence (and, by prefix, of permits and approvals): the number and the holder's
date of birth give valid / not valid and until when, and nothing else, through the API and the page.

The licence is granted on Monday 2 March 2026 for Wednesday 1 to Friday 3 April 2026; the child was born
on 14 June 2015.
"""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from licensing_service.services import verification
from tests.licensing.builders import TODAY_AT, LicensingWorld
from tests.licensing.test_licence_decisions import grant, name_officer, path, ready
from tests.support.pages import csrf_token

DOB = "2015-06-14"
NOT_VALID = {"valid": False, "valid_until": None, "kind": None}


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        yield world


@pytest.fixture
def number(world) -> str:
    licence = ready(world)
    world.licence_id = licence["id"]
    return grant(world, licence)["licence_number"]


def check(world, number: str, dob: str = DOB):
    return world.client.get("/api/v1/verify", query_string={"number": number, "date_of_birth": dob})


def test_a_granted_licence_with_the_childs_date_of_birth_is_valid_until_its_last_day(world, number):
    response = check(world, number)
    assert response.status_code == 200
    assert response.get_json() == {"valid": True, "valid_until": "2026-04-03", "kind": "performance_licence"}
    # Typed loosely: lower case, spaces around.
    assert check(world, f"  {number.lower()} ").get_json()["valid"] is True


def test_a_wrong_date_of_birth_gets_the_same_answer_as_a_number_that_does_not_exist(world, number):
    wrong_dob = check(world, number, "2015-06-15").get_json()
    assert wrong_dob == NOT_VALID
    assert check(world, "NCC-PL-2026-99999").get_json() == wrong_dob
    assert check(world, "XYZ-123").get_json() == wrong_dob
    assert check(world, "NCC-CA-2026-00001").get_json() == wrong_dob


def test_an_expired_licence_is_not_valid(world, number):
    with time_machine.travel("2026-04-03 22:00 +0000", tick=False):  # 11pm on 3 April in London
        assert check(world, number).get_json()["valid"] is True
    with time_machine.travel("2026-04-04 10:00 +0100", tick=False):
        body = check(world, number).get_json()
    assert (body["valid"], body["valid_until"]) == (False, "2026-04-03")


def test_a_revoked_licence_is_not_valid(world, number):
    revoked = world.post(
        path({"id": world.licence_id}, "revocation"), {"reason": "Unsafe set."}, world.officer
    )
    assert revoked.status_code == 200, revoked.get_json()
    assert check(world, number).get_json() == {
        "valid": False,
        "valid_until": None,
        "kind": "performance_licence",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"number": "NCC-PL-2026-00001", "date_of_birth": "14/06/2015"}, "date_of_birth"),
        ({"number": "NCC-PL-2026-00001", "date_of_birth": "2015-02-30"}, "date_of_birth"),
        ({"number": "NCC-PL-2026-00001", "date_of_birth": "1815-06-14"}, "date_of_birth"),
        ({"number": "NCC-PL-2026-00001"}, "date_of_birth"),
        ({"date_of_birth": DOB}, "number"),
        ({"number": "", "date_of_birth": DOB}, "number"),
        ({"number": "N" * 51, "date_of_birth": DOB}, "number"),
        ({"number": "NCC\x00", "date_of_birth": DOB}, "number"),
    ],
)
def test_malformed_checks_are_422(world, query, field):
    response = world.client.get("/api/v1/verify", query_string=query)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_verification_needs_no_sign_in_and_is_rate_limited(make_app):
    app = make_app("licensing", VERIFY_RATE_LIMIT="3 per minute")
    client = app.test_client()
    query = {"number": "NCC-PL-2026-00001", "date_of_birth": DOB}
    statuses = [client.get("/api/v1/verify", query_string=query).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/verify", query_string=query)
    assert limited.mimetype == "application/problem+json" and limited.get_json()["status"] == 429


def test_the_registry_finds_a_verifier_by_prefix():
    assert "NCC-PL-" in verification.VERIFIERS
    assert verification.normalise(" ncc-pl-2026-00001 ") == "NCC-PL-2026-00001"


# --- the page ------------------------------------------------------------------------------------------


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def page_client(app):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    return client


def dob_fields(day: str = "14", month: str = "6", year: str = "2015") -> list[tuple[str, str]]:
    return [("date_of_birth", day), ("date_of_birth", month), ("date_of_birth", year)]


def post_check(client, number: str, dob: list[tuple[str, str]]):
    token = csrf_token(client.get("/verify").get_data(as_text=True))
    return client.post("/verify", data=MultiDict([("csrf_token", token), ("number", number), *dob]))


def test_the_qr_code_link_opens_the_page_with_the_number_filled_in(world, number):
    client = page_client(world.app)
    page = client.get(f"/verify?number={number}")
    assert page.status_code == 200
    assert "Check a licence, permit or chaperone approval" in text(page)
    assert f'value="{number}"' in page.get_data(as_text=True)


def test_the_page_says_valid_until_when(world, number):
    response = post_check(page_client(world.app), number, dob_fields())
    assert response.status_code == 200
    assert "Valid until Friday 3 April 2026" in text(response)
    assert "Zoë" not in text(response) and "Christmas" not in text(response)


def test_the_page_says_not_valid_for_a_wrong_date_of_birth_or_number(world, number):
    client = page_client(world.app)
    for typed, dob in ((number, dob_fields(day="15")), ("NCC-PL-2026-99999", dob_fields())):
        response = post_check(client, typed, dob)
        assert response.status_code == 200
        assert "Not valid" in text(response) and "Valid until" not in text(response)


def test_the_page_shows_gov_uk_errors(world):
    client = page_client(world.app)
    response = post_check(
        client, "", [("date_of_birth", "31"), ("date_of_birth", "2"), ("date_of_birth", "2015")]
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "Error:" in page
    assert "Enter the licence, permit or approval number" in page
    assert "Date of birth must be a real date" in page
    missing = post_check(client, "NCC-PL-2026-00001", [])
    assert missing.status_code == 400 and "Enter the date of birth" in text(missing)


def test_the_page_is_rate_limited_with_a_gov_uk_page(make_app):
    app = make_app("licensing", VERIFY_RATE_LIMIT="2 per minute")
    client = page_client(app)
    statuses = [post_check(client, "NCC-PL-2026-00001", dob_fields()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = post_check(client, "NCC-PL-2026-00001", dob_fields())
    assert limited.mimetype == "text/html" and "Too many requests" in text(limited)
    # Showing the empty form is not counted.
    assert client.get("/verify").status_code == 200


def test_the_page_answers_not_valid_for_a_number_with_odd_characters(world):
    response = post_check(page_client(world.app), "NCC-PL-2026-0001'; --\x00", dob_fields())
    assert response.status_code == 200 and "Not valid" in text(response)
