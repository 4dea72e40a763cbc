"""The authorisation matrix (SPEC §9: least privilege by role and by owner): every rule of each service's
API, generated from its URL map, asked by every role — anonymous, the record's owner, another applicant,
another school, an officer and an admin — about records the owner holds (see ``authorisation_worlds``).

Each rule has an :class:`Access` in :data:`ACCESS`; what each role must get follows from it. A rule
without an entry fails :func:`test_every_api_rule_has_an_access_entry`, so a new endpoint cannot ship
without a decision about who may use it. "Past the gate" is any answer but 401, 403 or 404 (a 409 or 422
says the request reached the record); no answer is ever a server error.
"""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
import time_machine
from flask import Flask

from tests.conftest import SERVICES, _base_config, _fresh_url
from tests.security.audit_cases import rule_text
from tests.security.authorisation_worlds import (
    LICENSING_NOW,
    PENALTY_NOW,
    ROLES,
    MatrixWorld,
    licensing_world,
    penalty_world,
)
from tests.security.test_audit_completeness import routing_app

PAST_THE_GATE = "past the gate"
# The answers are gathered once per service, so the matrix's tests stay on one worker.
pytestmark = pytest.mark.xdist_group("authorisation-matrix")


class Access(StrEnum):
    PUBLIC = "public"  # no sign-in: every role, anonymous too
    LINK = "link"  # the token in the path is the credential: an unknown one is 404 to everyone
    SIGNED_IN = "signed in"  # any account, acting on itself or on what every account may read
    STAFF = "staff"  # officers and admins only
    APPLICANTS = "applicants"  # licensing lists and new applications: applicants (their own) and staff
    OWNED = "owned"  # an applicant's record: its owner and staff; another applicant finds nothing
    SCHOOLS = "schools"  # penalty lists and new requests: schools (their own) and staff
    SCHOOL_OWNED = "school owned"  # a school's record: that school and staff; another school finds nothing
    # A new record inside another's: the field naming it is refused (422) as if it did not exist.
    INTO_OWNED = "into owned"  # an application in another producer's production
    FOR_OWN_SCHOOL = "for own school"  # a request for another school


# What each role gets, by access. Licensing has no school users and penalty no applicants, but both
# kinds of account exist in each service's user table, so each is asked.
EXPECTED: dict[Access, dict[str, str | int]] = {
    Access.PUBLIC: dict.fromkeys(ROLES, PAST_THE_GATE),
    Access.LINK: dict.fromkeys(ROLES, 404),
    Access.SIGNED_IN: {**dict.fromkeys(ROLES, PAST_THE_GATE), "anonymous": 401},
    Access.STAFF: {
        "anonymous": 401,
        "owner": 403,
        "applicant": 403,
        "school": 403,
        "officer": PAST_THE_GATE,
        "admin": PAST_THE_GATE,
    },
    Access.APPLICANTS: {
        "anonymous": 401,
        "owner": PAST_THE_GATE,
        "applicant": PAST_THE_GATE,
        "school": 403,
        "officer": PAST_THE_GATE,
        "admin": PAST_THE_GATE,
    },
    Access.OWNED: {
        "anonymous": 401,
        "owner": PAST_THE_GATE,
        "applicant": 404,
        "school": 403,
        "officer": PAST_THE_GATE,
        "admin": PAST_THE_GATE,
    },
    Access.SCHOOLS: {
        "anonymous": 401,
        "owner": PAST_THE_GATE,
        "applicant": 403,
        "school": PAST_THE_GATE,
        "officer": PAST_THE_GATE,
        "admin": PAST_THE_GATE,
    },
    Access.SCHOOL_OWNED: {
        "anonymous": 401,
        "owner": PAST_THE_GATE,
        "applicant": 403,
        "school": 404,
        "officer": PAST_THE_GATE,
        "admin": PAST_THE_GATE,
    },
}
EXPECTED[Access.INTO_OWNED] = {**EXPECTED[Access.OWNED], "applicant": 422}
EXPECTED[Access.FOR_OWN_SCHOOL] = {**EXPECTED[Access.SCHOOL_OWNED], "school": 422}

LICENCE = "/api/v1/performance-licences/{licence_id}"
CHAPERONE = "/api/v1/chaperone-approvals/{approval_id}"
PERMIT = "/api/v1/employment-permits/{permit_id}"
L, P = "licensing", "penalty"

