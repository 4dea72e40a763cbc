"""Officers' oversight pages: plan an inspection, record its outcome or cancel it; decide and revoke a Body
of Persons Approval. Applicants never reach them. Today is Monday 2 February 2026."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from licensing_service.models.oversight import BopaApproval, Inspection
from tests.licensing.test_bopa_api import NOW, ORG_EMAIL, World
from tests.support.pages import csrf_token, signed_in_client

OFFICER = "officer@example.org"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield World(licensing_app)


def dated(name: str, day: str) -> list[tuple[str, str]]:
    """A GOV.UK date input's three boxes (day, month, year) from an ISO date."""
    year, month, dd = day.split("-")
    return [(name, str(int(dd))), (name, str(int(month))), (name, year)]


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def error_summary(response) -> str:
    page = response.get_data(as_text=True)
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert found, "no error summary on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def post_form(client, path: str, fields: list[tuple[str, str]], page: str | None = None):
    page_html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data=MultiDict([("csrf_token", csrf_token(page_html)), *fields]))


def plan_fields(approval_id: int, officer_id: int, planned_on: str = "2026-03-21") -> list[tuple[str, str]]:
    return [
        ("subject_kind", "bopa"),
        ("subject_id", str(approval_id)),
        ("place_kind", "venue"),
        ("address", "Palace Theatre, Newark"),
        *dated("planned_on", planned_on),
        ("officer_id", str(officer_id)),
        ("notes", "Check the chaperone ratio"),
    ]


def plan_through_api(world, approval_id: int, planned_on: str) -> dict:
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


# Inspections ------------------------------------------------------------------------------------------


def test_an_officer_plans_an_inspection_from_the_list(world):
    approval = world.apply()
    client = signed_in_client(world.app, OFFICER)
    listing = client.get("/officer/inspections")
    assert listing.status_code == 200
    assert "No inspections." in text(listing) and "Plan an inspection" in text(listing)
    assert 'href="/officer/inspections"' in listing.get_data(as_text=True)  # in the service navigation

    response = post_form(client, "/officer/inspections", plan_fields(approval["id"], world.officer_id))
    assert response.status_code == 302, error_summary(response)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Inspection INS-2026-000001 planned for Saturday 21 March 2026" in text(page)
    assert f"Body of persons approval {approval['reference']}" in text(page)
    assert "Record the outcome" in text(page) and "Cancel this inspection" in text(page)
    assert world.audit("inspection.planned")[0].actor == f"officer:{world.officer_id}"
    assert len(world.emails()) == 1  # only the approval's receipt: nobody hears of the inspection


def test_the_plan_form_shows_its_errors(world):
    approval = world.apply()
    client = signed_in_client(world.app, OFFICER)
    empty = post_form(client, "/officer/inspections", [], page="/officer/inspections")
    assert empty.status_code == 400
    summary = error_summary(empty)
    for message in (
        "Select what the inspection is about",
        "Enter the number of the licence, permit, approval or production",
        "Select the kind of place",
        "Enter the address to visit",
        "Enter the planned date",
        "Select the officer",
    ):
        assert message in summary
    missing = post_form(client, "/officer/inspections", plan_fields(999_999, world.officer_id))
    assert missing.status_code == 400 and "There is no body of persons approval 999999" in error_summary(
        missing
    )
    not_a_date = plan_fields(approval["id"], world.officer_id)
    not_a_date[4:7] = [("planned_on", "31"), ("planned_on", "2"), ("planned_on", "2026")]
    assert "Planned date must be a real date" in error_summary(
        post_form(client, "/officer/inspections", not_a_date)
    )
    letters = [
        (k, "twelve" if k == "subject_id" else v) for k, v in plan_fields(approval["id"], world.officer_id)
    ]
    assert "Enter the number as digits" in error_summary(post_form(client, "/officer/inspections", letters))
    superscript = [
        (k, "²" if k == "subject_id" else v) for k, v in plan_fields(approval["id"], world.officer_id)
    ]
    assert "Enter the number as digits" in error_summary(
        post_form(client, "/officer/inspections", superscript)
    )
    applicant_as_officer = plan_fields(approval["id"], world.applicant_id)
    assert "Select the officer" in error_summary(
        post_form(client, "/officer/inspections", applicant_as_officer)
    )
    assert world.count(Inspection) == 0


