"""The penalty service's retention policies (SPEC §9), run nightly by the ``retention`` job.

Defaults follow the council's retention schedule for enforcement case files: six years after the case
closed (the limitation period for most claims, Limitation Act 1980 s2 and s5). Settings:

- ``RETENTION_PENALTY_YEARS`` (6, at least 3): a notice is anonymised this long after its case closed:
  paid (``paid_on``), withdrawn (``withdrawn_on``), prosecuted (the date of the court's outcome), or
  unpaid and never prosecuted (``lay_by``, the last day an information could have been laid). A legacy
  notice, whose outcome came from the previous system, is measured from its issue date. A notice still
  issued, unpaid before its lay-by date or in an open prosecution is never touched. The child's name and
  UPN, the parent's name, key, address and email and the withdrawal notes are replaced; the notice number,
  dates, amounts and outcome stay for statistics. Its PDF, its prosecution bundle and the notes of its
  case are removed. The 2-in-3-years limit is unaffected: a notice anonymised was issued more than 3 years
  before any notice being decided (hence the minimum of 3).
- The same setting: a request is anonymised this long after it closed: rejected or referred for other
  enforcement (``decided_on``), or issued once every notice it led to is closed (the last to close). The
  pupil's name, date of birth, UPN and address, the decision reason and each parent's name, address and
  email are replaced; the school, offence, dates and attendance register (by date and code) stay.
- ``RETENTION_ENFORCEMENT_LETTER_YEARS`` (6): attendance letters to a parent about a child are anonymised
  this long after the last letter to that parent about that child; their PDFs are removed.

Payments hold no personal data beyond the notice number and stay. Outbox emails, failed sign-ins and
expired API tokens follow the shared policies (shared/retention.py).
"""

from __future__ import annotations

from sqlalchemy import String, and_, case, cast, exists, func, literal, select
from sqlalchemy.orm import aliased

from penalty_service.enforcement_models import EnforcementLetter, ProsecutionCase, ProsecutionEvent
from penalty_service.models import PenaltyNotice, PenaltyRequest, RequestParent
from penalty_service.services.bundles import BUNDLE_OBJECT
from penalty_service.services.documents import NOTICE_OBJECT, REQUEST_OBJECT
from penalty_service.services.enforcement_letters import LETTER_OBJECT
from shared.documents import Document
from shared.retention import (
    ANONYMISED,
    ANONYMISED_DATE,
    SHARED_POLICIES,
    Action,
    Period,
    Policy,
    Related,
    Unit,
    documents_of,
)

PENALTY_PERIOD = Period("RETENTION_PENALTY_YEARS", Unit.YEARS, minimum=3)
LETTER_PERIOD = Period("RETENTION_ENFORCEMENT_LETTER_YEARS", Unit.YEARS)

# The day the court gave its outcome, for a notice whose prosecution is closed.
_court_outcome_on = (
    select(func.max(ProsecutionEvent.date))
    .join(ProsecutionCase, ProsecutionCase.id == ProsecutionEvent.case_id)
    .where(
        ProsecutionCase.notice_id == PenaltyNotice.id,
        ProsecutionCase.status == "closed",
        ProsecutionEvent.type == "outcome",
    )
    .scalar_subquery()
)

# The day a notice's case closed; NULL while it is open.
notice_closed_on = case(
    (PenaltyNotice.source == "legacy", PenaltyNotice.issue_date),
    (PenaltyNotice.status == "paid", PenaltyNotice.paid_on),
    (PenaltyNotice.status == "withdrawn", PenaltyNotice.withdrawn_on),
    (PenaltyNotice.status == "prosecution", _court_outcome_on),
    (PenaltyNotice.status == "unpaid", PenaltyNotice.lay_by),
    else_=None,
)

_open_notice = exists().where(PenaltyNotice.request_id == PenaltyRequest.id, notice_closed_on.is_(None))
_last_notice_closed_on = (
    select(func.max(notice_closed_on)).where(PenaltyNotice.request_id == PenaltyRequest.id).scalar_subquery()
)

