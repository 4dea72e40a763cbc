"""The daily jobs: payment monitoring (issued -> unpaid after the final day, refunds flagged) and deadline
alerts to officers. Both run twice on the same day without changing anything the second time."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select, update

from penalty_service import jobs
from penalty_service.models import Payment, PenaltyNotice
from penalty_service.services import payments
from shared import db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage
from shared.scheduler import JobRun
from tests.penalty.builders import PenaltyWorld
from tests.penalty.test_payments import NOW, add_notice, day, notice_detail, pay, payment_statuses
from tests.support.api import add_user


@pytest.fixture
def world(penalty_app):
    with time_machine.travel(NOW, tick=False):
        yield PenaltyWorld(penalty_app)


def run(app, name: str, today: date) -> dict:
    with app.app_context():
        return app.extensions["jobs"][name].func(today)


def status_of(app, notice_id: int) -> str:
    with app.app_context():
        return db.session().scalar(select(PenaltyNotice.status).where(PenaltyNotice.id == notice_id))


def audit_count(app, action: str) -> int:
    with app.app_context():
        return db.session().scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


def pay_on(world, notice, amount, on):
    with time_machine.travel(f"{day(on).isoformat()} 12:00 +0000", tick=False):
        response = pay(world, notice["notice_number"], amount, day(on))
    assert response.status_code == 201, response.get_json()


def test_jobs_are_declared_with_a_daily_schedule():
    declared = {job.name: job for job in jobs.JOBS}
    for name in ("payment-monitoring", "deadline-alerts"):
        assert declared[name].trigger == "cron" and declared[name].daily
        assert set(declared[name].schedule) == {"hour", "minute"}
    assert "deliver-notifications" in declared


@pytest.mark.parametrize(
    ("today", "status"),
    [
        pytest.param(day(28), "issued", id="on the final day (day 28): still payable"),
        pytest.param(day(29), "unpaid", id="the day after the final day"),
    ],
)
def test_unpaid_after_the_final_day_not_on_it(world, today, status):
    notice = add_notice(world.app)
    run(world.app, "payment-monitoring", today)
    assert status_of(world.app, notice["id"]) == status


def test_running_twice_on_the_same_day_changes_nothing_the_second_time(world):
    unpaid = [add_notice(world.app, upn=f"A1234567890{i:02d}") for i in range(3)]
    paid = add_notice(world.app, upn="A123456789099")
    later = add_notice(world.app, upn="A123456789098", posted_on=date(2026, 2, 9))  # final day 10 March
    pay_on(world, paid, 16000, 28)  # the full amount on day 28: stays paid

    first = run(world.app, "payment-monitoring", day(29))
    assert first == {"unpaid": 3, "paid": 0, "refunds_flagged": 0}
    assert [status_of(world.app, n["id"]) for n in unpaid] == ["unpaid"] * 3
    assert status_of(world.app, paid["id"]) == "paid"
    assert status_of(world.app, later["id"]) == "issued"
    assert audit_count(world.app, "penalty_notice.unpaid") == 3
    with world.app.app_context():
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "penalty_notice.unpaid"))
    assert event.before == {"status": "issued"}
    assert event.after["status"] == "unpaid" and event.after["final_payment_day"] == day(28).isoformat()
    assert event.actor == "job:payment-monitoring"

    second = run(world.app, "payment-monitoring", day(29))
    assert second == {"unpaid": 0, "paid": 0, "refunds_flagged": 0}
    assert audit_count(world.app, "penalty_notice.unpaid") == 3


def test_a_part_payment_never_completed_is_flagged_for_refund_by_the_job(world):
    notice = add_notice(world.app)
    pay_on(world, notice, 5000, 5)
    assert payment_statuses(world.app, notice["id"]) == ["applied"]
    assert run(world.app, "payment-monitoring", day(28))["unpaid"] == 0
    counts = run(world.app, "payment-monitoring", day(29))
    assert counts == {"unpaid": 1, "paid": 0, "refunds_flagged": 1}
    assert payment_statuses(world.app, notice["id"]) == ["refund_due"]
    with time_machine.travel(f"{day(29).isoformat()} 12:00 +0000", tick=False):
        detail = notice_detail(world, notice["id"])
    assert (detail["status"], detail["refund_due_pence"], detail["balance_pence"]) == ("unpaid", 5000, 0)
    assert run(world.app, "payment-monitoring", day(29)) == {"unpaid": 0, "paid": 0, "refunds_flagged": 0}


def test_a_payment_made_in_time_but_recorded_late_makes_an_unpaid_notice_paid(world):
    notice = add_notice(world.app)
    run(world.app, "payment-monitoring", day(29))
    assert status_of(world.app, notice["id"]) == "unpaid"
    response = pay(world, notice["notice_number"], 16000, day(27))  # the bank file arrives on day 41
    assert response.get_json()["notice"]["status"] == "paid"
    assert run(world.app, "payment-monitoring", day(41)) == {"unpaid": 0, "paid": 0, "refunds_flagged": 0}
    assert status_of(world.app, notice["id"]) == "paid"


def test_money_held_on_a_notice_that_can_no_longer_be_paid_is_flagged(world):
    notice = add_notice(world.app)
    pay_on(world, notice, 5000, 5)
    with world.app.app_context(), db.transaction():  # referred for prosecution by another part of the service
        db.session().execute(update(PenaltyNotice).values(status="prosecution"))
    counts = run(world.app, "payment-monitoring", day(29))
    assert counts["refunds_flagged"] == 1 and status_of(world.app, notice["id"]) == "prosecution"
    assert payment_statuses(world.app, notice["id"]) == ["refund_due"]


def test_legacy_notices_are_left_alone(world):
    with world.app.app_context(), db.transaction():
        db.session().add(
            PenaltyNotice(
                notice_number="LEGACY-1",
                source="legacy",
                pupil_upn="A123456789012",
                pupil_name="Zoë Example",
                parent_name="Sam Example",
                parent_key="sam example",
                issue_date=date(2025, 1, 6),
                status="unpaid",
                legacy_outcome="unpaid",
            )
        )
    assert run(world.app, "payment-monitoring", day(29)) == {"unpaid": 0, "paid": 0, "refunds_flagged": 0}


def test_jobs_run_uses_the_day_given(world):
    notice = add_notice(world.app)
    runner = world.app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "payment-monitoring", "--today", day(28).isoformat()])
    assert result.exit_code == 0, result.output
    assert status_of(world.app, notice["id"]) == "issued"
    result = runner.invoke(args=["jobs", "run", "payment-monitoring", "--today", day(29).isoformat()])
    assert result.exit_code == 0 and "'unpaid': 1" in result.output
    with world.app.app_context():
        runs = db.session().scalars(select(JobRun).where(JobRun.job_name == "payment-monitoring")).all()
    assert [(r.run_for, r.outcome, r.counts["unpaid"]) for r in runs] == [
        (day(28), "succeeded", 0),
        (day(29), "succeeded", 1),
    ]


# --- deadline alerts --------------------------------------------------------------------------------------


def alerts(app, today: date | None = None) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.object_type == "deadline_alerts")
        if today:
            query = query.where(OutboxMessage.object_id.like(f"{today.isoformat()}:%"))
        return db.session().scalars(query.order_by(OutboxMessage.id)).all()


def test_officers_get_one_deadline_email_a_day(world):
    add_user(world.app, "second.officer@example.org", "officer")
    add_user(world.app, "admin@example.org", "admin")
    # Received Monday 8 June 2026: due for decision on Monday 22 June (10 working days).
    due = world.request(received_on="2026-06-08")
    later = world.request(received_on="2026-06-15", upn="A123456789001")  # due 29 June: not yet
    notice = add_notice(world.app, last_absence=date(2026, 1, 16))  # lay by 16 July 2026
    run(world.app, "payment-monitoring", day(29))
    assert status_of(world.app, notice["id"]) == "unpaid"

    friday = date(2026, 6, 19)  # 2 working days ahead: Tuesday 23 June
    counts = run(world.app, "deadline-alerts", friday)
    assert counts == {"emails": 2, "already_sent": 0, "requests": 1, "notices": 1}
    sent = alerts(world.app, friday)
    assert sorted(m.to_address for m in sent) == ["officer@example.org", "second.officer@example.org"]
    body = sent[0].body
    assert due["reference"] in body and "due 2026-06-22" in body
    assert later["reference"] not in body
    assert notice["notice_number"] in body and "lay by 2026-07-16, 27 days left" in body

    assert run(world.app, "deadline-alerts", friday) == {
        "emails": 0,
        "already_sent": 2,
        "requests": 1,
        "notices": 1,
    }
    assert len(alerts(world.app)) == 2

    tuesday = date(2026, 6, 23)  # now overdue
    run(world.app, "deadline-alerts", tuesday)
    assert "due 2026-06-22 - OVERDUE" in alerts(world.app, tuesday)[0].body
    assert len(alerts(world.app)) == 4


def test_no_email_when_nothing_is_due(world):
    world.request(received_on="2026-06-15")  # due 29 June
    add_notice(world.app)  # issued, not unpaid
    assert run(world.app, "deadline-alerts", date(2026, 6, 15))["emails"] == 0
    assert alerts(world.app) == []


def test_payments_job_leaves_suspense_alone(world):
    response = pay(world, "PN-2026-0000099", 8000, day(3))
    assert response.get_json()["status"] == "suspense"
    run(world.app, "payment-monitoring", day(29))
    with world.app.app_context():
        assert db.session().scalar(select(Payment.status)) == "suspense"
    assert payments.SUSPENSE == "suspense"
