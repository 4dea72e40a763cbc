"""The licensing service's scheduled jobs (run by ``flask --app licensing_service scheduler run``)."""

from licensing_service.services import chaperone_approvals, employment_permits
from shared import notify, retention

JOBS = [
    notify.DELIVERY_JOB,
    employment_permits.REMINDER_JOB,
    chaperone_approvals.REMINDER_JOB,
    retention.JOB,
]
