"""A ``payment-monitoring`` run killed with SIGKILL part-way through its one transaction leaves every
notice as it was; the next run moves each overdue notice to ``unpaid`` once, with one audit entry each.

The run is a real process (``flask jobs run``, the code the scheduler calls). It is held part-way through
its UPDATE by a row lock this test takes on one notice, killed while it waits, then the lock is let go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from penalty_service.models import PenaltyNotice
from shared import db
from shared.audit import AuditEvent
from shared.scheduler import JobRun
from tests.penalty.builders import PenaltyWorld

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PARENTS = [
    {"name": f"Parent {n}", "address": f"{n} Example Street, Mansfield NG18 1AA", "relationship": "mother"}
    for n in range(1, 6)
]


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def start_job(url: str, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret",
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "flask", "--app", "penalty_service", "jobs", "run", "payment-monitoring"]
    return subprocess.Popen(
        [*command, "--today", "2026-02-25"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def wait_for_blocked_update(watcher: psycopg.Connection, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        blocked = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE 'UPDATE penalty_notices%'"
        ).fetchone()[0]
        if blocked:
            return
        if process.poll() is not None:
            pytest.fail(f"the job ended before it was blocked: {process.stdout.read().decode()}")
        time.sleep(0.1)
    pytest.fail("the job never reached its UPDATE")


def test_a_killed_run_changes_nothing_and_the_next_moves_each_notice_once(make_app, tmp_path):
    app = make_app("penalty")
    world = PenaltyWorld(app)
    notices = world.decide(world.request(parents=PARENTS)["id"], issue_date="2026-01-26")["notices"]
    assert len(notices) == 5  # final payment day Tuesday 24 February 2026: overdue on the 25th
    url = app.config["DATABASE_URL"]

    with psycopg.connect(libpq(url)) as locker, psycopg.connect(libpq(url), autocommit=True) as watcher:
        locker.execute("SELECT id FROM penalty_notices WHERE id = %s FOR UPDATE", (notices[-1]["id"],))
        job = start_job(url, tmp_path)
        try:
            wait_for_blocked_update(watcher, job)
            job.send_signal(signal.SIGKILL)
            assert job.wait(timeout=10) == -signal.SIGKILL
        finally:
            if job.poll() is None:
                job.kill()
            job.stdout.close()
        locker.rollback()  # the lock goes; the killed run's backend finds its client gone and rolls back

    with app.app_context():
        statuses = db.session().scalars(select(PenaltyNotice.status)).all()
        assert statuses == ["issued"] * 5
        assert (
            db.session().scalar(select(func.count()).where(AuditEvent.action == "penalty_notice.unpaid")) == 0
        )

    finished = app.test_cli_runner().invoke(
        args=["jobs", "run", "payment-monitoring", "--today", "2026-02-25"]
    )
    assert finished.exit_code == 0, finished.output
    again = app.test_cli_runner().invoke(args=["jobs", "run", "payment-monitoring", "--today", "2026-02-25"])
    assert again.exit_code == 0, again.output

    with app.app_context():
        session = db.session()
        assert session.scalars(select(PenaltyNotice.status)).all() == ["unpaid"] * 5
        per_notice = session.execute(
            select(AuditEvent.object_id, func.count())
            .where(AuditEvent.action == "penalty_notice.unpaid")
            .group_by(AuditEvent.object_id)
        ).all()
        assert sorted(count for _id, count in per_notice) == [1] * 5
        runs = session.execute(
            select(JobRun.outcome, JobRun.counts)
            .where(JobRun.job_name == "payment-monitoring")
            .order_by(JobRun.id)
        ).all()
    # The killed run's record was in its own transaction: it says it started and never finished.
    assert [outcome for outcome, _counts in runs] == ["running", "succeeded", "succeeded"]
    assert runs[1].counts["unpaid"] == 5 and runs[2].counts["unpaid"] == 0
