"""Audit completeness (SPEC §9: every change of state is in an append-only audit log — who, when, what,
before → after), for every state-changing API rule and POST page of both services.

Each state-changing rule under ``/api/v1`` has a scenario (``*_audit_scenarios.py``) or a reason in
:data:`CHANGES_NOTHING`; a new rule with neither fails the coverage test. A scenario makes one request
that succeeds and finds its audit event, then one that is refused and finds the database exactly as it
was. Each POST page either makes its change through a service function an API scenario proves, or is
exercised here (see ``audit_page_routes.py``).
"""

from __future__ import annotations

import inspect
import sys
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from shared import db
from shared.audit import AuditEvent
from tests.conftest import SERVICES
from tests.licensing.employment_builders import ON_TIME
from tests.licensing.test_employment_pages import dated, hours_fields
from tests.licensing.test_public_checks import ANSWERS, requirement, schedule
from tests.penalty.builders import PenaltyWorld, request_body
from tests.penalty.test_school_pages import Browser, answer_all
from tests.security import licensing_audit_scenarios, penalty_audit_scenarios  # noqa: F401 (they register)
from tests.security.audit_cases import SCENARIOS, Scenario, rule_text
from tests.security.audit_page_routes import EXERCISED, SHARED_WITH_THE_API
from tests.support.api import PASSWORD, add_user
from tests.support.pages import csrf_token

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


class Check(NamedTuple):
    why: str
    body: Any


# State-changing methods on rules that change nothing by design: each answers from its input alone.
CHANGES_NOTHING = {
    ("licensing", "POST /api/v1/licence-requirement"): Check(
        "says whether a licence is needed for the answers given", requirement()
    ),
    ("licensing", "POST /api/v1/performance-schedules/check"): Check(
        "checks a proposed schedule against the legal limits", schedule()
    ),
    ("licensing", "POST /api/v1/employment-schedules/check"): Check(
        "checks proposed working hours against the by-laws",
        {
            "date_of_birth": "2012-05-14",
            "job": {"category": "shop"},
            "start_date": "2026-11-02",
            "schedule": {"term_time": [{"day": "sunday", "start": "09:00", "end": "12:00"}]},
        },
    ),
    ("penalty", "POST /api/v1/attendance/threshold-check"): Check(
        "counts a register's absences against the threshold", {"attendance": request_body()["attendance"]}
    ),
}


@cache
def routing_app(service: str) -> Flask:
    """An app for reading the URL map only (it never touches its database)."""
    factory = __import__(SERVICES[service]).create_app
    return factory({"DATABASE_URL": "sqlite://", "SECRET_KEY": "routes-only", "TESTING": True})


def state_changing_rules(service: str, api: bool) -> dict[tuple[str, str], str]:
    """(service, "METHOD /rule") to the view's endpoint, for the API's rules or the pages'."""
    found = {}
    for rule in routing_app(service).url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") != api:
            continue
        for method in sorted(set(rule.methods or ()) & set(STATE_CHANGING)):
            found[(service, rule_text(method, rule.rule))] = rule.endpoint
    return found


def all_rules(api: bool) -> dict[tuple[str, str], str]:
    return {
        key: endpoint for service in SERVICES for key, endpoint in state_changing_rules(service, api).items()
    }


# --- the database, before and after ---------------------------------------------------------------------


