"""Oversight records: Body of Persons Approvals and unannounced inspections.

An inspection names what it is about by kind and id, not by foreign key: it may concern a licence, a
permit, an approval or a production, which live in different tables (the service checks the record exists).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base, UTCDateTime, utcnow


class BopaApproval(Base):
    """An organisation's approval to put on performances by children without a licence for each child
    (CYPA 1963 s37(3)(b)): no payment, no absence from school."""

    __tablename__ = "bopa_approvals"
    __table_args__ = (
        Index("ix_bopa_approvals_status_due", "status", "decision_due_on", "id"),
        Index("ix_bopa_approvals_owner", "owner_id", "id"),
        Index("ix_bopa_approvals_due", "decision_due_on", "id"),  # the officers' list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_address: Mapped[str] = mapped_column(Text)
    organisation_contact: Mapped[str] = mapped_column(String(200))
    organisation_email: Mapped[str] = mapped_column(String(254))
    organisation_phone: Mapped[str] = mapped_column(String(40), default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    series_description: Mapped[str | None] = mapped_column(Text)
    performances: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{date, venue}]
    # [{name, date_of_birth, home_authority, school_age_ends, covered, covered_until}]
    children: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    first_performance_on: Mapped[date] = mapped_column(Date)
    last_performance_on: Mapped[date] = mapped_column(Date)
    no_payment_declared: Mapped[bool] = mapped_column()
    no_school_absence_declared: Mapped[bool] = mapped_column()
    received_on: Mapped[date] = mapped_column(Date)
    days_notice: Mapped[int] = mapped_column()
    late: Mapped[bool] = mapped_column(default=False)
    decision_due_on: Mapped[date] = mapped_column(Date)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{code, date, message}]
    status: Mapped[str] = mapped_column(String(20), default="submitted")  # submitted approved refused revoked
    standard_conditions: Mapped[list[str]] = mapped_column(JSON, default=list)  # as printed when approved
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)  # added by the officer
    approved_from: Mapped[date | None] = mapped_column(Date)
    approved_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)  # why refused, or why approved although late
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Inspection(Base):
    """An unannounced inspection of a venue, lodgings or an employer's premises. Officers only: never
    shown to applicants, producers, employers or parents, and nobody is told it is planned."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_status_planned", "status", "planned_on", "id"),
        Index("ix_inspections_subject", "subject_kind", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # performance_licence, employment_permit, bopa, production
    subject_kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column()
    place_kind: Mapped[str] = mapped_column(String(30))  # venue, lodgings, employer_premises
    address: Mapped[str] = mapped_column(Text)
    planned_on: Mapped[date] = mapped_column(Date)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unannounced: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned, done, cancelled
    outcome: Mapped[str | None] = mapped_column(String(30))
    findings: Mapped[str | None] = mapped_column(Text)
    visited_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
