"""Concerns through the API: anyone reports one (no sign-in, rate-limited); officers list, read, act on and
close them; safeguarding concerns come first and are marked for the MASH at once; every change audited.

Today is Monday 2 March 2026: a concern reported today is due 10 working days later, Monday 16 March 2026.
"""

from __future__ import annotations

import copy
import subprocess
from typing import Any

import pytest
import time_machine

from licensing_service.models.oversight import Inspection
from shared import db
from tests.licensing.builders import TODAY_AT, LicensingWorld

OFFICERS_INBOX = "child.licensing@nottscc.gov.uk"

REPORT: dict[str, Any] = {
    "child": {"name": "Mia Example", "age": 11, "school": "Example Academy"},
    "activity": "working",
    "location": "Corner Café, 3 High Street, Mansfield NG18 1AA",
    "organiser": "The café's owner",
    "when": "Every Saturday and Sunday, 7am to 5pm",
    "description": "A girl of about 11 serves tables all weekend and carries hot food from the kitchen.",
    "at_risk_now": False,
    "reporter": {"name": "Jo Neighbour", "email": "jo@example.org", "phone": "07700 900000"},
}


def report(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(REPORT)
    body.update(changes)
    return body


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


def reported(world: LicensingWorld, headers: dict | None = None, **changes: Any) -> dict:
    response = world.post("/api/v1/concerns", report(**changes), headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def concern_id(world: LicensingWorld, reference: str) -> int:
    items = world.get("/api/v1/concerns?page_size=100", world.officer).get_json()["items"]
    return next(c["id"] for c in items if c["reference"] == reference)


def act(world: LicensingWorld, cid: int, body: dict, headers: dict | None = None):
    return world.post(f"/api/v1/concerns/{cid}/actions", body, headers or world.officer)


LETTER = {
    "kind": "letter",
    "notes": "Asked the owner for the child's details and hours.",
    "recipient": {
        "name": "Chris Owner",
        "organisation": "Corner Café Ltd",
        "address": "3 High Street\nMansfield\nNG18 1AA",
    },
}


# --- reporting -----------------------------------------------------------------------------------------


def test_anyone_reports_a_concern_and_gets_only_its_reference(world):
    body = reported(world)
    assert body["reference"] == "CON-2026-000001"
    assert set(body) == {"reference", "received_on", "safeguarding", "message"}
    assert (body["received_on"], body["safeguarding"]) == ("2026-03-02", False)
    cid = concern_id(world, body["reference"])
    shown = world.get(f"/api/v1/concerns/{cid}", world.officer).get_json()
    assert (shown["status"], shown["due_on"], shown["urgent"]) == ("open", "2026-03-16", False)
    assert shown["child"] == {
        "name": "Mia Example",
        "age": 11,
        "date_of_birth": None,
        "school": "Example Academy",
    }
    assert shown["reporter"]["anonymous"] is False
    [event] = world.audit("concern", cid)
    assert (event.action, event.actor) == ("concern.reported", "public")
    # What the concern says is not copied into the audit log.
    assert "Mia" not in str(event.after) and event.after["safeguarding"] is False


def test_the_reporter_is_sent_the_reference_and_a_report_may_be_anonymous(world):
    body = reported(world)
    [ack] = world.outbox("jo@example.org")
    assert body["reference"] in ack.subject and "Mia" not in ack.body
    anonymous = reported(world, reporter={})
    cid = concern_id(world, anonymous["reference"])
    shown = world.get(f"/api/v1/concerns/{cid}", world.officer).get_json()
    assert shown["reporter"]["anonymous"] is True
    assert len(world.outbox()) == 1  # nobody to acknowledge; not a safeguarding concern


def test_a_signed_in_reporter_is_recorded_as_the_actor(world):
    body = reported(world, world.producer)
    cid = concern_id(world, body["reference"])
    [event] = world.audit("concern", cid)
    assert event.actor == f"applicant:{world.ids['producer']}"


def test_a_safeguarding_concern_is_due_today_urgent_and_the_officers_are_emailed_at_once(world):
    body = reported(world, at_risk_now=True)
    assert body["safeguarding"] is True and "999" in body["message"]
    cid = concern_id(world, body["reference"])
    shown = world.get(f"/api/v1/concerns/{cid}", world.officer).get_json()
    assert (shown["due_on"], shown["urgent"], shown["safeguarding"]) == ("2026-03-02", True, True)
    [alert] = world.outbox(OFFICERS_INBOX)
    assert "Urgent" in alert.subject and "MASH" in alert.subject and body["reference"] in alert.subject
    assert f"/officer/concerns/{cid}" in alert.body
    # The email says where to look, not what was reported.
    assert "Mia" not in alert.body and "Café" not in alert.body


def test_safeguarding_concerns_come_first_in_the_list_and_on_the_queue(world):
    with time_machine.travel("2026-02-02 10:00 +0000", tick=False):
        earlier = reported(world)  # due Monday 16 February: overdue by today
    urgent = reported(world, at_risk_now=True)
    later = reported(world)
    listed = world.get("/api/v1/concerns", world.officer).get_json()
    assert [c["reference"] for c in listed["items"]] == [
        urgent["reference"],
        earlier["reference"],
        later["reference"],
    ]
    assert listed["items"][1]["overdue"] is True and listed["total"] == 3
    queue = world.get("/api/v1/queue", world.officer).get_json()
    first = queue["items"][0]
    assert (first["kind"], first["reference"], first["urgent"]) == ("concern", urgent["reference"], True)
    assert first["summary"] == "Safeguarding: refer to the MASH" and first["outstanding"] == ["mash_referral"]
    assert queue["counts"]["concern"] == 3
    assert [i["urgent"] for i in queue["items"] if i["kind"] == "concern"] == [True, False, False]


def test_the_list_filters_by_status_and_pages(world):
    for _ in range(3):
        reported(world)
    cid = concern_id(world, "CON-2026-000002")
    assert (
        world.post(f"/api/v1/concerns/{cid}/closure", {"outcome": "no_evidence"}, world.officer).status_code
        == 200
    )
    page = world.get("/api/v1/concerns?status=open&page=2&page_size=1", world.officer).get_json()
    assert (page["total"], page["page"], [c["reference"] for c in page["items"]]) == (
        2,
        2,
        ["CON-2026-000003"],
    )
    closed = world.get("/api/v1/concerns?status=closed", world.officer).get_json()
    assert [c["reference"] for c in closed["items"]] == ["CON-2026-000002"]
    assert world.get("/api/v1/concerns?status=lost", world.officer).status_code == 422
    assert world.get("/api/v1/concerns?page_size=101", world.officer).status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"activity": "juggling"}, "activity"),
        ({"location": "   "}, "location"),
        ({"description": ""}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"location": "x" * 2001}, "location"),
        ({"at_risk_now": "perhaps"}, "at_risk_now"),
        ({"child": {"age": 19}}, "child.age"),
        ({"child": {"age": "11"}}, "child.age"),
        ({"child": {"date_of_birth": "2026-03-03"}}, "child.date_of_birth"),
        ({"child": {"date_of_birth": "2015-02-30"}}, "child.date_of_birth"),
        ({"child": {"name": "x" * 201}}, "child.name"),
        ({"reporter": {"email": "not an email"}}, "reporter.email"),
        ({"reporter": {"phone": "0" * 41}}, "reporter.phone"),
        ({"reporter": {"nickname": "J"}}, "reporter.nickname"),
        ({"description": "bad\x00byte"}, "description"),
        ({"secret": True}, "secret"),
    ],
)
def test_invalid_reports_are_422_naming_the_field(world, changes, field):
    response = world.post("/api/v1/concerns", report(**changes))
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_required_parts_of_a_report_are_named_and_odd_bodies_never_500(world):
    missing = world.post("/api/v1/concerns", {})
    assert missing.status_code == 422
    assert {"activity", "location", "description", "at_risk_now"} <= set(missing.get_json()["errors"])
    assert world.post("/api/v1/concerns", [1, 2]).status_code in (400, 422)
    not_json = world.client.post("/api/v1/concerns", data="{", content_type="application/json")
    assert not_json.status_code in (400, 422)