def database(app: Flask, service: str) -> dict[str, list[tuple]]:
    """Every row of every table of the service, in primary-key order."""
    with app.app_context(), db.engine().connect() as connection:
        return {
            table.name: [
                tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.tables_for(SERVICES[service])
        }


def last_event_id(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def events_since(app: Flask, mark: int) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session().scalars(select(AuditEvent).where(AuditEvent.id > mark).order_by(AuditEvent.id))
        )


def by_actor(label: str, expected: str) -> bool:
    """``expected`` ending in ``:`` (``"parent_link:"``) stands for any id after it."""
    if expected.endswith(":"):
        return label.startswith(expected) and label[len(expected) :].isdigit()
    return label == expected


# --- coverage -------------------------------------------------------------------------------------------


def test_every_state_changing_api_rule_has_a_scenario_or_a_reason():
    rules = all_rules(api=True)
    covered = set(SCENARIOS) | set(CHANGES_NOTHING)
    assert not set(SCENARIOS) & set(CHANGES_NOTHING), "a rule is both audited and said to change nothing"
    uncovered = sorted(set(rules) - covered)
    assert not uncovered, f"state-changing rules with no audit scenario and no reason: {uncovered}"
    stale = sorted(covered - set(rules))
    assert not stale, f"scenarios or reasons for rules that no longer exist: {stale}"
    assert len(rules) == 65  # 61 audited (48 licensing, 13 penalty + token sign-in/out) and 4 checks


@pytest.mark.parametrize("key", sorted(CHANGES_NOTHING), ids=" ".join)
def test_the_checks_left_out_answer_and_store_nothing(make_app, key):
    service, rule = key
    app = make_app(service)
    method, path = rule.split(" ")
    before = database(app, service)
    response = app.test_client().open(path, method=method, json=CHANGES_NOTHING[key].body)
    assert response.status_code == 200, response.get_json()
    assert database(app, service) == before


# --- each state change, audited; each refusal, changing nothing ------------------------------------------


def run_scenario(app: Flask, scenario: Scenario) -> None:
    case = scenario.build(scenario.world(app))
    mark = last_event_id(app)
    response = case.send()
    assert 200 <= response.status_code < 300, response.get_json()
    events = events_since(app, mark)
    wanted = (case.action, case.object_type, case.expected_id(response.get_json(silent=True)))
    about = [e for e in events if (e.action, e.object_type, e.object_id) == wanted]
    assert about, (
        f"no audit event {wanted}; the request wrote "
        f"{[(e.action, e.object_type, e.object_id) for e in events]}"
    )
    by_them = [e for e in about if by_actor(e.actor, case.actor)]
    assert by_them, f"{wanted} names {[e.actor for e in about]}, not {case.actor}"
    event = by_them[-1]
    assert event.at == datetime.now(UTC)  # the frozen clock: when the request was made
    assert event.before is not None or event.after is not None, f"{wanted} records neither before nor after"
    assert event.before != event.after

    if case.before_refusal is not None:
        case.before_refusal()
    kept = database(app, scenario.service)
    refused = case.refuse()
    assert 400 <= refused.status_code < 500, (refused.status_code, refused.get_data(as_text=True)[:300])
    assert refused.mimetype == "application/problem+json"
    if refused.status_code == 422:
        assert refused.get_json()["errors"], "a 422 names the field and the reason"
    assert database(app, scenario.service) == kept, "a refused request changed the database"


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=" ".join)
def test_each_state_change_is_audited_and_a_refused_one_changes_nothing(make_app, key):
    scenario = SCENARIOS[key]
    app = make_app(scenario.service)
    with time_machine.travel(scenario.now, tick=False):
        run_scenario(app, scenario)


# --- pages ----------------------------------------------------------------------------------------------


def test_every_post_page_is_in_the_table():
    pages = all_rules(api=False)
    assert all(key[1].startswith("POST ") for key in pages), "pages change state only by POST"
    listed = set(SHARED_WITH_THE_API) | set(EXERCISED)
    assert not set(SHARED_WITH_THE_API) & set(EXERCISED)
    missing = sorted(set(pages) - listed)
    assert not missing, f"POST pages neither shared with an audited API scenario nor exercised: {missing}"
    stale = sorted(listed - set(pages))
    assert not stale, f"the table lists pages that no longer exist: {stale}"


