"""Penalty service settings: defaults from SPEC.md §5, each overridable by an environment variable."""

from shared.config import BaseConfig


class Config(BaseConfig):
    SERVICE_NAME = "penalty"
    SERVICE_TITLE = "Education penalty notices"
    PORT = 5002
    SELF_REGISTRATION = False
    # SPEC §5.1: national (10 sessions in 10 school weeks) or nottinghamshire-local (6 in 6).
    THRESHOLD_PROFILE = "national"
    REQUEST_DECISION_WORKING_DAYS = 10
    REQUEST_GOOD_PRACTICE_DAYS = 21
    SCHOOL_COPY_DAYS = 7
    NOTICE_LIMIT_PER_3_YEARS = 2
    PROSECUTION_TIME_LIMIT_MONTHS = 6
    # Contact details printed on notices and letters (empty: the defaults in services/documents.py).
    PENALTY_TEAM_NAME = ""
    PENALTY_POSTAL_ADDRESS = ""
    PENALTY_PAYMENT_WEBSITE = ""
    PENALTY_PAYMENT_PHONE = ""
    PENALTY_PHONE_HOURS = ""
    PENALTY_TEAM_EMAIL = ""
    PENALTY_PRIVACY_WEBSITE = ""
    # Retention (penalty_service/retention.py): whole years after a case closed before its notices and
    # request are anonymised (at least 3, the notice limit's window), and after the last attendance letter.
    RETENTION_PENALTY_YEARS = 6
    RETENTION_ENFORCEMENT_LETTER_YEARS = 6