def test_reports_are_rate_limited_per_address(make_app):
    app = make_app("licensing", PUBLIC_FORM_RATE_LIMIT="2 per minute")
    client = app.test_client()
    with time_machine.travel(TODAY_AT, tick=False):
        assert [client.post("/api/v1/concerns", json=report()).status_code for _ in range(2)] == [201, 201]
        third = client.post("/api/v1/concerns", json=report())
        other_address = client.post(
            "/api/v1/concerns", json=report(), environ_base={"REMOTE_ADDR": "192.0.2.7"}
        )
    assert third.status_code == 429 and third.mimetype == "application/problem+json"
    assert third.get_json()["title"] == "Too many requests" and "try again" in third.get_json()["detail"]
    assert int(third.headers["Retry-After"]) > 0
    assert other_address.status_code == 201


# --- who may see what ----------------------------------------------------------------------------------


def test_only_officers_and_admins_read_or_act_on_concerns(world):
    cid = concern_id(world, reported(world)["reference"])
    for path in ("/api/v1/concerns", f"/api/v1/concerns/{cid}"):
        assert world.get(path).status_code == 401
        assert world.get(path, world.producer).status_code == 403
        assert world.get(path, world.admin).status_code == 200
    assert act(world, cid, LETTER, world.producer).status_code == 403
    assert world.post(f"/api/v1/concerns/{cid}/actions", LETTER).status_code == 401
    closure = world.post(f"/api/v1/concerns/{cid}/closure", {"outcome": "stopped"}, world.producer)
    assert closure.status_code == 403
    assert world.get("/api/v1/concerns/999999", world.officer).status_code == 404
    assert world.get("/api/v1/concerns/99999999999", world.officer).status_code == 404
    assert act(world, 999999, LETTER).status_code == 404


