"""The retention mechanism: which dates are past retention (pure, on real calendar dates), and the runner
on a real database with the policies both services share (failed sign-ins, API tokens, outbox emails).

A record is kept through the last day of its period and is due the day after: a failed sign-in on
Wednesday 1 July 2026 (London time) is kept for 30 days, to Friday 31 July, and deleted from 1 August.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from shared import db, retention
from shared.audit import AuditEvent
from shared.notify import FAILED, PENDING, SENT, OutboxMessage
from shared.retention import ANONYMISED, Action, Period, Policy, Unit, cutoff, is_past_retention, keep_until
from shared.scheduler import JobRun
from shared.users import ApiToken, SignInAttempt
from tests.support.api import add_user

SIGNED_IN_ON = date(2026, 7, 1)
KEPT_TO = date(2026, 7, 31)  # 30 days after 1 July
DUE_ON = date(2026, 8, 1)


# --- which dates are past retention ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measured_on", "keep", "unit", "last_kept"),
    [
        (date(2019, 3, 10), 6, Unit.YEARS, date(2025, 3, 10)),
        (date(2020, 2, 29), 6, Unit.YEARS, date(2026, 2, 28)),  # no 29 February in 2026
        (date(2020, 2, 29), 4, Unit.YEARS, date(2024, 2, 29)),
        (date(2019, 2, 28), 1, Unit.YEARS, date(2020, 2, 28)),
        (date(2026, 12, 15), 30, Unit.DAYS, date(2027, 1, 14)),
        (date(2028, 2, 1), 30, Unit.DAYS, date(2028, 3, 2)),  # across a leap day
    ],
)
def test_a_record_is_kept_through_its_last_day_and_due_the_day_after(measured_on, keep, unit, last_kept):
    assert keep_until(measured_on, keep, unit) == last_kept
    assert not is_past_retention(measured_on, last_kept, keep, unit)
    assert is_past_retention(measured_on, last_kept + timedelta(days=1), keep, unit)
    # The cutoff the database compares with gives the same verdict on both days.
    assert not measured_on < cutoff(last_kept, keep, unit)
    assert measured_on < cutoff(last_kept + timedelta(days=1), keep, unit)


def test_an_open_record_with_no_date_is_never_past_retention():
    assert not is_past_retention(None, date(2099, 1, 1), 1, Unit.DAYS)


@pytest.mark.parametrize(
    ("today", "keep", "unit", "earliest_kept"),
    [
        (date(2032, 4, 4), 6, Unit.YEARS, date(2026, 4, 4)),
        # On 29 February 2020 a year's records from 28 February 2019 are due (kept to 28 February 2020).
        (date(2020, 2, 29), 1, Unit.YEARS, date(2019, 3, 1)),
        (date(2026, 3, 1), 6, Unit.YEARS, date(2020, 3, 1)),  # 29 February 2020 was kept to 28 February
        (date(2026, 8, 1), 30, Unit.DAYS, date(2026, 7, 2)),
    ],
)
def test_the_cutoff_is_the_earliest_date_still_kept(today, keep, unit, earliest_kept):
    assert cutoff(today, keep, unit) == earliest_kept


@given(
    measured_on=st.dates(date(1990, 1, 1), date(2060, 12, 31)),
    today=st.dates(date(1995, 1, 1), date(2070, 12, 31)),
    keep=st.integers(1, 12),
    unit=st.sampled_from(list(Unit)),
)
def test_the_cutoff_agrees_with_counting_forward_on_every_day(measured_on, today, keep, unit):
    assert is_past_retention(measured_on, today, keep, unit) == (measured_on < cutoff(today, keep, unit))


def test_a_setting_that_is_not_a_whole_number_or_too_short_is_refused():
    period = Period("RETENTION_TEST_YEARS", Unit.YEARS, minimum=3)
    assert period.length({"RETENTION_TEST_YEARS": 6}) == 6
    for value, words in (("six", "whole number"), (2, "at least 3 years"), (None, "whole number")):
        with pytest.raises(retention.RetentionSettingError, match=words):
            period.length({"RETENTION_TEST_YEARS": value})


def test_an_anonymising_policy_must_mark_what_it_anonymised():
    with pytest.raises(ValueError, match="marker"):
        Policy(
            "bad",
            "",
            OutboxMessage,
            OutboxMessage.created_at,
            Period("RETENTION_OUTBOX_DAYS", Unit.DAYS),
            Action.ANONYMISE,
            replacements={"body": ""},
            marker="body",
        )


# --- the runner, with the shared policies -------------------------------------------------------------


def london_evening(day: date) -> datetime:
    """22:30 in London on ``day`` (British Summer Time): 21:30 UTC the same day."""
    return datetime(day.year, day.month, day.day, 21, 30, tzinfo=UTC)


def sign_ins(app, *ats: datetime, email: str = "sam.parent@example.org") -> None:
    with app.app_context(), db.transaction():
        db.session().add_all(SignInAttempt(email=email, at=at) for at in ats)


def remaining(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def audit_entries(app) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(AuditEvent).where(AuditEvent.action.like("retention.%")).order_by(AuditEvent.id)
            )
        )


def run(app, today: date, **kwargs) -> dict[str, retention.Outcome]:
    with app.app_context():
        return {o.policy: o for o in retention.run(retention.SHARED_POLICIES, today, **kwargs)}


@pytest.fixture
def app(penalty_app):
    return penalty_app


def test_a_sign_in_one_day_inside_the_period_is_kept_and_one_day_past_is_deleted(app):
    # 00:30 on 2 July in London is still 1 July in UTC: the day counted is London's.
    sign_ins(app, london_evening(SIGNED_IN_ON), datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    assert run(app, KEPT_TO)["sign_in_attempts"].records == 0
    assert remaining(app, SignInAttempt) == 2

    outcome = run(app, DUE_ON)["sign_in_attempts"]
    assert (outcome.records, outcome.cutoff, outcome.kept_for) == (1, date(2026, 7, 2), "30 days")
    with app.app_context():
        [kept] = db.session().scalars(select(SignInAttempt)).all()
    assert kept.at == datetime(2026, 7, 1, 23, 30, tzinfo=UTC)


def test_a_dry_run_counts_what_is_due_and_changes_nothing(app):
    sign_ins(app, london_evening(date(2026, 6, 20)), london_evening(SIGNED_IN_ON), london_evening(DUE_ON))
    add_user(app, "officer@example.org", "officer")
    outcomes = run(app, DUE_ON, dry_run=True)

    attempts = outcomes["sign_in_attempts"]
    assert (attempts.records, attempts.oldest, attempts.dry_run) == (2, date(2026, 6, 20), True)
    assert remaining(app, SignInAttempt) == 3
    assert audit_entries(app) == []


def test_the_run_writes_one_audit_entry_per_policy_with_counts_and_no_personal_data(app):
    sign_ins(app, *(london_evening(SIGNED_IN_ON - timedelta(days=n)) for n in range(5)))
    run(app, DUE_ON, batch_size=2)  # three batches, one transaction, one entry

    assert remaining(app, SignInAttempt) == 0
    [entry] = audit_entries(app)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "retention.deleted",
        "retention_policy",
        "sign_in_attempts",
    )
    assert entry.actor == "retention"
    assert entry.after == {
        "records": 5,
        "related": {},
        "kept_for": "30 days",
        "setting": "RETENTION_SIGN_IN_ATTEMPT_DAYS",
        "measured_before": "2026-07-02",
    }
    assert "sam.parent" not in json.dumps([entry.before, entry.after, entry.note])


def test_running_again_the_same_day_does_nothing_more(app):
    sign_ins(app, london_evening(SIGNED_IN_ON))
    assert run(app, DUE_ON)["sign_in_attempts"].records == 1
    again = run(app, DUE_ON)
    assert all(o.records == 0 for o in again.values())
    assert len(audit_entries(app)) == 1


def test_expired_tokens_go_after_their_period_and_live_ones_stay(app):
    user_id = add_user(app, "officer@example.org", "officer")
    with app.app_context(), db.transaction():
        for n, expires in enumerate((london_evening(SIGNED_IN_ON), london_evening(DUE_ON))):
            db.session().add(ApiToken(user_id=user_id, token_hash=f"{n:064d}", expires_at=expires))
    assert run(app, DUE_ON)["api_tokens"].records == 1
    with app.app_context():
        assert db.session().scalars(select(ApiToken.expires_at)).all() == [london_evening(DUE_ON)]


def test_emails_waiting_to_be_sent_are_never_deleted(app):
    long_ago = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    with app.app_context(), db.transaction():
        for status in (PENDING, SENT, FAILED):
            db.session().add(
                OutboxMessage(
                    to_address="sam.parent@example.org",
                    subject=f"A {status} email",
                    body="Dear Sam",
                    status=status,
                    created_at=long_ago,
                    sent_at=long_ago if status == SENT else None,
                )
            )
    outcome = run(app, date(2026, 7, 1))["outbox_messages"]
    assert (outcome.records, outcome.kept_for) == (2, "90 days")
    with app.app_context():
        assert db.session().scalars(select(OutboxMessage.status)).all() == [PENDING]


def test_an_anonymising_policy_replaces_the_fields_once(app):
    policy = Policy(
        "outbox_bodies",
        "A policy for this test: bodies of sent emails anonymised after 90 days",
        OutboxMessage,
        OutboxMessage.sent_at,
        Period("RETENTION_OUTBOX_DAYS", Unit.DAYS),
        Action.ANONYMISE,
        finished=(OutboxMessage.status == SENT,),
        replacements={"to_address": ANONYMISED, "body": ""},
        marker="to_address",
    )
    sent = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # kept 90 days, to 31 May 2026
    with app.app_context(), db.transaction():
        db.session().add(
            OutboxMessage(
                to_address="sam@example.org", subject="S", body="Dear Sam", status=SENT, sent_at=sent
            )
        )
    with app.app_context():
        assert retention.run_policy(policy, date(2026, 5, 31)).records == 0
        assert retention.run_policy(policy, date(2026, 6, 1)).records == 1
        assert retention.run_policy(policy, date(2026, 6, 1)).records == 0
        message = db.session().scalar(select(OutboxMessage))
    assert (message.to_address, message.body, message.subject) == (ANONYMISED, "", "S")
    assert [e.after["records"] for e in audit_entries(app)] == [1]


def test_a_bad_setting_fails_the_run_and_changes_nothing(make_app):
    app = make_app("penalty", RETENTION_SIGN_IN_ATTEMPT_DAYS=0)
    sign_ins(app, london_evening(SIGNED_IN_ON))
    with pytest.raises(retention.RetentionSettingError, match="RETENTION_SIGN_IN_ATTEMPT_DAYS"):
        run(app, DUE_ON)
    assert remaining(app, SignInAttempt) == 1


# --- the job and the command -------------------------------------------------------------------------


def test_the_retention_job_runs_every_policy_and_records_its_counts(app):
    sign_ins(app, london_evening(SIGNED_IN_ON))
    result = app.test_cli_runner().invoke(args=["jobs", "run", "retention", "--today", DUE_ON.isoformat()])
    assert result.exit_code == 0, result.output
    with app.app_context():
        job = db.session().scalar(select(JobRun).where(JobRun.job_name == "retention"))
    assert (job.outcome, job.run_for) == ("succeeded", DUE_ON)
    assert job.counts["sign_in_attempts"] == 1 and job.counts["penalty_notices"] == 0


def test_the_command_prints_a_table_and_a_dry_run_changes_nothing(app):
    sign_ins(app, london_evening(SIGNED_IN_ON), london_evening(date(2026, 6, 1)))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run", "--today", DUE_ON.isoformat()])
    assert dry.exit_code == 0, dry.output
    assert "dry run (nothing changed) for 2026-08-01" in dry.output
    [row] = [line for line in dry.output.splitlines() if "sign_in_attempts" in line]
    cells = [cell.strip() for cell in row.split("│")[1:7]]
    assert cells == ["sign_in_attempts", "delete", "30 days", "2026-07-02", "2", "2026-06-01"]
    assert remaining(app, SignInAttempt) == 2

    done = runner.invoke(args=["retention", "run", "--today", DUE_ON.isoformat()])
    assert done.exit_code == 0, done.output
    assert "Retention run for 2026-08-01" in done.output
    assert remaining(app, SignInAttempt) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "2026-02-30"], "'2026-02-30' is not a date: use YYYY-MM-DD"),
        (["--today", "1 August"], "'1 August' is not a date"),
    ],
)
def test_the_command_refuses_a_bad_date(app, args, message):
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 2 and message in result.output


def test_the_command_names_a_bad_setting(make_app):
    app = make_app("penalty", RETENTION_PENALTY_YEARS=2)
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 1
    assert "RETENTION_PENALTY_YEARS must be at least 3 years" in result.output


# --- the append-only audit log -----------------------------------------------------------------------


@pytest.mark.postgres
def test_after_a_run_the_audit_log_still_refuses_updates_and_deletes(app):
    sign_ins(app, london_evening(SIGNED_IN_ON))
    run(app, DUE_ON)
    [entry] = audit_entries(app)
    for statement in ("UPDATE audit_events SET note = 'changed'", "DELETE FROM audit_events"):
        with app.app_context():
            assert db.session().scalar(text("SELECT current_setting('app.retention', true)")) in (None, "")
            with pytest.raises(DBAPIError, match="append-only"):
                db.session().execute(text(f"{statement} WHERE id = :id"), {"id": entry.id})
            db.session().rollback()
    assert [e.id for e in audit_entries(app)] == [entry.id]
