"""Penalty documents: the notice's statutory contents, the school's outcome letter, their emails, and the
retry of a failed render, all through the API on a real database."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import func, select, update

from penalty_service.models import PenaltyNotice
from penalty_service.services import documents as document_service
from shared import audit, db, scheduler
from shared import documents as shared_documents
from shared.documents import Document
from shared.notify import OutboxMessage
from shared.users import User
from tests.penalty.builders import PenaltyWorld

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="needs poppler-utils (pdftotext, pdfinfo); CI installs it",
    ),
]

PARENT = {
    "name": "Sam Example",
    "address": "1 Example Street, Mansfield NG18 1AA",
    "relationship": "mother",
    "email": "sam@example.org",
}
SCHOOL_EMAIL = "office122000@example.org"
OFFICER_NAME = "Jo Bloggs"
# Posted on Monday 26 January 2026: served on the second working day after, Wednesday 28 January; day 21
# is Tuesday 17 February and day 28 Tuesday 24 February.
ISSUE = {"issue_date": "2026-01-26", "posted_on": "2026-01-26"}


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, runs of white space made one space so that wrapped lines still match."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode().split())


def pdf_info(pdf: bytes) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    lines = out.stdout.decode().splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    world = PenaltyWorld(penalty_app)
    with penalty_app.app_context(), db.transaction():
        db.session().execute(
            update(User).where(User.email == "officer@example.org").values(name=OFFICER_NAME)
        )
    return world


def issue(world: PenaltyWorld, parents=None, **decision) -> dict:
    created = world.request(headers=world.school, parents=parents or [PARENT])
    return world.decide(created["id"], **(decision or ISSUE)) | {"request_id": created["id"]}


def fetch_pdf(world: PenaltyWorld, path: str, headers: dict) -> bytes:
    response = world.get(path, headers)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    return response.get_data()


def notice_path(notice_id: int) -> str:
    return f"/api/v1/penalty-notices/{notice_id}/document.pdf"


def letter_path(request_id: int) -> str:
    return f"/api/v1/penalty-requests/{request_id}/school-letter.pdf"


def outbox(app, **where) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)
        return list(db.session().scalars(query))


def stored(app, object_type: str, object_id: int, kind: str) -> list[Document]:
    with app.app_context():
        query = select(Document).where(
            Document.object_type == object_type, Document.object_id == str(object_id), Document.kind == kind
        )
        return list(db.session().scalars(query))


def test_penalty_notice_holds_every_statutory_content(world):
    notice = issue(world)["notices"][0]
    text = pdf_text(fetch_pdf(world, notice_path(notice["id"]), world.officer))
    number = notice["notice_number"]

    expected = [
        "Penalty notice",
        # the recipient's name and address
        "Sam Example",
        "1 Example Street, Mansfield NG18 1AA",
        # the child (name, date of birth, address) and the school
        "Zoë Example",
        "Friday 2 May 2014",
        "Example Primary School",
        # the offence and its period (first to last counted absence)
        "section 444(1) of the Education Act 1996",
        "irregular attendance",
        "Period of the offence: from Monday 12 January 2026 to Friday 16 January 2026",
        # the date of issue and the issuing officer
        "Date of issue: Monday 26 January 2026",
        f"Authorised officer {OFFICER_NAME}",
        "Education Enforcement Officer, Nottinghamshire County Council",
        # the amounts and periods in plain words, and the date of service
        "£80 if paid within 21 days of receipt — by Tuesday 17 February 2026 — or £160 if paid after 21 days "
        "but within 28 days — by Tuesday 24 February 2026.",
        "£80 if paid by Tuesday 17 February 2026",
        "£160 if paid by Tuesday 24 February 2026",
        "Served on: Wednesday 28 January 2026",
        "posted to you by first-class post on Monday 26 January 2026",
        # how to pay, with the notice number as the payment reference
        f"Notice number (payment reference) {number}",
        "www.nottinghamshire.gov.uk/pay",
        "0300 500 80 80",
        f"quoting the notice number {number} as your payment reference",
        "County Hall, West Bridgford, Nottingham NG2 7QP",
        # payment discharges liability
        "discharges your liability for the offence",
        "you will not be prosecuted for the offence in this notice",
        # consequences of not paying
        "under section 444 of the Education Act 1996",
        "fine you up to £1,000",
        "up to £2,500",
        "criminal record",
        "parenting order",
        # the withdrawal grounds and how to ask
        "The notice was not issued in line with the code of conduct",
        "The notice was issued to the wrong person",
        "The notice contains a material error",
        "The notice was not paid and the council will not prosecute",
        "education.enforcement@nottscc.gov.uk",
        # data protection
        "data controller",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert missing == [], text
    assert text.count(number) >= 3
    assert "no lower amount" not in text


def test_notice_is_a4_tagged_and_renders_the_same_bytes_twice(world, penalty_app):
    notice = issue(world)["notices"][0]
    served = fetch_pdf(world, notice_path(notice["id"]), world.officer)
    info = pdf_info(served)
    assert "(A4)" in info["Page size"]
    assert info["Tagged"] == "yes"
    assert info["Title"] == f"Penalty notice {notice['notice_number']}"

    with penalty_app.app_context(), penalty_app.test_request_context():
        record = db.session().get(PenaltyNotice, notice["id"])
        first = shared_documents.render_pdf("penalty_notice.html", **document_service.notice_context(record))
        second = shared_documents.render_pdf("penalty_notice.html", **document_service.notice_context(record))
    assert first == second == served
    assert fetch_pdf(world, notice_path(notice["id"]), world.officer) == served  # stored, not made again
    assert len(stored(penalty_app, "penalty_notice", notice["id"], "notice")) == 1


def test_a_school_gets_only_its_own_documents(world):
    decision = issue(world)
    notice_id, request_id = decision["notices"][0]["id"], decision["request_id"]
    assert world.get(notice_path(notice_id), world.other_school).status_code == 404
    assert world.get(letter_path(request_id), world.other_school).status_code == 404
    assert world.get(notice_path(notice_id), {}).status_code == 401
    assert world.get(notice_path(2147483647), world.officer).status_code == 404
    mine = fetch_pdf(world, notice_path(notice_id), world.school)
    assert mine == fetch_pdf(world, notice_path(notice_id), world.officer)
    fetch_pdf(world, letter_path(request_id), world.school)


def test_second_notice_has_no_lower_amount(world):
    issue(world)
    second = issue(world, issue_date="2026-03-02", posted_on="2026-03-02")["notices"][0]
    assert second["amount_lower_pence"] is None
    text = pdf_text(fetch_pdf(world, notice_path(second["id"]), world.officer))
    assert "£160 if paid within 28 days of receipt — by Tuesday 31 March 2026." in text
    assert "Served on: Wednesday 4 March 2026" in text
    assert "second penalty notice issued to you for this child within 3 years" in text
    assert "£80" not in text
    assert "21 days" not in text


def test_excluded_pupil_notice_has_the_section_103_wording(world):
    created = world.request(headers=world.school, parents=[PARENT], offence="excluded_pupil_in_public_place")
    notice = world.decide(created["id"], **ISSUE)["notices"][0]
    text = pdf_text(fetch_pdf(world, notice_path(notice["id"]), world.officer))
    assert "Excluded pupil present in a public place during school hours" in text
    assert "section 103 of the Education and Inspections Act 2006" in text
    assert "section 105 of the Education and Inspections Act 2006" in text
    assert "first five school days of the exclusion" in text
    assert "£60 if paid within 21 days of receipt — by Tuesday 17 February 2026" in text
    assert "£120 if paid after 21 days but within 28 days — by Tuesday 24 February 2026" in text
    assert "444" not in text and "parenting order" not in text


def test_parent_and_school_are_emailed_once_with_the_documents_attached(world, penalty_app):
    two_parents = [PARENT, {**PARENT, "name": "Alex Example", "email": None, "relationship": "father"}]
    decision = issue(world, parents=two_parents)
    sam, alex = decision["notices"]

    notice_document = stored(penalty_app, "penalty_notice", sam["id"], "notice")
    assert len(notice_document) == 1 and notice_document[0].filename == f"{sam['notice_number']}.pdf"
    emails = outbox(penalty_app, to_address="sam@example.org")
    assert len(emails) == 1
    assert emails[0].document_id == notice_document[0].id
    assert emails[0].object_type == "penalty_notice" and emails[0].object_id == str(sam["id"])
    assert sam["notice_number"] in emails[0].subject and sam["notice_number"] in emails[0].body
    # A parent with no email address still has the notice made (it goes by post), and no email.
    assert len(stored(penalty_app, "penalty_notice", alex["id"], "notice")) == 1
    assert outbox(penalty_app, object_type="penalty_notice", object_id=str(alex["id"])) == []

    letter = stored(penalty_app, "penalty_request", decision["request_id"], "school_letter")
    assert len(letter) == 1
    school_emails = outbox(penalty_app, to_address=SCHOOL_EMAIL)
    assert len(school_emails) == 1 and school_emails[0].document_id == letter[0].id

    with penalty_app.app_context():  # running it again (the job, a retry) makes nothing twice
        again = document_service.after_issue([sam["id"], alex["id"]])
        assert sum(again.values()) == 0
        created = db.session().scalars(
            select(audit.AuditEvent).where(audit.AuditEvent.action == "document.created")
        )
        assert sorted((e.object_type, e.object_id) for e in created) == sorted(
            [
                ("penalty_notice", str(sam["id"])),
                ("penalty_notice", str(alex["id"])),
                ("penalty_request", str(decision["request_id"])),
            ]
        )
    assert len(outbox(penalty_app)) == 2


def test_school_letter_lists_the_notices_issued(world):
    decision = issue(world)
    notice = decision["notices"][0]
    text = pdf_text(fetch_pdf(world, letter_path(decision["request_id"]), world.school))
    for phrase in (
        "Your request for penalty notices: outcome",
        "Example Primary School",
        "Zoë Example",
        "1 penalty notice issued",
        "Sam Example",
        notice["notice_number"],
        "£80 by Tuesday 17 February 2026, otherwise £160",
        "Tuesday 24 February 2026",
        "Wednesday 28 January 2026",
        OFFICER_NAME,
    ):
        assert phrase in text, phrase


def test_school_letter_says_why_no_notice_was_issued(world, penalty_app):
    issue(world)
    issue(world, issue_date="2026-03-02", posted_on="2026-03-02")
    blocked = issue(world, issue_date="2026-04-20", posted_on="2026-04-20")
    assert blocked["status"] == "other_enforcement" and blocked["notices"] == []
    # No notice was issued, so the letter is made by the job (or on first request).
    with penalty_app.app_context():
        counts = scheduler.run_job("render-documents").counts
    assert counts["school_letters"] == 1 and counts["school_emails"] == 1
    text = pdf_text(fetch_pdf(world, letter_path(blocked["request_id"]), world.school))
    assert "No penalty notice issued: the limit of notices has been reached" in text
    assert "Not issued: 2 notices already issued to this parent for this child" in text
    assert "prosecution under section 444 of the Education Act 1996" in text

    created = world.request(headers=world.school, parents=[PARENT])
    response = world.post(
        f"/api/v1/penalty-requests/{created['id']}/decision",
        {"decision": "reject", "reason": "The school has not issued a notice to improve"},
        world.officer,
    )
    assert response.status_code == 200
    text = pdf_text(fetch_pdf(world, letter_path(created["id"]), world.school))
    assert "the request was rejected" in text
    assert "Reason: The school has not issued a notice to improve" in text


def test_no_letter_before_the_request_is_decided(world):
    created = world.request(headers=world.school, parents=[PARENT])
    response = world.get(letter_path(created["id"]), world.school)
    assert response.status_code == 409


def test_a_failed_render_never_undoes_the_decision_and_the_job_retries_it(world, penalty_app, monkeypatch):
    real_render = shared_documents.render_pdf
    calls = {"n": 0}

    def fails_once(template, **context):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("simulated WeasyPrint fault")
        return real_render(template, **context)

    monkeypatch.setattr(shared_documents, "render_pdf", fails_once)
    decision = issue(world)
    assert decision["status"] == "issued"
    notice = decision["notices"][0]
    assert (
        world.get(f"/api/v1/penalty-notices/{notice['id']}", world.officer).get_json()["status"] == "issued"
    )
    assert stored(penalty_app, "penalty_notice", notice["id"], "notice") == []
    assert outbox(penalty_app, to_address="sam@example.org") == []

    with penalty_app.app_context():
        run = scheduler.run_job("render-documents")
        assert run.outcome == "succeeded"
        assert run.counts["notice_documents"] == 1 and run.counts["parent_emails"] == 1
        again = scheduler.run_job("render-documents")
        assert again.counts["notices_checked"] == 0 and again.counts["parent_emails"] == 0
        assert db.session().scalar(select(func.count()).select_from(Document)) == 2  # notice + letter

    document = stored(penalty_app, "penalty_notice", notice["id"], "notice")
    assert len(document) == 1
    emails = outbox(penalty_app, to_address="sam@example.org")
    assert len(emails) == 1 and emails[0].document_id == document[0].id
    assert len(outbox(penalty_app, to_address=SCHOOL_EMAIL)) == 1


def test_two_makers_at_once_make_one_document_and_one_email(world, penalty_app, monkeypatch):
    """While one maker renders, another makes everything; the first then finds it under the lock."""
    real_render = shared_documents.render_pdf
    mode = {"now": "fail"}

    def racing(template, **context):
        if mode["now"] == "fail":
            raise RuntimeError("simulated WeasyPrint fault")
        if mode["now"] == "race":
            mode["now"] = "real"
            with penalty_app.app_context():  # the other maker: its own context, session and transactions
                document_service.after_issue([context["notice"].id])
        return real_render(template, **context)

    monkeypatch.setattr(shared_documents, "render_pdf", racing)
    decision = issue(world)
    notice_id = decision["notices"][0]["id"]
    assert stored(penalty_app, "penalty_notice", notice_id, "notice") == []

    mode["now"] = "race"
    with penalty_app.app_context():
        counts = document_service.after_issue([notice_id])
    assert counts["notice_documents"] == 0 and counts["parent_emails"] == 0 and counts["failed"] == 0
    assert len(stored(penalty_app, "penalty_notice", notice_id, "notice")) == 1
    assert len(stored(penalty_app, "penalty_request", decision["request_id"], "school_letter")) == 1
    assert len(outbox(penalty_app, to_address="sam@example.org")) == 1
    assert len(outbox(penalty_app, to_address=SCHOOL_EMAIL)) == 1


def test_a_render_fault_on_request_is_a_503_not_a_500(world, monkeypatch):
    def broken(template, **context):
        raise RuntimeError("simulated WeasyPrint fault")

    monkeypatch.setattr(shared_documents, "render_pdf", broken)
    notice = issue(world)["notices"][0]
    response = world.get(notice_path(notice["id"]), world.officer)
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