# --- actions -------------------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_a_letter_action_makes_the_letter_and_it_can_be_downloaded(world, tmp_path):
    cid = concern_id(world, reported(world)["reference"])
    response = act(world, cid, LETTER)
    assert response.status_code == 201, response.get_json()
    action = response.get_json()
    assert action["kind"] == "letter" and action["reply_by"] == "2026-03-16"
    assert action["recipient"]["name"] == "Chris Owner"
    pdf = world.get(action["letter_url"], world.officer)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert world.get(action["letter_url"], world.producer).status_code == 403
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    for expected in (
        "Chris Owner",
        "Corner Café Ltd",
        "NG18 1AA",
        "CON-2026-000001",
        "Monday 2 March 2026",
        "Request for information about a child",
        "Mia Example",
        "Corner Café, 3 High Street, Mansfield",
        "section 18 of the Children and Young Persons Act 1933",
        "Please reply by Monday 16 March 2026",
        "employment permit",
    ):
        assert expected in text, expected
    # The person who reported it is never in the letter.
    assert "Jo Neighbour" not in text and "jo@example.org" not in text
    assert "section 37" not in text  # working, not performing
    shown = world.get(f"/api/v1/concerns/{cid}", world.officer).get_json()
    assert shown["status"] == "in_progress" and shown["actions"][0]["letter_url"] == action["letter_url"]
    [_, event] = world.audit("concern", cid)
    assert event.action == "concern.action.letter"
    assert (event.before["status"], event.after["status"]) == ("open", "in_progress")
    assert event.after["document_id"] is not None and event.actor == f"officer:{world.ids['officer']}"


def test_the_same_letter_renders_the_same_bytes(world):
    cid = concern_id(world, reported(world)["reference"])
    url = act(world, cid, LETTER).get_json()["letter_url"]
    first = world.get(url, world.officer).data
    from licensing_service.models.concerns import Concern, ConcernAction
    from licensing_service.services import concern_documents

    with world.app.test_request_context():
        concern = db.session().get(Concern, cid)
        action = db.session().get(ConcernAction, 1)
        assert concern_documents.render_letter(concern, action) == first


def test_an_unannounced_visit_plans_an_inspection_that_only_officers_see(world):
    cid = concern_id(world, reported(world)["reference"])
    body = {
        "kind": "unannounced_visit",
        "notes": "Visit at the weekend.",
        "visit": {
            "place_kind": "employer_premises",
            "address": "3 High Street, Mansfield",
            "planned_on": "2026-03-07",
        },
    }
    response = act(world, cid, body)
    assert response.status_code == 201, response.get_json()
    inspection_id = response.get_json()["inspection_id"]
    inspection = world.get(f"/api/v1/inspections/{inspection_id}", world.officer).get_json()
    assert (inspection["subject_kind"], inspection["subject_id"], inspection["status"]) == (
        "concern",
        cid,
        "planned",
    )
    assert (
        inspection["subject"] == "Concern CON-2026-000001"
        and inspection["officer_id"] == world.ids["officer"]
    )
    assert world.get(f"/api/v1/inspections/{inspection_id}", world.producer).status_code == 403
    assert "inspection.planned" in world.actions("inspection", inspection_id)
    assert world.actions("concern", cid)[-1] == "concern.action.unannounced_visit"
    with world.app.app_context():
        assert db.session().get(Inspection, inspection_id).address == "3 High Street, Mansfield"
    # The inspection, like any, is on the queue; nobody outside the council is emailed.
    assert world.outbox("jo@example.org")[-1].subject.endswith("we have received your report")


