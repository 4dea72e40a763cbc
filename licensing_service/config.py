"""Licensing service settings: defaults from SPEC.md §4, each overridable by an environment variable."""

from shared.config import BaseConfig


class Config(BaseConfig):
    SERVICE_NAME = "licensing"
    SERVICE_TITLE = "Child performance and employment licensing"
    PORT = 5001
    SELF_REGISTRATION = True
    LICENCE_MIN_NOTICE_DAYS = 21
    # Below this many days' notice an application is refused automatically; empty means no hard stop.
    LICENCE_MIN_NOTICE_DAYS_HARD = ""
    CHAPERONE_MAX_CHILDREN = 12
    CHAPERONE_MAX_CHILDREN_AS_TEACHER = 3
    CHAPERONE_RECOMMENDED_MAX = 8
    CHAPERONE_VALIDITY_YEARS = 3
    EMPLOYMENT_DECISION_DAYS = 25
    EMPLOYMENT_APPLICATION_DAYS = 7
    # Children's Wellbeing and Schools Act 2026 s28 hours regime: from this date (empty: not yet in force).
    CWSA2026_COMMENCEMENT = ""
