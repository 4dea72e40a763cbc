"""Attendance enforcement letters: each step 4 weeks after the last, each a letter."""

from __future__ import annotations

import subprocess

import pytest

from tests.penalty.builders import SCHOOL_URN, PenaltyWorld


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


def letter(world, issued_on, name="Sam Example"):
    body = {
        "school_urn": SCHOOL_URN,
        "pupil": {"first_name": "Zoë", "last_name": "Example", "upn": "a123456789012"},
        "parent": {"name": name, "address": "1 Example Street, Mansfield NG18 1AA"},
        "issued_on": issued_on,
    }
    return world.post("/api/v1/enforcement-letters", body, world.officer)


def test_letters_follow_each_other_after_four_weeks(world, tmp_path):
    first = letter(world, "2026-01-05")
    assert first.status_code == 201
    assert (first.get_json()["step"], first.get_json()["next_step_due_on"]) == (
        "notice_to_attend",
        "2026-02-02",
    )

    early = letter(world, "2026-02-01")
    assert early.status_code == 409 and "Monday 2 February 2026" in early.get_json()["detail"]

    second = letter(world, "2026-02-02", name="SAM  example")  # the same parent, however typed
    assert second.get_json()["step"] == "formal_warning"
    third = letter(world, "2026-03-02")
    assert (third.get_json()["step"], third.get_json()["next_step_due_on"]) == ("court_action", "2026-03-30")
    fourth = letter(world, "2026-04-20")
    assert fourth.status_code == 409 and "prosecution" in fourth.get_json()["detail"]

    pdf = tmp_path / "court.pdf"
    pdf.write_bytes(world.get(third.get_json()["letter"], world.officer).data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert (
        "Court Action Letter" in text and "Monday 5 January 2026" in text and "Monday 2 February 2026" in text
    )


def test_another_parent_starts_their_own_sequence_and_schools_cannot_send_letters(world):
    assert letter(world, "2026-01-05").status_code == 201
    other = letter(world, "2026-01-06", name="Alex Example")
    assert other.get_json()["step"] == "notice_to_attend"
    body = {
        "school_urn": SCHOOL_URN,
        "pupil": {"first_name": "Z", "last_name": "E", "upn": "A123456789012"},
        "parent": {"name": "P", "address": "x"},
    }
    assert world.post("/api/v1/enforcement-letters", body, world.school).status_code == 403