def test_the_list_puts_planned_inspections_first_by_date(world):
    approval = world.apply()
    later = plan_through_api(world, approval["id"], "2026-03-28")
    sooner = plan_through_api(world, approval["id"], "2026-02-10")
    done = plan_through_api(world, approval["id"], "2026-01-05")
    world.post(
        f"/api/v1/inspections/{done['id']}/outcome",
        {"outcome": "compliant", "visited_on": "2026-01-05"},
        world.officer,
    )
    client = signed_in_client(world.app, OFFICER)
    page = client.get("/officer/inspections").get_data(as_text=True)
    order = [page.index(i["reference"]) for i in (sooner, later, done)]
    assert order == sorted(order)
    assert "Record outcome" in page
    only_done = client.get("/officer/inspections?status=done").get_data(as_text=True)
    assert done["reference"] in only_done and sooner["reference"] not in only_done
    assert client.get("/officer/inspections?status=nonsense&page=99999999").status_code == 200


def test_an_officer_records_the_outcome(world):
    approval = world.apply()
    created = plan_through_api(world, approval["id"], "2026-01-30")
    client = signed_in_client(world.app, OFFICER)
    path = f"/officer/inspections/{created['id']}"
    overdue = client.get(path)
    assert "no outcome is recorded" in text(overdue)

    missing = post_form(client, path, [("outcome", "breach_found")])
    assert missing.status_code == 400
    assert "Describe what the visit found" in error_summary(missing)
    assert "Enter the date of the visit" in error_summary(missing)
    future = post_form(client, path, [("outcome", "compliant"), *dated("visited_on", "2026-02-03")])
    assert "The date of the visit must be today or in the past" in error_summary(future)
    unknown = post_form(client, path, [("outcome", "great"), *dated("visited_on", "2026-02-02")])
    assert "Select the outcome" in error_summary(unknown)

    done = post_form(
        client,
        path,
        [
            ("outcome", "breach_found"),
            ("findings", "Nine children with one chaperone"),
            *dated("visited_on", "2026-02-01"),
        ],
    )
    assert done.status_code == 302, error_summary(done)
    page = client.get(path)
    assert "Outcome recorded: breach found" in text(page)
    assert "Nine children with one chaperone" in text(page) and "Sunday 1 February 2026" in text(page)
    assert "Record the outcome" not in text(page)
    stale = client.post(
        path,
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "outcome": "compliant",
            "visited_on": ["1", "2", "2026"],
        },
    )
    assert stale.status_code == 400 and "already recorded" in error_summary(stale)
    assert len(world.audit("inspection.outcome_recorded")) == 1


def test_an_officer_cancels_an_inspection(world):
    approval = world.apply()
    created = plan_through_api(world, approval["id"], "2026-03-21")
    client = signed_in_client(world.app, OFFICER)
    path = f"/officer/inspections/{created['id']}/cancel"
    blank = post_form(client, path, [("reason", "  ")], page=f"/officer/inspections/{created['id']}")
    assert blank.status_code == 400 and "Enter why you are cancelling the inspection" in error_summary(blank)
    response = post_form(
        client, path, [("reason", "Show cancelled")], page=f"/officer/inspections/{created['id']}"
    )
    assert response.status_code == 302
    page = client.get(f"/officer/inspections/{created['id']}")
    assert "Inspection INS-2026-000001 cancelled" in text(page) and "Show cancelled" in text(page)
    again = post_form(client, path, [("reason", "Again")], page=f"/officer/inspections/{created['id']}")
    assert again.status_code == 400 and "cancelled: plan a new one" in error_summary(again)


def test_unknown_records_are_404(world):
    client = signed_in_client(world.app, OFFICER)
    assert client.get("/officer/inspections/999999").status_code == 404
    assert client.get("/officer/bopa-approvals/999999").status_code == 404


# Body of Persons Approvals ------------------------------------------------------------------------------


