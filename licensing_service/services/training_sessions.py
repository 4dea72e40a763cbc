"""Chaperone training sessions (SPEC §4.2): officers arrange sessions with a date, a place and a number of
places; applicants (or officers for them) book a place for an application; officers record who attended.

A session never takes more bookings than it has places, however many arrive at once: a booking locks the
session's row (on SQLite, the database write lock) before counting its bookings. A session on a day before
today cannot be booked; attendance can be recorded only on or after the day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from licensing_service.models.chaperones import ChaperoneApproval, TrainingBooking, TrainingSession
from licensing_service.rules import chaperones as rules
from licensing_service.services import chaperone_approvals as approvals
from shared import audit, auth, calendar, db, notify, problems
from shared.db import utcnow
from shared.formatting import long_date
from shared.users import User

OBJECT_TYPE = "chaperone_training_session"


def _booked_counts():
    return (
        select(TrainingBooking.session_id, func.count().label("booked"))
        .group_by(TrainingBooking.session_id)
        .subquery()
    )


def list_query(*, upcoming_from: date | None, with_places: bool) -> Select:
    """Sessions with how many places are booked, by date: from ``upcoming_from`` on (None: every session),
    only those with a place left when ``with_places``."""
    counts = _booked_counts()
    booked = func.coalesce(counts.c.booked, 0)
    query = select(TrainingSession, booked.label("booked")).outerjoin(
        counts, counts.c.session_id == TrainingSession.id
    )
    if upcoming_from is not None:
        query = query.where(TrainingSession.held_on >= upcoming_from)
    if with_places:
        query = query.where(booked < TrainingSession.capacity)
    return query.order_by(TrainingSession.held_on, TrainingSession.id)


def page_of(query: Select, page: int, page_size: int) -> dict[str, Any]:
    session = db.session()
    rows = session.execute(query.limit(page_size).offset((page - 1) * page_size)).all()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return {
        "items": [summary(s, booked) for s, booked in rows],
        "page": page,
        "page_size": page_size,
        "total": total,
    }


def summary(session: TrainingSession, booked: int) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.held_on,
        "place": session.place,
        "capacity": session.capacity,
        "booked": booked,
        "places_left": max(session.capacity - booked, 0),
    }


def get(session_id: int) -> TrainingSession:
    return auth.visible_or_404(db.session().get(TrainingSession, session_id))


def booked_count(session_id: int) -> int:
    return db.session().scalar(
        select(func.count()).select_from(TrainingBooking).where(TrainingBooking.session_id == session_id)
    )


def bookings(session_id: int) -> list[tuple[TrainingBooking, ChaperoneApproval]]:
    """A session's bookings with their applications (one query), by applicant's name."""
    rows = db.session().execute(
        select(TrainingBooking, ChaperoneApproval)
        .join(ChaperoneApproval, ChaperoneApproval.id == TrainingBooking.approval_id)
        .where(TrainingBooking.session_id == session_id)
        .order_by(ChaperoneApproval.applicant_name, TrainingBooking.id)
    )
    return [(booking, approval) for booking, approval in rows]


def detail(session: TrainingSession, user: User) -> dict[str, Any]:
    """A session; staff also see who is booked and whether they attended."""
    rows = bookings(session.id)
    shown = summary(session, len(rows))
    if user.is_staff:
        shown["bookings"] = [booking_json(b, a) for b, a in rows]
    return shown


def booking_json(booking: TrainingBooking, approval: ChaperoneApproval) -> dict[str, Any]:
    return {
        "id": booking.id,
        "session_id": booking.session_id,
        "approval_id": booking.approval_id,
        "reference": approval.reference,
        "applicant_name": approval.applicant_name,
        "booked_at": booking.booked_at,
        "attended": booking.attended,
    }


def create(data: dict[str, Any], user: User) -> TrainingSession:
    """A new session (``{date, place, capacity}``); 422 for a date before today."""
    if data["date"] < calendar.today():
        raise problems.invalid("date", "The date of the session must be today or in the future")
    with db.transaction():
        session = TrainingSession(
            held_on=data["date"], place=data["place"].strip(), capacity=data["capacity"], created_by=user.id
        )
        db.session().add(session)
        db.session().flush()
        audit.record(
            "chaperone_training_session.created",
            OBJECT_TYPE,
            session.id,
            after={"date": session.held_on, "place": session.place, "capacity": session.capacity},
        )
    return session


def _locked_session(session_id: int) -> TrainingSession:
    """The session, locked until the transaction ends, so that places are counted one booking at a time."""
    return auth.visible_or_404(db.locked(TrainingSession, session_id))


def _booking(session_id: int, approval_id: int) -> TrainingBooking | None:
    return db.session().scalar(
        select(TrainingBooking).where(
            TrainingBooking.session_id == session_id, TrainingBooking.approval_id == approval_id
        )
    )


def book(session_id: int, approval_id: int, user: User) -> tuple[TrainingBooking, ChaperoneApproval]:
    """Book a place for an application: the applicant for their own (another's is 404), or staff. 409 for a
    past or full session, a second booking of the same session, or an application already decided."""
    today = calendar.today()
    with db.transaction():
        session = _locked_session(session_id)
        approval = approvals.get_visible(approval_id, user)
        if approval.status not in rules.OPEN_STATUSES:
            raise problems.Problem(
                409,
                "Training can be booked only while the application is being considered",
                extra={"current_status": approval.status},
            )
        if session.held_on < today:
            raise problems.Problem(409, f"This session took place on {long_date(session.held_on)}")
        if _booking(session.id, approval.id) is not None:
            raise problems.Problem(409, "This application already has a place on this session")
        if booked_count(session.id) >= session.capacity:
            raise problems.Problem(409, "This session is full: choose another")
        booking = TrainingBooking(session_id=session.id, approval_id=approval.id, booked_by=user.id)
        db.session().add(booking)
        db.session().flush()
        audit.record(
            "chaperone_approval.training_booked",
            approvals.OBJECT_TYPE,
            approval.id,
            after={"session_id": session.id, "date": session.held_on, "place": session.place},
        )
        notify.enqueue(
            approval.applicant_email,
            f"Chaperone training booked: {long_date(session.held_on)}",
            f"Dear {approval.applicant_name},\n\nYou have a place on chaperone training on "
            f"{long_date(session.held_on)} at {session.place} (application {approval.reference}).\n\n"
            "Please arrive on time and bring photo ID. If you cannot come, tell us so that someone else can "
            "have the place.\n\nNottinghamshire County Council\n",
            object_type=approvals.OBJECT_TYPE,
            object_id=approval.id,
        )
    return booking, approval


def record_attendance(
    session_id: int, approval_id: int, attended: bool, user: User
) -> tuple[TrainingBooking, ChaperoneApproval]:
    """Record whether the applicant attended (staff): 409 before the session's day or without a booking."""
    with db.transaction():
        session = _locked_session(session_id)
        if session.held_on > calendar.today():
            raise problems.Problem(
                409, f"Attendance can be recorded from the day of the session, {long_date(session.held_on)}"
            )
        booking = _booking(session.id, approval_id)
        if booking is None:
            raise problems.Problem(
                409,
                "This application has no place on this session",
                errors={"approval_id": ["This application has no place on this session"]},
            )
        approval = approvals.get_visible(approval_id, user)
        before = {"attended": booking.attended}
        booking.attended = attended
        booking.attendance_recorded_by = user.id
        booking.attendance_recorded_at = utcnow()
        db.session().flush()
        audit.record(
            "chaperone_approval.training_attendance",
            approvals.OBJECT_TYPE,
            approval.id,
            before=before,
            after={"session_id": session.id, "date": session.held_on, "attended": attended},
        )
    return booking, approval
