"""The documents of a licence decision: what the licence says (Children and Young Persons Act 1963 s37;
Children (Performances and Activities) (England) Regulations 2014), the child's photo on it, the refusal
and revocation letters, the emails that carry them, and the same input giving the same bytes."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from licensing_service.models.decisions import LicenceDecision
from licensing_service.models.licences import PerformanceLicence
from licensing_service.services import licence_decisions
from licensing_service.services import licence_documents as docs
from shared import db
from shared.documents import Document
from shared.notify import OutboxMessage
from tests.licensing.builders import PARENT_EMAIL, TODAY_AT, LicensingWorld, day, days_from, jpeg
from tests.licensing.test_licence_decisions import (
    FIRST_DAY,
    HOLDER_EMAIL,
    HOST_EMAIL,
    OFFICER_NAME,
    grant,
    name_officer,
    path,
    ready,
    record_checks,
)

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in ("pdftotext", "pdfinfo", "pdfimages")),
        reason="needs poppler-utils (pdftotext, pdfinfo, pdfimages); CI installs it",
    ),
]

LATE_SHOW = day(
    FIRST_DAY + timedelta(days=4),
    kind="rehearsal",
    arrive="13:00",
    leave="21:30",
    performing=[{"start": "14:00", "end": "16:00"}, {"start": "18:30", "end": "20:45"}],
)


def poppler(tool: str, pdf: bytes, *args: str) -> str:
    command = [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, runs of white space made one space so that wrapped lines still match."""
    return " ".join(poppler("pdftotext", pdf).split())


def pdf_images(pdf: bytes) -> list[dict[str, str]]:
    lines = poppler("pdfimages", pdf, "-list").splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split(), strict=False)) for line in lines[2:]]


def fetch(world: LicensingWorld, licence: dict, name: str, headers=None) -> bytes:
    response = world.get(path(licence, f"documents/{name}"), headers or world.officer)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    return response.get_data()


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        yield world


@pytest.fixture
def granted(world) -> tuple[dict, dict]:
    licence = ready(world, days=[*days_from(FIRST_DAY), LATE_SHOW])
    body = grant(world, licence, conditions=["The child must not work with animals on set."])
    return licence, body


def test_the_licence_holds_what_the_law_and_the_people_using_it_need(world, granted):
    licence, body = granted
    text = pdf_text(fetch(world, licence, "licence.pdf"))
    number = body["licence_number"]
    expected = [
        "Child performance licence",
        "section 37 of the Children and Young Persons Act 1963",
        "Children (Performances and Activities) (England) Regulations 2014",
        f"Licence number {number}",
        "Valid from Wednesday 1 April 2026 to Sunday 5 April 2026",
        # the licence holder and the production
        "Example Theatre Company Ltd",
        "Person responsible Pat Producer",
        "A Christmas Carol",
        "Theatre Royal, Theatre Square, Nottingham",
        "Host authority Nottingham City Council",
        # the child
        "Zoë Example",
        "Date of birth Sunday 14 June 2015",
        # every day with its times
        "Wednesday 1 April 2026 Performance 09:00 to 17:00 10:00 to 11:30 1 hour 30 minutes",
        "Thursday 2 April 2026 Performance 09:00 to 17:00 10:00 to 11:30 1 hour 30 minutes",
        "Friday 3 April 2026 Performance 09:00 to 17:00 10:00 to 11:30 1 hour 30 minutes",
        "Sunday 5 April 2026 Rehearsal 13:00 to 21:30 14:00 to 16:00 18:30 to 20:45 4 hours 15 minutes",
        "Night work: not permitted.",
        # the chaperone and education
        "A chaperone approved by a local authority",
        "Approval number CH-2025-000123",
        "Up to 1 school day",
        "Private teacher Tess Tutor",
        "3 hours on each school day missed",
        # the standard conditions and the council's own
        "must not be at the place of performance or rehearsal, or perform, outside the times shown",
        "who must be present at all times",
        "no more than 12 children in their care at once",
        "at least 12 hours (regulation 24)",
        "more than 6 consecutive days (regulation 26)",
        "section 37(7) of the Children and Young Persons Act 1963",
        "section 40 of the Children and Young Persons Act 1963",
        "Added by the council: The child must not work with animals on set.",
        # who granted it and when
        f"Officer {OFFICER_NAME}",
        "Senior Professional Practitioner – Employment and Entertainment, Nottinghamshire County Council",
        "Date granted Monday 2 March 2026",
        # verification
        f"Verification reference: {number}",
        "go to http://localhost:5001/verify and enter the licence number",
        "data controller",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], text
    # Minimised: no home address, parent contact or medical information on a licence sent to others.
    for private in ("1 Example Street", "Mansfield", PARENT_EMAIL, "Sam Example"):
        assert private not in text


