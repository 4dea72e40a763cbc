"""The SPP's decisions on a performance licence: the grant, each variation, a refusal or a revocation.

One row per decision, kept for good: the licence row holds the licence as it stands now, these rows hold
how it came to be. A grant makes version 1 of the licence and each variation the next version; each
version's PDF is stored (``document_id``), so a copy sent earlier can always be shown as it was sent.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base, UTCDateTime, utcnow


class DecisionEvent(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    VARIED = "varied"
    REVOKED = "revoked"


class LicenceDecision(Base):
    __tablename__ = "licence_decisions"
    __table_args__ = (
        # Versions never repeat for a licence (NULL, for refusals and revocations, is never equal).
        UniqueConstraint("licence_id", "version", name="uq_licence_decisions_licence_version"),
        Index("ix_licence_decisions_licence", "licence_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("performance_licences.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(20))
    # The licence version this decision made: 1 on grant, the next on each variation; None otherwise.
    version: Mapped[int | None] = mapped_column()
    # Why: a refusal, variation or revocation; on a grant, why it was granted despite recorded concerns.
    reason: Mapped[str | None] = mapped_column(Text)
    late_reason: Mapped[str | None] = mapped_column(Text)
    # The council's own conditions in force from this decision (the standard ones are in the service).
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A variation: {what: {"before": ..., "after": ...}} for each part changed.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # As printed on the documents, kept so that the same decision always renders the same document.
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_role: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
