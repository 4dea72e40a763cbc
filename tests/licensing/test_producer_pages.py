"""Producers' pages through the test client: productions, a child's application task by task, the days
checked against the limits, the notice shown before submitting, and that nobody else sees any of it.
Today is Monday 2 March 2026."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import time_machine

from licensing_service.models.licences import PerformanceLicence
from shared import db
from tests.licensing.builders import OTHER_PRODUCER, PARENT_EMAIL, PRODUCER, TODAY, TODAY_AT, LicensingWorld
from tests.support.api import add_user
from tests.support.pages import csrf_token, signed_in_client


class Pages:
    """A signed-in client that sends each form with the session's CSRF token."""

    def __init__(self, app, email: str):
        self.app = app
        self.client = signed_in_client(app, email)
        # Signing in starts a new session: the token comes from a page seen after it.
        self.token = csrf_token(self.client.get("/").get_data(as_text=True))

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)


def text(response) -> str:
    """The page's words, without tags."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def error_summary(response) -> list[tuple[str, str]]:
    """The error summary's (href, message) pairs."""
    page = response.get_data(as_text=True)
    block = re.search(r'<div class="govuk-error-summary__body">(.*?)</div>', page, re.S)
    assert block, "no error summary on the page"
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block.group(1), re.S)
    return [(h, html.unescape(re.sub(r"\s+", " ", m).strip())) for h, m in links]


def dated(on: date) -> list[str]:
    return [str(on.day), str(on.month), str(on.year)]