def test_the_licence_is_a_tagged_a4_pdf_with_the_childs_photo(world, granted):
    licence, _body = granted
    pdf = fetch(world, licence, "licence.pdf")
    info = {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in poppler("pdfinfo", pdf).splitlines())
    }
    assert info["Tagged"] == "yes"
    assert info["Page size"].startswith("595.276 x 841.89")
    [photo] = pdf_images(pdf)  # the QR code is drawn, not an image
    assert photo["type"] == "image" and photo["enc"] == "jpeg"
    assert (int(photo["width"]), int(photo["height"])) == (400, 400)  # the test photo, already small enough


def test_the_qr_code_leads_to_the_public_check_with_the_number_filled_in(world, granted):
    licence, body = granted
    number = body["licence_number"]
    with world.app.test_request_context():
        record = db.session().get(PerformanceLicence, licence["id"])
        [decision] = db.session().scalars(
            select(LicenceDecision).where(LicenceDecision.licence_id == record.id)
        )
        context = docs.licence_context(record, decision, [decision])
        assert context["verification_url"] == f"http://localhost:5001/verify?number={number}"
        assert context["qr"] == docs.qr_data_uri(context["verification_url"])
    svg = base64.b64decode(context["qr"].removeprefix("data:image/svg+xml;base64,")).decode()
    assert svg.startswith("<svg") and "<path" in svg


def test_a_large_photo_is_scaled_down_and_its_camera_data_dropped():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make, standing in for location data
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 3200), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    uri = docs.photo_data_uri(buffer.getvalue())
    assert uri is not None and uri.startswith("data:image/jpeg;base64,")
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as shown:
        assert shown.size == (398, 531)
        assert not shown.getexif()
    assert docs.photo_data_uri(b"\xff\xd8\xff not really a jpeg") is None
    assert docs.photo_data_uri(None) is None


def test_the_same_licence_renders_the_same_bytes(world, granted):
    licence, _body = granted
    stored = fetch(world, licence, "licence.pdf")
    with world.app.test_request_context():
        record = db.session().get(PerformanceLicence, licence["id"])
        [decision] = db.session().scalars(
            select(LicenceDecision).where(LicenceDecision.licence_id == record.id)
        )
        first = docs.render_licence(record, decision, [decision])
        second = docs.render_licence(record, decision, [decision])
    assert first == second == stored


def test_each_party_gets_the_licence_attached(world, granted):
    licence, body = granted
    pdf = fetch(world, licence, "licence.pdf")
    with world.app.app_context():
        messages = (
            db.session().scalars(select(OutboxMessage).where(OutboxMessage.document_id.is_not(None))).all()
        )
        attached = {m.to_address: db.session().get(Document, m.document_id) for m in messages}
        bodies = {m.to_address: m.body for m in messages}
        assert set(attached) == {HOLDER_EMAIL, HOST_EMAIL, PARENT_EMAIL}
        for document in attached.values():
            assert document.content == pdf and document.filename == f"{body['licence_number']}.pdf"
    assert bodies[HOLDER_EMAIL].startswith("Dear Pat Producer,")
    assert "Keep the licence, or a copy, at the place of performance" in bodies[HOLDER_EMAIL]
    assert bodies[HOST_EMAIL].startswith("Dear colleague,") and "your area" in bodies[HOST_EMAIL]
    assert bodies[PARENT_EMAIL].startswith("Dear Sam Example,")
    assert "Wednesday 1 April 2026 to Sunday 5 April 2026" in bodies[PARENT_EMAIL]


def test_night_work_permitted_is_printed_with_its_rest_rule(world):
    late = day(FIRST_DAY, arrive="14:00", leave="23:30", performing=[{"start": "22:00", "end": "23:15"}])
    licence = ready(world, days=[late], night_work=True, education=None)
    grant(world, licence)
    text = pdf_text(fetch(world, licence, "licence.pdf"))
    assert "Night work: permitted." in text
    assert "at least 16 hours must pass" in text
    assert "this licence does not authorise any absence from school" in text
    assert "Example Primary School" not in text  # no absence, so the school is not named


def test_a_parent_as_chaperone_is_named_on_the_licence(world):
    licence = ready(world, chaperone={"is_parent": True})
    grant(world, licence)
    assert "A parent of the child: Sam Example" in pdf_text(fetch(world, licence, "licence.pdf"))