def test_an_officer_approves_a_bopa_with_an_extra_condition(world):
    approval = world.apply()
    client = signed_in_client(world.app, OFFICER)
    listing = client.get("/officer/bopa-approvals")
    assert listing.status_code == 200 and approval["reference"] in text(listing)
    assert "Stagecraft Youth Theatre" in text(listing)

    path = f"/officer/bopa-approvals/{approval['id']}"
    page = client.get(path)
    assert page.status_code == 200
    for words in (
        "Palace Theatre, Newark",
        "Ava Example",
        "Derby City",
        "Standard conditions",
        "No inspections yet",
    ):
        assert words in text(page)
    response = post_form(
        client,
        path,
        [("decision", "approve"), ("conditions", "No performances after 21:00\r\n\r\nSnacks provided\r\n")],
    )
    assert response.status_code == 302, error_summary(response)
    after = client.get(path)
    assert f"Approval {approval['reference']} approved. The organisation has been emailed." in text(after)
    assert "Sunday 1 March 2026 to Tuesday 31 March 2026" in text(after)
    assert "No performances after 21:00" in text(after) and "Snacks provided" in text(after)
    assert "Revoke this approval" in text(after) and "Save decision" not in text(after)
    [email] = world.emails("approved")
    assert email.to_address == ORG_EMAIL and "Snacks provided" in email.body
    assert world.get(f"/api/v1/bopa-approvals/{approval['id']}", world.applicant).get_json()[
        "conditions"
    ] == [
        "No performances after 21:00",
        "Snacks provided",
    ]


def test_the_decision_form_shows_the_services_reasons(world):
    late = world.apply(
        period=None, series_description="One show", performances=[{"date": "2026-02-20", "venue": "Hall"}]
    )
    client = signed_in_client(world.app, OFFICER)
    path = f"/officer/bopa-approvals/{late['id']}"
    page = client.get(path)
    assert "The details arrived late" in text(page)
    nothing = post_form(client, path, [])
    assert "Select whether to approve or refuse" in error_summary(nothing)
    no_reason = post_form(client, path, [("decision", "approve")])
    assert no_reason.status_code == 400 and "give the reason for approving anyway" in error_summary(no_reason)
    refuse = post_form(client, path, [("decision", "refuse")])
    assert "Give the reason for refusing the approval" in error_summary(refuse)
    narrow = post_form(
        client,
        path,
        [
            ("decision", "approve"),
            ("reason", "ok"),
            *dated("approved_from", "2026-02-01"),
            *dated("approved_until", "2026-02-19"),
        ],
    )
    assert "is outside the approval" in error_summary(narrow)
    bad_date = post_form(
        client, path, [("decision", "approve"), ("reason", "ok"), *dated("approved_from", "1999-01-01")]
    )
    assert "Approved from must be a real date" in error_summary(bad_date)
    assert (
        world.get(f"/api/v1/bopa-approvals/{late['id']}", world.officer).get_json()["status"] == "submitted"
    )
    refused = post_form(
        client, path, [("decision", "refuse"), ("reason", "Too late to check"), ("conditions", "ignored")]
    )
    assert refused.status_code == 302
    assert "refused" in text(client.get(path))
    again = post_form(
        client, path, [("decision", "approve"), ("reason", "x")], page="/officer/bopa-approvals"
    )
    assert again.status_code == 400 and "already decided" in error_summary(again)


def test_an_officer_revokes_an_approval(world):
    approval = world.apply()
    world.decide(approval["id"], {"decision": "approve"})
    client = signed_in_client(world.app, OFFICER)
    path = f"/officer/bopa-approvals/{approval['id']}"
    blank = post_form(client, f"{path}/revoke", [], page=path)
    assert blank.status_code == 400 and "Enter why you are revoking the approval" in error_summary(blank)
    done = post_form(client, f"{path}/revoke", [("revocation_reason", "Children were paid")], page=path)
    assert done.status_code == 302
    page = client.get(path)
    assert "revoked. The organisation has been emailed." in text(page) and "Children were paid" in text(page)
    again = post_form(client, f"{path}/revoke", [("revocation_reason", "Again")], page=path)
    assert again.status_code == 400 and "Only an approved approval can be revoked" in error_summary(again)


