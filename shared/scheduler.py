"""Scheduled jobs: declared in code, run by one scheduler process per service, every run recorded.

``flask --app SERVICE scheduler run`` starts an APScheduler ``BlockingScheduler`` once it holds the
service's scheduler lock (a PostgreSQL advisory lock, or a file lock beside a SQLite database); a
second scheduler waits on standby and takes over if the first stops. Jobs are idempotent and take the
day they run for, so ``jobs run NAME --today YYYY-MM-DD`` can replay any day.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import JSON, Date, String, Text, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Mapped, mapped_column

from shared import calendar, db
from shared.db import Base, UTCDateTime, utcnow

STANDBY_POLL_SECONDS = 5


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
    daily: bool = True  # a daily job that has not run today runs when the scheduler starts


def jobs_of(app: Flask) -> dict[str, Job]:
    return app.extensions["jobs"]


def run_job(name: str, today: date | None = None) -> JobRun:
    """Run one job now, recording its start, end, outcome and counts in ``job_runs``."""
    job = jobs_of(current_app)[name]
    today = today or calendar.today()
    session = db.session()
    run = JobRun(job_name=name, run_for=today, runner=f"{socket.gethostname()}:{os.getpid()}")
    session.add(run)
    session.commit()
    try:
        counts = job.func(today) or {}
    except Exception:
        session.rollback()
        run.outcome, run.error = "failed", traceback.format_exc(limit=5)
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
    """Only one active scheduler per service database."""

    def __init__(self, database_url: str, service: str):
        self.url = database_url
        self.key = int.from_bytes(
            hashlib.sha256(f"scheduler:{service}".encode()).digest()[:8], "big", signed=True
        )
        self._connection = None
        self._file = None

    def acquire(self) -> bool:
        if self.url.startswith("postgresql"):
            engine = create_engine(self.url, poolclass=None, pool_pre_ping=True)
            connection = engine.connect()
            got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            connection.commit()
            if got:
                self._connection = connection
            else:
                connection.close()
                engine.dispose()
            return bool(got)
        database = make_url(self.url).database or "memory"
        handle = open(f"{database}.scheduler.lock", "a+")  # noqa: SIM115 - held for the process's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return self._file is not None
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False


def _serve(app: Flask, lock: SchedulerLock) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(
        timezone=app.config["TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )

    def runner(name: str) -> Callable[[], None]:
        def run() -> None:
            with app.app_context():
                run_job(name)

        return run

    def watch_lock() -> None:
        if not lock.still_held():
            app.logger.error("scheduler lost its lock; stopping so another can take over")
            os.kill(os.getpid(), signal.SIGTERM)

    for job in jobs_of(app).values():
        scheduler.add_job(runner(job.name), job.trigger, id=job.name, name=job.name, **job.schedule)
    scheduler.add_job(watch_lock, "interval", seconds=15, id="watch-lock")

    with app.app_context():
        today = calendar.today()
        missed = [j.name for j in jobs_of(app).values() if j.daily and not ran_today(j.name, today)]
        db.session().close()
    for name in missed:  # catch up after a restart: a daily job runs once on the day it was missed
        scheduler.add_job(
            runner(name), "date", id=f"catch-up-{name}", run_date=datetime.now(scheduler.timezone)
        )

    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    app.logger.info("scheduler active with jobs: %s", ", ".join(jobs_of(app)))
    scheduler.start()


jobs_cli = AppGroup("jobs", help="Run scheduled jobs by hand.")
scheduler_cli = AppGroup("scheduler", help="The scheduler process.")


@jobs_cli.command("run")
@click.argument("name")
@click.option("--today", help="Run as if today were this date (YYYY-MM-DD).")
def jobs_run(name: str, today: str | None) -> None:
    """Run job NAME once, now."""
    if name not in jobs_of(current_app):
        raise click.UsageError(f"no job {name!r}; jobs: {', '.join(jobs_of(current_app))}")
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from exc
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
    """Run the scheduler (one active per service; others wait on standby)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lock = SchedulerLock(app.config["DATABASE_URL"], app.config["SERVICE_NAME"])
    announced = False
    while not lock.acquire():
        if not announced:
            app.logger.info("another scheduler is active; waiting on standby")
            announced = True
        time.sleep(STANDBY_POLL_SECONDS)
    _serve(app, lock)


def register(app: Flask, jobs: list[Job]) -> None:
    app.extensions["jobs"] = {job.name: job for job in jobs}
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_cli)
