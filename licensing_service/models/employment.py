"""Child employment permits (SPEC §4.3): applications, permits and their weekly hours."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import Base, UTCDateTime, utcnow


class PermitStatus(StrEnum):
    SUBMITTED = "submitted"
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"
    EXPIRED = "expired"


class EmploymentPermit(Base):
    """An employer's application for a permit to employ a child, and the permit once granted."""

    __tablename__ = "employment_permits"
    __table_args__ = (
        Index("ix_employment_permits_status_due", "status", "decision_due_on", "id"),
        Index("ix_employment_permits_owner", "owner_id", "id"),
        Index("ix_employment_permits_status_valid_until", "status", "valid_until"),
        Index("ix_employment_permits_due", "decision_due_on", "id"),  # the officers' list, newest due first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default=PermitStatus.SUBMITTED.value)
    employer_name: Mapped[str] = mapped_column(String(200))
    employer_address: Mapped[str] = mapped_column(Text)
    employer_contact: Mapped[str] = mapped_column(String(200))
    employer_email: Mapped[str] = mapped_column(String(254))
    employer_known: Mapped[bool] = mapped_column()  # known to the council: no site visit needed
    child_first_name: Mapped[str] = mapped_column(String(100))
    child_last_name: Mapped[str] = mapped_column(String(100))
    child_date_of_birth: Mapped[date] = mapped_column(Date)
    child_address: Mapped[str] = mapped_column(Text)
    child_school_name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str] = mapped_column(String(200))
    parent_email: Mapped[str] = mapped_column(String(254))
    parent_address: Mapped[str] = mapped_column(Text)
    job_description: Mapped[str] = mapped_column(Text)
    job_category: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    # {term_time: [{day, start, end, breaks: [{start, end}]}], holidays: [...], holiday_weeks_free,
    #  school_starts, school_ends}
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_on: Mapped[date] = mapped_column(Date)
    late: Mapped[bool] = mapped_column(default=False)
    # The days the child worked before the application arrived, where it was late (both included).
    unpermitted_from: Mapped[date | None] = mapped_column(Date)
    unpermitted_until: Mapped[date | None] = mapped_column(Date)
    decision_due_on: Mapped[date] = mapped_column(Date)
    regime: Mapped[str] = mapped_column(String(20))
    breaches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{code, date, message}]
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    parent_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    parent_declared_name: Mapped[str | None] = mapped_column(String(200))  # as the parent typed it
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id", ondelete="SET NULL"))
    permit_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    distributions: Mapped[list[PermitDistribution]] = relationship(
        back_populates="permit", order_by="PermitDistribution.id", lazy="selectin"
    )

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}"

    @property
    def parent_declared(self) -> bool:
        return self.parent_declared_at is not None


class PermitDistribution(Base):
    """A copy of a permit, refusal or revocation letter sent to the employer or the parent."""

    __tablename__ = "permit_distributions"
    __table_args__ = (Index("ix_permit_distributions_permit", "permit_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("employment_permits.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(20))  # employer, parent
    event: Mapped[str] = mapped_column(String(20))  # granted, refused, revoked
    email: Mapped[str] = mapped_column(String(254))
    sent_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )

    permit: Mapped[EmploymentPermit] = relationship(back_populates="distributions")


class PermitReminder(Base):
    """An expiry reminder sent for a permit: each party gets each one once, ever."""

    __tablename__ = "permit_reminders"
    __table_args__ = (UniqueConstraint("permit_id", "party", "weeks", name="uq_permit_reminders_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("employment_permits.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(20))
    weeks: Mapped[int] = mapped_column()
    sent_on: Mapped[date] = mapped_column(Date)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