def test_a_mash_referral_records_when_and_by_whom(world):
    cid = concern_id(world, reported(world, at_risk_now=True)["reference"])
    response = act(world, cid, {"kind": "mash_referral", "notes": "Referred by phone; MASH ref 1234."})
    assert response.status_code == 201
    shown = world.get(f"/api/v1/concerns/{cid}", world.officer).get_json()
    assert (shown["mash_referred_on"], shown["mash_referred_by"]) == ("2026-03-02", world.ids["officer"])
    event = world.audit("concern", cid)[-1]
    assert event.action == "concern.action.mash_referral"
    assert (event.before["mash_referred_on"], event.after["mash_referred_on"]) == (None, "2026-03-02")
    [item] = world.get("/api/v1/queue?kind=concern", world.officer).get_json()["items"]
    assert item["summary"] == "Safeguarding concern: referred to the MASH" and item["outstanding"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "letter"}, "recipient"),
        ({"kind": "letter", "recipient": {"name": "A", "address": " "}}, "recipient.address"),
        ({"kind": "unannounced_visit"}, "visit"),
        (
            {
                "kind": "unannounced_visit",
                "visit": {"place_kind": "castle", "address": "x", "planned_on": "2026-03-07"},
            },
            "visit.place_kind",
        ),
        ({"kind": "support_to_apply", "notes": "  "}, "notes"),
        ({"kind": "legal_action"}, "notes"),
        ({"kind": "mash_referral", "taken_on": "2026-03-03"}, "taken_on"),
        ({"kind": "mash_referral", "recipient": LETTER["recipient"]}, "recipient"),
        ({"kind": "phone_call"}, "kind"),
        ({"kind": "legal_action", "notes": "x" * 10_001}, "notes"),
    ],
)
def test_invalid_actions_are_422_naming_the_field(world, body, field):
    cid = concern_id(world, reported(world)["reference"])
    response = act(world, cid, body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert world.actions("concern", cid) == ["concern.reported"]


def test_a_visit_to_an_officer_who_is_not_staff_is_refused(world):
    cid = concern_id(world, reported(world)["reference"])
    visit = {
        "place_kind": "venue",
        "address": "x",
        "planned_on": "2026-03-07",
        "officer_id": world.ids["producer"],
    }
    response = act(world, cid, {"kind": "unannounced_visit", "visit": visit})
    assert response.status_code == 422 and "officer_id" in response.get_json()["errors"]
    assert world.actions("concern", cid) == ["concern.reported"]


# --- closure -------------------------------------------------------------------------------------------


def test_closing_records_the_outcome_and_nothing_more_can_be_done(world):
    cid = concern_id(world, reported(world, at_risk_now=True)["reference"])
    response = world.post(
        f"/api/v1/concerns/{cid}/closure",
        {"outcome": "licence_or_permit_obtained", "notes": "Permit applied for."},
        world.officer,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["outcome"], body["urgent"]) == (
        "closed",
        "licence_or_permit_obtained",
        False,
    )
    event = world.audit("concern", cid)[-1]
    assert event.action == "concern.closed" and event.before == {"status": "open"}
    assert event.after["outcome"] == "licence_or_permit_obtained"
    again = world.post(f"/api/v1/concerns/{cid}/closure", {"outcome": "stopped"}, world.officer)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert act(world, cid, LETTER).status_code == 409
    assert world.get("/api/v1/queue?kind=concern", world.officer).get_json()["items"] == []
    bad = world.post(f"/api/v1/concerns/{cid}/closure", {"outcome": "forgotten"}, world.officer)
    assert bad.status_code == 422 and "outcome" in bad.get_json()["errors"]