def test_a_varied_licence_is_version_2_and_version_1_stays_as_sent(world, granted):
    licence, _body = granted
    version_1 = fetch(world, licence, "licence.pdf")
    changes = {"days": days_from(FIRST_DAY, 2), "conditions": ["Rest breaks every hour."]}
    response = world.post(
        path(licence, "variation"),
        {"reason": "The Sunday rehearsal is cancelled", "changes": changes},
        world.officer,
    )
    assert response.status_code == 200, response.get_json()
    version_2 = fetch(world, licence, "licence.pdf")
    assert fetch(world, licence, "licence.pdf?version=1") == version_1
    assert fetch(world, licence, "licence.pdf?version=2") == version_2
    text = pdf_text(version_2)
    assert "Version 2 (varied on Monday 2 March 2026)" in text
    assert (
        f"Varied (version 2) Monday 2 March 2026, by {OFFICER_NAME}: The Sunday rehearsal is cancelled"
        in text
    )
    assert "It replaces every earlier version" in text
    assert "Valid from Wednesday 1 April 2026 to Thursday 2 April 2026" in text
    assert "Sunday 5 April 2026" not in text and "Friday 3 April 2026" not in text
    assert "Added by the council: Rest breaks every hour." in text
    assert "animals" not in text
    with world.app.app_context():
        sent = (
            db.session().scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("varied"))).all()
        )
        assert {db.session().get(Document, m.document_id).content for m in sent} == {version_2}


def test_the_refusal_letter_gives_the_reason_and_what_to_do(world):
    licence = world.apply(FIRST_DAY)
    reason = "The school reports the child has already missed 12 days this term."
    world.post(path(licence), {"decision": "refuse", "reason": reason}, world.officer)
    pdf = fetch(world, licence, "refusal.pdf", world.producer)
    text = pdf_text(pdf)
    for phrase in (
        "Child performance licence refused",
        "Dear Pat Producer,",
        f"Our reference: {licence['reference']}",
        "Date: Monday 2 March 2026",
        "Copy to: Sam Example (parent or carer)",
        "Zoë Example",
        "A Christmas Carol",
        "from Wednesday 1 April 2026 to Friday 3 April 2026",
        reason,
        "section 40 of the Children and Young Persons Act 1963",
        "section 37(4)",
        "apply again",
        "appeal to a magistrates' court",
        OFFICER_NAME,
    ):
        assert phrase in text, phrase
    assert poppler("pdfinfo", pdf).count("Tagged:          yes") == 1
    with world.app.app_context():
        sent = db.session().scalars(select(OutboxMessage).where(OutboxMessage.document_id.is_not(None))).all()
        assert {m.to_address for m in sent} == {HOLDER_EMAIL, PARENT_EMAIL}
        assert {db.session().get(Document, m.document_id).content for m in sent} == {pdf}


def test_the_revocation_letter_says_the_licence_no_longer_stands(world, granted):
    licence, body = granted
    reason = "Inspection found the child performing without a chaperone."
    world.post(path(licence, "revocation"), {"reason": reason}, world.officer)
    pdf = fetch(world, licence, "revocation.pdf", world.producer)
    text = pdf_text(pdf)
    for phrase in (
        "Child performance licence revoked",
        f"Licence number: {body['licence_number']}",
        "Copies to: Sam Example (parent or carer); Nottingham City Council (host authority)",
        "section 39 of that Act",
        "From Monday 2 March 2026 the licence is no longer valid",
        reason,
        "appeal to a magistrates' court against the revocation",
    ):
        assert phrase in text, phrase
    with world.app.app_context():
        sent = (
            db.session().scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("revoked"))).all()
        )
        assert {m.to_address for m in sent} == {HOLDER_EMAIL, HOST_EMAIL, PARENT_EMAIL}
        assert {db.session().get(Document, m.document_id).content for m in sent} == {pdf}


def test_a_document_the_retention_job_removed_is_made_again_once(world, granted):
    licence, _body = granted
    original = fetch(world, licence, "licence.pdf")
    with world.app.app_context(), db.transaction():
        for document in db.session().scalars(select(Document)):
            db.session().delete(document)
    remade = fetch(world, licence, "licence.pdf")
    assert remade == original  # same data, same bytes
    assert fetch(world, licence, "licence.pdf") == remade
    with world.app.app_context():
        assert len(db.session().scalars(select(Document)).all()) == 1
        outcome = licence_decisions.outcome(db.session().get(PerformanceLicence, licence["id"]))
    assert [d["kind"] for d in outcome["documents"]] == ["licence"]


def test_a_big_photo_keeps_the_licence_small_enough_to_email(world):
    licence = world.apply(FIRST_DAY)
    assert world.complete_parent_part(photo=jpeg(3000, 4000)).status_code == 201
    record_checks(world, licence)
    grant(world, licence)
    pdf = fetch(world, licence, "licence.pdf")
    assert len(pdf) < 2 * 1024 * 1024 // 4
    [photo] = pdf_images(pdf)
    assert (int(photo["width"]), int(photo["height"])) == (398, 531)