ACCESS: dict[tuple[str, str], Access] = {
    # accounts
    (L, "POST /api/v1/auth/token"): Access.PUBLIC,
    (L, "DELETE /api/v1/auth/token"): Access.SIGNED_IN,
    (L, "GET /api/v1/auth/me"): Access.SIGNED_IN,
    (L, "POST /api/v1/auth/register"): Access.PUBLIC,
    (P, "POST /api/v1/auth/token"): Access.PUBLIC,
    (P, "DELETE /api/v1/auth/token"): Access.SIGNED_IN,
    (P, "GET /api/v1/auth/me"): Access.SIGNED_IN,
    # public tools and reports
    (L, "POST /api/v1/licence-requirement"): Access.PUBLIC,
    (L, "POST /api/v1/performance-schedules/check"): Access.PUBLIC,
    (L, "POST /api/v1/employment-schedules/check"): Access.PUBLIC,
    (L, "GET /api/v1/verify"): Access.PUBLIC,
    (L, "POST /api/v1/concerns"): Access.PUBLIC,
    (P, "POST /api/v1/attendance/threshold-check"): Access.PUBLIC,
    (P, "GET /api/v1/calendar/working-days"): Access.PUBLIC,
    # emailed links
    (L, "GET /api/v1/parent-part/{token}"): Access.LINK,
    (L, "POST /api/v1/parent-part/{token}"): Access.LINK,
    (L, "GET /api/v1/school-opinion/{token}"): Access.LINK,
    (L, "POST /api/v1/school-opinion/{token}"): Access.LINK,
    (L, "GET /api/v1/chaperone-references/{token}"): Access.LINK,
    (L, "POST /api/v1/chaperone-references/{token}"): Access.LINK,
    (L, "GET /api/v1/permit-declarations/{token}"): Access.LINK,
    (L, "POST /api/v1/permit-declarations/{token}"): Access.LINK,
    # productions and performance licences
    (L, "GET /api/v1/productions"): Access.APPLICANTS,
    (L, "POST /api/v1/productions"): Access.APPLICANTS,
    (L, "GET /api/v1/productions/{production_id}"): Access.OWNED,
    (L, "POST /api/v1/productions/{production_id}/children"): Access.OWNED,
    (L, "GET /api/v1/performance-licences"): Access.APPLICANTS,
    (L, "POST /api/v1/performance-licences"): Access.INTO_OWNED,
    (L, f"GET {LICENCE}"): Access.OWNED,
    (L, f"PUT {LICENCE}/sections/child"): Access.OWNED,
    (L, f"PUT {LICENCE}/sections/days"): Access.OWNED,
    (L, f"PUT {LICENCE}/sections/chaperone"): Access.OWNED,
    (L, f"PUT {LICENCE}/sections/education"): Access.OWNED,
    (L, f"POST {LICENCE}/submit"): Access.OWNED,
    (L, f"POST {LICENCE}/withdraw"): Access.OWNED,
    (L, f"POST {LICENCE}/parent-link"): Access.OWNED,
    (L, f"GET {LICENCE}/decision"): Access.OWNED,
    (L, f"GET {LICENCE}/distribution"): Access.OWNED,
    (L, f"GET {LICENCE}/documents/licence.pdf"): Access.OWNED,
    (L, f"GET {LICENCE}/documents/refusal.pdf"): Access.OWNED,
    (L, f"GET {LICENCE}/documents/revocation.pdf"): Access.OWNED,
    # the child's photo and health are for the council; the producer sees only that the part is done
    (L, f"GET {LICENCE}/parent-part/photo"): Access.STAFF,
    (L, f"GET {LICENCE}/checks"): Access.STAFF,
    (L, f"POST {LICENCE}/checks"): Access.STAFF,
    (L, f"GET {LICENCE}/education-approval"): Access.STAFF,
    (L, f"POST {LICENCE}/education-approval"): Access.STAFF,
    (L, f"POST {LICENCE}/school-opinion-request"): Access.STAFF,
    (L, f"POST {LICENCE}/decision"): Access.STAFF,
    (L, f"POST {LICENCE}/variation"): Access.STAFF,
    (L, f"POST {LICENCE}/revocation"): Access.STAFF,
    # chaperone approvals and training
    (L, "GET /api/v1/chaperone-approvals"): Access.APPLICANTS,
    (L, "POST /api/v1/chaperone-approvals"): Access.APPLICANTS,
    (L, f"GET {CHAPERONE}"): Access.OWNED,
    (L, f"PUT {CHAPERONE}/photo"): Access.OWNED,
    (L, f"GET {CHAPERONE}/documents/{{kind}}.pdf"): Access.OWNED,
    (L, f"POST {CHAPERONE}/checks"): Access.STAFF,
    (L, f"POST {CHAPERONE}/decision"): Access.STAFF,
    (L, f"POST {CHAPERONE}/suspension"): Access.STAFF,
    (L, f"POST {CHAPERONE}/reinstatement"): Access.STAFF,
    (L, f"POST {CHAPERONE}/revocation"): Access.STAFF,
    (L, "GET /api/v1/training-sessions"): Access.SIGNED_IN,  # dates and places; bookings for staff only
    (L, "GET /api/v1/training-sessions/{session_id}"): Access.SIGNED_IN,
    (L, "POST /api/v1/training-sessions"): Access.STAFF,
    (L, "POST /api/v1/training-sessions/{session_id}/bookings"): Access.OWNED,  # for the owner's approval
    (L, "POST /api/v1/training-sessions/{session_id}/attendance"): Access.STAFF,
    # employment permits
    (L, "GET /api/v1/employment-permits"): Access.APPLICANTS,
    (L, "POST /api/v1/employment-permits"): Access.APPLICANTS,
    (L, f"GET {PERMIT}"): Access.OWNED,
    (L, f"GET {PERMIT}/documents/{{kind}}.pdf"): Access.OWNED,
    (L, f"POST {PERMIT}/parent-link"): Access.OWNED,
    (L, f"POST {PERMIT}/decision"): Access.STAFF,
    (L, f"POST {PERMIT}/revocation"): Access.STAFF,
    # Body of Persons approvals
    (L, "GET /api/v1/bopa-approvals"): Access.APPLICANTS,
    (L, "POST /api/v1/bopa-approvals"): Access.APPLICANTS,
    (L, "GET /api/v1/bopa-approvals/{approval_id}"): Access.OWNED,
    (L, "POST /api/v1/bopa-approvals/{approval_id}/decision"): Access.STAFF,
    (L, "POST /api/v1/bopa-approvals/{approval_id}/revocation"): Access.STAFF,
    # officers' own work: concerns, inspections, the queue
    (L, "GET /api/v1/concerns"): Access.STAFF,
    (L, "GET /api/v1/concerns/{concern_id}"): Access.STAFF,
    (L, "POST /api/v1/concerns/{concern_id}/actions"): Access.STAFF,
    (L, "GET /api/v1/concerns/{concern_id}/actions/{action_id}/letter.pdf"): Access.STAFF,
    (L, "POST /api/v1/concerns/{concern_id}/closure"): Access.STAFF,
    (L, "GET /api/v1/inspections"): Access.STAFF,
    (L, "POST /api/v1/inspections"): Access.STAFF,
    (L, "GET /api/v1/inspections/{inspection_id}"): Access.STAFF,
    (L, "POST /api/v1/inspections/{inspection_id}/outcome"): Access.STAFF,
    (L, "POST /api/v1/inspections/{inspection_id}/cancellation"): Access.STAFF,
    (L, "GET /api/v1/queue"): Access.STAFF,
    # penalty: schools' requests and notices
    (P, "GET /api/v1/penalty-requests"): Access.SCHOOLS,
    (P, "POST /api/v1/penalty-requests"): Access.FOR_OWN_SCHOOL,
    (P, "GET /api/v1/penalty-requests/{request_id}"): Access.SCHOOL_OWNED,
    (P, "GET /api/v1/penalty-requests/{request_id}/school-letter.pdf"): Access.SCHOOL_OWNED,
    (P, "POST /api/v1/penalty-requests/{request_id}/decision"): Access.STAFF,
    (P, "GET /api/v1/penalty-notices"): Access.SCHOOLS,
    (P, "GET /api/v1/penalty-notices/{notice_id}"): Access.SCHOOL_OWNED,
    (P, "GET /api/v1/penalty-notices/{notice_id}/document.pdf"): Access.SCHOOL_OWNED,
    (P, "POST /api/v1/penalty-notices/{notice_id}/withdrawal"): Access.STAFF,
    (P, "POST /api/v1/penalty-notices/{notice_id}/prosecution"): Access.STAFF,
    (P, "POST /api/v1/school-issued-notices"): Access.SCHOOLS,
    # penalty: the council's own work
    (P, "GET /api/v1/schools"): Access.STAFF,
    (P, "POST /api/v1/schools"): Access.STAFF,
    (P, "GET /api/v1/payments"): Access.STAFF,
    (P, "POST /api/v1/payments"): Access.STAFF,
    (P, "GET /api/v1/payments/{payment_id}"): Access.STAFF,
    (P, "POST /api/v1/payments/{payment_id}/match"): Access.STAFF,
    (P, "POST /api/v1/payments/import"): Access.STAFF,
    (P, "POST /api/v1/legacy-notices"): Access.STAFF,
    (P, "POST /api/v1/legacy-notices/import"): Access.STAFF,
    (P, "GET /api/v1/prosecutions/{case_id}"): Access.STAFF,
    (P, "GET /api/v1/prosecutions/{case_id}/bundle.pdf"): Access.STAFF,
    (P, "POST /api/v1/prosecutions/{case_id}/events"): Access.STAFF,
    (P, "POST /api/v1/enforcement-letters"): Access.STAFF,
    (P, "GET /api/v1/enforcement-letters/{letter_id}/letter.pdf"): Access.STAFF,
    (P, "GET /api/v1/queue"): Access.STAFF,
}

