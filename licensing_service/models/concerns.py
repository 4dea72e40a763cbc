"""Concerns about a child working or performing without a licence (SPEC §4.5), and the actions taken.

Anyone may report a concern, signed in or not; only officers and admins ever read one. A concern that says
the child is at risk of harm now is a safeguarding concern: it is marked for referral to the MASH (the
multi-agency safeguarding hub) the moment it arrives and stays first on the officers' queue until closed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import Base, UTCDateTime, utcnow


class ConcernStatus(StrEnum):
    OPEN = "open"  # reported, nothing done yet
    IN_PROGRESS = "in_progress"  # at least one action recorded
    CLOSED = "closed"


class Activity(StrEnum):
    PERFORMING = "performing"
    WORKING = "working"
    NOT_SURE = "not_sure"


class ActionKind(StrEnum):
    LETTER = "letter"  # a letter requesting information from the employer or producer
    SUPPORT_TO_APPLY = "support_to_apply"
    UNANNOUNCED_VISIT = "unannounced_visit"
    MASH_REFERRAL = "mash_referral"
    LEGAL_ACTION = "legal_action"


class Outcome(StrEnum):
    LICENCE_OR_PERMIT_OBTAINED = "licence_or_permit_obtained"
    STOPPED = "stopped"
    ADVICE_GIVEN = "advice_given"
    NO_EVIDENCE = "no_evidence"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    PROSECUTION = "prosecution"


class Concern(Base):
    __tablename__ = "concerns"
    __table_args__ = (
        # The officers' list and queue: open ones, safeguarding first, then by due date.
        Index("ix_concerns_status_safeguarding_due", "status", "safeguarding", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=ConcernStatus.OPEN.value)
    # The child is at risk of harm now: refer to the MASH at once.
    safeguarding: Mapped[bool] = mapped_column(default=False)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # About the child: whatever the reporter knows.
    child_name: Mapped[str] = mapped_column(String(200), default="")
    child_age: Mapped[int | None] = mapped_column()
    child_date_of_birth: Mapped[date | None] = mapped_column(Date)
    child_school: Mapped[str] = mapped_column(String(200), default="")
    # What is happening.
    activity: Mapped[str] = mapped_column(String(20))  # performing, working, not_sure
    location: Mapped[str] = mapped_column(Text)
    organiser: Mapped[str] = mapped_column(Text, default="")
    when_happening: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text)
    # Who reported it (every part optional: a report may be anonymous).
    reporter_name: Mapped[str] = mapped_column(String(200), default="")
    reporter_email: Mapped[str] = mapped_column(String(254), default="")
    reporter_phone: Mapped[str] = mapped_column(String(40), default="")
    reporter_is_professional: Mapped[bool] = mapped_column(default=False)
    reporter_organisation: Mapped[str] = mapped_column(String(200), default="")
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The MASH referral, once made.
    mash_referred_on: Mapped[date | None] = mapped_column(Date)
    mash_referred_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Closure.
    outcome: Mapped[str | None] = mapped_column(String(40))
    outcome_notes: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actions: Mapped[list[ConcernAction]] = relationship(
        back_populates="concern", order_by="ConcernAction.id", lazy="raise"
    )

    @property
    def anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email or self.reporter_phone)


class ConcernAction(Base):
    """One thing an officer did about a concern. A letter keeps its recipient and document; an unannounced
    visit the inspection it planned."""

    __tablename__ = "concern_actions"
    __table_args__ = (Index("ix_concern_actions_concern", "concern_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    taken_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # A letter: to whom, where, and what it asked by when.
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    recipient_organisation: Mapped[str | None] = mapped_column(String(200))
    recipient_address: Mapped[str | None] = mapped_column(Text)
    reply_by: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    # An unannounced visit: the inspection planned.
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id", ondelete="SET NULL"))
    # Anything else the kind carries (the officer's name as printed on a letter).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    concern: Mapped[Concern] = relationship(back_populates="actions", lazy="raise")
