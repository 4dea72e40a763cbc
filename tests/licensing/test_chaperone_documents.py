"""The chaperone approval's documents: the approval letter, the ID card and the refusal letter, as their
text says (pdftotext) and rendered the same every time. Copies are kept in ``test-artifacts/chaperone``
to look at."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import time_machine

from licensing_service.models.chaperones import ChaperoneApproval
from licensing_service.services import chaperone_documents as docs
from shared import db
from tests.licensing.builders import jpeg
from tests.licensing.chaperone_builders import ChaperoneWorld

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "chaperone"
BASE = "/api/v1/chaperone-approvals"
# Tuesday 29 February 2028: the approval runs to the day before "3 years after" (28 February 2031).
LEAP_DAY = "2028-02-29 10:00 +0000"


def text_of(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def pages_of(content: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    line = next(x for x in result.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def keep(name: str, content: bytes) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


@pytest.fixture
def approved(licensing_app):
    with time_machine.travel(LEAP_DAY, tick=False):
        world = ChaperoneWorld(licensing_app)
        created = world.apply(kind="professional")
        world.client.put(
            f"{BASE}/{created['id']}/photo",
            data={"photo": (io.BytesIO(jpeg(600, 800)), "casey.jpg")},
            headers=world.applicant,
            content_type="multipart/form-data",
        )
        world.make_ready(created["id"])
        result = world.decide(created["id"], {"decision": "approve"})
        assert result.status_code == 200, result.get_json()
        yield world, result.get_json()


def test_an_approval_on_29_february_runs_to_27_february_three_years_on(approved):
    _world, result = approved
    assert (result["valid_from"], result["valid_until"]) == ("2028-02-29", "2031-02-27")
    assert result["approval_number"] == "NCC-CA-2028-00001"


def test_the_letter_says_who_is_approved_until_when_and_how_to_check(approved):
    world, result = approved
    content = world.get(f"{BASE}/{result['id']}/documents/approval_letter.pdf", world.applicant).data
    keep("approval-letter.pdf", content)
    text = text_of(content)
    for expected in (
        "Chaperone approval",
        "NCC-CA-2028-00001",
        "Casey Chaperone",
        "Professional chaperone",
        "Tuesday 29 February 2028",
        "Thursday 27 February 2031",
        "12 children",
        "/verify",
    ):
        assert expected in text, expected
    assert pages_of(content) == 1


def test_the_id_card_has_the_photo_number_and_end_date_but_not_the_date_of_birth(approved):
    world, result = approved
    content = world.get(f"{BASE}/{result['id']}/documents/id_card.pdf", world.applicant).data
    keep("id-card.pdf", content)
    text = text_of(content)
    for expected in (
        "Chaperone ID card",
        "Casey Chaperone",
        "NCC-CA-2028-00001",
        "27 February 2031",
        "verify",
    ):
        assert expected in text, expected
    assert "1990" not in text and "Example Road" not in text
    assert pages_of(content) == 1
    assert b"/Subtype /Image" in content  # the photo


def test_the_same_approval_renders_the_same_bytes(approved):
    world, result = approved
    with world.app.test_request_context():
        approval = db.session().get(ChaperoneApproval, result["id"])
        assert docs.render_card(approval) == docs.render_card(approval)
        assert docs.render_letter(approval) == docs.render_letter(approval)


def test_the_refusal_letter_gives_the_reason(licensing_app):
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False):
        world = ChaperoneWorld(licensing_app)
        created = world.apply()
        world.decide(created["id"], {"decision": "refuse", "reason": "The references raise concerns."})
        content = world.get(f"{BASE}/{created['id']}/documents/refusal_letter.pdf", world.applicant).data
    keep("refusal-letter.pdf", content)
    text = text_of(content)
    assert "not approved" in text and "The references raise concerns." in text and "CA-2026-000001" in text
    assert pages_of(content) == 1
