"""The penalty service's scheduled jobs (run by ``flask --app penalty_service scheduler run``)."""

from shared import notify

JOBS = [notify.DELIVERY_JOB]
