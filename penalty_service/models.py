"""The penalty service's records: schools, requests, notices, payments and prosecution cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import Base, UTCDateTime, utcnow


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PenaltyRequest(Base):
    """A school's request for penalty notices for one pupil and one period of absence."""

    __tablename__ = "penalty_requests"
    __table_args__ = (
        Index("ix_penalty_requests_status_due", "status", "issue_due_on", "id"),
        Index("ix_penalty_requests_school_received", "school_id", "received_on", "id"),
        Index("ix_penalty_requests_due", "issue_due_on", "id"),  # every request, by decision date
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    offence: Mapped[str] = mapped_column(String(40))
    pupil_first_name: Mapped[str] = mapped_column(String(100))
    pupil_last_name: Mapped[str] = mapped_column(String(100))
    pupil_date_of_birth: Mapped[date] = mapped_column(Date)
    pupil_upn: Mapped[str] = mapped_column(String(13), index=True)
    pupil_year_group: Mapped[str] = mapped_column(String(10))
    pupil_address: Mapped[str] = mapped_column(Text)
    register: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{date, session, code}], the evidence
    returned_to_school_on: Mapped[date | None] = mapped_column(Date)
    notice_to_improve_issued_on: Mapped[date | None] = mapped_column(Date)
    notice_to_improve_period_ends_on: Mapped[date | None] = mapped_column(Date)
    code_of_conduct_confirmed: Mapped[bool] = mapped_column()
    received_on: Mapped[date] = mapped_column(Date)
    issue_due_on: Mapped[date] = mapped_column(Date)
    threshold_profile: Mapped[str] = mapped_column(String(30))
    sessions_counted: Mapped[int] = mapped_column()
    sessions_needed: Mapped[int] = mapped_column()
    window_weeks: Mapped[int] = mapped_column()
    met_on_date: Mapped[date | None] = mapped_column(Date)
    met_on_session: Mapped[str | None] = mapped_column(String(2))
    first_absence_on: Mapped[date | None] = mapped_column(Date)
    last_absence_on: Mapped[date | None] = mapped_column(Date)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="received")  # received, issued, rejected
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[School] = relationship(lazy="joined")
    parents: Mapped[list[RequestParent]] = relationship(
        order_by="RequestParent.id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def pupil_name(self) -> str:
        return f"{self.pupil_first_name} {self.pupil_last_name}"


class RequestParent(Base):
    __tablename__ = "request_parents"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("penalty_requests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    relationship_to_pupil: Mapped[str] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(254))


# As the queue asks it (``late_copy IS true``), so PostgreSQL can match the query to the partial index.
LATE_COPY = text("source = 'school' AND late_copy IS true AND status = 'issued'")


class PenaltyNotice(Base):
    """One notice to one parent for one child: issued by the council, copied to it by a school, or
    brought over from the previous system (``source`` legacy) so the 3-year limit holds from day one."""

    __tablename__ = "penalty_notices"
    __table_args__ = (
        UniqueConstraint("request_id", "parent_key", name="uq_penalty_notices_request_parent"),
        Index("ix_penalty_notices_status_final_day", "status", "final_payment_day", "id"),
        Index("ix_penalty_notices_child_parent", "pupil_upn", "parent_key", "issue_date"),
        Index("ix_penalty_notices_school_status", "school_id", "status", "id"),
        # Prosecution review: unpaid notices by lay-by date, counted from the index alone.
        Index("ix_penalty_notices_status_lay_by", "status", "lay_by", "id", postgresql_include=["source"]),
        # Late school copies: a few among a million notices.
        Index(
            "ix_penalty_notices_late_copies",
            "copy_received_on",
            "id",
            postgresql_where=LATE_COPY,
            sqlite_where=LATE_COPY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_number: Mapped[str] = mapped_column(String(24), unique=True)
    source: Mapped[str] = mapped_column(String(10), default="council")  # council, school, legacy
    request_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_requests.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    offence: Mapped[str | None] = mapped_column(String(40))
    pupil_upn: Mapped[str] = mapped_column(String(13))
    pupil_name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str] = mapped_column(String(200))
    parent_key: Mapped[str] = mapped_column(String(200))
    parent_address: Mapped[str] = mapped_column(Text, default="")
    parent_email: Mapped[str | None] = mapped_column(String(254))
    issue_date: Mapped[date] = mapped_column(Date)
    posted_on: Mapped[date | None] = mapped_column(Date)
    served_on: Mapped[date | None] = mapped_column(Date)
    lower_rate_until: Mapped[date | None] = mapped_column(Date)
    final_payment_day: Mapped[date | None] = mapped_column(Date)
    amount_lower_pence: Mapped[int | None] = mapped_column()
    amount_full_pence: Mapped[int | None] = mapped_column()
    is_second: Mapped[bool] = mapped_column(default=False)
    lay_by: Mapped[date | None] = mapped_column(Date)
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # issued, paid, unpaid, withdrawn, prosecution
    status: Mapped[str] = mapped_column(String(20), default="issued")
    paid_on: Mapped[date | None] = mapped_column(Date)
    refund_due_pence: Mapped[int] = mapped_column(default=0)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_ground: Mapped[str | None] = mapped_column(String(40))
    withdrawal_notes: Mapped[str | None] = mapped_column(Text)
    legacy_outcome: Mapped[str | None] = mapped_column(String(20))
    late_copy: Mapped[bool] = mapped_column(default=False)
    copy_received_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[School | None] = relationship(lazy="joined")


class Payment(Base):
    """Money received. ``status``: applied (to a notice), suspense (matched nothing: an officer matches
    it), refund_due (after the final day, never discharging, or more than was due)."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_notices.id"), index=True)
    notice_number_given: Mapped[str] = mapped_column(String(40))
    amount_pence: Mapped[int] = mapped_column()
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
