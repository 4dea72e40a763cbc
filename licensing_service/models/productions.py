"""Productions: what a producer puts on, grouping the performance licence applications of its children."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from licensing_service.models.licences import PerformanceLicence


class ProductionType(StrEnum):
    THEATRE = "theatre"
    FILM = "film"
    TELEVISION = "television"
    MODELLING = "modelling"
    SPORT = "sport"
    OTHER = "other"


class Production(Base):
    """A production (show, shoot, series, event) and the person responsible for it, who holds the
    licences. ``owner_id`` is the account that created it: only that account (and staff) sees it."""

    __tablename__ = "productions"
    __table_args__ = (Index("ix_productions_owner", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    broadcast: Mapped[bool] = mapped_column(default=False)
    paid: Mapped[bool] = mapped_column(default=False)
    producer_name: Mapped[str] = mapped_column(String(200))
    producer_organisation: Mapped[str] = mapped_column(String(200), default="")
    producer_email: Mapped[str] = mapped_column(String(254))
    producer_phone: Mapped[str] = mapped_column(String(40), default="")
    producer_address: Mapped[str] = mapped_column(Text, default="")
    # The council where the performances take place: it receives a copy of each licence.
    host_authority_name: Mapped[str] = mapped_column(String(200), default="")
    host_authority_email: Mapped[str | None] = mapped_column(String(254))
    venues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{name, address}]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    licences: Mapped[list[PerformanceLicence]] = relationship(
        back_populates="production", order_by="PerformanceLicence.id"
    )
