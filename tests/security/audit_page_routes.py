"""Every POST page route of both services, and how the audit test covers it.

Most pages make their change through the same service function as an API rule whose scenario proves the
audit event (:data:`SHARED_WITH_THE_API`); the completeness test checks that each page's module calls that
function and that an API scenario performs it. The rest are exercised through the pages themselves
(:data:`EXERCISED`): sign-in and sign-out, and pages that by design store nothing.
"""

from __future__ import annotations

from licensing_service.services import (
    bopa,
    concerns,
    education_approvals,
    employment_permits,
    inspections,
    licence_checks,
    licence_decisions,
    licences,
    parent_part,
    productions,
)
from licensing_service.services import chaperone_approvals as approvals
from licensing_service.services import training_sessions as training
from penalty_service.services import (
    enforcement_letters,
    notices,
    payments,
    prosecutions,
    requests,
    school_copies,
    withdrawals,
)

L, P = "licensing", "penalty"

SHARED_WITH_THE_API = {
    (L, "POST /applications/{licence_id}/child"): licences.update_section,
    (L, "POST /applications/{licence_id}/days"): licences.update_section,
    (L, "POST /applications/{licence_id}/days/add"): licences.update_section,
    (L, "POST /applications/{licence_id}/days/{index}/remove"): licences.update_section,
    (L, "POST /applications/{licence_id}/chaperone"): licences.update_section,
    (L, "POST /applications/{licence_id}/education"): licences.update_section,
    (L, "POST /applications/{licence_id}/check"): licences.submit_draft,
    (L, "POST /applications/{licence_id}/parent-link"): licences.resend_parent_link,
    (L, "POST /applications/{licence_id}/withdraw"): licences.withdraw,
    (L, "POST /productions/new"): productions.create,
    (L, "POST /productions/{production_id}/children"): licences.create_draft,
    (L, "POST /parent-part/{token}"): parent_part.complete,
    (L, "POST /parent/{token}"): parent_part.complete,
    (L, "POST /school-opinion/{token}"): licence_checks.record_school_opinion,
    (L, "POST /officer/licences/{licence_id}/checks/{kind}"): licence_checks.record,
    (L, "POST /officer/licences/{licence_id}/school-opinion"): licence_checks.request_school_opinion,
    (L, "POST /officer/licences/{licence_id}/education-approval"): education_approvals.record,
    (L, "POST /officer/licences/{licence_id}/decision"): licence_decisions.decide,
    (L, "POST /officer/licences/{licence_id}/variation"): licence_decisions.vary,
    (L, "POST /officer/licences/{licence_id}/revocation"): licence_decisions.revoke,
    (L, "POST /bopa/apply"): bopa.submit,
    (L, "POST /officer/bopa-approvals/{approval_id}"): bopa.decide,
    (L, "POST /officer/bopa-approvals/{approval_id}/revoke"): bopa.revoke,
    (L, "POST /chaperone/apply"): approvals.submit,
    (L, "POST /chaperone-reference/{token}"): approvals.give_reference,
    (L, "POST /chaperone/{approval_id}/photo"): approvals.upload_photo,
    (L, "POST /chaperone/{approval_id}/training/{session_id}"): training.book,
    (L, "POST /officer/chaperones/{approval_id}/checks/{kind}"): approvals.record_check,
    (L, "POST /officer/chaperones/{approval_id}/decision"): approvals.decide,
    (L, "POST /officer/chaperones/{approval_id}/{action}"): approvals.change_status,
    (L, "POST /officer/chaperones/training"): training.create,
    (
        L,
        "POST /officer/chaperones/training/{session_id}/attendance/{approval_id}",
    ): training.record_attendance,
    (L, "POST /report-a-concern"): concerns.report,
    (L, "POST /officer/concerns/{concern_id}/actions"): concerns.add_action,
    (L, "POST /officer/concerns/{concern_id}/close"): concerns.close,
    (L, "POST /officer/inspections"): inspections.plan,
    (L, "POST /officer/inspections/{inspection_id}"): inspections.record_outcome,
    (L, "POST /officer/inspections/{inspection_id}/cancel"): inspections.cancel,
    (L, "POST /employment-permits/apply"): employment_permits.submit,
    (L, "POST /employment-permit-declaration/{token}"): employment_permits.declare,
    (L, "POST /officer/employment-permits/{permit_id}"): employment_permits.decide,
    (L, "POST /officer/employment-permits/{permit_id}/revoke"): employment_permits.revoke,
    (P, "POST /school/requests/new/check"): requests.submit,
    (P, "POST /school/notices/copy"): school_copies.record,
    (P, "POST /officer/requests/{request_id}"): notices.decide,
    (P, "POST /officer/letters"): enforcement_letters.issue,
    (P, "POST /officer/notices/{notice_id}/prosecution"): prosecutions.decide,
    (P, "POST /officer/notices/{notice_id}/withdraw"): withdrawals.withdraw,
    (P, "POST /officer/prosecutions/{case_id}"): prosecutions.add_event,
    (P, "POST /officer/payments/record"): payments.record,
    (P, "POST /officer/payments/{payment_id}/match"): payments.match,
    (P, "POST /officer/payments/import"): payments.import_csv,
}

SIGNED_IN = "test_signing_in_and_out_through_the_pages_is_audited"
NOTHING_STORED = "test_pages_that_store_nothing_leave_the_database_as_it_was"
WIZARD = "test_a_schools_request_is_stored_and_audited_only_when_sent"

# Pages exercised by the named test in test_audit_completeness.py.
EXERCISED = {
    (L, "POST /sign-in"): SIGNED_IN,
    (L, "POST /sign-out"): SIGNED_IN,
    (P, "POST /sign-in"): SIGNED_IN,
    (P, "POST /sign-out"): SIGNED_IN,
    (L, "POST /licence-requirement"): NOTHING_STORED,  # answers a question
    (L, "POST /check-working-hours"): NOTHING_STORED,  # checks hours against the by-laws
    (L, "POST /verify"): NOTHING_STORED,  # looks a number up
    # A school's request is built up in its session, step by step, until "Check your answers" sends it.
    (P, "POST /school/requests/new"): WIZARD,
    (P, "POST /school/requests/new/offence"): WIZARD,
    (P, "POST /school/requests/new/pupil"): WIZARD,
    (P, "POST /school/requests/new/parents"): WIZARD,
    (P, "POST /school/requests/new/parents/{index}"): WIZARD,
    (P, "POST /school/requests/new/parents/{index}/remove"): WIZARD,
    (P, "POST /school/requests/new/attendance"): WIZARD,
    (P, "POST /school/requests/new/return-to-school"): WIZARD,
}
