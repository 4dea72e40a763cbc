"""The licensing service's retention policies (SPEC §9), run nightly by the ``retention`` job.

Records are anonymised, not deleted, so the numbers of licences, permits, approvals and concerns by year,
kind and outcome stay countable; what names or locates a person is replaced, and the PDFs (which print
it) and the child's photo are removed. Open records are never touched: a draft, an application awaiting a
decision, a licence, permit or approval still running, a concern not closed. Settings (whole years):

- ``RETENTION_LICENCE_YEARS`` (6): performance licences granted or revoked, Body of Persons approvals
  approved or revoked, and employment permits granted, expired or revoked, this long after the last day
  they covered (the last performance day, the permit's end). The limitation period for most claims is
  six years (Limitation Act 1980 s2 and s5), which the council's retention schedule follows.
- ``RETENTION_REFUSED_YEARS`` (2): applications refused or withdrawn (licences, permits, BOPA and
  chaperone approvals), this long after the decision or withdrawal, so that a new application by the
  same person can be seen against the last.
- ``RETENTION_CHAPERONE_YEARS`` (6): chaperone approvals approved, suspended, revoked or expired, this
  long after the approval's end (``valid_until``); the references and check notes go with them.
- ``RETENTION_CONCERN_YEARS`` (6): concerns, this long after they were closed; the actions' notes,
  letter recipients and letters go with them.
- ``RETENTION_EMAIL_LINK_DAYS`` (30): emailed single-purpose links are deleted this many days after they
  expired (used or not): only the hash of a link's token is kept, but the address it went to is personal.

Outbox emails, failed sign-ins and expired API tokens follow the shared policies (shared/retention.py).
"""

from __future__ import annotations

from sqlalchemy import func, null

from licensing_service.models.chaperones import ChaperoneApproval, ChaperoneCheck, ChaperoneReference
from licensing_service.models.concerns import Concern, ConcernAction, ConcernStatus
from licensing_service.models.decisions import LicenceDecision
from licensing_service.models.employment import EmploymentPermit, PermitDistribution, PermitStatus
from licensing_service.models.licences import (
    LicenceCheck,
    LicenceDistribution,
    LicenceStatus,
    ParentPart,
    PerformanceLicence,
)
from licensing_service.models.links import EmailLink
from licensing_service.models.oversight import BopaApproval
from licensing_service.rules.bopa import Status as BopaStatus
from licensing_service.rules.chaperones import Status as ChaperoneStatus
from licensing_service.services import bopa, chaperone_approvals, concerns, employment_permits, licences
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

LICENCE_PERIOD = Period("RETENTION_LICENCE_YEARS", Unit.YEARS)
REFUSED_PERIOD = Period("RETENTION_REFUSED_YEARS", Unit.YEARS)
CHAPERONE_PERIOD = Period("RETENTION_CHAPERONE_YEARS", Unit.YEARS)
CONCERN_PERIOD = Period("RETENTION_CONCERN_YEARS", Unit.YEARS)
EMAIL_LINK_PERIOD = Period("RETENTION_EMAIL_LINK_DAYS", Unit.DAYS)

LICENCE_FIELDS = {
    "child_first_name": ANONYMISED,
    "child_last_name": ANONYMISED,
    "child_date_of_birth": None,
    "child_address": None,
    "child_school_name": None,
    "parent_name": None,
    "parent_email": None,
    "parent_address": None,
    "tutor_name": None,
    "usual_teacher_name": None,
    "usual_teacher_school": None,
    "education_approval_notes": None,
    "late_reason": None,
    "refusal_reason": None,
    "withdrawal_reason": None,
}
LICENCE_RELATED = (
    Related(ParentPart, lambda ids: ParentPart.licence_id.in_(ids)),  # the child's photo and health
    Related(LicenceCheck, lambda ids: LicenceCheck.licence_id.in_(ids), {"notes": None}),
    Related(
        LicenceDistribution,
        lambda ids: LicenceDistribution.licence_id.in_(ids) & (LicenceDistribution.party == "parent"),
        {"email": ANONYMISED},
    ),
    Related(
        LicenceDecision,
        lambda ids: LicenceDecision.licence_id.in_(ids),
        {"reason": None, "late_reason": None, "changes": null()},  # SQL NULL, not JSON null,
    ),
    documents_of(licences.OBJECT_TYPE),
)

