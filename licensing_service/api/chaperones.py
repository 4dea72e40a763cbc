"""Chaperone approvals and training sessions.

``/api/v1/chaperone-approvals``: an applicant applies for themselves (staff enter paper applications),
officers record the checks and decide, then may suspend, reinstate or revoke. An applicant sees only their
own applications (another's is 404), never the checks' notes nor what the referees said.
``/api/v1/chaperone-references/{token}``: a referee answers from the link in their email (no account).
``/api/v1/training-sessions``: officers arrange sessions; applicants book a place for their application.
"""

from __future__ import annotations

from flask.views import MethodView

from licensing_service.api.parent_part import MultipartBlueprint
from licensing_service.schemas.chaperones import (
    ChaperoneApprovalInSchema,
    ChaperoneApprovalListArgs,
    ChaperoneApprovalPageSchema,
    ChaperoneApprovalSchema,
    ChaperoneCheckInSchema,
    ChaperoneDecisionInSchema,
    ChaperonePhotoFormSchema,
    ChaperoneReasonSchema,
    ChaperoneReferenceDoneSchema,
    ChaperoneReferenceInSchema,
    ChaperoneReferenceViewSchema,
    TrainingAttendanceInSchema,
    TrainingBookingInSchema,
    TrainingBookingSchema,
    TrainingSessionInSchema,
    TrainingSessionListArgs,
    TrainingSessionPageSchema,
    TrainingSessionSchema,
)
from licensing_service.services import chaperone_approvals as approvals
from licensing_service.services import training_sessions as training
from licensing_service.services.parent_part import MAX_PHOTO_BYTES
from shared import api, auth, calendar, documents
from shared.users import STAFF_ROLES, Role

blp = MultipartBlueprint(
    "chaperones", __name__, url_prefix="/api/v1", description="Chaperone approvals and training sessions"
)
APPLICANT_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
APPROVAL = "/chaperone-approvals/<int(max=2147483647):approval_id>"
SESSION = "/training-sessions/<int(max=2147483647):session_id>"
TOKEN = "<string(maxlength=200):token>"


def _detail(approval):
    return approvals.detail(approval, auth.current_user())


@blp.route("/chaperone-approvals")
class ChaperoneApprovals(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ChaperoneApprovalInSchema)
    @blp.response(201, ChaperoneApprovalSchema)
    def post(self, data):
        """Apply to be approved as a chaperone, with two referees who are not family (each is emailed a
        link to give a reference). The applicant must be 18 or over on the day received; ``renewal_of``
        names an earlier approval of the same person (approved or expired), and a renewal needs no
        training. Officers may give ``received_on`` for a paper application."""
        return _detail(approvals.submit(data, auth.current_user()))

    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ChaperoneApprovalListArgs, location="query")
    @blp.response(200, ChaperoneApprovalPageSchema)
    def get(self, args):
        """Applications by decision date (an applicant sees only their own)."""
        query = approvals.list_query(auth.current_user(), args.get("status"))
        return api.page_of(query, args["page"], args["page_size"])


@blp.route(APPROVAL)
class ChaperoneApproval(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, ChaperoneApprovalSchema)
    def get(self, approval_id):
        """One application, with what is still outstanding before a decision."""
        return _detail(approvals.get_visible(approval_id, auth.current_user()))


@blp.route(f"{APPROVAL}/checks")
class ChaperoneChecks(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ChaperoneCheckInSchema)
    @blp.response(200, ChaperoneApprovalSchema)
    def post(self, data, approval_id):
        """Record a check's outcome: ``dbs``, ``references`` (once both references are in) or
        ``database_check`` (409 without the applicant's consent). Notes are required with concerns."""
        return _detail(approvals.record_check(approval_id, data, auth.current_user()))


