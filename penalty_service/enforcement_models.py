"""Records of enforcement after a notice: prosecution cases with their events, and attendance letters."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from penalty_service.models import PenaltyNotice
from shared.db import Base, UTCDateTime, utcnow


class ProsecutionCase(Base):
    """An unpaid notice the council decided to prosecute under s444 (one case per notice)."""

    __tablename__ = "prosecution_cases"
    __table_args__ = (Index("ix_prosecution_cases_status_lay_by", "status", "lay_by", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("penalty_notices.id"), unique=True)
    lay_by: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, information_laid, closed
    code_of_conduct_followed: Mapped[bool] = mapped_column()
    payments_rechecked: Mapped[bool] = mapped_column()
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(30))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    notice: Mapped[PenaltyNotice] = relationship(lazy="joined")
    events: Mapped[list[ProsecutionEvent]] = relationship(order_by="ProsecutionEvent.id", lazy="selectin")


class ProsecutionEvent(Base):
    __tablename__ = "prosecution_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("prosecution_cases.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))  # information_laid, hearing_listed, outcome
    date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EnforcementLetter(Base):
    """A dated step of attendance enforcement for one parent of one pupil: Notice to Attend, then Formal
    Warning after 4 weeks, then Court Action after 4 more weeks, then prosecution."""

    __tablename__ = "enforcement_letters"
    __table_args__ = (Index("ix_enforcement_letters_child_parent", "pupil_upn", "parent_key", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    pupil_upn: Mapped[str] = mapped_column(String(13))
    pupil_name: Mapped[str] = mapped_column(String(200))
    parent_name: Mapped[str] = mapped_column(String(200))
    parent_key: Mapped[str] = mapped_column(String(200))
    parent_address: Mapped[str] = mapped_column(Text)
    step: Mapped[str] = mapped_column(String(30))
    issued_on: Mapped[date] = mapped_column(Date)
    next_step_due_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
