"""Productions: created by a producer, listed with each child's application."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.models.productions import Production
from licensing_service.services import access
from shared import audit, auth, db
from shared.users import User


def create(data: dict[str, Any], user: User) -> Production:
    producer, host = data["producer"], data["host_authority"]
    with db.transaction():
        production = Production(
            owner_id=user.id,
            name=data["name"],
            type=data["type"],
            broadcast=data["broadcast"],
            paid=data["paid"],
            producer_name=producer["name"],
            producer_organisation=producer["organisation"],
            producer_email=producer["email"],
            producer_phone=producer["phone"],
            producer_address=producer["address"],
            host_authority_name=host["name"],
            host_authority_email=host["email"],
            venues=data["venues"],
        )
        db.session().add(production)
        db.session().flush()
        audit.record(
            "production.created",
            "production",
            production.id,
            after={"name": production.name, "type": production.type, "owner_id": user.id},
        )
    return production


def find_visible(production_id: int, user: User) -> Production | None:
    query = access.scope_productions(select(Production).where(Production.id == production_id), user)
    return db.session().scalar(query)


def get_visible(production_id: int, user: User) -> Production:
    return auth.visible_or_404(find_visible(production_id, user))


def list_query(user: User) -> Select:
    return access.scope_productions(select(Production), user).order_by(Production.id.desc())


def children(production: Production) -> list[PerformanceLicence]:
    return list(
        db.session().scalars(
            select(PerformanceLicence)
            .where(PerformanceLicence.production_id == production.id)
            .order_by(PerformanceLicence.id)
        )
    )
