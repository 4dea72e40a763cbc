"""Who may see which licensing records: an applicant only the productions they created and the
applications in them; officers and admins everything. Another owner's record answers 404."""

from __future__ import annotations

from sqlalchemy import Select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.models.productions import Production
from shared.users import User


def scope_productions(query: Select, user: User) -> Select:
    if user.is_staff:
        return query
    return query.where(Production.owner_id == user.id)


def scope_licences(query: Select, user: User) -> Select:
    if user.is_staff:
        return query
    return query.join(Production, Production.id == PerformanceLicence.production_id).where(
        Production.owner_id == user.id
    )
