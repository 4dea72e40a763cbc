"""Retention of penalty records: notices and requests are anonymised 6 years after the case closed, never
while it is open, with one audit entry per policy and the numbers, dates and outcomes kept.

One request for Zoë names two parents, so two notices are issued on Monday 26 January 2026. Sam pays on
Friday 30 January (kept to Friday 30 January 2032); Alex's notice is withdrawn on Tuesday 10 March 2026
(kept to Wednesday 10 March 2032), which is when the request closed.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from penalty_service.enforcement_models import EnforcementLetter, ProsecutionCase, ProsecutionEvent
from penalty_service.models import PenaltyNotice, PenaltyRequest, RequestParent
from penalty_service.services.documents import NOTICE_OBJECT, REQUEST_OBJECT
from shared import db, retention
from shared.audit import AuditEvent
from shared.documents import Document
from shared.retention import ANONYMISED, ANONYMISED_DATE
from tests.penalty.builders import PenaltyWorld
from tests.penalty.test_enforcement_letters import letter
from tests.penalty.test_payments import NOW, add_notice, day, pay
from tests.penalty.test_prosecutions import CHECKED, unpaid_notice
from tests.penalty.test_withdrawals import withdraw
from tests.support.api import bearer, token_for

PARENTS = [
    {"name": "Sam Example", "address": "1 Example Street, Mansfield NG18 1AA", "relationship": "mother"},
    {"name": "Alex Example", "address": "9 Other Road, Newark NG24 1AA", "relationship": "father"},
]
PAID_ON = date(2026, 1, 30)
WITHDRAWN_ON = date(2026, 3, 10)


@pytest.fixture
def world(penalty_app):
    with time_machine.travel(NOW, tick=False):
        yield PenaltyWorld(penalty_app)


@pytest.fixture
def case(world) -> dict:
    """The request and its two notices: Sam's paid, Alex's withdrawn."""
    request = world.request(received_on="2026-01-20", parents=PARENTS)
    notices = world.decide(request["id"], issue_date="2026-01-26")["notices"]
    sam, alex = sorted(notices, key=lambda n: n["parent_name"] != "Sam Example")
    with time_machine.travel(f"{day(3).isoformat()} 12:00 +0000", tick=False):
        assert pay(world, sam["notice_number"], 8000, day(3)).status_code == 201
    assert withdraw(world, alex["id"]).status_code == 200
    return {"request": request["id"], "sam": sam["id"], "alex": alex["id"]}


def run(world, today: date, dry_run: bool = False) -> dict[str, retention.Outcome]:
    with world.app.app_context():
        outcomes = retention.run(retention.policies_of(world.app), today, dry_run=dry_run)
    return {o.policy: o for o in outcomes}


def notice(world, notice_id: int) -> PenaltyNotice:
    with world.app.app_context():
        return db.session().get(PenaltyNotice, notice_id)


def request_and_parents(world, request_id: int) -> tuple[PenaltyRequest, list[RequestParent]]:
    with world.app.app_context():
        request = db.session().get(PenaltyRequest, request_id)
        return request, list(request.parents)


def documents_of(world, object_type: str, object_id: int) -> int:
    with world.app.app_context():
        return db.session().scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.object_type == object_type, Document.object_id == str(object_id))
        )


def retention_audit(world) -> list[AuditEvent]:
    with world.app.app_context():
        return list(
            db.session().scalars(
                select(AuditEvent).where(AuditEvent.action.like("retention.%")).order_by(AuditEvent.id)
            )
        )


def test_a_paid_notice_is_kept_six_years_from_payment_and_anonymised_the_day_after(world, case):
    assert documents_of(world, NOTICE_OBJECT, case["sam"]) == 1
    assert run(world, date(2032, 1, 30))["penalty_notices"].records == 0
    assert notice(world, case["sam"]).parent_name == "Sam Example"

    outcomes = run(world, date(2032, 1, 31))
    assert outcomes["penalty_notices"].records == 1
    assert outcomes["penalty_requests"].records == 0  # Alex's notice closed later
    paid = notice(world, case["sam"])
    assert (paid.pupil_name, paid.pupil_upn, paid.parent_name, paid.parent_address, paid.parent_email) == (
        ANONYMISED,
        ANONYMISED,
        ANONYMISED,
        ANONYMISED,
        None,
    )
    assert paid.parent_key == f"{ANONYMISED}:{paid.id}"
    # What statistics need stays.
    assert (paid.status, paid.paid_on, paid.issue_date, paid.amount_lower_pence) == (
        "paid",
        PAID_ON,
        date(2026, 1, 26),
        8000,
    )
    assert paid.notice_number.startswith("PN-2026-")
    assert documents_of(world, NOTICE_OBJECT, case["sam"]) == 0
    assert notice(world, case["alex"]).parent_name == "Alex Example"


def test_the_request_is_anonymised_once_its_last_notice_has_been_closed_six_years(world, case):
    assert documents_of(world, REQUEST_OBJECT, case["request"]) == 1
    kept = run(world, date(2032, 3, 10))
    assert (kept["penalty_requests"].records, kept["penalty_notices"].records) == (0, 1)  # Sam's notice
    assert request_and_parents(world, case["request"])[0].pupil_first_name == "Zoë"

    outcomes = run(world, date(2032, 3, 11))
    assert (outcomes["penalty_requests"].records, outcomes["penalty_notices"].records) == (1, 1)
    assert outcomes["penalty_requests"].related == {"request_parents": 2, "documents": 1}
    request, parents = request_and_parents(world, case["request"])
    assert (request.pupil_first_name, request.pupil_last_name, request.pupil_upn) == (ANONYMISED,) * 3
    assert (request.pupil_date_of_birth, request.pupil_address) == (ANONYMISED_DATE, ANONYMISED)
    assert [(p.name, p.address, p.email) for p in parents] == [(ANONYMISED, ANONYMISED, None)] * 2
    assert (request.status, request.offence, request.pupil_year_group) == (
        "issued",
        "unauthorised_absence",
        "6",
    )
    assert len(request.register) > 0  # the attendance by date and code, with no one named
    withdrawn = notice(world, case["alex"])
    assert (withdrawn.withdrawn_on, withdrawn.withdrawal_notes, withdrawn.parent_name) == (
        WITHDRAWN_ON,
        None,
        ANONYMISED,
    )
    # Two notices of one request are still told apart (their keys are unique per request).
    assert notice(world, case["sam"]).parent_key != withdrawn.parent_key
    assert documents_of(world, REQUEST_OBJECT, case["request"]) == 0


def test_open_notices_and_requests_are_never_touched(world):
    prosecuted = unpaid_notice(world)
    issued = add_notice(world.app, status="issued", posted_on=date(2026, 3, 9), upn="C123456789012")
    received = world.request(received_on="2026-03-09", upn="B123456789012")
    response = world.post(
        f"/api/v1/penalty-notices/{prosecuted['id']}/prosecution",
        {"decision": "prosecute", **CHECKED},
        world.officer,
    )
    assert response.status_code == 201, response.get_json()

    outcomes = run(world, date(2045, 1, 1))
    assert outcomes["penalty_notices"].records == 0 and outcomes["penalty_requests"].records == 0
    assert notice(world, issued["id"]).parent_name == "Sam Example"
    assert notice(world, prosecuted["id"]).pupil_name == "Zoë Example"
    assert request_and_parents(world, received["id"])[0].pupil_last_name == "Example"


def test_a_prosecuted_notice_is_measured_from_the_court_outcome(world):
    prosecuted = unpaid_notice(world)
    with time_machine.travel("2026-03-02 10:00 +0000"):
        case = world.post(
            f"/api/v1/penalty-notices/{prosecuted['id']}/prosecution",
            {"decision": "prosecute", **CHECKED},
            world.officer,
        ).get_json()
    events = f"/api/v1/prosecutions/{case['case_id']}/events"
    with time_machine.travel("2026-09-20 10:00 +0000"):
        officer = bearer(token_for(world.client, "officer@example.org"))  # the first token has expired
        for event in (
            {"type": "information_laid", "date": "2026-07-10", "notes": "Laid at Mansfield"},
            {"type": "outcome", "date": "2026-09-14", "outcome": "fine", "notes": "Sam Example fined"},
        ):
            assert world.post(events, event, officer).status_code == 201

    assert run(world, date(2032, 9, 14))["penalty_notices"].records == 0
    outcome = run(world, date(2032, 9, 15))["penalty_notices"]
    assert outcome.records == 1
    assert outcome.related["prosecution_cases"] == 1 and outcome.related["prosecution_events"] == 2
    assert notice(world, prosecuted["id"]).status == "prosecution"
    with world.app.app_context():
        stored = db.session().get(ProsecutionCase, case["case_id"])
        assert (stored.notes, stored.outcome) == ("", "fine")
        notes = db.session().scalars(select(ProsecutionEvent.notes)).all()
    assert notes == ["", ""]


def test_an_unpaid_notice_never_prosecuted_is_measured_from_its_lay_by_day(world):
    unpaid = add_notice(world.app, status="unpaid", last_absence=date(2026, 1, 16))  # lay by 16 July 2026
    assert run(world, date(2032, 7, 16))["penalty_notices"].records == 0
    assert run(world, date(2032, 7, 17))["penalty_notices"].records == 1
    assert notice(world, unpaid["id"]).pupil_upn == ANONYMISED


def test_a_legacy_notice_is_measured_from_its_issue_date(world):
    legacy = add_notice(world.app, source="legacy", status="paid", posted_on=date(2025, 11, 3))
    assert run(world, date(2031, 11, 3))["penalty_notices"].records == 0
    assert run(world, date(2031, 11, 4))["penalty_notices"].records == 1
    assert notice(world, legacy["id"]).parent_name == ANONYMISED


def test_a_dry_run_reports_what_is_due_and_changes_nothing(world, case):
    outcomes = run(world, date(2032, 3, 11), dry_run=True)
    notices = outcomes["penalty_notices"]
    assert (notices.records, notices.oldest, notices.cutoff) == (2, PAID_ON, date(2026, 3, 11))
    assert notices.related == {"documents": 2, "bundles": 0, "prosecution_cases": 0, "prosecution_events": 0}
    assert (outcomes["penalty_requests"].records, outcomes["penalty_requests"].oldest) == (1, WITHDRAWN_ON)
    assert notice(world, case["sam"]).parent_name == "Sam Example"
    assert documents_of(world, NOTICE_OBJECT, case["sam"]) == 1
    assert retention_audit(world) == []


def test_each_policy_is_audited_once_with_counts_and_a_second_run_does_nothing(world, case):
    run(world, date(2032, 3, 11))
    entries = retention_audit(world)
    assert [(e.action, e.object_id) for e in entries] == [
        ("retention.anonymised", "penalty_requests"),
        ("retention.anonymised", "penalty_notices"),
        ("retention.deleted", "outbox_messages"),
        ("retention.deleted", "api_tokens"),
    ]
    notices = entries[1].after
    assert notices["records"] == 2 and notices["related"]["documents"] == 2
    assert (notices["kept_for"], notices["setting"], notices["measured_before"]) == (
        "6 years",
        "RETENTION_PENALTY_YEARS",
        "2026-03-11",
    )
    snapshot = json.dumps([(e.before, e.after, e.note) for e in entries])
    for personal in ("Example", "A123456789012", "Mansfield"):
        assert personal not in snapshot

    again = run(world, date(2032, 3, 11))
    assert all(o.records == 0 for o in again.values())
    assert len(retention_audit(world)) == 4


def test_attendance_letters_are_anonymised_together_from_the_last_to_that_parent(world):
    for issued_on in ("2026-01-05", "2026-02-02"):
        assert letter(world, issued_on).status_code == 201
    assert letter(world, "2026-01-06", name="Alex Example").status_code == 201

    assert run(world, date(2032, 1, 6))["enforcement_letters"].records == 0
    assert run(world, date(2032, 1, 7))["enforcement_letters"].records == 1  # Alex's only letter
    assert run(world, date(2032, 2, 2))["enforcement_letters"].records == 0  # Sam's second is still kept
    assert run(world, date(2032, 2, 3))["enforcement_letters"].records == 2
    with world.app.app_context():
        rows = (
            db.session().execute(select(EnforcementLetter.pupil_name, EnforcementLetter.parent_address)).all()
        )
    assert set(rows) == {(ANONYMISED, ANONYMISED)}


def test_the_penalty_period_cannot_be_set_inside_the_three_year_limit(make_app):
    app = make_app("penalty", RETENTION_PENALTY_YEARS=2)
    result = app.test_cli_runner().invoke(args=["jobs", "run", "retention", "--today", "2032-01-01"])
    assert result.exit_code == 1
    assert "RETENTION_PENALTY_YEARS must be at least 3 years" in result.output