# The day a request closed; NULL while it, or any notice it led to, is open.
request_closed_on = case(
    (PenaltyRequest.status.in_(("rejected", "other_enforcement")), PenaltyRequest.decided_on),
    (
        and_(PenaltyRequest.status == "issued", ~_open_notice),
        func.coalesce(_last_notice_closed_on, PenaltyRequest.decided_on),
    ),
    else_=None,
)

_later_letter = aliased(EnforcementLetter)
# Letters about one child to one parent are kept, and anonymised, together: from the last of them.
last_letter_on = (
    select(func.max(_later_letter.issued_on))
    .where(
        _later_letter.pupil_upn == EnforcementLetter.pupil_upn,
        _later_letter.parent_key == EnforcementLetter.parent_key,
    )
    .scalar_subquery()
)


def _cases_of(notice_ids):
    return select(ProsecutionCase.id).where(ProsecutionCase.notice_id.in_(notice_ids))


def _bundles_of(notice_ids):
    cases = _cases_of(notice_ids).subquery()
    return and_(
        Document.object_type == BUNDLE_OBJECT,
        Document.object_id.in_(select(cast(cases.c.id, String)).select_from(cases)),
    )


NOTICES = Policy(
    "penalty_notices",
    "Notices: anonymised RETENTION_PENALTY_YEARS after the case closed",
    PenaltyNotice,
    notice_closed_on,
    PENALTY_PERIOD,
    Action.ANONYMISE,
    replacements={
        "pupil_name": ANONYMISED,
        "pupil_upn": ANONYMISED,
        "parent_name": ANONYMISED,
        # Unique per request with its parent, so each row keeps a key of its own.
        "parent_key": literal(f"{ANONYMISED}:") + cast(PenaltyNotice.id, String),
        "parent_address": ANONYMISED,
        "parent_email": None,
        "withdrawal_notes": None,
    },
    marker="pupil_name",
    related=(
        documents_of(NOTICE_OBJECT),
        Related(Document, _bundles_of, label="bundles"),
        Related(ProsecutionCase, lambda ids: ProsecutionCase.notice_id.in_(ids), {"notes": ""}),
        Related(ProsecutionEvent, lambda ids: ProsecutionEvent.case_id.in_(_cases_of(ids)), {"notes": ""}),
    ),
)

REQUESTS = Policy(
    "penalty_requests",
    "Requests: anonymised RETENTION_PENALTY_YEARS after they closed",
    PenaltyRequest,
    request_closed_on,
    PENALTY_PERIOD,
    Action.ANONYMISE,
    replacements={
        "pupil_first_name": ANONYMISED,
        "pupil_last_name": ANONYMISED,
        "pupil_date_of_birth": ANONYMISED_DATE,
        "pupil_upn": ANONYMISED,
        "pupil_address": ANONYMISED,
        "decision_reason": None,
    },
    marker="pupil_last_name",
    related=(
        Related(
            RequestParent,
            lambda ids: RequestParent.request_id.in_(ids),
            {"name": ANONYMISED, "address": ANONYMISED, "email": None},
        ),
        documents_of(REQUEST_OBJECT),
    ),
)

ENFORCEMENT_LETTERS = Policy(
    "enforcement_letters",
    "Attendance letters: anonymised RETENTION_ENFORCEMENT_LETTER_YEARS after the last to the same parent",
    EnforcementLetter,
    last_letter_on,
    LETTER_PERIOD,
    Action.ANONYMISE,
    replacements={
        "pupil_name": ANONYMISED,
        "pupil_upn": ANONYMISED,
        "parent_name": ANONYMISED,
        "parent_key": ANONYMISED,
        "parent_address": ANONYMISED,
    },
    marker="pupil_name",
    related=(documents_of(LETTER_OBJECT),),
)

POLICIES = (REQUESTS, NOTICES, ENFORCEMENT_LETTERS, *SHARED_POLICIES)
