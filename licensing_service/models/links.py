"""Single-purpose links emailed to people without an account (a parent, a school): a random token of
which only the SHA-256 is kept, valid for one purpose, until it expires or is used once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base, UTCDateTime, utcnow


class LinkPurpose(StrEnum):
    PARENT_PART = "parent_part"
    SCHOOL_OPINION = "school_opinion"
    CHAPERONE_REFERENCE = "chaperone_reference"  # a referee answers for a chaperone applicant
    PERMIT_PARENT = "permit_parent"  # a parent gives the declaration on an employment permit


class EmailLink(Base):
    __tablename__ = "email_links"
    __table_args__ = (Index("ix_email_links_object", "object_type", "object_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column()
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime()
    )  # a newer link was sent, or the record closed
