"""Chaperone approvals (SPEC §4.2): applications, references, checks, approvals and training sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, orm
from sqlalchemy.orm import Mapped, deferred, mapped_column

from shared.db import Base, UTCDateTime, utcnow


class ChaperoneApproval(Base):
    """An application to be approved as a chaperone and, once approved, the approval itself.

    ``owner_id`` is the applicant's account; a paper application entered by staff has none."""

    __tablename__ = "chaperone_approvals"
    __table_args__ = (
        Index("ix_chaperone_approvals_status_due", "status", "decision_due_on", "id"),
        Index("ix_chaperone_approvals_owner", "owner_id", "id"),
        Index("ix_chaperone_approvals_status_valid_until", "status", "valid_until"),
        Index("ix_chaperone_approvals_renewal_of", "renewal_of_id"),
        Index("ix_chaperone_approvals_due", "decision_due_on", "id"),  # the officers' list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # professional, volunteer
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_date_of_birth: Mapped[date] = mapped_column(Date)
    applicant_address: Mapped[str] = mapped_column(Text)
    applicant_email: Mapped[str] = mapped_column(String(254))
    dbs_certificate_number: Mapped[str] = mapped_column(String(20))
    dbs_issue_date: Mapped[date] = mapped_column(Date)
    dbs_update_service: Mapped[bool] = mapped_column()
    database_check_consent: Mapped[bool] = mapped_column()
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("chaperone_approvals.id"))
    received_on: Mapped[date] = mapped_column(Date)
    decision_due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    approval_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # Why refused, or why approved although a check found concerns.
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    officer_name: Mapped[str | None] = mapped_column(String(200))  # as printed on the documents
    # The last suspension, reinstatement or revocation: why and when.
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_on: Mapped[date | None] = mapped_column(Date)
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_content_type: Mapped[str | None] = mapped_column(String(20))
    photo_width: Mapped[int | None] = mapped_column()
    photo_height: Mapped[int | None] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    references: Mapped[list[ChaperoneReference]] = orm.relationship(
        back_populates="approval", order_by="ChaperoneReference.position", cascade="all, delete-orphan"
    )
    checks: Mapped[list[ChaperoneCheck]] = orm.relationship(
        back_populates="approval", order_by="ChaperoneCheck.id", cascade="all, delete-orphan"
    )

    @property
    def is_renewal(self) -> bool:
        return self.renewal_of_id is not None


class ChaperoneReference(Base):
    """A referee named by the applicant, and the reference they gave from the emailed link."""

    __tablename__ = "chaperone_references"
    __table_args__ = (UniqueConstraint("approval_id", "position", name="uq_chaperone_references_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("chaperone_approvals.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()  # 1 or 2
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    relationship: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    known_for: Mapped[str | None] = mapped_column(String(100))  # how long the referee has known them
    capacity: Mapped[str | None] = mapped_column(String(200))  # in what capacity
    suitable: Mapped[bool | None] = mapped_column()  # suitable to care for children
    comments: Mapped[str | None] = mapped_column(Text)

    approval: Mapped[ChaperoneApproval] = orm.relationship(back_populates="references")


class ChaperoneCheck(Base):
    """The outcome of one check before approval; recorded again, the row is updated (the audit log keeps
    every outcome)."""

    __tablename__ = "chaperone_checks"
    __table_args__ = (UniqueConstraint("approval_id", "kind", name="uq_chaperone_checks_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("chaperone_approvals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # dbs, references, database_check
    outcome: Mapped[str] = mapped_column(String(20))  # clear, concerns
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    approval: Mapped[ChaperoneApproval] = orm.relationship(back_populates="checks")


class ChaperoneReminder(Base):
    """A renewal reminder sent: one row per approval and number of weeks, so none is ever sent twice."""

    __tablename__ = "chaperone_reminders"
    __table_args__ = (UniqueConstraint("approval_id", "weeks", name="uq_chaperone_reminders_weeks"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("chaperone_approvals.id", ondelete="CASCADE"))
    weeks: Mapped[int] = mapped_column()
    sent_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)


class TrainingSession(Base):
    """A chaperone training session: a date, a place and a number of places."""

    __tablename__ = "chaperone_training_sessions"
    __table_args__ = (Index("ix_chaperone_training_sessions_held_on", "held_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingBooking(Base):
    """A place on a session for an application, and whether the applicant attended."""

    __tablename__ = "chaperone_training_bookings"
    __table_args__ = (
        UniqueConstraint("session_id", "approval_id", name="uq_chaperone_training_bookings_once"),
        Index("ix_chaperone_training_bookings_approval", "approval_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("chaperone_training_sessions.id", ondelete="CASCADE"))
    approval_id: Mapped[int] = mapped_column(ForeignKey("chaperone_approvals.id", ondelete="CASCADE"))
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attended: Mapped[bool | None] = mapped_column()
    attendance_recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
