"""The employment permit and letters as PDFs: what the law needs printed, checked with ``pdftotext``; the
same permit renders the same bytes."""

from __future__ import annotations

import subprocess

import pytest
import time_machine

from licensing_service.models.employment import EmploymentPermit
from licensing_service.services import permit_documents
from shared import db
from tests.licensing.employment_builders import ON_TIME, EmploymentWorld


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(ON_TIME, tick=False):
        yield EmploymentWorld(licensing_app)


def test_the_permit_prints_the_hours_and_conditions(world):
    granted = world.granted()
    pdf = world.get(f"/api/v1/employment-permits/{granted['id']}/documents/permit.pdf", world.officer).data
    text = pdf_text(pdf)
    for expected in [
        "Child employment permit",
        granted["permit_number"],
        "Corner Shop Ltd",
        "Alex Example",
        "Monday 14 May 2012",
        "from Monday 9 November 2026 to Monday 8 November 2027",
        "Hours permitted in term time",
        "Hours permitted in the school holidays",
        "07:00 to 08:00",  # Monday's paper round
        "Tuesday 09:00 to 15:00",  # a holiday Tuesday, with its break
        "12:00 to 13:00",
        "Each week 7 hours",
        "never during school hours, before 07:00 or after 19:00",
        "2 consecutive weeks without work",
        "Verification reference",
        "/verify",
    ]:
        assert expected in text, expected
    assert "1 Example Street" not in text  # the child's address is not on the permit
    with world.app.app_context():
        permit = db.session().get(EmploymentPermit, granted["id"])
        assert permit_documents.render_permit(permit, "Officer no. 1") == permit_documents.render_permit(
            permit, "Officer no. 1"
        )


def test_refusal_and_revocation_letters(world):
    permit = world.apply_permit()
    world.decide(permit["id"], decision="refuse", reason="The job is in a commercial kitchen.")
    refusal = pdf_text(
        world.get(f"/api/v1/employment-permits/{permit['id']}/documents/refusal.pdf", world.officer).data
    )
    assert "Child employment permit refused" in refusal
    assert "The job is in a commercial kitchen." in refusal
    assert "Copy to: Sam Parent" in refusal
    granted = world.granted()
    world.post(
        f"/api/v1/employment-permits/{granted['id']}/revocation",
        {"reason": "Found working at 21:00."},
        world.officer,
    )
    letter = pdf_text(
        world.get(f"/api/v1/employment-permits/{granted['id']}/documents/revocation.pdf", world.officer).data
    )
    assert "Child employment permit revoked" in letter
    assert granted["permit_number"] in letter
    assert "Found working at 21:00." in letter
