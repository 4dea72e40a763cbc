"""Officers' licence pages through the test client: the queue, an application with its schedule, the
parent's part and photo, the checks, asking the school, and the decision with its documents.
Today is Monday 2 March 2026."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from sqlalchemy import select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.schemas.licences import PerformanceLicenceInSchema
from licensing_service.schemas.productions import ProductionInSchema
from licensing_service.services import education_approvals, licence_checks, licences, parent_part, productions
from shared import db
from shared.users import User
from tests.licensing.builders import (
    OTHER_PRODUCER,
    PARENT_EMAIL,
    PRODUCER,
    TODAY,
    TODAY_AT,
    day,
    licence_body,
    png,
    production_body,
)
from tests.licensing.test_producer_pages import Pages, PageWorld, error_summary, text

OFFICER = "officer@example.org"
SCHOOL = "head@school.example"
HOLDER_EMAIL = "pat@theatre.example"
CHECKS = ("education", "social_care", "early_help", "school_opinion")


def _user(email: str) -> User:
    return db.session().scalar(select(User).where(User.email == email))


def submitted(
    world: PageWorld, first_day=None, owner: str = PRODUCER, production_id: int | None = None, **extra
) -> int:
    """An application submitted through the services (as the API would), returning its id."""
    with world.app.test_request_context():
        user = _user(owner)
        if production_id is None:
            production_id = productions.create(ProductionInSchema().load(production_body()), user).id
        body = licence_body(production_id, first_day or TODAY + timedelta(days=30), **extra)
        return licences.create_and_submit(PerformanceLicenceInSchema().load(body), user).id


def complete_parent_part(world: PageWorld, photo: bytes | None = None) -> None:
    with world.app.test_request_context():
        parent_part.complete(
            world.parent_token(),
            {"declaration": True, "medical_declaration": "Asthma: has an inhaler"},
            photo or png(),
        )


def record_checks(
    world: PageWorld, licence_id: int, kinds=CHECKS, outcome: str = "no_concerns", education: bool = True
) -> None:
    """The checks named and (unless ``education`` is False) the SPP's approval of the education
    arrangements, as the child in these applications misses a school day."""
    with world.app.test_request_context():
        officer = _user(OFFICER)
        for kind in kinds:
            licence_checks.record(licence_id, {"kind": kind, "outcome": outcome, "notes": ""}, officer)
        if education:
            education_approvals.record(licence_id, {"approved": True, "notes": ""}, officer)


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield PageWorld(licensing_app, (PRODUCER, "applicant"), (OFFICER, "officer"))


@pytest.fixture
def officer(world) -> Pages:
    return Pages(world.app, OFFICER)


# The queue --------------------------------------------------------------------------------------------


def test_the_queue_lists_open_applications_by_decision_date_with_what_is_outstanding(world, officer):
    later = submitted(world, TODAY + timedelta(days=40))
    late = submitted(world, TODAY + timedelta(days=10))  # 10 days' notice: late
    with time_machine.travel("2026-02-20 10:00 +0000", tick=False):
        overdue = submitted(world, TODAY)  # to be decided by Friday 27 February
    complete_parent_part(world)  # the newest link: the overdue one's parent

    page = officer.get("/officer/licences")
    assert page.status_code == 200
    words = text(page)
    assert "Licence queue" in words and "Showing 1 to 3 of 3 applications" in words
    order = [int(i) for i in re.findall(r'href="/officer/licences/(\d+)"', page.get_data(as_text=True))]
    assert order == [overdue, late, later]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page.get_data(as_text=True), re.S)[1:]
    assert "Overdue" in rows[0] and "Parent&#39;s part" not in rows[0] and "Education check" in rows[0]
    assert "Late" in rows[1] and "Overdue" not in rows[1] and "Parent&#39;s part" in rows[1]
    assert "Late" not in rows[2] and "Zoë Example" in rows[2]
    assert 'href="/officer/licences"' in page.get_data(as_text=True)  # "Licence queue" in the navigation

    # Pages beyond the end, or absurd ones, show the last page rather than failing.
    for query in ("?page=9999999", "?page=-3", "?page=abc", "?page=99999999999999999999"):
        assert officer.get("/officer/licences" + query).status_code == 200, query


def test_producers_and_strangers_cannot_open_officer_pages(world):
    licence_id = submitted(world)
    producer = Pages(world.app, PRODUCER)
    for path in ("/officer/licences", f"/officer/licences/{licence_id}"):
        assert producer.get(path).status_code == 403, path
    for path in (
        f"/officer/licences/{licence_id}/checks/education",
        f"/officer/licences/{licence_id}/decision",
    ):
        assert (
            producer.post(path, {"education-outcome": "no_concerns", "decision": "grant"}).status_code == 403
        )
    anonymous = world.app.test_client()
    assert anonymous.get("/officer/licences").status_code == 302


# An application -----------------------------------------------------------------------------------------


def test_the_application_page_shows_the_schedule_findings_and_the_parents_part_with_the_photo(world, officer):
    days = [
        day(
            TODAY + timedelta(days=30),
            arrive="08:00",
            leave="19:00",
            performing=[{"start": "10:00", "end": "16:00"}],
        ),
        day(
            TODAY + timedelta(days=31),
            kind="rehearsal",
            arrive="13:00",
            leave="01:00",
            performing=[{"start": "14:00", "end": "16:00"}, {"start": "23:30", "end": "00:15"}],
        ),
    ]
    licence_id = submitted(world, days=days)
    before = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Waiting for the parent" in before
    assert (
        "Before you can grant the licence:" in before
        and "The parent's part of the application is not complete" in before
    )
    assert officer.get(f"/applications/{licence_id}/photo").status_code == 404

    complete_parent_part(world)
    page = officer.get(f"/officer/licences/{licence_id}")
    assert page.status_code == 200
    words = text(page)
    assert "Wednesday 1 April 2026 Performance 08:00 to 19:00 10:00 to 16:00" in words
    second_day = "Thursday 2 April 2026 Rehearsal 13:00 to 01:00 the next day 14:00 to 16:00"
    assert f"{second_day} 23:30 to 00:15 the next day" in words
    assert "On Wednesday 1 April 2026 the child would be at the place for 11 hours" in words
    assert "Asthma: has an inhaler" in words and "PNG, 400 × 400 pixels" in words
    assert f'src="/applications/{licence_id}/photo"' in page.get_data(as_text=True)

    photo = officer.get(f"/applications/{licence_id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == png()
    assert "no-store" in photo.headers["Cache-Control"]
    owner = Pages(world.app, PRODUCER)
    assert owner.get(f"/applications/{licence_id}/photo").status_code == 200
    world.add(OTHER_PRODUCER, "applicant")
    assert Pages(world.app, OTHER_PRODUCER).get(f"/applications/{licence_id}/photo").status_code == 404


def test_each_check_is_recorded_from_its_own_form(world, officer):
    licence_id = submitted(world)
    path = f"/officer/licences/{licence_id}/checks"

    missing = officer.post(f"{path}/education", {})
    assert missing.status_code == 400
    assert error_summary(missing) == [("#education-outcome", "Select the outcome of the check")]
    unexplained = officer.post(f"{path}/social_care", {"social_care-outcome": "concerns"})
    assert error_summary(unexplained) == [("#social_care-notes", "Say what the concerns are")]

    saved = officer.post(
        f"{path}/education", {"education-outcome": "no_concerns", "education-notes": "Attendance 97%"}
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/officer/licences/{licence_id}#checks"
    )
    concerns = officer.post(
        f"{path}/social_care", {"social_care-outcome": "concerns", "social_care-notes": "Known to the team"}
    )
    assert concerns.status_code == 302
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Social care: concerns recorded" in words
    assert (
        "Education (attendance and welfare) No concerns 2 March 2026" in words and "Attendance 97%" in words
    )
    assert "Social care Concerns" in words and "Known to the team" in words
    assert "Early help Not done" in words
    assert officer.post(f"{path}/police", {}).status_code == 404


def test_the_school_is_asked_by_email_and_its_opinion_shows_as_a_check(world, officer):
    licence_id = submitted(world)
    path = f"/officer/licences/{licence_id}/school-opinion"
    bad = officer.post(path, {"school_email": "head at school"})
    assert bad.status_code == 400
    assert error_summary(bad) == [
        ("#school_email", "Enter an email address in the correct format, like name@example.com")
    ]
    asked = officer.post(path, {"school_email": SCHOOL})
    assert asked.status_code == 302
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert f"We have emailed {SCHOOL} a link to give the school's opinion" in words
    assert f"The school's opinion Asked {SCHOOL}, 2 March 2026" in words
    assert "/school-opinion/" in world.outbox(SCHOOL)[0].body


def test_a_grant_waits_for_everything_then_makes_the_licence_and_sends_the_copies(world, officer):
    licence_id = submitted(world)
    decision = f"/officer/licences/{licence_id}/decision"
    early = officer.post(decision, {"decision": "grant"})
    assert early.status_code == 400
    summary = error_summary(early)
    assert ("#parent-part", "The parent's part of the application is not complete") in summary
    assert ("#checks", "The education check has no outcome yet") in summary
    assert ("#checks", "The school's opinion has no outcome yet") in summary
    assert (
        "#education-approval",
        "Education arrangements not approved: the child would miss 1 school day, so the SPP must approve "
        "how they will be taught",
    ) in summary

    complete_parent_part(world)
    record_checks(world, licence_id, education=False)
    page = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Not approved yet The child would miss school" in page
    education = f"/officer/licences/{licence_id}/education-approval"
    unexplained = officer.post(education, {"approved": "no"})
    assert error_summary(unexplained) == [("#notes", "Say why the education arrangements are not approved")]
    approved = officer.post(education, {"approved": "yes", "notes": "Tutor's plan seen"})
    assert approved.status_code == 302 and approved.location.endswith("#education-approval")
    page = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Education arrangements approved" in page and "Decision Approved" in page
    assert "Notes Tutor's plan seen" in page
    granted = officer.post(
        decision, {"decision": "grant", "conditions": "No filming after 20:00\r\n\r\nA quiet room"}
    )
    assert granted.status_code == 302
    page = officer.get(f"/officer/licences/{licence_id}")
    words = text(page)
    assert "Licence NCC-PL-2026-00001 granted. Copies have been sent." in words
    assert "Granted" in words and "No filming after 20:00 A quiet room" in words
    assert "Licence holder Example Theatre Company Ltd pat@theatre.example 2 March 2026" in words
    assert "Host authority Nottingham City Council licensing@city.example" in words
    assert f"Parent or carer Sam Example {PARENT_EMAIL}" in words
    assert "Save decision" not in words and "Save education" not in words

    pdf = officer.get(f"/applications/{licence_id}/documents/licence.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    owner = Pages(world.app, PRODUCER)
    assert owner.get(f"/applications/{licence_id}/documents/licence.pdf").status_code == 200
    assert "The licence (PDF)" in text(owner.get(f"/applications/{licence_id}"))
    assert owner.get(f"/applications/{licence_id}/documents/refusal.pdf").status_code == 404
    assert any(m.document_id for m in world.outbox("licensing@city.example"))

    again = officer.post(decision, {"decision": "refuse", "reason": "Changed my mind"})
    assert again.status_code == 400
    assert error_summary(again) == [("#decision", "Cannot decide: the application is granted")]


def test_a_refusal_needs_a_reason_and_gives_a_letter(world, officer):
    licence_id = submitted(world)
    decision = f"/officer/licences/{licence_id}/decision"
    unexplained = officer.post(decision, {"decision": "refuse"})
    assert error_summary(unexplained) == [("#reason", "Enter the reason for refusing the application")]
    refused = officer.post(decision, {"decision": "refuse", "reason": "The child would miss too much school"})
    assert refused.status_code == 302
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Application refused. The producer and the parent have been told." in words
    assert "Reason The child would miss too much school" in words and "The refusal letter (PDF)" in words
    letter = officer.get(f"/applications/{licence_id}/documents/refusal.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")


def test_a_late_application_asks_why_it_is_granted_late(world, officer):
    licence_id = submitted(world, TODAY + timedelta(days=15))
    complete_parent_part(world)
    record_checks(world, licence_id)
    page = officer.get(f"/officer/licences/{licence_id}")
    assert "Why are you granting a late application?" in text(page)
    missing = officer.post(f"/officer/licences/{licence_id}/decision", {"decision": "grant"})
    assert missing.status_code == 400
    assert error_summary(missing)[0][0] == "#late_reason"
    assert "give the reason for granting it late" in error_summary(missing)[0][1]


def test_a_concern_needs_a_reason_to_grant(world, officer):
    licence_id = submitted(world)
    complete_parent_part(world)
    record_checks(world, licence_id, kinds=CHECKS[:3])
    record_checks(world, licence_id, kinds=CHECKS[3:], outcome="concerns")
    response = officer.post(f"/officer/licences/{licence_id}/decision", {"decision": "grant"})
    assert response.status_code == 400
    assert error_summary(response) == [
        (
            "#reason",
            "Concerns were recorded (school's opinion): "
            "give the reason for granting the licence despite them",
        )
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/officer/licences/0",
        "/officer/licences/999999",
        "/officer/licences/2147483648",
        "/officer/licences/x",
    ],
)
def test_odd_application_addresses_are_not_found(officer, path):
    assert officer.get(path).status_code == 404


def test_a_granted_licence_is_revoked_with_a_reason_and_a_letter(world, officer):
    licence_id = submitted(world)
    complete_parent_part(world)
    record_checks(world, licence_id)
    assert officer.post(f"/officer/licences/{licence_id}/decision", {"decision": "grant"}).status_code == 302
    page = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Revoke this licence" in page

    revocation = f"/officer/licences/{licence_id}/revocation"
    unexplained = officer.post(revocation, {"reason": "  "})
    assert unexplained.status_code == 400
    assert error_summary(unexplained) == [("#reason", "Enter the reason for revoking the licence")]
    revoked = officer.post(revocation, {"reason": "The chaperone was not present at the inspection"})
    assert revoked.status_code == 302
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "Licence NCC-PL-2026-00001 revoked. The letter has been sent to the same parties." in words
    assert "Revoked" in words and "Revoke this licence" not in words
    assert officer.get(f"/applications/{licence_id}/documents/revocation.pdf").data.startswith(b"%PDF")
    assert [m.subject for m in world.outbox("licensing@city.example")][-1].lower().count("revoked") == 1

    again = officer.post(revocation, {"reason": "Twice"})
    assert again.status_code == 400
    assert "revoke the licence" in " ".join(message for _, message in error_summary(again))
    applicant = Pages(world.app, PRODUCER)
    assert applicant.post(revocation, {"reason": "Mine"}).status_code == 403


# Varying a granted licence --------------------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The values a browser would send from the page's forms (text, checked boxes, textareas)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        name = found.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "input" and name and found.get("type") not in ("submit", "button", "file"):
            chosen = found.get("type") not in ("radio", "checkbox") or "checked" in found
            if chosen:
                self.values.setdefault(name, []).append(found.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_values(response) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(response.get_data(as_text=True))
    # A textarea's first newline belongs to the markup, not to its value.
    return {k: [v.removeprefix("\n") for v in vs] for k, vs in reader.values.items() if k != "csrf_token"}


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode().split())


def granted(world: PageWorld, officer: Pages) -> int:
    """A licence granted today for Wednesday 1 to Friday 3 April 2026, with one condition."""
    licence_id = submitted(world)
    complete_parent_part(world)
    record_checks(world, licence_id)
    decision = {"decision": "grant", "conditions": "The child has a quiet room for lessons"}
    assert officer.post(f"/officer/licences/{licence_id}/decision", decision).status_code == 302
    return licence_id


def vary(officer: Pages, licence_id: int, **changes: str | list[str]):
    """The variation page sent as the browser would, with ``changes`` typed over what it shows."""
    path = f"/officer/licences/{licence_id}/variation"
    page = officer.get(path)
    assert page.status_code == 200, text(page)
    return officer.post(path, {**form_values(page), **changes})


def stored_days(world: PageWorld, licence_id: int) -> list[dict]:
    with world.app.app_context():
        return list(db.session().get(PerformanceLicence, licence_id).days)


def test_the_conditions_alone_are_varied_making_version_2_sent_to_every_party(world, officer):
    licence_id = granted(world, officer)
    assert "Vary this licence" in text(officer.get(f"/officer/licences/{licence_id}"))
    page = officer.get(f"/officer/licences/{licence_id}/variation")
    shown = form_values(page)
    assert shown["conditions"] == ["The child has a quiet room for lessons"]
    assert shown["night_work"] == ["no"] and shown["chaperone-who"] == ["chaperone"]
    assert shown["chaperone-approval_number"] == ["CH-2025-000123"]
    assert shown["chaperone-children_in_care"] == ["4"]
    assert shown["day-2026-04-02-day"] == ["02", "04", "2026"] and shown["day-2026-04-02-arrive"] == ["09:00"]
    assert shown["day-2026-04-02-performing"] == ["10:00 to 11:30"]
    sent_before = len(world.outbox())

    unexplained = vary(officer, licence_id, reason="")
    assert unexplained.status_code == 400
    assert error_summary(unexplained) == [("#reason", "Enter the reason for varying the licence")]
    unchanged = vary(officer, licence_id, reason="No change really")
    assert unchanged.status_code == 400
    assert error_summary(unchanged) == [
        ("#conditions", "These are the licence's terms already: nothing would change")
    ]

    conditions = "The child has a quiet room for lessons\r\nNo filming after 20:00"
    varied = vary(officer, licence_id, reason="The producer asked to film", conditions=conditions)
    assert varied.status_code == 302 and varied.headers["Location"].endswith(
        f"/officer/licences/{licence_id}"
    )
    page = officer.get(f"/officer/licences/{licence_id}")
    words = text(page)
    assert (
        "Licence NCC-PL-2026-00001 varied (version 2). Copies have been sent to the licence holder, the "
        "host authority and the parent." in words
    )
    assert "Varied: the council's conditions The producer asked to film" in words
    assert "Licence version 1 (PDF)" in words and "Licence version 2 (PDF)" in words
    sent = world.outbox()[sent_before:]
    assert sorted(m.to_address for m in sent) == sorted(
        [PARENT_EMAIL, "licensing@city.example", HOLDER_EMAIL]
    )
    assert all("varied (version 2)" in m.subject and m.document_id for m in sent)
    assert "What changed: the council's conditions." in sent[0].body
    event = [e for e in world.audit("performance_licence", licence_id) if e.action.endswith(".varied")]
    assert len(event) == 1 and set(event[0].before) == {"version", "conditions"}
    assert event[0].after["conditions"][-1] == "No filming after 20:00"
    assert stored_days(world, licence_id)[1]["arrive"] == "09:00"

    # Each version's PDF, from the links on the page.
    second = officer.get(f"/applications/{licence_id}/documents/licence.pdf?version=2")
    assert second.status_code == 200 and second.mimetype == "application/pdf"
    assert "No filming after 20:00" in pdf_text(second.data)
    first = officer.get(f"/applications/{licence_id}/documents/licence.pdf?version=1")
    assert "No filming after 20:00" not in pdf_text(first.data)
    assert f'href="/applications/{licence_id}/documents/licence.pdf?version=2"' in page.get_data(as_text=True)
    owner = Pages(world.app, PRODUCER)
    assert owner.get(f"/applications/{licence_id}/documents/licence.pdf?version=2").data == second.data
    for odd in ("3", "0", "abc", "99999999999999999999"):
        assert (
            officer.get(f"/applications/{licence_id}/documents/licence.pdf?version={odd}").status_code == 404
        )


def test_a_day_is_changed_as_the_producer_typed_it_and_another_removed(world, officer):
    licence_id = granted(world, officer)
    varied = vary(
        officer,
        licence_id,
        reason="The matinee moves",
        **{
            "day-2026-04-02-arrive": "9:30",
            "day-2026-04-02-leave": "18.00",
            "day-2026-04-02-performing": "10:00 to 11:30\r\n14:00 - 15:15",
            "day-2026-04-03-remove": "y",
        },
    )
    assert varied.status_code == 302, error_summary(varied)
    assert stored_days(world, licence_id) == [
        day(TODAY + timedelta(days=30)),
        day(
            TODAY + timedelta(days=31),
            arrive="09:30",
            leave="18:00",
            performing=[{"start": "10:00", "end": "11:30"}, {"start": "14:00", "end": "15:15"}],
        ),
    ]
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "varied (version 2)" in words and "Varied: the days and times The matinee moves" in words
    assert "Thursday 2 April 2026 Performance 09:30 to 18:00 10:00 to 11:30 14:00 to 15:15" in words
    assert "Friday 3 April 2026" not in words
    assert "What changed: the days and times." in world.outbox(PARENT_EMAIL)[-1].body

    # A day typed wrongly is shown at its own field.
    wrong = vary(officer, licence_id, reason="x", **{"day-2026-04-02-performing": "after lunch"})
    assert wrong.status_code == 400
    assert error_summary(wrong) == [
        ("#day-2026-04-02-performing", "Enter each time like 10:00 to 11:30 (line 1 is “after lunch”)")
    ]


def test_a_new_day_that_breaks_the_limits_is_refused_and_nothing_changes(world, officer):
    licence_id = granted(world, officer)
    sent_before, days_before = len(world.outbox()), stored_days(world, licence_id)
    refused = vary(
        officer,
        licence_id,
        reason="An extra show",
        **{
            "new-day": ["4", "4", "2026"],
            "new-kind": "performance",
            "new-arrive": "08:00",
            "new-leave": "18:30",
            "new-performing": "09:00 to 11:30\r\n12:00 to 14:30\r\n15:00 to 17:00",
        },
    )
    assert refused.status_code == 400
    summary = error_summary(refused)
    assert summary and all(href == "#days" for href, _ in summary)
    assert any("the child would perform for 7 hours" in message for _, message in summary)
    assert "The varied schedule would break these limits" in text(refused)
    assert form_values(refused)["new-performing"] == ["09:00 to 11:30\n12:00 to 14:30\n15:00 to 17:00"]
    assert stored_days(world, licence_id) == days_before and len(world.outbox()) == sent_before
    assert not any(a.endswith(".varied") for a in world.actions("performance_licence", licence_id))
    assert "Licence version 2" not in text(officer.get(f"/officer/licences/{licence_id}"))


def test_days_already_past_are_shown_but_cannot_be_changed(world, officer):
    licence_id = granted(world, officer)
    with time_machine.travel("2026-04-02 10:00 +0100", tick=False):
        officer = Pages(world.app, OFFICER)
        page = officer.get(f"/officer/licences/{licence_id}/variation")
        words, shown = text(page), form_values(page)
        assert "Days already past: these cannot change Date Kind" in words
        assert "Wednesday 1 April 2026 Performance 09:00 to 17:00" in words
        assert not any(name.startswith("day-2026-04-01") for name in shown)
        assert "day-2026-04-02-arrive" in shown and "day-2026-04-03-arrive" in shown

        into_the_past = vary(officer, licence_id, reason="x", **{"day-2026-04-02-day": ["1", "3", "2026"]})
        assert error_summary(into_the_past) == [
            ("#day-2026-04-02-day-day", "The date must be today or in the future")
        ]
        forged = {"day-2026-04-01-arrive": "11:00", "day-2026-04-01-remove": "y", "night_work": "yes"}
        assert vary(officer, licence_id, reason="Late shows", **forged).status_code == 302
        assert stored_days(world, licence_id)[0] == day(TODAY + timedelta(days=30))
        event = [e for e in world.audit("performance_licence", licence_id) if e.action.endswith(".varied")]
        assert set(event[0].before) == {"version", "night_work"}


def test_only_officers_vary_and_only_a_granted_licence(world, officer):
    submitted_id = submitted(world)
    path = f"/officer/licences/{submitted_id}/variation"
    assert officer.get(path).headers["Location"].endswith(f"/officer/licences/{submitted_id}")
    assert "Vary this licence" not in text(officer.get(f"/officer/licences/{submitted_id}"))

    licence_id = granted(world, officer)
    path = f"/officer/licences/{licence_id}/variation"
    producer = Pages(world.app, PRODUCER)
    assert producer.get(path).status_code == 403
    assert producer.post(path, {"reason": "Mine", "night_work": "yes"}).status_code == 403
    assert world.app.test_client().get(path).status_code == 302
    assert officer.get("/officer/licences/2147483648/variation").status_code == 404