PERMIT_FIELDS = {
    "child_first_name": ANONYMISED,
    "child_last_name": ANONYMISED,
    "child_date_of_birth": ANONYMISED_DATE,
    "child_address": ANONYMISED,
    "child_school_name": ANONYMISED,
    "parent_name": ANONYMISED,
    "parent_email": ANONYMISED,
    "parent_address": ANONYMISED,
    "parent_declared_name": None,
    "refusal_reason": None,
    "revocation_reason": None,
}
PERMIT_RELATED = (
    Related(
        PermitDistribution,
        lambda ids: PermitDistribution.permit_id.in_(ids) & (PermitDistribution.party == "parent"),
        {"email": ANONYMISED},
    ),
    documents_of(employment_permits.OBJECT_TYPE),
)

CHAPERONE_FIELDS = {
    "applicant_name": ANONYMISED,
    "applicant_date_of_birth": ANONYMISED_DATE,
    "applicant_address": ANONYMISED,
    "applicant_email": ANONYMISED,
    "dbs_certificate_number": ANONYMISED,
    "decision_reason": None,
    "status_reason": None,
    "photo": None,
    "photo_content_type": None,
    "photo_width": None,
    "photo_height": None,
}
CHAPERONE_RELATED = (
    Related(
        ChaperoneReference,
        lambda ids: ChaperoneReference.approval_id.in_(ids),
        {"name": ANONYMISED, "email": ANONYMISED, "known_for": None, "capacity": None, "comments": None},
    ),
    Related(ChaperoneCheck, lambda ids: ChaperoneCheck.approval_id.in_(ids), {"notes": ""}),
    documents_of(chaperone_approvals.OBJECT_TYPE),
)

BOPA_FIELDS = {
    "organisation_contact": ANONYMISED,
    "organisation_email": ANONYMISED,
    "organisation_phone": "",
    "children": [],  # each child's name and date of birth
    "reason": None,
    "revocation_reason": None,
}


def _statuses(*statuses: str) -> tuple[str, ...]:
    return tuple(str(s) for s in statuses)


