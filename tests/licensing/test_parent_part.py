"""The parent's part from the emailed link: public but token-gated, single purpose, single use,
expiring after PARENT_LINK_DAYS; the photo checked by its bytes, size and pixels."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine

from tests.licensing.builders import PARENT_EMAIL, TODAY, TODAY_AT, LicensingWorld, jpeg, png


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


@pytest.fixture
def licence(world) -> dict:
    return world.apply(TODAY + timedelta(days=30))


def test_the_parent_sees_what_they_are_asked_to_confirm_without_signing_in(world, licence):
    response = world.get(f"/api/v1/parent-part/{world.parent_token()}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["reference"] == licence["reference"]
    assert body["child"]["first_name"] == "Zoë" and body["production"]["name"] == "A Christmas Carol"
    assert body["first_day"] == "2026-04-01" and len(body["days"]) == 3
    assert body["expires_at"].startswith("2026-03-16")
    assert "email" not in body["child"] and "parent" not in body


def test_completing_the_parent_part_records_it_once_and_tells_the_producer(world, licence):
    token = world.parent_token()
    response = world.complete_parent_part(token, photo=jpeg(), medical_declaration="Mild asthma: inhaler")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["parent_part_state"] == "completed"

    staff_view = world.licence(licence["id"])
    part = staff_view["parent_part"]
    assert part["state"] == "completed" and part["declaration"] is True
    assert part["medical_declaration"] == "Mild asthma: inhaler"
    assert part["photo"]["content_type"] == "image/jpeg" and (
        part["photo"]["width"],
        part["photo"]["height"],
    ) == (
        400,
        500,
    )
    assert "parent_part" not in staff_view["outstanding"]
    producer_view = world.licence(licence["id"], world.producer)["parent_part"]
    assert producer_view["state"] == "completed" and "medical_declaration" not in producer_view

    assert world.complete_parent_part(token).status_code == 410
    again = world.get(f"/api/v1/parent-part/{token}")
    assert again.status_code == 410 and again.get_json()["link_state"] == "used"
    assert again.content_type == "application/problem+json"
    assert any("Parent's part complete" in m.subject for m in world.outbox("pat@theatre.example"))
    assert any("received your part" in m.subject for m in world.outbox(PARENT_EMAIL))
    events = world.audit("performance_licence", licence["id"])
    completed = [e for e in events if e.action == "performance_licence.parent_part_completed"][0]
    assert completed.before == {"parent_part_state": "requested"}
    assert completed.actor.startswith("parent_link:") and completed.actor_id is None


def test_officer_can_see_the_photo(world, licence):
    photo_path = f"/api/v1/performance-licences/{licence['id']}/parent-part/photo"
    assert world.get(photo_path, world.officer).status_code == 404
    image = png(320, 300)
    assert world.complete_parent_part(photo=image).status_code == 201
    response = world.get(photo_path, world.officer)
    assert response.status_code == 200 and response.mimetype == "image/png" and response.data == image
    assert world.get(photo_path, world.producer).status_code == 403


def test_the_link_expires_after_14_days(world, licence):
    token = world.parent_token()
    with time_machine.travel("2026-03-16 09:59 +0000", tick=False):
        assert world.get(f"/api/v1/parent-part/{token}").status_code == 200
    with time_machine.travel("2026-03-16 10:00 +0000", tick=False):
        response = world.get(f"/api/v1/parent-part/{token}")
        assert response.status_code == 410 and response.get_json()["link_state"] == "expired"
        assert world.complete_parent_part(token).status_code == 410


def test_link_lifetime_is_a_setting(make_app):
    app = make_app("licensing", PARENT_LINK_DAYS=2)
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(app)
        world.apply(TODAY + timedelta(days=30))
        token = world.parent_token()
    with time_machine.travel("2026-03-04 10:01 +0000", tick=False):
        assert world.get(f"/api/v1/parent-part/{token}").status_code == 410


@pytest.mark.parametrize("token", ["unknown-token", "x" * 200, "a" * 201])
def test_unknown_tokens_are_404(world, licence, token):
    response = world.get(f"/api/v1/parent-part/{token}")
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_a_school_opinion_link_does_not_open_the_parent_part(world, licence):
    world.post(
        f"/api/v1/performance-licences/{licence['id']}/school-opinion-request",
        {"school_email": "head@school.example"},
        world.officer,
    )
    school_token = world.link_token("school-opinion", "head@school.example")
    assert world.get(f"/api/v1/parent-part/{school_token}").status_code == 404
    assert world.get(f"/api/v1/school-opinion/{world.parent_token()}").status_code == 404


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (b"GIF89a" + b"\x00" * 100, "JPG or PNG"),
        (b"%PDF-1.7 not a photo", "JPG or PNG"),
        (b"", "Upload a photo"),
        (png(100, 400), "300"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 4, "could not be read"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 10, "could not be read"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "5 MB"),
    ],
)
def test_photos_that_are_not_a_usable_jpeg_or_png_are_refused(world, licence, photo, message):
    token = world.parent_token()
    response = world.complete_parent_part(token, photo=photo)
    assert response.status_code == 422, response.get_json()
    assert message in " ".join(response.get_json()["errors"]["photo"])
    assert world.get(f"/api/v1/parent-part/{token}").status_code == 200  # a refused try does not use the link


def test_a_png_named_as_a_jpeg_is_judged_by_its_bytes(world, licence):
    response = world.client.post(
        f"/api/v1/parent-part/{world.parent_token()}",
        data={"declaration": "true", "photo": (io.BytesIO(png()), "child.jpg", "image/jpeg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    assert world.licence(licence["id"])["parent_part"]["photo"]["content_type"] == "image/png"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"declaration": "false"}, "declaration"),
        ({"declaration": "perhaps"}, "declaration"),
        ({"declaration": None}, "declaration"),
        ({"medical_declaration": "x" * 5001}, "medical_declaration"),
    ],
)
def test_the_declaration_must_be_made(world, licence, form, field):
    token = world.parent_token()
    data = {"declaration": "true", "photo": (io.BytesIO(png()), "child.png"), **form}
    data = {k: v for k, v in data.items() if v is not None}
    response = world.client.post(
        f"/api/v1/parent-part/{token}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_without_a_photo_or_as_json_is_422(world, licence):
    token = world.parent_token()
    no_photo = world.client.post(
        f"/api/v1/parent-part/{token}", data={"declaration": "true"}, content_type="multipart/form-data"
    )
    assert no_photo.status_code == 422 and "photo" in no_photo.get_json()["errors"]
    as_json = world.client.post(f"/api/v1/parent-part/{token}", json={"declaration": True})
    assert as_json.status_code == 422


def test_after_automatic_refusal_or_withdrawal_the_link_no_longer_works(world, licence):
    token = world.parent_token()
    world.post(f"/api/v1/performance-licences/{licence['id']}/withdraw", {}, world.producer)
    response = world.complete_parent_part(token)
    assert response.status_code == 410 and response.get_json()["link_state"] == "revoked"
