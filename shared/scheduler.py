"""Scheduled jobs: declared in code, run by one scheduler process per service, every run recorded.

``flask --app SERVICE scheduler run`` starts an APScheduler scheduler once it holds the service's
scheduler lock (a PostgreSQL advisory lock, or a file lock beside a SQLite database); a second
scheduler waits on standby and takes over if the first stops. Jobs are idempotent and take the day
they run for, so ``jobs run NAME --today YYYY-MM-DD`` can replay any day.

A daily job runs at most once a day from the scheduler: at its scheduled time, or when a scheduler
becomes active after that time on a day the job has not yet succeeded (a restart or a take-over).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import signal
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import JSON, Date, String, Text, create_engine, select, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import NullPool

from shared import calendar, db, log_redaction
from shared.db import Base, UTCDateTime, utcnow

STANDBY_POLL_SECONDS = 5  # how often a standby scheduler tries to take the lock
LOCK_CHECK_SECONDS = 15  # how often the active scheduler checks it still holds the lock
TICK_SECONDS = 0.5  # how quickly the main thread notices a stop signal


class JobRun(Base):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_name: Mapped[str] = mapped_column(String(60), index=True)
    run_for: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(20), default="running")
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str] = mapped_column(String(120), default="")


@dataclass(frozen=True)
class Job:
    """A job: ``func(today) -> counts`` and when it runs (APScheduler cron or interval arguments)."""

    name: str
    func: Callable[[date], dict[str, int] | None]
    trigger: str = "cron"
    schedule: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    # A daily job runs at most once a day; one missed today (its time passed while no scheduler was
    # active, or it failed) runs when a scheduler becomes active. Interval jobs set ``daily=False``.
    daily: bool = True


def jobs_of(app: Flask) -> dict[str, Job]:
    return app.extensions["jobs"]


def runner_id() -> str:
    """Who ran a job: ``host:pid``, recorded in ``job_runs.runner`` and logged by the scheduler."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(name: str, today: date | None = None) -> JobRun:
    """Run one job now, recording its start, end, outcome and counts in ``job_runs``."""
    job = jobs_of(current_app)[name]
    today = today or calendar.today()
    session = db.session()
    run = JobRun(job_name=name, run_for=today, runner=runner_id())
    session.add(run)
    session.commit()
    try:
        counts = job.func(today) or {}
    except Exception:
        session.rollback()
        run.outcome, run.error = "failed", log_redaction.scrub(traceback.format_exc(limit=5))
        current_app.logger.exception("job %s failed", name)
    else:
        run.outcome, run.counts = "succeeded", counts
    run.finished_at = utcnow()
    session.add(run)
    session.commit()
    return run


def ran_today(name: str, today: date) -> bool:
    return (
        db.session().scalar(
            select(JobRun.id).where(
                JobRun.job_name == name, JobRun.run_for == today, JobRun.outcome == "succeeded"
            )
        )
        is not None
    )


class SchedulerLock:
    """Only one active scheduler per service database.

    PostgreSQL: a session advisory lock held on a connection of its own (no pool, autocommit, so
    it never sits idle in a transaction). SQLite: an ``fcntl`` lock on a file beside the database.
    Either is released by the operating system or the server when the process dies.
    """

    def __init__(self, database_url: str, service: str):
        self.url = database_url
        self.service = service
        self.key = int.from_bytes(
            hashlib.sha256(f"scheduler:{service}".encode()).digest()[:8], "big", signed=True
        )
        self._engine: Engine | None = None
        self._connection: Connection | None = None
        self._file: IO[str] | None = None
        self._path = ""

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        if self.held:
            return True
        if self.is_postgresql:
            return self._acquire_advisory_lock()
        return self._acquire_file_lock()

    def _acquire_advisory_lock(self) -> bool:
        if self._engine is None:
            self._engine = create_engine(
                self.url,
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",
                connect_args={
                    "application_name": f"{self.service}-scheduler",
                    "connect_timeout": 10,
                    # Notice a vanished server within about a minute, so the watchdog stops us.
                    "keepalives": 1,
                    "keepalives_idle": 30,
                    "keepalives_interval": 10,
                    "keepalives_count": 3,
                },
            )
        connection = self._engine.connect()
        try:
            got = connection.scalar(text("SELECT pg_try_advisory_lock(CAST(:k AS bigint))"), {"k": self.key})
        except BaseException:
            connection.close()
            raise
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def _acquire_file_lock(self) -> bool:
        database = make_url(self.url).database or "memory"
        self._path = f"{database}.scheduler.lock"
        handle = open(self._path, "a+")  # noqa: SIM115 - held for as long as the scheduler is active
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        """Is the lock still ours? False when the connection or the lock file has gone."""
        if self._connection is not None:
            classid, objid = (self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF
            try:
                return bool(
                    self._connection.scalar(
                        text(
                            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                            " AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                            " AND classid::bigint = :classid AND objid::bigint = :objid)"
                        ),
                        {"classid": classid, "objid": objid},
                    )
                )
            except SQLAlchemyError:
                return False
        if self._file is not None:
            # A lock file deleted (or replaced) under us no longer keeps another scheduler out.
            try:
                return os.fstat(self._file.fileno()).st_ino == os.stat(self._path).st_ino
            except OSError:
                return False
        return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(CAST(:k AS bigint))"), {"k": self.key}
                )
            except SQLAlchemyError:
                pass  # the server ends a lost session's locks itself
            finally:
                self._connection.close()
                self._connection = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class _StopSignal:
    """SIGTERM / SIGINT ask the scheduler to stop; the handler only sets a flag (signal-safe)."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: Any) -> None:
        self.requested = True

    def __enter__(self) -> _StopSignal:
        for signum in self.SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def sleep(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking early once a stop is requested."""
        deadline = time.monotonic() + seconds
        while not self.requested and time.monotonic() < deadline:
            time.sleep(min(TICK_SECONDS, max(deadline - time.monotonic(), 0)))