def location_id(response, pattern: str) -> int:
    found = re.search(pattern, response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


PRODUCTION = {
    "name": "A Christmas Carol",
    "type": "theatre",
    "broadcast": "no",
    "paid": "yes",
    "producer_name": "Pat Producer",
    "producer_organisation": "Example Theatre Company Ltd",
    "producer_email": "pat@theatre.example",
    "producer_phone": "0115 000 0000",
    "producer_address": "1 Theatre Square, Nottingham NG1 5AA",
    "venue_name": "Theatre Royal",
    "venue_address": "Theatre Square, Nottingham",
    "host_name": "Nottingham City Council",
    "host_email": "licensing@city.example",
}
CHILD = {
    "first_name": "Zoë",
    "last_name": "Example",
    "date_of_birth": ["14", "6", "2015"],
    "address": "1 Example Street\r\nMansfield NG18 1AA",
    "school_name": "Example Primary School",
    "parent_name": "Sam Example",
    "parent_email": PARENT_EMAIL,
    "parent_address": "1 Example Street, Mansfield",
}
CHAPERONE = {"who": "chaperone", "approval_number": "CH-2025-000123", "children_in_care": "4"}
EDUCATION = {
    "misses_school": "yes",
    "school_days_missed": "3",
    "tutor_name": "Tess Tutor",
    "tutor_hours_per_day": "3",
    "tutor_pupils": "2",
}


def day_form(
    on: date, arrive="09:00", leave="17:00", performing="10:00 to 11:30", kind="performance"
) -> dict:
    return {"day": dated(on), "kind": kind, "arrive": arrive, "leave": leave, "performing": performing}


def create_production(pages: Pages, **changes) -> int:
    response = pages.post("/productions/new", {**PRODUCTION, **changes})
    assert response.status_code == 302, text(response)
    return location_id(response, r"/productions/(\d+)$")


def add_child(pages: Pages, production_id: int) -> int:
    response = pages.post(f"/productions/{production_id}/children")
    assert response.status_code == 302
    return location_id(response, r"/applications/(\d+)/child$")


def fill_application(pages: Pages, production_id: int, first_day: date, days: int = 3, **child) -> int:
    """A child's application with every task done, ready to check and submit."""
    licence_id = add_child(pages, production_id)
    base = f"/applications/{licence_id}"
    assert pages.post(f"{base}/child", {**CHILD, **child}).status_code == 302
    for n in range(days):
        response = pages.post(f"{base}/days/add", day_form(first_day + timedelta(days=n)))
        assert response.status_code == 302, text(response)
    assert pages.post(f"{base}/days", {"night_work": "no"}).status_code == 302
    assert pages.post(f"{base}/chaperone", CHAPERONE).status_code == 302
    assert pages.post(f"{base}/education", EDUCATION).status_code == 302
    return licence_id


class PageWorld(LicensingWorld):
    """The outbox and audit readers of :class:`LicensingWorld`, with only the accounts a test adds (each
    password hash takes a noticeable time)."""

    def __init__(self, app, *accounts: tuple[str, str]):
        self.app = app
        self.client = app.test_client()
        self.ids = {email: add_user(app, email, role) for email, role in accounts}

    def add(self, email: str, role: str) -> int:
        self.ids[email] = add_user(self.app, email, role)
        return self.ids[email]

    def status(self, licence_id: int) -> str:
        with self.app.app_context():
            return db.session().get(PerformanceLicence, licence_id).status


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield PageWorld(licensing_app, (PRODUCER, "applicant"))


@pytest.fixture
def producer(world) -> Pages:
    return Pages(world.app, PRODUCER)


# Productions ------------------------------------------------------------------------------------------


def test_a_producer_creates_a_production_and_sees_it_in_their_list(world, producer):
    empty = producer.get("/productions")
    assert empty.status_code == 200
    assert "You have not created a production yet" in text(empty)
    assert 'href="/productions"' in empty.get_data(as_text=True)  # "Your productions" in the navigation

    form = producer.get("/productions/new")
    assert form.status_code == 200 and 'value="producer@example.org"' in form.get_data(as_text=True)

    production_id = create_production(producer)
    page = producer.get(f"/productions/{production_id}")
    assert page.status_code == 200
    words = text(page)
    assert "A Christmas Carol created. Now add each child who will take part." in words
    assert "No children added yet" in words and "Theatre Royal, Theatre Square, Nottingham" in words
    listed = text(producer.get("/productions"))
    assert "A Christmas Carol" in listed and "Theatre Royal" in listed


def test_the_production_form_shows_each_problem_in_the_error_summary(producer):
    response = producer.post(
        "/productions/new",
        {**PRODUCTION, "name": "", "type": "circus", "producer_email": "not-an-email", "host_name": ""},
    )
    assert response.status_code == 400
    assert "<title>Error: Create a production" in response.get_data(as_text=True)
    assert error_summary(response) == [
        ("#name", "Enter the name of the production"),
        ("#type", "Select what kind of production it is"),
        ("#producer_email", "Enter an email address in the correct format, like name@example.com"),
        ("#host_name", "Enter the council for the place of performance"),
    ]


# A child's application ----------------------------------------------------------------------------------


def test_a_child_is_added_and_each_task_is_a_page_on_the_task_list(world, producer):
    production_id = create_production(producer)
    licence_id = add_child(producer, production_id)
    tasks = producer.get(f"/applications/{licence_id}")
    words = text(tasks)
    assert "You have completed 0 of 4 tasks" in words
    for task in ("Child's details", "Performance and rehearsal days", "Chaperone", "Education"):
        assert task in words
    assert "Parent's part We email the parent a link when you submit Cannot start yet" in words
    assert "Check and submit" not in words

    errors = producer.post(
        f"/applications/{licence_id}/child",
        {**CHILD, "date_of_birth": ["31", "2", "2015"], "parent_email": "sam at example"},
    )
    assert errors.status_code == 400
    assert error_summary(errors) == [
        ("#date_of_birth-day", "Date of birth must be a real date"),
        ("#parent_email", "Enter an email address in the correct format, like name@example.com"),
    ]
    assert producer.post(f"/applications/{licence_id}/child", CHILD).status_code == 302
    words = text(producer.get(f"/applications/{licence_id}"))
    assert "Zoë Example" in words and "You have completed 1 of 4 tasks" in words
    assert "Child's details Completed" in words and "Performance and rehearsal days Incomplete" in words

    listed = text(producer.get(f"/productions/{production_id}"))
    assert "Zoë Example" in listed and "Not submitted" in listed


def test_days_are_added_one_at_a_time_and_the_schedule_is_checked_after_each(world, producer):
    production_id = create_production(producer)
    licence_id = add_child(producer, production_id)
    producer.post(f"/applications/{licence_id}/child", CHILD)
    first = TODAY + timedelta(days=30)  # Wednesday 1 April 2026
    base = f"/applications/{licence_id}/days"

    empty = producer.get(base)
    assert "Add a day" in text(empty) and "Save and continue" not in text(empty)

    ok = producer.post(f"{base}/add", day_form(first))
    assert ok.status_code == 302 and ok.headers["Location"].endswith(base)
    page = producer.get(base)
    words = text(page)
    assert "1 April 2026 added" in words
    assert "Wednesday 1 April 2026 Performance 09:00 to 17:00 10:00 to 11:30" in words
    assert "The days are within the limits for the child's age" in words
    assert "No approved chaperone" not in words  # the chaperone is checked once that task is done

    # A 10-year-old may perform for at most 5 hours a day: a breach, in plain English, error-styled.
    long_day = producer.post(
        f"{base}/add",
        day_form(
            first + timedelta(days=1),
            arrive="08:00",
            leave="17:00",
            performing="09:00-11:30\n12:00-14:30\n15:00-16:30",
        ),
    )
    assert long_day.status_code == 302
    page = producer.get(base)
    breaches = re.search(
        r'<div class="govuk-form-group govuk-form-group--error app-breaches".*?</div>',
        page.get_data(as_text=True),
        re.S,
    )
    assert breaches, "no breaches shown"
    assert "On Thursday 2 April 2026 the child would perform for 6 hours 30 minutes" in html.unescape(
        breaches.group(0)
    )
    assert "the limit at age 10 is 5 hours" in html.unescape(breaches.group(0))

    # Removing the day takes the breach away.
    removed = producer.post(f"{base}/1/remove")
    assert removed.status_code == 302
    words = text(producer.get(base))
    assert "2 April 2026 removed" in words and "perform for 6 hours 30 minutes" not in words


def test_a_day_that_cannot_happen_is_refused_with_a_message_at_its_field(world, producer):
    production_id = create_production(producer)
    licence_id = add_child(producer, production_id)
    producer.post(f"/applications/{licence_id}/child", CHILD)
    base = f"/applications/{licence_id}/days/add"
    first = TODAY + timedelta(days=30)

    blank = producer.post(base, {})
    assert blank.status_code == 400
    assert error_summary(blank) == [
        ("#day-day", "Enter the date"),
        ("#kind", "Select performance or rehearsal"),
        ("#arrive", "Enter the time the child arrives"),
        ("#leave", "Enter the time the child leaves"),
    ]
    odd = producer.post(
        base, day_form(TODAY - timedelta(days=1), arrive="25:00", performing="ten till eleven")
    )
    assert error_summary(odd) == [
        ("#day-day", "The date must be today or in the future"),
        ("#arrive", "Enter the arrival time like 09:30"),
        ("#performing", "Enter each time like 10:00 to 11:30 (line 1 is “ten till eleven”)"),
    ]
    # The API's day schema: performing must be within the time at the place.
    outside = producer.post(base, day_form(first, arrive="09:00", leave="12:00", performing="11:00 to 13:00"))
    assert outside.status_code == 400
    assert error_summary(outside) == [
        (
            "#performing",
            "Performing from 11:00 to 13:00 must be within the time at the place (09:00 to 12:00)",
        )
    ]
    assert producer.post(base, day_form(first)).status_code == 302
    twice = producer.post(base, day_form(first, arrive="10:00"))
    assert error_summary(twice) == [
        ("#day-day", "You have already added 1 April 2026: remove it first to change it")
    ]


def test_chaperone_and_education_tasks_check_what_they_need(world, producer):
    production_id = create_production(producer)
    licence_id = add_child(producer, production_id)
    base = f"/applications/{licence_id}"

    missing = producer.post(f"{base}/chaperone", {"who": "chaperone"})
    assert error_summary(missing) == [
        ("#approval_number", "Enter the chaperone's approval number"),
        ("#children_in_care", "Enter how many children the chaperone will look after"),
    ]
    teacher = producer.post(f"{base}/chaperone", {"who": "teacher", "usual_teacher_name": "Ann Teacher"})
    assert error_summary(teacher) == [("#usual_teacher_school", "Enter the teacher's school")]
    chosen = {"who": "teacher", "usual_teacher_name": "Ann Teacher", "usual_teacher_school": "Hill School"}
    assert producer.post(f"{base}/chaperone", chosen).status_code == 302
    with world.app.app_context():
        saved = db.session().get(PerformanceLicence, licence_id)
        assert (saved.chaperone_is_usual_teacher, saved.usual_teacher_name) == (True, "Ann Teacher")
        assert (saved.chaperone_is_parent, saved.chaperone_approval_number) == (False, None)
    assert 'value="teacher" checked' in producer.get(f"{base}/chaperone").get_data(as_text=True)
    assert producer.post(f"{base}/chaperone", {"who": "parent"}).status_code == 302
    assert producer.get(f"{base}/chaperone").status_code == 200
    with world.app.app_context():
        saved = db.session().get(PerformanceLicence, licence_id)
        assert (saved.chaperone_is_parent, saved.chaperone_is_usual_teacher, saved.usual_teacher_name) == (
            True,
            False,
            None,
        )

    education = producer.post(
        f"{base}/education",
        {
            "misses_school": "yes",
            "school_days_missed": "two",
            "tutor_name": "Tess",
            "tutor_hours_per_day": "lots",
        },
    )
    assert error_summary(education) == [
        ("#school_days_missed", "The number of school days must be a whole number, like 3"),
        ("#tutor_hours_per_day", "Hours of teaching must be a number between 0 and 24, like 3 or 2.5"),
        ("#tutor_pupils", "Enter how many children the tutor will teach"),
    ]
    assert producer.post(f"{base}/education", {"misses_school": "no"}).status_code == 302
    words = text(producer.get(base))
    assert "Chaperone Completed" in words and "Education Completed" in words


def test_the_check_page_gives_the_notice_and_submitting_shows_the_reference_and_decision_date(
    world, producer
):
    production_id = create_production(producer)
    first = TODAY + timedelta(days=20)  # Sunday 22 March 2026: 20 days' notice
    licence_id = fill_application(producer, production_id, first)

    tasks = text(producer.get(f"/applications/{licence_id}"))
    assert "You have completed 4 of 4 tasks" in tasks and "Check and submit" in tasks

    check = producer.get(f"/applications/{licence_id}/check")
    assert check.status_code == 200
    words = text(check)
    assert (
        "Received 20 days before the first day: the council may refuse (at least 21 days are needed)" in words
    )
    assert "Monday 2 March 2026" in words and "Friday 20 March 2026" in words
    assert "Sunday 22 March 2026 Performance 09:00 to 17:00 10:00 to 11:30" in words
    assert "CH-2025-000123" in words and "Tess Tutor, 3 hours a school day, 2 children at once" in words

    sent = producer.post(f"/applications/{licence_id}/check")
    assert sent.status_code == 302 and sent.headers["Location"].endswith(
        f"/applications/{licence_id}/submitted"
    )
    done = producer.get(sent.headers["Location"])
    words = text(done)
    panel = re.search(r'<div class="govuk-panel.*?</div>\s*</div>', done.get_data(as_text=True), re.S)
    assert panel and f"PL-2026-{licence_id:06d}" in panel.group(0)
    assert "The council will decide by Friday 20 March 2026" in words
    assert "Received 20 days before the first day: the council may refuse" in words

    application = text(producer.get(f"/applications/{licence_id}"))
    assert "Received" in application and "Late" in application
    assert "Parent's part Sent to Sam Example at parent@example.org Waiting for the parent" in application
    listed = text(producer.get(f"/productions/{production_id}"))
    assert "Waiting for the parent Late" in listed

    # Tasks cannot change once submitted: their pages lead back to the application.
    for task in ("child", "days", "days/add", "chaperone", "education", "check"):
        assert producer.get(f"/applications/{licence_id}/{task}").status_code == 302


def test_send_the_link_again_emails_the_parent_a_new_link(world, producer):
    production_id = create_production(producer)
    licence_id = fill_application(producer, production_id, TODAY + timedelta(days=30))
    producer.post(f"/applications/{licence_id}/check")
    first_link = world.parent_token()
    response = producer.post(f"/applications/{licence_id}/parent-link")
    assert response.status_code == 302
    words = text(producer.get(f"/applications/{licence_id}"))
    assert "We have emailed Sam Example a new link. The earlier link no longer works." in words
    assert world.parent_token() != first_link
    assert len([m for m in world.outbox(PARENT_EMAIL) if "/parent-part/" in m.body]) == 2


def test_a_producer_withdraws_a_submitted_application_and_the_link_stops_working(world, producer):
    production_id = create_production(producer)
    licence_id = fill_application(producer, production_id, TODAY + timedelta(days=30))
    producer.post(f"/applications/{licence_id}/check")
    link = world.parent_token()
    assert "Withdraw this application" in text(producer.get(f"/applications/{licence_id}"))

    too_long = producer.post(f"/applications/{licence_id}/withdraw", {"reason": "x" * 2001})
    assert too_long.status_code == 400
    assert error_summary(too_long) == [("#reason", "Reason must be 2,000 characters or fewer")]
    response = producer.post(f"/applications/{licence_id}/withdraw", {"reason": "Recast the part"})
    assert response.status_code == 302
    words = text(producer.get(f"/applications/{licence_id}"))
    assert "is withdrawn" in words and "Withdrawn Recast the part" in words
    assert "Withdraw this application" not in words
    assert world.client.get(f"/parent-part/{link}").status_code == 410
    again = producer.post(f"/applications/{licence_id}/withdraw", {})
    assert again.status_code == 302
    assert "Cannot withdraw" in text(producer.get(f"/applications/{licence_id}"))


def test_an_incomplete_application_cannot_be_checked_or_submitted(world, producer):
    production_id = create_production(producer)
    licence_id = add_child(producer, production_id)
    assert producer.get(f"/applications/{licence_id}/check").status_code == 302
    assert producer.post(f"/applications/{licence_id}/check").status_code == 302
    assert world.outbox(PARENT_EMAIL) == []


def test_the_first_day_passing_before_submission_is_shown_as_a_problem(world, producer):
    production_id = create_production(producer)
    licence_id = fill_application(producer, production_id, TODAY + timedelta(days=2), days=1)
    with time_machine.travel("2026-03-10 10:00 +0000", tick=False):
        later = Pages(world.app, PRODUCER)
        response = later.post(f"/applications/{licence_id}/check")
    assert response.status_code == 400
    assert error_summary(response) == [
        ("#days", "The first day has already passed: a licence cannot cover days before it is applied for")
    ]


# Who sees what --------------------------------------------------------------------------------------------


def test_another_producer_gets_404_for_every_page_of_someone_elses_production(world, producer):
    production_id = create_production(producer)
    licence_id = fill_application(producer, production_id, TODAY + timedelta(days=30))
    world.add(OTHER_PRODUCER, "applicant")
    other = Pages(world.app, OTHER_PRODUCER)
    assert "A Christmas Carol" not in text(other.get("/productions"))
    for path in (
        f"/productions/{production_id}",
        f"/applications/{licence_id}",
        f"/applications/{licence_id}/child",
        f"/applications/{licence_id}/days",
        f"/applications/{licence_id}/days/add",
        f"/applications/{licence_id}/chaperone",
        f"/applications/{licence_id}/education",
        f"/applications/{licence_id}/check",
        f"/applications/{licence_id}/submitted",
        f"/applications/{licence_id}/photo",
        f"/applications/{licence_id}/licence.pdf",
    ):
        assert other.get(path).status_code == 404, path
    for path in (
        f"/productions/{production_id}/children",
        f"/applications/{licence_id}/child",
        f"/applications/{licence_id}/days/add",
        f"/applications/{licence_id}/days/0/remove",
        f"/applications/{licence_id}/check",
        f"/applications/{licence_id}/parent-link",
    ):
        assert other.post(path, {**CHILD, **day_form(TODAY + timedelta(days=40))}).status_code == 404, path
    assert world.status(licence_id) == "draft"


def test_officers_cannot_use_producer_pages_and_strangers_are_asked_to_sign_in(world):
    world.add("officer@example.org", "officer")
    officer = Pages(world.app, "officer@example.org")
    assert officer.get("/productions").status_code == 403
    assert officer.get("/productions/new").status_code == 403
    anonymous = world.app.test_client()
    response = anonymous.get("/productions")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


ODD_PATHS = [
    "/productions/0",
    "/productions/2147483647",
    "/productions/2147483648",
    "/productions/abc",
    "/applications/999999",
    "/applications/-1",
    "/applications/99999999999999999999/days",
    "/applications/1/days/1000/remove",
    "/productions?page=-5",
    "/productions?page=99999999999999999999",
    "/productions?page=%00",
]


def test_odd_addresses_never_fail(producer):
    for path in ODD_PATHS:
        status = producer.get(path).status_code
        assert status in (200, 404, 405), (path, status)


def test_a_form_without_its_csrf_token_is_refused(world, producer):
    response = producer.client.post("/productions/new", data=PRODUCTION)
    assert response.status_code == 400
    assert producer.get("/productions").status_code == 200
    assert "A Christmas Carol" not in text(producer.get("/productions"))


def test_below_the_councils_hard_stop_the_application_is_refused_on_submission_and_says_why(world, producer):
    world.app.config["LICENCE_MIN_NOTICE_DAYS_HARD"] = "14"
    production_id = create_production(producer)
    licence_id = fill_application(producer, production_id, TODAY + timedelta(days=10))
    words = text(producer.get(f"/applications/{licence_id}/check"))
    assert "Received 10 days before the first day: fewer than the 14 days the council needs" in words
    sent = producer.post(f"/applications/{licence_id}/check")
    assert sent.status_code == 302
    words = text(producer.get(sent.headers["Location"]))
    assert "Application refused" in words and "Application submitted" not in words
    assert "fewer than the 14 days the council needs, so the application is refused" in words
    application = producer.get(f"/applications/{licence_id}")
    assert "Refused" in text(application) and "The refusal letter (PDF)" in text(application)
    assert "Sent to" not in text(application)
    letter = producer.get(f"/applications/{licence_id}/documents/refusal.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")
