"""Audit scenarios for every state-changing rule of the penalty API, built on the penalty tests' own world,
notices and bodies (see :mod:`tests.security.audit_cases`). Today is Tuesday 10 March 2026, after the
final payment day of the notices the payment tests post on Monday 26 January."""

from __future__ import annotations

from penalty_service.services import (
    enforcement_letters,
    legacy,
    notices,
    payments,
    prosecutions,
    requests,
    school_copies,
    schools,
    withdrawals,
)
from shared import users
from tests.penalty.builders import SCHOOL_URN, PenaltyWorld, request_body
from tests.penalty.test_enforcement_letters import letter
from tests.penalty.test_legacy_and_school_copies import LEGACY_HEADER, school_copy
from tests.penalty.test_legacy_and_school_copies import legacy as legacy_notice
from tests.penalty.test_payments import HEADER, NOW, add_notice, day, pay, upload
from tests.penalty.test_prosecutions import CHECKED
from tests.penalty.test_withdrawals import BODY as WITHDRAWAL
from tests.penalty.test_withdrawals import withdraw
from tests.security.audit_cases import Case, scenario
from tests.support.api import PASSWORD, bearer, token_for

OFFICER, SCHOOL = "officer@example.org", "school@example.org"


def penalty(rule: str, performs):
    return scenario("penalty", rule, now=NOW, world=PenaltyWorld, performs=performs)


def account(world: PenaltyWorld, email: str) -> str:
    with world.app.app_context():
        user = users.find_user(email)
        return f"{user.role}:{user.id}"


def officer(world: PenaltyWorld) -> str:
    return account(world, OFFICER)


def id_of(label: str) -> str:
    return label.split(":")[1]


@penalty("POST /api/v1/auth/token", users.issue_token)
def sign_in(world: PenaltyWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/auth/token", {"email": SCHOOL, "password": PASSWORD}, {}),
        action="token.issued",
        object_type="user",
        object_id=id_of(account(world, SCHOOL)),
        actor=account(world, SCHOOL),
        refuse=lambda: world.post("/api/v1/auth/token", {"email": SCHOOL, "password": ""}, {}),
    )


@penalty("DELETE /api/v1/auth/token", users.revoke_token)
def sign_out(world: PenaltyWorld) -> Case:
    token = bearer(token_for(world.client, SCHOOL))
    return Case(
        send=lambda: world.client.delete("/api/v1/auth/token", headers=token),
        action="token.revoked",
        object_type="user",
        object_id=id_of(account(world, SCHOOL)),
        actor=account(world, SCHOOL),
        refuse=lambda: world.client.delete("/api/v1/auth/token", headers=token),  # revoked already: 401
    )


@penalty("POST /api/v1/schools", schools.create)
def school(world: PenaltyWorld) -> Case:
    body = {
        "urn": "122002",
        "name": "Third Academy",
        "address": "Mill Lane, Newark",
        "email": "office@third.example",
    }
    return Case(
        send=lambda: world.post("/api/v1/schools", body, world.officer),
        action="school.created",
        object_type="school",
        object_id=lambda created: created["id"],
        actor=officer(world),
        refuse=lambda: world.post("/api/v1/schools", body, world.officer),  # the same URN again
    )


@penalty("POST /api/v1/penalty-requests", requests.submit)
def penalty_request(world: PenaltyWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/penalty-requests", request_body(), world.school),
        action="penalty_request.received",
        object_type="penalty_request",
        object_id=lambda created: created["id"],
        actor=account(world, SCHOOL),
        refuse=lambda: world.post("/api/v1/penalty-requests", request_body(offence="truancy"), world.school),
    )


@penalty("POST /api/v1/penalty-requests/{request_id}/decision", notices.decide)
def penalty_decision(world: PenaltyWorld) -> Case:
    request_id = world.request()["id"]
    path = f"/api/v1/penalty-requests/{request_id}/decision"
    body = {"decision": "issue", "issue_date": "2026-03-02"}
    return Case(
        send=lambda: world.post(path, body, world.officer),
        action="penalty_request.decided",
        object_type="penalty_request",
        object_id=request_id,
        actor=officer(world),
        refuse=lambda: world.post(path, body, world.officer),  # decided already: 409
    )


@penalty("POST /api/v1/school-issued-notices", school_copies.record)
def school_issued_notice(world: PenaltyWorld) -> Case:
    return Case(
        send=lambda: school_copy(world),
        action="penalty_notice.school_copy_received",
        object_type="penalty_notice",
        object_id=lambda created: created["id"],
        actor=account(world, SCHOOL),
        refuse=lambda: school_copy(world),  # the same notice number again: 409
    )


@penalty("POST /api/v1/legacy-notices", legacy.record)
def legacy_record(world: PenaltyWorld) -> Case:
    return Case(
        send=lambda: legacy_notice(world),
        action="penalty_notice.legacy_recorded",
        object_type="penalty_notice",
        object_id=lambda created: created["id"],
        actor=officer(world),
        refuse=lambda: legacy_notice(world, outcome="fined"),
    )


