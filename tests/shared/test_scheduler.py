"""Scheduled jobs: ``jobs run`` records every run; only one scheduler process is ever active.

The CLI tests run in-process on the suite's database. The scheduler tests start real
``flask --app tests.support.scheduler_app scheduler run`` processes on a real database (a SQLite
file with its file lock, or PostgreSQL with its advisory lock) and watch ``job_runs`` and the logs.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from shared import calendar, db
from shared.scheduler import Job, JobRun, SchedulerLock, _missed_daily_jobs
from tests.support import databases
from tests.support.scheduler_app import DAILY_TEST_JOB_NAME

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parents[2]
LONDON = ZoneInfo("Europe/London")
HOST = socket.gethostname()


# --- jobs run / jobs list through the CLI -------------------------------------------------------


@pytest.fixture
def app_with_jobs(make_app) -> tuple[Flask, list]:
    """The penalty service with three extra jobs; ``calls`` records the day each was run for."""
    app = make_app("penalty")
    calls: list[tuple[str, date]] = []

    def counts(today: date) -> dict[str, int]:
        calls.append(("test-counts", today))
        return {"checked": 3, "changed": 1}

    def fails(today: date) -> dict[str, int]:
        calls.append(("test-fails", today))
        # Work the job did before it failed must not be kept.
        db.session().add(JobRun(job_name="test-partial-work", run_for=today, outcome="succeeded"))
        db.session().flush()
        raise RuntimeError("the payments file is missing")

    def quiet(today: date) -> None:
        calls.append(("test-quiet", today))

    jobs = app.extensions["jobs"]
    jobs["test-counts"] = Job("test-counts", counts, schedule={"hour": 6}, description="counts things")
    jobs["test-fails"] = Job("test-fails", fails, schedule={"hour": 7})
    jobs["test-quiet"] = Job("test-quiet", quiet, schedule={"hour": 8})
    return app, calls


def _runs(app: Flask, name: str | None = None) -> list[JobRun]:
    with app.app_context():
        query = select(JobRun).order_by(JobRun.id)
        if name is not None:
            query = query.where(JobRun.job_name == name)
        return list(db.session().scalars(query))


def test_jobs_run_records_the_run_for_the_given_day(app_with_jobs):
    app, calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "run", "test-counts", "--today", "2025-01-06"])

    assert result.exit_code == 0, result.output
    assert "test-counts for 2025-01-06: succeeded" in result.output
    assert calls == [("test-counts", date(2025, 1, 6))]
    [run] = _runs(app)
    assert run.job_name == "test-counts"
    assert run.run_for == date(2025, 1, 6)
    assert run.outcome == "succeeded"
    assert run.counts == {"checked": 3, "changed": 1}
    assert run.error is None
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.runner == f"{HOST}:{os.getpid()}"


def test_jobs_run_without_today_runs_for_today_in_london(app_with_jobs):
    app, calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "run", "test-quiet"])

    assert result.exit_code == 0, result.output
    [run] = _runs(app)
    assert run.run_for == calls[0][1] == calendar.today()
    assert run.outcome == "succeeded"
    assert run.counts == {}


def test_a_failing_job_is_recorded_as_failed_and_the_command_exits_non_zero(app_with_jobs):
    app, calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "run", "test-fails", "--today", "2025-02-03"])

    assert result.exit_code == 1
    assert "test-fails for 2025-02-03: failed" in result.stdout
    assert "RuntimeError: the payments file is missing" in result.stderr
    [run] = _runs(app)
    assert run.job_name == "test-fails"
    assert run.run_for == date(2025, 2, 3)
    assert run.outcome == "failed"
    assert "RuntimeError: the payments file is missing" in run.error
    assert run.counts is None
    assert run.finished_at is not None
    assert _runs(app, "test-partial-work") == []


def test_each_run_is_recorded_separately(app_with_jobs):
    app, _calls = app_with_jobs
    runner = app.test_cli_runner()

    runner.invoke(args=["jobs", "run", "test-counts", "--today", "2025-01-06"])
    runner.invoke(args=["jobs", "run", "test-fails", "--today", "2025-01-06"])
    runner.invoke(args=["jobs", "run", "test-counts", "--today", "2025-01-07"])

    assert [(r.job_name, r.run_for, r.outcome) for r in _runs(app)] == [
        ("test-counts", date(2025, 1, 6), "succeeded"),
        ("test-fails", date(2025, 1, 6), "failed"),
        ("test-counts", date(2025, 1, 7), "succeeded"),
    ]


def test_an_unknown_job_is_a_usage_error_listing_the_jobs(app_with_jobs):
    app, calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "run", "send-reminders"])

    assert result.exit_code == 2
    assert "no job 'send-reminders'" in result.output
    for name in ("deliver-notifications", "test-counts", "test-fails", "test-quiet"):
        assert name in result.output
    assert calls == [] and _runs(app) == []


@pytest.mark.parametrize("bad", ["2025-13-01", "06/01/2025", "20250106", "2025-1-6", "tomorrow", ""])
def test_a_bad_today_is_a_clear_error_and_runs_nothing(app_with_jobs, bad):
    app, calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "run", "test-counts", "--today", bad])

    assert result.exit_code == 2
    assert "--today" in result.output
    assert "YYYY-MM-DD" in result.output
    assert calls == [] and _runs(app) == []


def test_jobs_list_shows_every_job(app_with_jobs):
    app, _calls = app_with_jobs

    result = app.test_cli_runner().invoke(args=["jobs", "list"])

    assert result.exit_code == 0
    lines = result.output.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == list(app.extensions["jobs"])
    assert {"deliver-notifications", "test-counts", "test-fails", "test-quiet"} <= set(names)
    assert "counts things" in result.output


# --- catch-up rule ------------------------------------------------------------------------------


def test_a_daily_job_is_caught_up_only_after_its_time_and_only_if_it_has_not_succeeded_today(make_app):
    app = make_app("penalty")
    # Only the interval jobs of the service, and two daily test jobs with known times.
    app.extensions["jobs"] = {n: j for n, j in app.extensions["jobs"].items() if not j.daily}
    app.extensions["jobs"]["test-six"] = Job(
        "test-six", lambda _today: None, schedule={"hour": 6, "minute": 0}
    )
    app.extensions["jobs"]["test-weekdays"] = Job(
        "test-weekdays", lambda _today: None, schedule={"day_of_week": "mon-fri", "hour": 1}
    )
    scheduled = {
        "test-six": SimpleNamespace(trigger=CronTrigger(hour=6, minute=0, timezone=LONDON)),
        "test-weekdays": SimpleNamespace(trigger=CronTrigger(day_of_week="mon-fri", hour=1, timezone=LONDON)),
    }

    def missed(at: datetime) -> list[str]:
        return _missed_daily_jobs(app, scheduled, at)

    monday_early = datetime(2025, 1, 6, 5, 59, tzinfo=LONDON)
    monday_late = datetime(2025, 1, 6, 6, 0, tzinfo=LONDON)
    saturday = datetime(2025, 1, 11, 12, 0, tzinfo=LONDON)
    assert missed(monday_early) == ["test-weekdays"]  # the interval job deliver-notifications never is
    assert missed(monday_late) == ["test-six", "test-weekdays"]
    assert missed(saturday) == ["test-six"]

    app.test_cli_runner().invoke(args=["jobs", "run", "test-six", "--today", "2025-01-06"])
    app.test_cli_runner().invoke(args=["jobs", "run", "test-weekdays", "--today", "2025-01-05"])
    assert missed(monday_late) == ["test-weekdays"]  # succeeded on the 6th; the 5th does not count

    with app.app_context(), db.transaction():  # a failed run does not count as having run
        run = db.session().scalars(select(JobRun).where(JobRun.job_name == "test-six")).one()
        run.outcome = "failed"
    assert missed(monday_late) == ["test-six", "test-weekdays"]


# --- the lock itself ----------------------------------------------------------------------------


def test_file_lock_admits_one_holder_and_is_lost_if_its_file_is_deleted(tmp_path):
    url = f"sqlite:///{tmp_path / 'penalty.sqlite3'}"
    first, second = SchedulerLock(url, "penalty"), SchedulerLock(url, "penalty")
    try:
        assert first.acquire()
        assert not second.acquire()
        assert first.still_held()
        assert (tmp_path / "penalty.sqlite3.scheduler.lock").exists()

        first.release()
        assert second.acquire()
        assert not first.acquire()

        (tmp_path / "penalty.sqlite3.scheduler.lock").unlink()
        assert not second.still_held()
    finally:
        first.release()
        second.release()


@pytest.mark.postgres
def test_advisory_lock_admits_one_holder_per_service_and_notices_a_lost_session(make_app):
    url = make_app("penalty").config["DATABASE_URL"]
    first, second = SchedulerLock(url, "penalty"), SchedulerLock(url, "penalty")
    other_service = SchedulerLock(url, "licensing")
    engine = create_engine(url, poolclass=NullPool)
    try:
        assert first.acquire()
        assert not second.acquire()
        assert other_service.acquire()  # a different service's lock is a different key
        assert first.still_held() and other_service.still_held()
        with engine.connect() as connection:  # the holder never sits idle in a transaction
            states = connection.scalars(
                text(
                    "SELECT state FROM pg_stat_activity"
                    " WHERE application_name = 'penalty-scheduler' AND datname = current_database()"
                )
            ).all()
        assert states == ["idle"]

        first.release()
        assert not first.still_held()
        assert second.acquire()

        with engine.begin() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = 'penalty-scheduler' AND datname = current_database()"
                )
            )
        assert not second.still_held()
        assert first.acquire()  # the server released the terminated session's lock
    finally:
        for lock in (first, second, other_service):
            lock.release()
        engine.dispose()


# --- real scheduler processes -------------------------------------------------------------------


class SchedulerProcess:
    """``flask --app tests.support.scheduler_app scheduler run`` with its output in a log file."""

    def __init__(self, name: str, database_url: str, tmp_path: Path):
        self.name = name
        self.log_path = tmp_path / f"scheduler-{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "PYTHONUNBUFFERED": "1",
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "tests.support.scheduler_app", "scheduler", "run"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def runner(self) -> str:
        return f"{HOST}:{self.pid}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def says(self, pattern: str) -> bool:
        return re.search(pattern, self.log()) is not None

    @property
    def active(self) -> bool:
        return self.says(rf"scheduler {re.escape(self.runner)} active")

    @property
    def on_standby(self) -> bool:
        return self.says(rf"scheduler {re.escape(self.runner)} on standby")

    def signal(self, signum: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signum)

    def stop(self) -> None:
        """Clean-up: SIGKILL if still running, then reap."""
        self.signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)


@pytest.fixture
def start_scheduler(tmp_path) -> Iterator[Callable[[str, str], SchedulerProcess]]:
    started: list[SchedulerProcess] = []

    def start(name: str, database_url: str) -> SchedulerProcess:
        process = SchedulerProcess(name, database_url, tmp_path)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()


def wait_until(condition: Callable[[], object], timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    details = "\n".join(f"--- {p.name} (pid {p.pid}) ---\n{p.log()}" for p in logs)
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{details}")


def daily_runs(database_url: str) -> list[tuple[str, date, str, str]]:
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(JobRun.job_name, JobRun.run_for, JobRun.outcome, JobRun.runner)
                .where(JobRun.job_name == DAILY_TEST_JOB_NAME)
                .order_by(JobRun.id)
            ).all()
        return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def exactly_one_active_then_take_over(database_url: str, start_scheduler) -> None:
    """Two schedulers race for one database: one runs the daily job once; the other takes over."""
    first, second = start_scheduler("first", database_url), start_scheduler("second", database_url)
    both = (first, second)

    wait_until(lambda: any(p.active for p in both), 30, "a scheduler to become active", both)
    wait_until(lambda: any(p.on_standby for p in both), 15, "the other to go on standby", both)
    active, standby = (first, second) if first.active else (second, first)
    wait_until(lambda: daily_runs(database_url), 30, "the daily job's catch-up run", both)
    time.sleep(3)  # room for a second scheduler to (wrongly) run it too

    today = calendar.today()
    assert daily_runs(database_url) == [(DAILY_TEST_JOB_NAME, today, "succeeded", active.runner)]
    assert not standby.active, standby.log()
    assert active.says(f"catching up: {DAILY_TEST_JOB_NAME}")
    assert active.says(f"job {DAILY_TEST_JOB_NAME} for {today}: succeeded")
    assert active.process.poll() is None and standby.process.poll() is None

    active.signal(signal.SIGKILL)  # no chance to release anything: the OS or server must
    active.process.wait(timeout=10)
    wait_until(lambda: standby.active, 20, "the standby to take over", both)
    time.sleep(2)  # room for a (wrong) second run of the daily job after the take-over

    assert standby.says("catching up: none"), standby.log()
    assert daily_runs(database_url) == [(DAILY_TEST_JOB_NAME, today, "succeeded", active.runner)]

    standby.signal(signal.SIGTERM)
    assert standby.process.wait(timeout=15) == 0, standby.log()
    assert standby.says(rf"scheduler {re.escape(standby.runner)} stopped"), standby.log()
    assert "Traceback" not in standby.log(), standby.log()


@pytest.mark.postgres
def test_two_schedulers_on_postgresql_one_active_job_runs_once_standby_takes_over(make_app, start_scheduler):
    url = make_app("penalty").config["DATABASE_URL"]
    exactly_one_active_then_take_over(url, start_scheduler)


@pytest.mark.skipif(
    databases.backend() == "postgresql",
    reason="the SQLite run covers the file lock; this run the advisory lock",
)
def test_two_schedulers_on_one_sqlite_file_one_active_job_runs_once_standby_takes_over(
    make_app, start_scheduler
):
    url = make_app("penalty").config["DATABASE_URL"]
    assert url.startswith("sqlite:///")
    exactly_one_active_then_take_over(url, start_scheduler)


def test_sigterm_stops_a_standby_and_an_active_scheduler_cleanly(make_app, start_scheduler):
    url = make_app("penalty").config["DATABASE_URL"]  # a SQLite file or PostgreSQL, as the run is
    active = start_scheduler("active", url)
    wait_until(lambda: active.active, 30, "the first scheduler to become active", [active])
    standby = start_scheduler("standby", url)
    wait_until(lambda: standby.on_standby, 30, "the second to go on standby", [active, standby])

    standby.signal(signal.SIGTERM)
    assert standby.process.wait(timeout=10) == 0, standby.log()
    assert standby.says("stopped while on standby")

    active.signal(signal.SIGTERM)
    assert active.process.wait(timeout=10) == 0, active.log()
    assert active.says(rf"scheduler {re.escape(active.runner)} stopped")
    for process in (active, standby):
        assert "Traceback" not in process.log(), process.log()


@pytest.mark.postgres
def test_an_active_scheduler_that_loses_its_lock_stops_and_the_standby_takes_over(make_app, start_scheduler):
    url = make_app("penalty").config["DATABASE_URL"]
    active = start_scheduler("active", url)
    wait_until(lambda: active.active, 30, "the first scheduler to become active", [active])
    standby = start_scheduler("standby", url)
    wait_until(lambda: standby.on_standby, 30, "the second to go on standby", [active, standby])

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:  # e.g. a database fail-over or an idle-session timeout
            ended = connection.scalars(
                text(
                    "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND a.application_name = 'penalty-scheduler' AND a.datname = current_database()"
                )
            ).all()
    finally:
        engine.dispose()
    assert ended == [True]

    wait_until(lambda: standby.active, 20, "the standby to take over", [active, standby])
    assert active.process.wait(timeout=25) == 1, active.log()  # the watchdog checks every 15 s
    assert active.says("lost its lock"), active.log()
