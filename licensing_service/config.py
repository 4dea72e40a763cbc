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
    # A body of persons gives the children's details at least this many days before the first performance.
    BOPA_MIN_NOTICE_DAYS = 21
    # Emailed single-purpose links (the parent's part, the school's opinion) expire after this many days.
    PARENT_LINK_DAYS = 14
    SCHOOL_OPINION_LINK_DAYS = 14
    CHAPERONE_REFERENCE_LINK_DAYS = 14
    PERMIT_PARENT_LINK_DAYS = 14
    CHAPERONE_MAX_CHILDREN = 12
    CHAPERONE_MAX_CHILDREN_AS_TEACHER = 3
    CHAPERONE_RECOMMENDED_MAX = 8
    CHAPERONE_VALIDITY_YEARS = 3
    # Renewal reminders go this many weeks before an approval expires.
    CHAPERONE_REMINDER_WEEKS = "8,2"
    CHAPERONE_MIN_AGE = 18
    # The council aims to decide a chaperone application within this many days of receiving it.
    CHAPERONE_DECISION_DAYS = 28
    EMPLOYMENT_DECISION_DAYS = 25
    EMPLOYMENT_APPLICATION_DAYS = 7
    EMPLOYMENT_PERMIT_VALIDITY_YEARS = 1
    # Expiry reminders to the employer and parent go this many weeks before a permit ends.
    EMPLOYMENT_REMINDER_WEEKS = "4"
    # The usual school day (HH:MM) for the employment hours, unless an application gives the child's own.
    SCHOOL_DAY_STARTS = "08:45"
    SCHOOL_DAY_ENDS = "15:15"
    # Public forms (concern reports, verification): requests allowed per address (Flask-Limiter syntax).
    PUBLIC_FORM_RATE_LIMIT = "10 per minute;100 per day"
    VERIFY_RATE_LIMIT = "30 per minute;500 per day"
    # Concerns: an officer responds within this many working days of the report (a safeguarding concern
    # is due the day it arrives); a letter asks the employer or producer to reply within this many days.
    CONCERN_RESPONSE_WORKING_DAYS = 10
    CONCERN_LETTER_REPLY_DAYS = 14
    # Children's Wellbeing and Schools Act 2026 s28 hours regime: from this date (empty: not yet in force).
    CWSA2026_COMMENCEMENT = ""
    # Contact details printed on licences and letters (empty: the defaults in services/licence_documents.py).
    LICENSING_TEAM_NAME = ""
    LICENSING_POSTAL_ADDRESS = ""
    LICENSING_TEAM_EMAIL = ""
    LICENSING_PHONE = ""
    LICENSING_PRIVACY_WEBSITE = ""
    # Retention (licensing_service/retention.py): whole years after the record's last day, decision or
    # closure before it is anonymised; emailed links are deleted this many days after they expired.
    RETENTION_LICENCE_YEARS = 6
    RETENTION_REFUSED_YEARS = 2
    RETENTION_CHAPERONE_YEARS = 6
    RETENTION_CONCERN_YEARS = 6
    RETENTION_EMAIL_LINK_DAYS = 30
