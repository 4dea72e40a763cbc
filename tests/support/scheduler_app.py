"""A penalty service app with one extra daily job, for running real scheduler processes in tests.

``flask --app tests.support.scheduler_app scheduler run`` (with ``PYTHONPATH`` at the project root)
runs the penalty service's scheduler plus :data:`DAILY_TEST_JOB`, which is due from midnight every
day, so a scheduler that starts today catches it up at once. Never imported by product code.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import Flask

import penalty_service
from shared.scheduler import Job

DAILY_TEST_JOB_NAME = "scheduler-test-daily"


def _daily(today: date) -> dict[str, int]:
    time.sleep(0.5)  # long enough that a second scheduler running it at the same time would overlap
    return {"ticks": 1}


DAILY_TEST_JOB = Job(
    DAILY_TEST_JOB_NAME,
    _daily,
    trigger="cron",
    schedule={"hour": 0, "minute": 0},
    description="Test only: a daily job for the two-schedulers tests",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = penalty_service.create_app(config)
    # Only the test job and the interval jobs: the service's own daily jobs would be caught up too.
    jobs = {name: job for name, job in app.extensions["jobs"].items() if not job.daily}
    app.extensions["jobs"] = {**jobs, DAILY_TEST_JOB.name: DAILY_TEST_JOB}
    return app
