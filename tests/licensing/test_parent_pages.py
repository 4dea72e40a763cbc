"""Pages for people without an account, reached from an emailed link: the parent's part of an
application (declaration, medical declaration, photo) and the school's opinion. A link that is wrong,
used, replaced or expired gets a page that says so, never an error. Today is Monday 2 March 2026."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine

from licensing_service.services import licence_checks, licences
from tests.licensing.builders import PARENT_EMAIL, PRODUCER, TODAY, TODAY_AT, jpeg, png
from tests.licensing.test_licence_officer_pages import OFFICER, SCHOOL, _user, submitted
from tests.licensing.test_producer_pages import Pages, PageWorld, csrf_token, error_summary, text


class Visitor:
    """A browser with no account: it reads the CSRF token from the page it is on."""

    def __init__(self, app):
        self.client = app.test_client()
        self.client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure

        self.token: str | None = None

    def get(self, path: str):
        response = self.client.get(path)
        if 'name="csrf_token"' in response.get_data(as_text=True):
            self.token = csrf_token(response.get_data(as_text=True))
        return response

    def post(self, path: str, data: dict | None = None, photo: tuple[bytes, str] | None = None):
        """Post the form on ``path``, with the token of the page last seen (or of ``path`` itself)."""
        if self.token is None:
            self.get(path)
        body = {"csrf_token": self.token, **(data or {})}
        if photo is not None:
            body["photo"] = (io.BytesIO(photo[0]), photo[1])
        return self.client.post(path, data=body, content_type="multipart/form-data")


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield PageWorld(licensing_app, (PRODUCER, "applicant"))


@pytest.fixture
def licence_id(world) -> int:
    return submitted(world)


@pytest.fixture
def parent(world) -> Visitor:
    return Visitor(world.app)


def part_path(world) -> str:
    return f"/parent-part/{world.parent_token()}"


# The parent's part ------------------------------------------------------------------------------------


def test_the_parent_sees_what_the_licence_is_for_and_completes_their_part_with_a_photo(
    world, licence_id, parent
):
    path = part_path(world)
    page = parent.get(path)
    assert page.status_code == 200
    words = text(page)
    assert "Your part of Zoë's licence application" in words
    assert (
        "Example Theatre Company Ltd has applied to Nottinghamshire County Council for a licence for Zoë"
        in words
    )
    assert "Production A Christmas Carol (theatre)" in words
    assert "Dates Wednesday 1 April 2026 to Friday 3 April 2026" in words
    assert "Wednesday 1 April 2026 Performance 09:00 to 17:00 10:00 to 11:30" in words
    assert "I am the child's parent or carer" in words and "Medical declaration" in words
    html = page.get_data(as_text=True)
    assert (
        'type="file"' in html
        and 'enctype="multipart/form-data"' in html
        and 'accept="image/jpeg,image/png"' in html
    )
    assert PARENT_EMAIL not in words

    done = parent.post(
        path, {"declaration": "y", "medical_declaration": "Hay fever"}, photo=(jpeg(), "zoe.jpg")
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/parent-part/complete")
    confirmation = parent.get("/parent-part/complete")
    words = text(confirmation)
    assert "Your part is complete" in words and f"PL-2026-{licence_id:06d}" in words

    producer = Pages(world.app, PRODUCER)
    assert "Parent's part" in text(producer.get(f"/applications/{licence_id}"))
    assert "Completed" in text(producer.get(f"/applications/{licence_id}")).split("Parent's part", 1)[1]
    assert "Waiting for the parent" not in text(producer.get(f"/applications/{licence_id}"))
    assert any("received your part" in m.subject for m in world.outbox(PARENT_EMAIL))

    # The link worked once.
    used = parent.get(path)
    assert used.status_code == 410
    assert "This link no longer works" in text(used) and "This link has already been used" in text(used)


def test_the_declaration_and_a_photo_are_needed(world, licence_id, parent):
    path = part_path(world)
    response = parent.post(path, {"medical_declaration": "x" * 5001})
    assert response.status_code == 400
    assert "<title>Error: Your part of Zoë" in response.get_data(as_text=True)
    assert error_summary(response) == [
        ("#declaration", "Confirm the declaration to complete your part"),
        ("#medical_declaration", "Medical information must be 5,000 characters or fewer"),
        ("#photo", "Upload a photo of the child"),
    ]


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ((b"%PDF-1.7 not a photo", "zoe.jpg"), "The photo must be a JPG or PNG"),
        ((png(120, 160), "zoe.png"), "The photo must be at least 300 × 300 pixels (this one is 120 × 160)"),
        (
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024), "huge.png"),
            "The photo must be smaller than 5 MB",
        ),
    ],
)
def test_a_photo_the_service_refuses_is_shown_at_the_photo_field(world, licence_id, parent, photo, message):
    response = parent.post(part_path(world), {"declaration": "y"}, photo=photo)
    assert response.status_code == 400
    assert error_summary(response) == [("#photo", message)]
    assert "Waiting for the parent" in text(Pages(world.app, PRODUCER).get(f"/applications/{licence_id}"))


def test_an_upload_over_the_request_limit_gets_a_page_not_an_error(world, licence_id, parent):
    world.app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = parent.post(
        part_path(world), {"declaration": "y"}, photo=(b"\xff\xd8\xff" + b"0" * 2 * 1024 * 1024, "big.jpg")
    )
    assert response.status_code == 413
    assert "The photo must be smaller than 5 MB" in text(
        response
    ) and "Try again with a smaller photo" in text(response)


def test_a_wrong_replaced_or_expired_link_gets_a_clear_page(world, licence_id, parent):
    unknown = parent.get("/parent-part/not-a-real-token")
    assert unknown.status_code == 404
    assert "This link is not right" in text(unknown) and "copied the whole link" in text(unknown)
    assert parent.get("/parent-part/" + "x" * 201).status_code == 404

    first = world.parent_token()
    with world.app.test_request_context():
        licences.resend_parent_link(licence_id, _user(PRODUCER))
    replaced = parent.get(f"/parent-part/{first}")
    assert replaced.status_code == 410 and "a newer link was sent" in text(replaced)
    assert parent.get(f"/parent/{world.parent_token()}").status_code == 200  # the short address works too

    with time_machine.travel("2026-03-17 10:00 +0000", tick=False):
        expired = parent.get(part_path(world))
    assert expired.status_code == 410 and "This link has expired" in text(expired)
    assert "Ask the producer to send you a new link" in text(expired)


def test_a_withdrawn_application_no_longer_takes_the_parents_part(world, licence_id, parent):
    path = part_path(world)
    assert parent.get(path).status_code == 200
    with world.app.test_request_context():
        licences.withdraw(licence_id, _user(PRODUCER), "Cast changed")
    response = parent.post(path, {"declaration": "y"}, photo=(png(), "zoe.png"))
    assert response.status_code == 410
    assert "This link no longer works" in text(response)


def test_the_confirmation_page_without_a_completed_part_goes_to_the_start(parent):
    response = parent.get("/parent-part/complete")
    assert response.status_code == 302


# The school's opinion ---------------------------------------------------------------------------------


@pytest.fixture
def school_path(world, licence_id) -> str:
    world.add(OFFICER, "officer")
    with world.app.test_request_context():
        licence_checks.request_school_opinion(licence_id, SCHOOL, _user(OFFICER))
    token = re.search(r"/school-opinion/([A-Za-z0-9_-]+)", world.outbox(SCHOOL)[-1].body).group(1)
    return f"/school-opinion/{token}"


def test_the_school_sees_the_pupil_and_the_dates_and_gives_its_opinion(world, licence_id, school_path):
    school = Visitor(world.app)
    page = school.get(school_path)
    assert page.status_code == 200
    words = text(page)
    assert "The school's opinion on a licence for Zoë Example" in words
    assert "School Example Primary School" in words and "School days missed 1 day" in words
    assert "Wednesday 1 April 2026 (performance)" in words
    assert "Would taking part affect the child's education or welfare?" in words
    assert PARENT_EMAIL not in words and "Sam Example" not in words

    unexplained = school.post(school_path, {"outcome": "concerns"})
    assert unexplained.status_code == 400
    assert error_summary(unexplained) == [("#notes", "Say what the school's concerns are")]
    assert error_summary(school.post(school_path, {}))[0] == (
        "#outcome",
        "Select whether the school has concerns",
    )

    sent = school.post(school_path, {"outcome": "concerns", "notes": "Attendance has fallen to 88%"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/school-opinion/complete")
    assert "Opinion sent" in text(school.get("/school-opinion/complete"))

    officer = Pages(world.app, OFFICER)
    words = text(officer.get(f"/officer/licences/{licence_id}"))
    assert "The school's opinion Concerns 2 March 2026, by the school Attendance has fallen to 88%" in words

    again = school.get(school_path)
    assert again.status_code == 410 and "This link no longer works" in text(again)


def test_the_school_link_once_the_application_is_decided_says_nothing_more_is_needed(
    world, licence_id, school_path
):
    with world.app.test_request_context():
        licences.withdraw(licence_id, _user(PRODUCER))
    response = Visitor(world.app).get(school_path)
    assert response.status_code in (409, 410)
    assert "Error" not in text(response).split("–")[0]


def test_a_wrong_school_link_is_not_found(world):
    response = Visitor(world.app).get("/school-opinion/nothing-here")
    assert response.status_code == 404 and "This link is not right" in text(response)
    assert Visitor(world.app).get("/school-opinion/complete").status_code == 302


def test_the_school_link_expires(world, licence_id, school_path):
    with time_machine.travel(TODAY + timedelta(days=20), tick=False):
        response = Visitor(world.app).get(school_path)
    assert response.status_code == 410 and "This link has expired" in text(response)