POLICIES = (
    Policy(
        "performance_licences",
        "Licences granted or revoked: anonymised RETENTION_LICENCE_YEARS after the last performance day",
        PerformanceLicence,
        PerformanceLicence.last_day,
        LICENCE_PERIOD,
        Action.ANONYMISE,
        finished=(PerformanceLicence.status.in_(_statuses(LicenceStatus.GRANTED, LicenceStatus.REVOKED)),),
        replacements=LICENCE_FIELDS,
        marker="child_last_name",
        related=LICENCE_RELATED,
    ),
    Policy(
        "refused_licences",
        "Licence applications refused or withdrawn: anonymised RETENTION_REFUSED_YEARS after",
        PerformanceLicence,
        func.coalesce(PerformanceLicence.withdrawn_at, PerformanceLicence.decided_at),
        REFUSED_PERIOD,
        Action.ANONYMISE,
        finished=(PerformanceLicence.status.in_(_statuses(LicenceStatus.REFUSED, LicenceStatus.WITHDRAWN)),),
        replacements=LICENCE_FIELDS,
        marker="child_last_name",
        related=LICENCE_RELATED,
    ),
    Policy(
        "employment_permits",
        "Permits granted, expired or revoked: anonymised RETENTION_LICENCE_YEARS after the permit's end",
        EmploymentPermit,
        EmploymentPermit.valid_until,
        LICENCE_PERIOD,
        Action.ANONYMISE,
        finished=(
            EmploymentPermit.status.in_(
                _statuses(PermitStatus.GRANTED, PermitStatus.EXPIRED, PermitStatus.REVOKED)
            ),
        ),
        replacements=PERMIT_FIELDS,
        marker="child_last_name",
        related=PERMIT_RELATED,
    ),
    Policy(
        "refused_permits",
        "Permit applications refused: anonymised RETENTION_REFUSED_YEARS after the decision",
        EmploymentPermit,
        EmploymentPermit.decided_at,
        REFUSED_PERIOD,
        Action.ANONYMISE,
        finished=(EmploymentPermit.status == PermitStatus.REFUSED.value,),
        replacements=PERMIT_FIELDS,
        marker="child_last_name",
        related=PERMIT_RELATED,
    ),
    Policy(
        "chaperone_approvals",
        "Chaperone approvals: anonymised RETENTION_CHAPERONE_YEARS after they ended",
        ChaperoneApproval,
        ChaperoneApproval.valid_until,
        CHAPERONE_PERIOD,
        Action.ANONYMISE,
        finished=(
            ChaperoneApproval.status.in_(
                _statuses(
                    ChaperoneStatus.APPROVED,
                    ChaperoneStatus.SUSPENDED,
                    ChaperoneStatus.REVOKED,
                    ChaperoneStatus.EXPIRED,
                )
            ),
        ),
        replacements=CHAPERONE_FIELDS,
        marker="applicant_name",
        related=CHAPERONE_RELATED,
    ),
    Policy(
        "refused_chaperones",
        "Chaperone applications refused: anonymised RETENTION_REFUSED_YEARS after the decision",
        ChaperoneApproval,
        ChaperoneApproval.decided_on,
        REFUSED_PERIOD,
        Action.ANONYMISE,
        finished=(ChaperoneApproval.status == ChaperoneStatus.REFUSED.value,),
        replacements=CHAPERONE_FIELDS,
        marker="applicant_name",
        related=CHAPERONE_RELATED,
    ),
    Policy(
        "bopa_approvals",
        "Body of Persons approvals: anonymised RETENTION_LICENCE_YEARS after the last performance",
        BopaApproval,
        BopaApproval.last_performance_on,
        LICENCE_PERIOD,
        Action.ANONYMISE,
        finished=(BopaApproval.status.in_(_statuses(BopaStatus.APPROVED, BopaStatus.REVOKED)),),
        replacements=BOPA_FIELDS,
        marker="organisation_contact",
        related=(documents_of(bopa.OBJECT_TYPE),),
    ),
    Policy(
        "refused_bopa",
        "Body of Persons applications refused: anonymised RETENTION_REFUSED_YEARS after the decision",
        BopaApproval,
        BopaApproval.decided_at,
        REFUSED_PERIOD,
        Action.ANONYMISE,
        finished=(BopaApproval.status == BopaStatus.REFUSED.value,),
        replacements=BOPA_FIELDS,
        marker="organisation_contact",
        related=(documents_of(bopa.OBJECT_TYPE),),
    ),
    Policy(
        "concerns",
        "Concerns: anonymised RETENTION_CONCERN_YEARS after they were closed",
        Concern,
        Concern.closed_at,
        CONCERN_PERIOD,
        Action.ANONYMISE,
        finished=(Concern.status == ConcernStatus.CLOSED.value,),
        replacements={
            "child_name": ANONYMISED,
            "child_date_of_birth": None,
            "child_school": "",
            "location": ANONYMISED,
            "organiser": "",
            "when_happening": "",
            "description": ANONYMISED,
            "reporter_name": "",
            "reporter_email": "",
            "reporter_phone": "",
            "reporter_organisation": "",
            "outcome_notes": None,
        },
        marker="child_name",
        related=(
            Related(
                ConcernAction,
                lambda ids: ConcernAction.concern_id.in_(ids),
                {
                    "notes": "",
                    "recipient_name": None,
                    "recipient_organisation": None,
                    "recipient_address": None,
                    "details": {},
                },
            ),
            documents_of(concerns.OBJECT_TYPE),
        ),
    ),
    Policy(
        "email_links",
        "Emailed links: deleted RETENTION_EMAIL_LINK_DAYS after they expired",
        EmailLink,
        EmailLink.expires_at,
        EMAIL_LINK_PERIOD,
        Action.DELETE,
    ),
    *SHARED_POLICIES,
)
