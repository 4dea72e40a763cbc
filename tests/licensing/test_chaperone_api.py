"""Chaperone approvals through the API: apply, references from the emailed links, checks, decision,
suspension and revocation; roles, owners, state conflicts, invalid input, audit and emails.

Today is Monday 2 March 2026.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
import time_machine

from licensing_service.services import chaperone_approvals
from tests.licensing.builders import jpeg, png
from tests.licensing.chaperone_builders import (
    CHAPERONE_EMAIL,
    NOW,
    REFEREES,
    TODAY,
    ChaperoneWorld,
    body,
)

BASE = "/api/v1/chaperone-approvals"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield ChaperoneWorld(licensing_app)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


# Applying ------------------------------------------------------------------------------------------------


def test_an_applicant_applies_and_each_referee_is_emailed_a_link(world):
    created = world.apply()
    assert created["reference"] == "CA-2026-000001"
    assert created["status"] == "submitted"
    assert created["received_on"] == "2026-03-02"
    assert created["decision_due_on"] == "2026-03-30"
    assert created["outstanding"] == ["dbs", "references", "database_check", "training"]
    assert created["checks"] is None  # the applicant never sees the checks
    assert [r["received"] for r in created["references"]] == [False, False]
    for email in REFEREES:
        (message,) = world.outbox(email)
        assert "/chaperone-reference/" in message.body and "Casey Chaperone" in message.body
    (received,) = world.outbox(CHAPERONE_EMAIL)
    assert "CA-2026-000001" in received.subject and "training" in received.body
    assert world.actions(created["id"]) == ["chaperone_approval.submitted"]


def test_the_applicant_must_be_18_on_the_day_received(world):
    # 18 today (born 2 March 2008): accepted. 18 tomorrow: refused.
    assert (
        world.post(BASE, body(applicant={"date_of_birth": "2008-03-02"}), world.applicant).status_code == 201
    )
    response = world.post(BASE, body(applicant={"date_of_birth": "2008-03-03"}), world.applicant)
    assert response.status_code == 422
    assert "applicant.date_of_birth" in response.get_json()["errors"]


def test_a_paper_application_keeps_the_date_received_and_an_applicants_does_not(world):
    paper = world.apply(world.officer, received_on="2026-02-16", applicant={"date_of_birth": "2008-02-16"})
    assert paper["received_on"] == "2026-02-16" and paper["decision_due_on"] == "2026-03-16"
    own = world.apply(received_on="2026-02-16")
    assert own["received_on"] == "2026-03-02"
    future = world.post(BASE, body(received_on="2026-03-03"), world.officer)
    assert future.status_code == 422 and "received_on" in future.get_json()["errors"]


@pytest.mark.parametrize(
    "relationship",
    ["Mother", "my brother", "Sister-in-law", "step-father", "Partner", "Cousin", "Family friend", "Grandma"],
)
def test_a_referee_who_is_family_is_refused(world, relationship):
    referees = body()["references"]
    referees[1]["relationship"] = relationship
    response = world.post(BASE, body(references=referees), world.applicant)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["references.1.relationship"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"references": body()["references"][:1]}, "references"),
        ({"references": body()["references"] * 2}, "references"),
        ({"kind": "occasional"}, "kind"),
        ({"dbs": {"certificate_number": "12345"}}, "dbs.certificate_number"),
        ({"dbs": {"issue_date": "2026-03-03"}}, "dbs.issue_date"),
        ({"applicant": {"date_of_birth": "1990-02-30"}}, "applicant.date_of_birth"),
        ({"applicant": {"email": "not an email"}}, "applicant.email"),
        ({"applicant": {"name": "   "}}, "applicant.name"),
        ({"applicant": {"name": "x" * 201}}, "applicant.name"),
        ({"applicant": "Casey"}, "applicant.body"),
        ({"database_check_consent": "maybe"}, "database_check_consent"),
        ({"renewal_of": 2**31}, "renewal_of"),
        ({"renewal_of": "1"}, "renewal_of"),
        ({"renewal_of": 999}, "renewal_of"),
        ({"applicant": {"address": "a\x00b"}}, "applicant.address"),
        (
            {"references": [{"name": "A", "email": "same@example.org", "relationship": "Friend"}] * 2},
            "references.1.email",
        ),
    ],
)
def test_invalid_applications_are_422_naming_the_field(world, changes, field):
    response = world.post(BASE, body(**changes), world.applicant)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"], response.get_json()


def test_malformed_bodies_are_never_a_server_error(world):
    for payload in ([], "text", 1, {"applicant": []}, {"references": {"a": 1}}):
        response = world.post(BASE, payload, world.applicant)
        assert response.status_code in (400, 422), payload
    response = world.client.post(
        BASE, data="{not json", headers={**world.applicant, "Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_roles_and_owners(world):
    assert world.post(BASE, body()).status_code == 401
    assert world.post(BASE, body(), world.school).status_code == 403
    mine = world.apply()
    theirs = world.apply(world.other, applicant={"email": "other.person@example.org"})
    assert world.get(f"{BASE}/{mine['id']}", world.other).status_code == 404
    assert world.get(f"{BASE}/{theirs['id']}", world.other).status_code == 200
    listed = world.get(BASE, world.applicant).get_json()
    assert [a["id"] for a in listed["items"]] == [mine["id"]] and listed["total"] == 1
    assert world.get(BASE, world.officer).get_json()["total"] == 2
    assert world.get(f"{BASE}/2147483648", world.officer).status_code == 404
    for path, payload in (
        ("checks", {"kind": "dbs", "outcome": "clear"}),
        ("decision", {"decision": "refuse", "reason": "No"}),
        ("suspension", {"reason": "x"}),
        ("revocation", {"reason": "x"}),
        ("reinstatement", {"reason": "x"}),
    ):
        assert world.post(f"{BASE}/{mine['id']}/{path}", payload, world.applicant).status_code == 403


def test_the_list_is_paginated_and_filtered_by_status(world):
    for _ in range(3):
        world.apply()
    first = world.get(f"{BASE}?page=1&page_size=2", world.officer).get_json()
    assert len(first["items"]) == 2 and first["total"] == 3
    world.check(1, "dbs")
    filtered = world.get(f"{BASE}?status=checks_in_progress", world.officer).get_json()
    assert [a["id"] for a in filtered["items"]] == [1]
    assert world.get(f"{BASE}?status=pending", world.officer).status_code == 422
    assert world.get(f"{BASE}?page_size=101", world.officer).status_code == 422


# References ------------------------------------------------------------------------------------------------


def test_a_referee_answers_once_from_the_link(world):
    created = world.apply()
    token = world.referee_token(REFEREES[0])
    view = world.get(f"/api/v1/chaperone-references/{token}").get_json()
    assert view["applicant_name"] == "Casey Chaperone" and "address" not in view
    assert world.post(f"/api/v1/chaperone-references/{token}", {"known_for": "6 years"}).status_code == 422
    answered = world.give_reference(REFEREES[0])
    assert answered.status_code == 201 and answered.get_json()["received"] is True
    again = world.post(f"/api/v1/chaperone-references/{token}", {"known_for": "x"})
    assert world.give_reference(REFEREES[0]).status_code == 410 and again.status_code in (410, 422)
    assert world.get("/api/v1/chaperone-references/unknown-token").status_code == 404
    shown = world.approval(created["id"])
    assert shown["references"][0]["received"] is True and shown["references"][0]["known_for"] == "6 years"
    own = world.approval(created["id"], world.applicant)
    assert own["references"][0]["received"] is True and "known_for" not in own["references"][0]
    assert "chaperone_approval.reference_received" in world.actions(created["id"])
    assert "1 of 2 references" in world.outbox(CHAPERONE_EMAIL)[-1].body


def test_a_referee_who_thinks_the_applicant_unsuitable_must_say_why(world):
    world.apply()
    response = world.give_reference(REFEREES[0], suitable=False, comments="")
    assert response.status_code == 422 and "comments" in response.get_json()["errors"]
    assert world.give_reference(REFEREES[0], declaration=False).status_code == 422
    assert world.give_reference(REFEREES[0], suitable=False, comments="Often late.").status_code == 201


# Checks ------------------------------------------------------------------------------------------------


def test_checks_move_the_application_on_and_follow_the_rules(world):
    created = world.apply(database_check_consent=False)
    response = world.check(created["id"], "dbs", "concerns", "")
    assert response.status_code == 422 and "notes" in response.get_json()["errors"]
    assert world.check(created["id"], "dbs").get_json()["status"] == "checks_in_progress"
    assert world.check(created["id"], "database_check").status_code == 409  # no consent
    assert world.check(created["id"], "references").status_code == 409  # no references yet
    world.give_both_references()
    assert world.check(created["id"], "references").status_code == 200
    assert world.check(created["id"], "dbs", "bogus").status_code == 422
    assert world.check(created["id"], "medical").status_code == 422
    shown = world.approval(created["id"])
    assert {c["kind"]: c["outcome"] for c in shown["checks"]} == {"dbs": "clear", "references": "clear"}
    assert shown["outstanding"] == ["database_check", "training"]
    assert world.actions(created["id"]).count("chaperone_approval.check_recorded") == 2


# Decision ------------------------------------------------------------------------------------------------


def test_approval_names_every_missing_item(world):
    created = world.apply(database_check_consent=False)
    response = world.decide(created["id"], {"decision": "approve"})
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["missing"] == ["dbs", "references", "database_check", "training"]
    assert set(problem["errors"]) == {"dbs", "references", "database_check", "training"}
    assert "consented" in problem["errors"]["database_check"][0]


def test_an_approval_is_numbered_valid_three_years_and_sent_with_its_documents(world):
    created = world.apply()
    world.make_ready(created["id"])
    decided = world.decide(created["id"], {"decision": "approve"})
    assert decided.status_code == 200, decided.get_json()
    result = decided.get_json()
    assert result["status"] == "approved"
    assert result["approval_number"] == f"NCC-CA-2026-{created['id']:05d}"
    assert (result["valid_from"], result["valid_until"]) == ("2026-03-02", "2029-03-01")
    assert {d["kind"] for d in result["documents"]} == {"approval_letter", "id_card"}
    approved, card = world.outbox(CHAPERONE_EMAIL)[-2:]
    assert approved.document_id and card.document_id and approved.document_id != card.document_id
    assert "NCC-CA-2026-00001" in approved.subject
    assert world.actions(created["id"])[-1] == "chaperone_approval.approved"
    assert world.decide(created["id"], {"decision": "refuse", "reason": "x"}).status_code == 409
    letter = world.get(f"{BASE}/{created['id']}/documents/approval_letter.pdf", world.applicant)
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = pdf_text(letter.data)
    assert "NCC-CA-2026-00001" in text and "Casey Chaperone" in text and "Thursday 1 March 2029" in text
    card_pdf = world.get(f"{BASE}/{created['id']}/documents/id_card.pdf", world.applicant)
    card_text = pdf_text(card_pdf.data)
    assert "NCC-CA-2026-00001" in card_text and "1 March 2029" in card_text and "verify" in card_text
    assert (
        world.get(f"{BASE}/{created['id']}/documents/refusal_letter.pdf", world.applicant).status_code == 404
    )
    assert world.get(f"{BASE}/{created['id']}/documents/id_card.pdf", world.other).status_code == 404


def test_a_check_with_concerns_needs_a_reason_to_approve(world):
    created = world.apply()
    world.make_ready(created["id"], dbs="concerns")
    response = world.decide(created["id"], {"decision": "approve"})
    assert response.status_code == 409 and response.get_json()["missing"] == ["concerns_reason"]
    assert "reason" in response.get_json()["errors"]
    ok = world.decide(created["id"], {"decision": "approve", "reason": "A minor caution 17 years ago."})
    assert ok.status_code == 200 and ok.get_json()["reason"] == "A minor caution 17 years ago."


def test_an_approval_date_may_be_given_but_not_in_the_future(world):
    created = world.apply(world.officer, received_on="2026-02-20")
    world.make_ready(created["id"])
    future = world.decide(created["id"], {"decision": "approve", "approved_on": "2026-03-03"})
    assert future.status_code == 422 and "approved_on" in future.get_json()["errors"]
    early = world.decide(created["id"], {"decision": "approve", "approved_on": "2026-02-19"})
    assert early.status_code == 422
    ok = world.decide(created["id"], {"decision": "approve", "approved_on": "2026-02-27"}).get_json()
    assert (ok["valid_from"], ok["valid_until"]) == ("2026-02-27", "2029-02-26")


def test_a_refusal_needs_a_reason_and_sends_a_letter(world):
    created = world.apply()
    assert world.decide(created["id"], {"decision": "refuse"}).status_code == 422
    assert world.decide(created["id"], {"decision": "maybe"}).status_code == 422
    refused = world.decide(
        created["id"], {"decision": "refuse", "reason": "The DBS certificate shows concerns."}
    )
    assert refused.status_code == 200 and refused.get_json()["status"] == "refused"
    message = world.outbox(CHAPERONE_EMAIL)[-1]
    assert "not approved" in message.subject and message.document_id
    letter = world.get(f"{BASE}/{created['id']}/documents/refusal_letter.pdf", world.applicant)
    assert "The DBS certificate shows concerns." in pdf_text(letter.data)
    assert world.get(f"/api/v1/chaperone-references/{world.referee_token(REFEREES[0])}").status_code == 410


# Renewals ------------------------------------------------------------------------------------------------


def test_a_renewal_needs_no_training(world):
    first = world.apply()
    world.make_ready(first["id"])
    world.decide(first["id"], {"decision": "approve"})
    assert (
        world.post(
            BASE, body(renewal_of=first["id"], applicant={"name": "Someone Else"}), world.applicant
        ).status_code
        == 422
    )
    renewal = world.apply(renewal_of=first["id"])
    assert renewal["renewal_of"] == first["id"] and renewal["outstanding"] == [
        "dbs",
        "references",
        "database_check",
    ]
    for kind in ("dbs", "database_check"):
        world.check(renewal["id"], kind)
    for email in REFEREES:
        assert world.give_reference(email).status_code == 201
    world.check(renewal["id"], "references")
    approved = world.decide(renewal["id"], {"decision": "approve"})
    assert approved.status_code == 200, approved.get_json()
    # Only an approved or expired approval can be renewed, and only its holder's.
    pending = world.apply()
    assert world.post(BASE, body(renewal_of=pending["id"]), world.applicant).status_code == 422
    assert world.post(BASE, body(renewal_of=first["id"]), world.other).status_code == 422


# Suspension, reinstatement and revocation -------------------------------------------------------------


def test_suspend_reinstate_and_revoke(world):
    created = world.apply()
    assert world.post(f"{BASE}/{created['id']}/suspension", {"reason": "x"}, world.officer).status_code == 409
    world.make_ready(created["id"])
    world.decide(created["id"], {"decision": "approve"})
    assert world.post(f"{BASE}/{created['id']}/suspension", {"reason": " "}, world.officer).status_code == 422
    suspended = world.post(
        f"{BASE}/{created['id']}/suspension", {"reason": "Allegation under investigation"}, world.officer
    )
    assert suspended.get_json()["status"] == "suspended"
    assert "suspended" in world.outbox(CHAPERONE_EMAIL)[-1].subject
    number = suspended.get_json()["approval_number"]
    with world.app.app_context():
        assert chaperone_approvals.verification(number, date(1990, 5, 1))["valid"] is False
    reinstated = world.post(
        f"{BASE}/{created['id']}/reinstatement", {"reason": "No further action"}, world.officer
    )
    assert reinstated.get_json()["status"] == "approved"
    with world.app.app_context():
        assert chaperone_approvals.verification(number, date(1990, 5, 1)) == {
            "valid": True,
            "valid_until": date(2029, 3, 1),
            "kind": "chaperone_approval",
        }
    revoked = world.post(f"{BASE}/{created['id']}/revocation", {"reason": "Conviction"}, world.officer)
    assert revoked.get_json()["status"] == "revoked" and revoked.get_json()["status_reason"] == "Conviction"
    assert "revoked" in world.outbox(CHAPERONE_EMAIL)[-1].subject
    assert (
        world.post(f"{BASE}/{created['id']}/revocation", {"reason": "again"}, world.officer).status_code
        == 409
    )
    assert world.actions(created["id"])[-3:] == [
        "chaperone_approval.suspended",
        "chaperone_approval.reinstated",
        "chaperone_approval.revoked",
    ]
    with world.app.app_context():
        assert chaperone_approvals.verification(number, date(1990, 5, 1))["valid"] is False
        assert chaperone_approvals.verification(number, date(1990, 5, 2)) is None
        assert chaperone_approvals.verification("NCC-CA-2026-99999", date(1990, 5, 1)) is None
        assert chaperone_approvals.validity(number) == {
            "status": "revoked",
            "valid_from": date(2026, 3, 2),
            "valid_until": date(2029, 3, 1),
        }
        assert chaperone_approvals.validity("nonsense") is None


def test_verification_is_valid_only_within_the_period(world):
    created = world.apply()
    world.make_ready(created["id"])
    number = world.decide(created["id"], {"decision": "approve"}).get_json()["approval_number"]
    with world.app.app_context():
        check = chaperone_approvals.verification
        assert check(number, date(1990, 5, 1), today=date(2029, 3, 1))["valid"] is True
        assert check(number, date(1990, 5, 1), today=date(2029, 3, 2))["valid"] is False
        assert check(number.lower(), date(1990, 5, 1), today=date(2026, 3, 1))["valid"] is False


# Photo ------------------------------------------------------------------------------------------------


def test_the_photo_is_checked_and_printed_on_the_card(world):
    created = world.apply()
    path = f"{BASE}/{created['id']}/photo"

    def upload(content: bytes, headers=None, name="me.png"):
        return world.client.put(
            path,
            data={"photo": (io.BytesIO(content), name)},
            headers=headers or world.applicant,
            content_type="multipart/form-data",
        )

    assert upload(b"%PDF-1.4 not a photo", name="me.jpg").status_code == 422
    assert upload(png(100, 100)).status_code == 422
    assert upload(png(), world.other).status_code == 404
    assert upload(jpeg()).get_json()["photo"] is True
    assert "chaperone_approval.photo_uploaded" in world.actions(created["id"])
    world.decide(created["id"], {"decision": "refuse", "reason": "Withdrawn"})
    assert upload(png()).status_code == 409


# Queue ------------------------------------------------------------------------------------------------


def test_open_applications_are_on_the_officers_queue(world):
    created = world.apply()
    world.check(created["id"], "dbs")
    with world.app.app_context():
        (row,) = chaperone_approvals.queue_rows(("submitted", "checks_in_progress"), 10, TODAY)
        assert row["outstanding"] == ["references", "database_check", "training"]
        assert row["due_on"] == date(2026, 3, 30) and row["overdue"] is False
        assert chaperone_approvals.queue_rows(("checks_in_progress",), 10, date(2026, 3, 31))[0]["overdue"]
        assert chaperone_approvals.queue_count(("submitted",)) == 0
    queue = world.get("/api/v1/queue?kind=chaperone_approval", world.officer)
    if queue.status_code == 200:
        assert [i["reference"] for i in queue.get_json()["items"]] == [created["reference"]]