def _wait_for_lock(app: Flask, lock: SchedulerLock, stop: _StopSignal) -> bool:
    """Take the lock, waiting on standby while another scheduler holds it. False if told to stop."""
    announced = False
    while not stop.requested:
        try:
            if lock.acquire():
                return True
        except (SQLAlchemyError, OSError) as exc:
            app.logger.warning("scheduler %s cannot reach its lock (%s); retrying", runner_id(), exc)
        else:
            if not announced:
                app.logger.info(
                    "scheduler %s on standby: another scheduler is active; retrying every %s s",
                    runner_id(),
                    STANDBY_POLL_SECONDS,
                )
                announced = True
        stop.sleep(STANDBY_POLL_SECONDS)
    return False


def _scheduled(app: Flask, job: Job) -> Callable[[], None]:
    """What the scheduler calls: a daily job that already succeeded today is not run again."""

    def run() -> None:
        with app.app_context():
            today = calendar.today()
            if job.daily and ran_today(job.name, today):
                app.logger.info("job %s already succeeded for %s; not run again", job.name, today)
                return
            record = run_job(job.name, today)
            app.logger.info("job %s for %s: %s %s", job.name, today, record.outcome, record.counts or "")

    return run


def _missed_daily_jobs(app: Flask, scheduled: dict[str, Any], now: datetime) -> list[str]:
    """Daily jobs whose first scheduled time today has passed and which have not succeeded today."""
    midnight = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    due = []
    for job in jobs_of(app).values():
        if not job.daily:
            continue
        first_today = scheduled[job.name].trigger.get_next_fire_time(None, midnight)
        if first_today is not None and first_today <= now:
            due.append(job.name)
    with app.app_context():
        return [name for name in due if not ran_today(name, now.date())]


def _serve(app: Flask, lock: SchedulerLock, stop: _StopSignal) -> bool:
    """Run the jobs until told to stop; True if it stopped because the lock was lost."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(
        timezone=app.config["TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduled = {
        job.name: scheduler.add_job(
            _scheduled(app, job), job.trigger, id=job.name, name=job.name, **job.schedule
        )
        for job in jobs_of(app).values()
    }
    now = datetime.now(scheduler.timezone)
    missed = _missed_daily_jobs(app, scheduled, now)
    for name in missed:  # catch up after a restart or take-over: once, on the day it was missed
        scheduler.add_job(
            _scheduled(app, jobs_of(app)[name]),
            "date",
            id=f"catch-up-{name}",
            name=f"catch-up {name}",
            run_date=now,
        )
    scheduler.start()
    app.logger.info(
        "scheduler %s active with jobs: %s; catching up: %s",
        runner_id(),
        ", ".join(jobs_of(app)) or "none",
        ", ".join(missed) or "none",
    )

    lost = False
    next_check = time.monotonic() + LOCK_CHECK_SECONDS
    while not stop.requested:
        stop.sleep(TICK_SECONDS)
        if time.monotonic() >= next_check:
            next_check = time.monotonic() + LOCK_CHECK_SECONDS
            if not lock.still_held():
                app.logger.error("scheduler %s lost its lock; stopping so another can take over", runner_id())
                lost = True
                break
    app.logger.info("scheduler %s stopping%s", runner_id(), "" if lost else "; waiting for running jobs")
    scheduler.shutdown(wait=not lost)
    app.logger.info("scheduler %s stopped", runner_id())
    return lost


jobs_cli = AppGroup("jobs", help="Run scheduled jobs by hand.")
scheduler_cli = AppGroup("scheduler", help="The scheduler process.")

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_today(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD", param_hint="--today") from exc


@jobs_cli.command("run")
@click.argument("name")
@click.option("--today", help="Run as if today were this date (YYYY-MM-DD).")
def jobs_run(name: str, today: str | None) -> None:
    """Run job NAME once, now."""
    if name not in jobs_of(current_app):
        raise click.UsageError(f"no job {name!r}; jobs: {', '.join(jobs_of(current_app)) or 'none'}")
    day = _parse_today(today)
    run = run_job(name, day)
    click.echo(f"{name} for {run.run_for}: {run.outcome} {run.counts or ''}")
    if run.outcome != "succeeded":
        click.echo(run.error or "", err=True)
        raise SystemExit(1)


@jobs_cli.command("list")
def jobs_list() -> None:
    for job in jobs_of(current_app).values():
        click.echo(f"{job.name:28} {job.trigger} {job.schedule}  {job.description}")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the scheduler (one active per service; others wait on standby).

    Stops cleanly on SIGTERM or SIGINT (exit 0); exits 1 if it loses its lock.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lock = SchedulerLock(app.config["DATABASE_URL"], app.config["SERVICE_NAME"])
    with _StopSignal() as stop:
        if not _wait_for_lock(app, lock, stop):
            app.logger.info("scheduler %s stopped while on standby", runner_id())
            return
        try:
            lost = _serve(app, lock, stop)
        finally:
            lock.release()
    if lost:
        raise SystemExit(1)


def register(app: Flask, jobs: list[Job]) -> None:
    app.extensions["jobs"] = {job.name: job for job in jobs}
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_cli)