def test_the_bopa_page_lists_its_inspections_for_officers(world):
    approval = world.apply()
    created = plan_through_api(world, approval["id"], "2026-03-21")
    client = signed_in_client(world.app, OFFICER)
    page = client.get(f"/officer/bopa-approvals/{approval['id']}")
    assert created["reference"] in text(page)
    assert f"/officer/inspections?subject_kind=bopa&amp;subject_id={approval['id']}" in page.get_data(
        as_text=True
    )
    prefilled = client.get(f"/officer/inspections?subject_kind=bopa&subject_id={approval['id']}")
    assert f'value="{approval["id"]}"' in prefilled.get_data(as_text=True)
    inspection_page = client.get(f"/officer/inspections/{created['id']}").get_data(as_text=True)
    assert f'href="/officer/bopa-approvals/{approval["id"]}"' in inspection_page


# Never visible to applicants ---------------------------------------------------------------------------


def test_applicants_cannot_open_any_oversight_page(world):
    approval = world.apply()
    created = plan_through_api(world, approval["id"], "2026-03-21")
    client = signed_in_client(world.app, "producer@example.org")
    start = client.get("/")
    assert "Inspections" not in text(start) and "/officer/" not in start.get_data(as_text=True)
    token = csrf_token(start.get_data(as_text=True))
    for path in (
        "/officer/inspections",
        f"/officer/inspections/{created['id']}",
        "/officer/inspections/999999",
        "/officer/bopa-approvals",
        f"/officer/bopa-approvals/{approval['id']}",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert created["reference"] not in response.get_data(as_text=True)
    for path, fields in (
        ("/officer/inspections", plan_fields(approval["id"], world.applicant_id)),
        (
            f"/officer/inspections/{created['id']}",
            [("outcome", "compliant"), *dated("visited_on", "2026-02-02")],
        ),
        (f"/officer/inspections/{created['id']}/cancel", [("reason", "Mine now")]),
        (f"/officer/bopa-approvals/{approval['id']}", [("decision", "approve")]),
        (f"/officer/bopa-approvals/{approval['id']}/revoke", [("revocation_reason", "x")]),
    ):
        response = client.post(path, data=MultiDict([("csrf_token", token), *fields]))
        assert response.status_code == 403, path
    assert world.get(f"/api/v1/inspections/{created['id']}", world.officer).get_json()["status"] == "planned"
    assert (
        world.get(f"/api/v1/bopa-approvals/{approval['id']}", world.officer).get_json()["status"]
        == "submitted"
    )
    assert len(world.audit("inspection.planned")) == 1


def test_signed_out_visitors_are_sent_to_sign_in(world):
    client = world.app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    for path in ("/officer/inspections", "/officer/bopa-approvals", "/officer/inspections/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_admins_see_the_pages_too(world):
    world.apply()
    client = signed_in_client(world.app, "admin@example.org")
    assert client.get("/officer/inspections").status_code == 200
    assert client.get("/officer/bopa-approvals?status=submitted").status_code == 200
    assert client.get("/officer/bopa-approvals?status=bogus&page=-4").status_code == 200


# The organisation's own pages ---------------------------------------------------------------------------

APPLY_FIELDS = [
    ("organisation_name", "Stagecraft Youth Theatre"),
    ("organisation_address", "1 Castle Gate, Newark NG24 1AA"),
    ("contact", "Pat Director"),
    ("email", ORG_EMAIL),
    *dated("period_start", "2026-03-01"),
    *dated("period_end", "2026-03-31"),
    ("performances", "21/3/2026, Palace Theatre, Newark\r\n\r\n22/03/2026, Palace Theatre, Newark"),
    ("children", "Ava Example, 2/5/2015, Nottinghamshire\r\nBen Example, 30/11/2012, Derby City"),
    ("no_payment", "y"),
    ("no_school_absence", "y"),
]


def test_an_organisation_applies_through_the_pages(world):
    client = signed_in_client(world.app, "producer@example.org")
    start = client.get("/")
    assert 'href="/bopa"' in start.get_data(as_text=True)
    assert client.get("/bopa").status_code == 200 and "You have not applied" in text(client.get("/bopa"))
    response = post_form(client, "/bopa/apply", APPLY_FIELDS)
    assert response.status_code == 302, error_summary(response)
    page = client.get(response.headers["Location"])
    assert "Application BOPA-2026-000001 sent" in text(page)
    assert "Saturday 21 March 2026" in text(page) and "Friday 20 March 2026" in text(page)
    assert "BOPA-2026-000001" in text(client.get("/bopa"))
    stored = world.get("/api/v1/bopa-approvals", world.applicant).get_json()["items"][0]
    assert [p["date"] for p in stored["performances"]] == ["2026-03-21", "2026-03-22"]
    assert [c["home_authority"] for c in stored["children"]] == ["Nottinghamshire", "Derby City"]
    assert world.audit("bopa_approval.submitted")[0].actor == f"applicant:{world.applicant_id}"


def test_the_application_form_explains_what_is_wrong(world):
    client = signed_in_client(world.app, "producer@example.org")
    empty = post_form(client, "/bopa/apply", [], page="/bopa/apply")
    assert empty.status_code == 400
    for message in (
        "Enter the name of the organisation",
        "Enter an email address",
        "Enter the date and venue of each performance",
        "Enter each child's name, date of birth and home authority",
    ):
        assert message in error_summary(empty)

    def with_changes(**changes):
        return [(k, v) for k, v in APPLY_FIELDS if k not in changes] + [
            (k, v) for k, v in changes.items() if v is not None
        ]

    undeclared = post_form(client, "/bopa/apply", with_changes(no_payment=None, no_school_absence=None))
    assert undeclared.status_code == 400
    assert "no payment is made to the children" in error_summary(undeclared)
    assert "no absence from school" in error_summary(undeclared)
    bad_line = post_form(client, "/bopa/apply", with_changes(performances="21 March, Hall"))
    assert "Line 1: start with the date as day/month/year" in error_summary(bad_line)
    no_venue = post_form(client, "/bopa/apply", with_changes(performances="21/3/2026"))
    assert "Line 1: give the venue after the date" in error_summary(no_venue)
    child = post_form(client, "/bopa/apply", with_changes(children="Ava Example, 2/5/2015, Notts\r\nBen"))
    assert "Line 2: give the name, date of birth and home authority" in error_summary(child)
    old_date = post_form(client, "/bopa/apply", with_changes(children="Ava Example, 31/2/2015, Notts"))
    assert "Line 1: give the date of birth as day/month/year" in error_summary(old_date)
    outside = post_form(client, "/bopa/apply", with_changes(performances="4/4/2026, Hall"))
    assert "Line 1: Saturday 4 April 2026 is outside the period" in error_summary(outside)
    bad_email = post_form(client, "/bopa/apply", with_changes(email="not an email"))
    assert "Enter an email address in the correct format" in error_summary(bad_email)
    no_period = [(k, v) for k, v in APPLY_FIELDS if k not in ("period_start", "period_end")]
    assert "describe the series" in error_summary(post_form(client, "/bopa/apply", no_period))
    assert world.count(BopaApproval) == 0


def test_an_organisation_sees_only_its_own_applications_and_nothing_of_inspections(world):
    mine = world.apply()
    theirs = world.apply(headers=world.other)
    created = world.post(
        "/api/v1/inspections",
        {
            "subject_kind": "bopa",
            "subject_id": mine["id"],
            "place_kind": "lodgings",
            "address": "Riverside Guest House, Trent Lane",
            "planned_on": "2026-01-30",
            "notes": "Unannounced visit to the lodgings",
        },
        world.officer,
    ).get_json()
    world.post(
        f"/api/v1/inspections/{created['id']}/outcome",
        {"outcome": "breach_found", "findings": "No chaperone present", "visited_on": "2026-02-02"},
        world.officer,
    )
    client = signed_in_client(world.app, "producer@example.org")
    page = client.get(f"/bopa/{mine['id']}")
    assert page.status_code == 200 and mine["reference"] in text(page)
    assert "Palace Theatre, Newark" in text(page) and "Ava Example" in text(page)
    for secret in ("INS-", "nspection", "No chaperone present", "Breach", "Riverside Guest House", "odgings"):
        assert secret not in page.get_data(as_text=True)
    assert client.get(f"/bopa/{theirs['id']}").status_code == 404
    assert theirs["reference"] not in text(client.get("/bopa"))
    officer = signed_in_client(world.app, OFFICER)
    assert officer.get("/bopa/apply").status_code == 403
