"""The licensing service's scheduled jobs (run by ``flask --app licensing_service scheduler run``)."""

from shared import notify

JOBS = [notify.DELIVERY_JOB]