@penalty("POST /api/v1/legacy-notices/import", legacy.import_csv)
def legacy_import(world: PenaltyWorld) -> Case:
    path = "/api/v1/legacy-notices/import"
    rows = LEGACY_HEADER + f"A123456789012,Zoë Example,Sam Example,2025-05-12,paid,{SCHOOL_URN}\n"
    return Case(
        send=lambda: upload(world, rows, path),
        action="legacy_notices.imported",
        object_type="legacy_import",
        object_id=id_of(officer(world)),
        actor=officer(world),
        refuse=lambda: upload(world, "pupil_upn,pupil_name\nA,B\n", path),
    )


@penalty("POST /api/v1/payments", payments.record)
def payment(world: PenaltyWorld) -> Case:
    number = add_notice(world.app)["notice_number"]
    return Case(
        send=lambda: pay(world, number, 8000, day(3), reference="BACS-0001"),
        action="payment.recorded",
        object_type="payment",
        object_id=lambda created: created["id"],
        actor=officer(world),
        refuse=lambda: pay(world, number, 0, day(3), reference="BACS-0002"),
    )


@penalty("POST /api/v1/payments/{payment_id}/match", payments.match)
def payment_match(world: PenaltyWorld) -> Case:
    number = add_notice(world.app)["notice_number"]
    suspense = pay(world, "PN-2026-9999999", 8000, day(2), reference="SUS-1")
    assert suspense.status_code == 201, suspense.get_json()
    path = f"/api/v1/payments/{suspense.get_json()['id']}/match"
    return Case(
        send=lambda: world.post(path, {"notice_number": number}, world.officer),
        action="payment.matched",
        object_type="payment",
        object_id=suspense.get_json()["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"notice_number": number}, world.officer),  # matched already: 409
    )


@penalty("POST /api/v1/payments/import", payments.import_csv)
def payment_import(world: PenaltyWorld) -> Case:
    number = add_notice(world.app)["notice_number"]
    return Case(
        send=lambda: upload(world, HEADER + f"{number},8000,{day(3).isoformat()},BANK-1,bank_transfer\n"),
        action="payments.imported",
        object_type="payment_import",
        object_id="20260310T120000",  # when the file was received: the frozen clock
        actor=officer(world),
        refuse=lambda: upload(world, HEADER + f"{number},eighty,{day(3).isoformat()},BANK-2,card\n"),
    )


@penalty("POST /api/v1/penalty-notices/{notice_id}/withdrawal", withdrawals.withdraw)
def withdrawal(world: PenaltyWorld) -> Case:
    notice_id = add_notice(world.app, parent_email="sam@example.org")["id"]
    return Case(
        send=lambda: withdraw(world, notice_id),
        action="penalty_notice.withdrawn",
        object_type="penalty_notice",
        object_id=notice_id,
        actor=officer(world),
        refuse=lambda: withdraw(world, notice_id, WITHDRAWAL),  # withdrawn already: 409
    )


def prosecute(world: PenaltyWorld, notice_id: int):
    return world.post(
        f"/api/v1/penalty-notices/{notice_id}/prosecution",
        {"decision": "prosecute", **CHECKED},
        world.officer,
    )


@penalty("POST /api/v1/penalty-notices/{notice_id}/prosecution", prosecutions.decide)
def prosecution(world: PenaltyWorld) -> Case:
    notice_id = add_notice(world.app, status="unpaid")["id"]
    return Case(
        send=lambda: prosecute(world, notice_id),
        action="penalty_notice.referred_for_prosecution",
        object_type="penalty_notice",
        object_id=notice_id,
        actor=officer(world),
        refuse=lambda: prosecute(world, notice_id),  # referred already: 409
    )


@penalty("POST /api/v1/prosecutions/{case_id}/events", prosecutions.add_event)
def prosecution_event(world: PenaltyWorld) -> Case:
    opened = prosecute(world, add_notice(world.app, status="unpaid")["id"])
    assert opened.status_code == 201, opened.get_json()
    case_id = opened.get_json()["case_id"]
    path = f"/api/v1/prosecutions/{case_id}/events"
    return Case(
        send=lambda: world.post(path, {"type": "information_laid", "date": "2026-03-09"}, world.officer),
        action="prosecution_case.information_laid",
        object_type="prosecution_case",
        object_id=case_id,
        actor=officer(world),
        refuse=lambda: world.post(
            path, {"type": "outcome", "date": "2026-03-11", "outcome": "fine"}, world.officer
        ),
    )


@penalty("POST /api/v1/enforcement-letters", enforcement_letters.issue)
def enforcement_letter(world: PenaltyWorld) -> Case:
    return Case(
        send=lambda: letter(world, "2026-01-05"),
        action="enforcement_letter.issued",
        object_type="enforcement_letter",
        object_id=lambda created: created["id"],
        actor=officer(world),
        refuse=lambda: letter(world, "2026-02-01"),  # before the next step is due: 409
    )