WORLDS = {L: (licensing_world, LICENSING_NOW), P: (penalty_world, PENALTY_NOW)}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PARAMETER = re.compile(r"\{(\w+)\}")


def api_rules(service: str) -> list[str]:
    rules = []
    for rule in routing_app(service).url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            rules += [rule_text(m, rule.rule) for m in sorted(set(rule.methods or ()) & set(METHODS))]
    return sorted(rules)


def test_every_api_rule_has_an_access_entry():
    rules = {(service, rule) for service in WORLDS for rule in api_rules(service)}
    assert not rules - set(ACCESS), (
        f"rules with no decision about who may use them: {sorted(rules - set(ACCESS))}"
    )
    assert not set(ACCESS) - rules, f"entries for rules that no longer exist: {sorted(set(ACCESS) - rules)}"


def answer(world: MatrixWorld, client, rule: str, role: str):
    method, template = rule.split(" ", 1)
    params = {**world.params, **world.overrides.get(rule, {})}
    path = PARAMETER.sub(lambda m: params[m.group(1)], template)
    token = world.token(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = (
        world.bodies[rule]() if rule in world.bodies else ({"json": {}} if method in ("POST", "PUT") else {})
    )
    return client.open(path, method=method, headers=headers, **body)


def matches(expected: str | int, status: int) -> bool:
    return status not in (401, 403, 404) if expected == PAST_THE_GATE else status == expected


@pytest.fixture(scope="module")
def matrix(migrated_databases, tmp_path_factory) -> dict[tuple[str, str], dict[str, int]]:
    """Every role's answer from every rule, each service asked once (the records are built once)."""
    answers: dict[tuple[str, str], dict[str, int]] = {}
    for service, (build, now) in WORLDS.items():
        url = _fresh_url(service, migrated_databases, tmp_path_factory.mktemp(f"matrix-{service}"))
        app: Flask = __import__(SERVICES[service]).create_app(
            _base_config(url, tmp_path_factory.getbasetemp())
        )
        try:
            with time_machine.travel(now, tick=False):
                world = build(app)
                client = app.test_client()
                for rule in api_rules(service):
                    statuses = {role: answer(world, client, rule, role).status_code for role in ROLES}
                    answers[(service, rule)] = statuses
        finally:
            app.extensions["db_engine"].dispose()
    return answers


@pytest.mark.parametrize("key", sorted(ACCESS), ids=lambda key: f"{key[0]} {key[1]}")
def test_each_role_gets_what_the_rules_access_allows(matrix, key):
    access = ACCESS[key]
    got = matrix[key]
    assert all(status < 500 for status in got.values()), got
    wrong = {
        role: (status, EXPECTED[access][role])
        for role, status in got.items()
        if not matches(EXPECTED[access][role], status)
    }
    assert not wrong, f"{access}: role -> (got, expected) {wrong}"