def calls(module_name: str, function) -> bool:
    """Whether the module calls ``function`` through its module (``licences.update_section(...)``)."""
    module = sys.modules[module_name]
    source = inspect.getsource(module)
    home = sys.modules[function.__module__]
    aliases = [name for name, value in vars(module).items() if value is home]
    return any(f"{alias}.{function.__name__}(" in source for alias in aliases)


@pytest.mark.parametrize("key", sorted(SHARED_WITH_THE_API), ids=" ".join)
def test_each_page_changes_state_through_a_function_an_api_scenario_proves_audited(key):
    function = SHARED_WITH_THE_API[key]
    proven = {id(s.performs) for s in SCENARIOS.values()}
    assert id(function) in proven, f"no API scenario performs {function.__module__}.{function.__name__}"
    service, _ = key
    view = routing_app(service).view_functions[all_rules(api=False)[key]]
    assert calls(inspect.unwrap(view).__module__, function), f"{key} does not call {function.__name__}"


def https_client(app: Flask):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
    return client


def sign_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_signing_in_and_out_through_the_pages_is_audited(make_app, service):
    app = make_app(service)
    user_id = add_user(app, "officer@example.org", "officer")
    client = https_client(app)

    mark = last_event_id(app)
    assert sign_in(client, "officer@example.org", "Not-the-password-1").status_code == 400
    assert events_since(app, mark) == []

    assert sign_in(client, "officer@example.org").status_code == 302
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert [(e.action, e.object_type, e.object_id, e.actor) for e in events_since(app, mark)] == [
        ("user.signed_in", "user", str(user_id), f"officer:{user_id}"),
        ("user.signed_out", "user", str(user_id), f"officer:{user_id}"),
    ]

    mark = last_event_id(app)
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert events_since(app, mark) == [], "signing out when not signed in changes nothing"


def post_form(client, path: str, fields: list[tuple[str, str]]):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data=MultiDict([("csrf_token", token), *fields]))


def test_pages_that_store_nothing_leave_the_database_as_it_was(make_app):
    app = make_app("licensing")
    client = https_client(app)
    before = database(app, "licensing")
    with time_machine.travel("2026-03-02 10:00 +0000", tick=False):
        answers = [
            (name, v)
            for name, value in ANSWERS.items()
            for v in ([value] if isinstance(value, str) else value)
        ]
        assert post_form(client, "/licence-requirement", answers).status_code == 200
        number = [("number", "NCC-PL-2026-00001"), *dated("date_of_birth", "2015-06-14")]
        assert post_form(client, "/verify", number).status_code == 200
    with time_machine.travel(ON_TIME, tick=False):
        hours = [
            *dated("date_of_birth", "2012-05-14"),
            ("job_category", "shop"),
            *dated("start_date", "2026-11-02"),
            *hours_fields(term_time__monday__start="16:00", term_time__monday__end="18:00"),
        ]
        assert post_form(client, "/check-working-hours", hours).status_code == 200
    assert database(app, "licensing") == before


def test_a_schools_request_is_stored_and_audited_only_when_sent(make_app):
    app = make_app("penalty")
    with time_machine.travel(datetime(2026, 1, 26, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        PenaltyWorld(app)
        school = Browser(app, "school@example.org")
        before = database(app, "penalty")
        answer_all(school)
        assert school.post("/school/requests/new/parents/0/remove", {"remove": "yes"}).status_code == 302
        assert school.post("/school/requests/new").status_code == 302  # start again
        assert database(app, "penalty") == before, "the answers so far live in the session only"

        answer_all(school)
        mark = last_event_id(app)
        assert school.post("/school/requests/new/check").status_code == 302
        [received] = [e for e in events_since(app, mark) if e.action == "penalty_request.received"]
    with app.app_context():
        from shared.users import find_user

        user = find_user("school@example.org")
    assert received.actor == f"school:{user.id}" and received.object_type == "penalty_request"
    assert received.after is not None and date.fromisoformat(received.at.date().isoformat()) == date(
        2026, 1, 26
    )