@blp.route(f"{APPROVAL}/decision")
class ChaperoneDecision(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(ChaperoneDecisionInSchema)
    @blp.response(200, ChaperoneApprovalSchema)
    def post(self, data, approval_id):
        """Approve — giving ``approval_number``, ``valid_from`` and ``valid_until``, the letter and the ID
        card — or refuse with a reason. 409 naming each missing item (``missing``, ``errors``): a clear or
        weighed DBS check, both references and the references check, the database check (with consent),
        and training attended (not for renewals). A check with concerns needs a ``reason`` to approve."""
        return _detail(approvals.decide(approval_id, data, auth.current_user()))


def _status_change(action: str):
    class StatusChange(MethodView):
        @auth.api_roles(*STAFF_ROLES)
        @blp.arguments(ChaperoneReasonSchema)
        @blp.response(200, ChaperoneApprovalSchema)
        def post(self, data, approval_id):
            return _detail(approvals.change_status(approval_id, action, data, auth.current_user()))

    StatusChange.post.__doc__ = {
        "suspend": "Suspend an approval with a reason (409 unless approved); the chaperone is emailed.",
        "reinstate": "Lift a suspension with a reason (409 unless suspended and not yet ended).",
        "revoke": "Revoke an approval with a reason (409 unless approved or suspended).",
    }[action]
    StatusChange.__name__ = f"Chaperone{action.title()}"
    return StatusChange


blp.route(f"{APPROVAL}/suspension")(_status_change("suspend"))
blp.route(f"{APPROVAL}/reinstatement")(_status_change("reinstate"))
blp.route(f"{APPROVAL}/revocation")(_status_change("revoke"))


@blp.route(f"{APPROVAL}/photo")
class ChaperonePhoto(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(ChaperonePhotoFormSchema, location="form")
    @blp.response(200, ChaperoneApprovalSchema)
    def put(self, data, approval_id):
        """The photo for the ID card (``multipart/form-data``, field ``photo``): JPEG or PNG, at most 5 MB,
        at least 300 × 300 pixels. 409 once decided."""
        photo = data["photo"]
        content = photo.stream.read(MAX_PHOTO_BYTES + 1) if hasattr(photo, "stream") else b""
        return _detail(approvals.upload_photo(approval_id, content, auth.current_user()))


@blp.route(f"{APPROVAL}/documents/<any(approval_letter, id_card, refusal_letter):kind>.pdf")
class ChaperoneDocument(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.response(200, {"format": "binary", "type": "string"}, content_type="application/pdf")
    def get(self, approval_id, kind):
        """The approval letter or ID card (once approved), or the refusal letter."""
        approval = approvals.get_visible(approval_id, auth.current_user())
        return documents.pdf_response(approvals.document(approval, kind))


@blp.route(f"/chaperone-references/{TOKEN}")
class ChaperoneReference(MethodView):
    @auth.public
    @blp.response(200, ChaperoneReferenceViewSchema)
    def get(self, token):
        """What the referee is asked about: the applicant's name and kind of chaperone (404 unknown link,
        410 used or expired, 409 once the application is decided)."""
        return approvals.reference_view(token)

    @auth.public
    @blp.arguments(ChaperoneReferenceInSchema)
    @blp.response(201, ChaperoneReferenceDoneSchema)
    def post(self, data, token):
        """Give the reference: how long and in what capacity the referee has known the applicant, whether
        they are suitable to look after children (comments required if not), and the declaration."""
        return approvals.give_reference(token, data)


# --- training sessions --------------------------------------------------------------------------------


@blp.route("/training-sessions")
class TrainingSessions(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(TrainingSessionInSchema)
    @blp.response(201, TrainingSessionSchema)
    def post(self, data):
        """Arrange a training session (today or later) with a number of places."""
        session = training.create(data, auth.current_user())
        return training.detail(session, auth.current_user())

    @auth.api_roles(*Role)
    @blp.arguments(TrainingSessionListArgs, location="query")
    @blp.response(200, TrainingSessionPageSchema)
    def get(self, args):
        """Upcoming sessions with places left, by date (staff may include past and full sessions)."""
        staff = auth.current_user().is_staff
        query = training.list_query(
            upcoming_from=None if staff and args["include_past"] else calendar.today(),
            with_places=not (staff and args["include_full"]),
        )
        return training.page_of(query, args["page"], args["page_size"])


@blp.route(SESSION)
class TrainingSession(MethodView):
    @auth.api_roles(*Role)
    @blp.response(200, TrainingSessionSchema)
    def get(self, session_id):
        """One session; staff also see its bookings and attendance."""
        return training.detail(training.get(session_id), auth.current_user())


@blp.route(f"{SESSION}/bookings")
class TrainingBookings(MethodView):
    @auth.api_roles(*APPLICANT_AND_STAFF)
    @blp.arguments(TrainingBookingInSchema)
    @blp.response(201, TrainingBookingSchema)
    def post(self, data, session_id):
        """Book a place for an application (the applicant's own, or any for staff). 409 when the session is
        full or past, already booked for this application, or the application is decided."""
        booking, approval = training.book(session_id, data["approval_id"], auth.current_user())
        return training.booking_json(booking, approval)


@blp.route(f"{SESSION}/attendance")
class TrainingAttendance(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(TrainingAttendanceInSchema)
    @blp.response(200, TrainingBookingSchema)
    def post(self, data, session_id):
        """Record whether the applicant attended (on or after the day of the session; 409 before it or
        without a booking)."""
        booking, approval = training.record_attendance(
            session_id, data["approval_id"], data["attended"], auth.current_user()
        )
        return training.booking_json(booking, approval)
