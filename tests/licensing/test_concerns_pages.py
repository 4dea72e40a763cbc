"""Concern pages: the public report form (errors, confirmation, rate limit) and the officers' pages (the
list with safeguarding first, a concern with its actions, recording a letter, a visit or a MASH referral,
closing it). Today is Monday 2 March 2026."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from licensing_service.models.concerns import Concern
from shared import db
from tests.licensing.builders import TODAY_AT, LicensingWorld
from tests.licensing.test_concerns_api import LETTER, concern_id, reported
from tests.support.pages import csrf_token, signed_in_client

OFFICER = "officer@example.org"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def error_summary(response) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.get_data(as_text=True), re.S)
    assert found, "no error summary on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def public_client(app):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
    return client


def post_form(client, path: str, fields: list[tuple[str, str]], page: str | None = None):
    token = csrf_token(client.get(page or path).get_data(as_text=True))
    return client.post(path, data=MultiDict([("csrf_token", token), *fields]))


REPORT_FIELDS = [
    ("child_name", "Leo Example"),
    ("child_age", "9"),
    ("activity", "performing"),
    ("location", "Riverside Community Hall, Newark"),
    ("organiser", "Sparkle Stage School"),
    ("when", "Tonight until 11pm"),
    ("description", "Children aged about 9 are rehearsing until late every night this week."),
    ("at_risk_now", "yes"),
]


# --- the public form -----------------------------------------------------------------------------------


def test_anyone_reports_a_concern_and_sees_the_reference(world):
    client = public_client(world.app)
    form = client.get("/report-a-concern")
    assert form.status_code == 200
    assert "Report a child working or performing without a licence" in text(form)
    assert "If a child is in immediate danger, call 999" in text(form)
    response = post_form(client, "/report-a-concern", REPORT_FIELDS)
    assert response.status_code == 302 and response.headers["Location"].endswith("/report-a-concern/sent")
    sent = client.get("/report-a-concern/sent")
    assert "Report sent" in text(sent) and "Your reference number CON-2026-000001" in text(sent)
    assert "refer it to Nottinghamshire's multi-agency safeguarding hub" in text(sent)
    with world.app.app_context():
        concern = db.session().get(Concern, 1)
        assert (concern.safeguarding, concern.activity, concern.child_age, concern.anonymous) == (
            True,
            "performing",
            9,
            True,
        )
    assert world.actions("concern", 1) == ["concern.reported"]


def test_the_confirmation_without_a_report_goes_back_to_the_form(world):
    response = public_client(world.app).get("/report-a-concern/sent")
    assert response.status_code == 302 and response.headers["Location"].endswith("/report-a-concern")


def test_the_form_shows_gov_uk_errors_for_missing_and_wrong_answers(world):
    client = public_client(world.app)
    response = post_form(
        client,
        "/report-a-concern",
        [
            ("child_age", "nine"),
            ("child_date_of_birth", "31"),
            ("child_date_of_birth", "2"),
            ("child_date_of_birth", "2015"),
            ("reporter_email", "jo at example"),
            ("description", "x" * 10_001),
        ],
    )
    assert response.status_code == 400
    summary = error_summary(response)
    for message in (
        "Age must be a whole number, like 3",
        "Date of birth must be a real date",
        "Select what the child is doing",
        "Enter where it is happening",
        "What is happening must be 10,000 characters or fewer",
        "Select yes if you think the child is at risk of harm now",
        "Enter an email address in the correct format, like name@example.com",
    ):
        assert message in summary, message
    assert 'href="#child_date_of_birth-day"' in response.get_data(as_text=True)
    assert text(response).startswith("Error:") or "<title>Error:" in response.get_data(as_text=True)
    with world.app.app_context():
        assert db.session().get(Concern, 1) is None


def test_the_form_refuses_what_the_api_refuses(world):
    client = public_client(world.app)
    fields = [(k, v) for k, v in REPORT_FIELDS if k != "description"] + [("description", "bad\x00byte")]
    response = post_form(client, "/report-a-concern", fields)
    assert response.status_code == 400 and "Must not contain a NUL character" in error_summary(response)


def test_the_form_is_rate_limited_with_a_gov_uk_page(make_app):
    app = make_app("licensing", PUBLIC_FORM_RATE_LIMIT="1 per minute")
    client = public_client(app)
    with time_machine.travel(TODAY_AT, tick=False):
        assert post_form(client, "/report-a-concern", REPORT_FIELDS).status_code == 302
        limited = post_form(client, "/report-a-concern", REPORT_FIELDS)
    assert limited.status_code == 429 and limited.mimetype == "text/html"
    assert "Too many requests" in text(limited) and "try again" in text(limited)


# --- officers' pages -----------------------------------------------------------------------------------


def test_only_officers_see_the_concern_pages(world):
    cid = concern_id(world, reported(world)["reference"])
    anonymous = public_client(world.app).get("/officer/concerns")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    applicant = signed_in_client(world.app, "producer@example.org")
    assert applicant.get("/officer/concerns").status_code == 403
    assert applicant.get(f"/officer/concerns/{cid}").status_code == 403
    nav = applicant.get("/licence-requirement").get_data(as_text=True)
    assert 'href="/officer/concerns"' not in nav
    start = public_client(world.app).get("/").get_data(as_text=True)
    assert 'href="/report-a-concern"' in start and 'href="/verify"' in start


def test_the_list_shows_safeguarding_concerns_first_and_filters(world):
    with time_machine.travel("2026-02-02 10:00 +0000", tick=False):
        reported(world)
    reported(world, at_risk_now=True, child={"name": "Urgent Child"})
    client = signed_in_client(world.app, OFFICER)
    page = client.get("/officer/concerns")
    assert page.status_code == 200
    body = text(page)
    assert body.index("CON-2026-000002") < body.index("CON-2026-000001")
    assert "Safeguarding" in body and "Not yet referred to the MASH" in body and "Overdue" in body
    assert 'href="/officer/concerns"' in page.get_data(as_text=True)  # in the navigation
    closed = client.get("/officer/concerns?status=closed")
    assert "No concerns closed" in text(closed)


def test_an_officer_sends_a_letter_from_the_concern_page_and_downloads_it(world):
    cid = concern_id(world, reported(world)["reference"])
    client = signed_in_client(world.app, OFFICER)
    page = client.get(f"/officer/concerns/{cid}")
    assert page.status_code == 200
    assert "Corner Café, 3 High Street" in text(page) and "Jo Neighbour" in text(page)
    assert "&lt;span" not in page.get_data(as_text=True)  # the description is text, its markup is not
    missing = post_form(
        client, f"/officer/concerns/{cid}/actions", [("kind", "letter")], f"/officer/concerns/{cid}"
    )
    assert missing.status_code == 400
    assert "Enter the name of the person the letter is to" in error_summary(missing)
    assert "Enter the address the letter is to" in error_summary(missing)
    response = post_form(
        client,
        f"/officer/concerns/{cid}/actions",
        [
            ("kind", "letter"),
            ("recipient_name", LETTER["recipient"]["name"]),
            ("recipient_organisation", LETTER["recipient"]["organisation"]),
            ("recipient_address", LETTER["recipient"]["address"]),
            ("notes", "First letter."),
        ],
        f"/officer/concerns/{cid}",
    )
    assert response.status_code == 302
    shown = client.get(f"/officer/concerns/{cid}")
    assert "Letter requesting information recorded" in text(shown)
    assert "To Chris Owner, Corner Café Ltd; reply by 16 March 2026" in text(shown)
    link = re.search(r'href="([^"]+letter\.pdf)"', shown.get_data(as_text=True)).group(1)
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert signed_in_client(world.app, "producer@example.org").get(link).status_code == 403
    assert world.actions("concern", cid)[-1] == "concern.action.letter"


def test_an_officer_plans_a_visit_records_a_mash_referral_and_closes_the_concern(world):
    cid = concern_id(world, reported(world, at_risk_now=True)["reference"])
    client = signed_in_client(world.app, OFFICER)
    page = f"/officer/concerns/{cid}"
    assert "Refer this concern to the MASH today" in text(client.get(page))
    visit = post_form(
        client,
        f"{page}/actions",
        [
            ("kind", "unannounced_visit"),
            ("place_kind", "employer_premises"),
            ("visit_address", "3 High Street, Mansfield"),
            ("planned_on", "7"),
            ("planned_on", "3"),
            ("planned_on", "2026"),
            ("officer_id", str(world.ids["officer"])),
        ],
        page,
    )
    assert visit.status_code == 302, error_summary(visit)
    referral = post_form(client, f"{page}/actions", [("kind", "mash_referral"), ("notes", "By phone.")], page)
    assert referral.status_code == 302
    shown = text(client.get(page))
    assert "Inspection INS-2026-" in shown and "employer's premises, 7 March 2026 (planned)" in shown
    assert "Referred to the MASH on Monday 2 March 2026" in shown
    assert "Refer this concern to the MASH today" not in shown
    no_outcome = post_form(client, f"{page}/close", [], page)
    assert no_outcome.status_code == 400 and "Select the outcome" in error_summary(no_outcome)
    closed = post_form(
        client, f"{page}/close", [("outcome", "stopped"), ("outcome_notes", "Work stopped.")], page
    )
    assert closed.status_code == 302
    final = text(client.get(page))
    assert "Concern CON-2026-000001 closed" in final and "The work or performance stopped" in final
    assert "Record an action" not in final
    assert world.actions("concern", cid)[-3:] == [
        "concern.action.unannounced_visit",
        "concern.action.mash_referral",
        "concern.closed",
    ]


def test_a_visit_needs_its_place_address_and_date(world):
    cid = concern_id(world, reported(world)["reference"])
    client = signed_in_client(world.app, OFFICER)
    page = f"/officer/concerns/{cid}"
    response = post_form(client, f"{page}/actions", [("kind", "unannounced_visit")], page)
    assert response.status_code == 400
    summary = error_summary(response)
    for message in (
        "Select the kind of place",
        "Enter the address to visit",
        "Enter the planned date of the visit",
    ):
        assert message in summary
    support = post_form(client, f"{page}/actions", [("kind", "support_to_apply")], page)
    assert support.status_code == 400 and "Describe what was done" in error_summary(support)
