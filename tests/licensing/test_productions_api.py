"""Productions through the API: created by a producer, seen only by their owner and staff, listed with
each child's application; demo data."""

from __future__ import annotations

import pytest
import time_machine

from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld, child_section, production_body
from tests.support.api import add_user, bearer, token_for


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


def test_producer_creates_a_production_and_it_is_audited(world):
    created = world.production()
    assert created["name"] == "A Christmas Carol" and created["type"] == "theatre"
    assert (created["broadcast"], created["paid"]) == (False, True)
    assert created["producer"]["organisation"] == "Example Theatre Company Ltd"
    assert created["host_authority"] == {"name": "Nottingham City Council", "email": "licensing@city.example"}
    assert created["venues"] == [{"name": "Theatre Royal", "address": "Theatre Square, Nottingham"}]
    events = world.audit("production", created["id"])
    assert [e.action for e in events] == ["production.created"]
    assert events[0].actor == f"applicant:{world.ids['producer']}"


def test_host_authority_may_be_given_as_just_its_name(world):
    response = world.post(
        "/api/v1/productions", production_body(host_authority="Derby City Council"), world.producer
    )
    assert response.status_code == 201
    assert response.get_json()["host_authority"] == {"name": "Derby City Council", "email": None}


def test_production_shows_each_child_and_their_status(world):
    production = world.production()
    submitted = world.apply(TODAY.replace(day=30), production_id=production["id"])
    draft = world.post(f"/api/v1/productions/{production['id']}/children", child_section(), world.producer)
    assert draft.status_code == 201
    body = world.get(f"/api/v1/productions/{production['id']}", world.producer).get_json()
    assert [(c["id"], c["status"], c["child_name"]) for c in body["children"]] == [
        (submitted["id"], "submitted", "Zoë Example"),
        (draft.get_json()["id"], "draft", "Zoë Example"),
    ]
    assert body["children"][0]["parent_part_state"] == "requested"


def test_an_applicant_sees_only_their_own_productions_and_staff_see_all(world):
    mine = world.production()
    theirs = world.production(world.other_producer, name="Other Show")
    assert world.get(f"/api/v1/productions/{theirs['id']}", world.producer).status_code == 404
    assert world.post(f"/api/v1/productions/{theirs['id']}/children", {}, world.producer).status_code == 404
    listed = world.get("/api/v1/productions", world.producer).get_json()
    assert [p["id"] for p in listed["items"]] == [mine["id"]] and listed["total"] == 1
    for staff in (world.officer, world.admin):
        everything = world.get("/api/v1/productions", staff).get_json()
        assert {p["id"] for p in everything["items"]} == {mine["id"], theirs["id"]}
        assert world.get(f"/api/v1/productions/{theirs['id']}", staff).status_code == 200


def test_sign_in_is_needed_and_other_roles_are_refused(world):
    assert world.get("/api/v1/productions").status_code == 401
    assert world.post("/api/v1/productions", production_body()).status_code == 401
    add_user(world.app, "school@example.org", "school", school_urn="122000")
    school = bearer(token_for(world.client, "school@example.org"))
    assert world.get("/api/v1/productions", school).status_code == 403
    assert world.post("/api/v1/productions", production_body(), school).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "circus"}, "type"),
        ({"name": ""}, "name"),
        ({"broadcast": "perhaps"}, "broadcast"),
        ({"producer": {"name": "Pat"}}, "producer.email"),
        ({"producer": {"name": "Pat", "email": "not-an-email"}}, "producer.email"),
        ({"host_authority": None}, "host_authority"),
        ({"venues": [{"address": "somewhere"}]}, "venues.0.name"),
        ({"name": "Nul\x00Show"}, "name"),
    ],
)
def test_invalid_productions_are_refused_with_the_field(world, change, field):
    response = world.post("/api/v1/productions", production_body(**change), world.producer)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"], response.get_json()


@pytest.mark.parametrize("body", [[], "text", 7, {"name": ["a"]}, {"producer": "x"}])
def test_odd_bodies_are_422_never_500(world, body):
    assert world.post("/api/v1/productions", body, world.producer).status_code in (400, 422)


@pytest.mark.parametrize("path", ["/api/v1/productions/0", "/api/v1/productions/2147483647"])
def test_missing_productions_are_404(world, path):
    assert world.get(path, world.officer).status_code == 404


def test_ids_beyond_the_database_range_are_404_not_500(world):
    assert world.get("/api/v1/productions/2147483648", world.officer).status_code == 404
    assert world.get("/api/v1/productions?page=0", world.officer).status_code == 422
    assert world.get("/api/v1/productions?page_size=101", world.officer).status_code == 422


def test_seed_demo_creates_one_production_with_a_submitted_and_a_draft_child_once(licensing_app):
    from sqlalchemy import func, select

    from licensing_service.models.licences import PerformanceLicence
    from licensing_service.models.productions import Production
    from shared import db

    runner = licensing_app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    with licensing_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Production)) == 1
        statuses = (
            db.session().scalars(select(PerformanceLicence.status).order_by(PerformanceLicence.id)).all()
        )
        assert statuses == ["submitted", "draft"]
