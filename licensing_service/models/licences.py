"""Performance licence applications, one per child, with the council's checks, the parent's part and
where copies of a granted licence went."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from licensing_service.models.productions import Production
from shared.db import Base, UTCDateTime, utcnow


class LicenceStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    GRANTED = "granted"
    REFUSED = "refused"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"


class ParentPartState(StrEnum):
    NOT_REQUESTED = "not_requested"  # a draft: the parent is emailed on submission
    REQUESTED = "requested"
    COMPLETED = "completed"


class CheckKind(StrEnum):
    EDUCATION = "education"
    SOCIAL_CARE = "social_care"
    EARLY_HELP = "early_help"
    SCHOOL_OPINION = "school_opinion"


class CheckOutcome(StrEnum):
    NO_CONCERNS = "no_concerns"
    CONCERNS = "concerns"


class PerformanceLicence(Base):
    """One child's licence: the application (nullable fields are filled section by section while it is
    a draft), the notice verdict and schedule findings worked out on submission, and the decision.

    The schedule (``days``) is kept as JSON, like a penalty request's register: it is written, checked
    and shown as a whole by the pure rules, never queried day by day; ``first_day`` and ``last_day``
    are columns so date-range look-ups (inspections, the queue) stay indexed.
    """

    __tablename__ = "performance_licences"
    __table_args__ = (
        Index("ix_performance_licences_status_due", "status", "decision_due_on", "id"),
        Index("ix_performance_licences_production", "production_id", "id"),
        Index("ix_performance_licences_first_day", "first_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id"))
    status: Mapped[str] = mapped_column(String(20), default=LicenceStatus.DRAFT.value)

    child_first_name: Mapped[str | None] = mapped_column(String(100))
    child_last_name: Mapped[str | None] = mapped_column(String(100))
    child_date_of_birth: Mapped[date | None] = mapped_column(Date)
    child_address: Mapped[str | None] = mapped_column(Text)
    child_school_name: Mapped[str | None] = mapped_column(String(200))
    parent_name: Mapped[str | None] = mapped_column(String(200))
    parent_email: Mapped[str | None] = mapped_column(String(254))
    parent_address: Mapped[str | None] = mapped_column(Text)

    # [{date, kind, arrive, leave, performing: [{start, end}]}], ISO dates and HH:MM times, date order
    days: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    night_work: Mapped[bool] = mapped_column(default=False)
    chaperone_approval_number: Mapped[str | None] = mapped_column(String(40))
    chaperone_is_parent: Mapped[bool | None] = mapped_column()
    # reg 15: with their usual teacher the child needs no approved chaperone.
    chaperone_is_usual_teacher: Mapped[bool | None] = mapped_column()
    usual_teacher_name: Mapped[str | None] = mapped_column(String(200))
    usual_teacher_school: Mapped[str | None] = mapped_column(String(200))
    chaperone_children_in_care: Mapped[int | None] = mapped_column()
    chaperone_also_private_teacher: Mapped[bool | None] = mapped_column()
    education_school_days_missed: Mapped[int | None] = mapped_column()
    tutor_name: Mapped[str | None] = mapped_column(String(200))
    tutor_hours_per_day: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    tutor_pupils: Mapped[int | None] = mapped_column()
    tutor_similar_standard: Mapped[bool | None] = mapped_column()
    # The SPP's approval of the education arrangements (reg 13), needed when the child misses school.
    education_approved: Mapped[bool | None] = mapped_column()
    education_approval_notes: Mapped[str | None] = mapped_column(Text)
    education_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    education_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Days given after the end of compulsory school age: kept apart on submission, as no licence is needed.
    days_needing_no_licence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    days_notice: Mapped[int | None] = mapped_column()
    late: Mapped[bool] = mapped_column(default=False)
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    breaches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{code, date, message}]
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    parent_part_state: Mapped[str] = mapped_column(String(20), default=ParentPartState.NOT_REQUESTED.value)

    # The decision (grant, refuse) and what follows it; a late application granted needs late_reason.
    late_reason: Mapped[str | None] = mapped_column(Text)
    licence_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    conditions: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    production: Mapped[Production] = relationship(back_populates="licences", lazy="joined")
    checks: Mapped[list[LicenceCheck]] = relationship(
        order_by="LicenceCheck.id", cascade="all, delete-orphan", lazy="selectin"
    )
    parent_part: Mapped[ParentPart | None] = relationship(
        cascade="all, delete-orphan", lazy="selectin", uselist=False
    )
    distributions: Mapped[list[LicenceDistribution]] = relationship(
        order_by="LicenceDistribution.id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def child_name(self) -> str:
        return " ".join(n for n in (self.child_first_name, self.child_last_name) if n)


class LicenceCheck(Base):
    """A check the council makes before deciding (SPEC §4.1): one per kind per licence. ``outcome`` None
    means asked for and not yet answered (the school's opinion, requested by email)."""

    __tablename__ = "licence_checks"
    __table_args__ = (UniqueConstraint("licence_id", "kind", name="uq_licence_checks_licence_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("performance_licences.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_from: Mapped[str | None] = mapped_column(String(254))  # the school's email address
    outcome: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the school, by link
    recorded_by: Mapped[str | None] = mapped_column(String(254))  # who, as the audit log names them


class ParentPart(Base):
    """The parent's or carer's part of the application, completed from an emailed link."""

    __tablename__ = "parent_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(
        ForeignKey("performance_licences.id", ondelete="CASCADE"), unique=True
    )
    declaration: Mapped[bool] = mapped_column()
    medical_declaration: Mapped[str] = mapped_column(Text, default="")
    photo: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    photo_content_type: Mapped[str] = mapped_column(String(20))
    photo_size: Mapped[int] = mapped_column()
    photo_width: Mapped[int] = mapped_column()
    photo_height: Mapped[int] = mapped_column()
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LicenceDistribution(Base):
    """Where a copy of a granted, varied or revoked licence was sent (SPEC §4.1)."""

    __tablename__ = "licence_distributions"
    __table_args__ = (Index("ix_licence_distributions_licence", "licence_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("performance_licences.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(20))  # holder, host_authority, parent
    event: Mapped[str] = mapped_column(String(20), default="granted")  # granted, varied, revoked
    email: Mapped[str] = mapped_column(String(254))
    sent_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
