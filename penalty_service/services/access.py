"""Who may see which penalty records: a school only its own, officers and admins all."""

from __future__ import annotations

from sqlalchemy import Select

from penalty_service.models import PenaltyNotice, PenaltyRequest, School
from shared.users import Role, User


def _scope(query: Select, school_id, user: User, school_urn: str | None) -> Select:
    """Limit to the user's own school if they are a school, and to ``school_urn`` if one is asked for."""
    urns = {urn for urn in (user.school_urn if user.role == Role.SCHOOL else None, school_urn) if urn}
    if not urns:
        return query
    query = query.join(School, School.id == school_id)
    for urn in urns:
        query = query.where(School.urn == urn)
    return query


def scope_requests(query: Select, user: User, school_urn: str | None = None) -> Select:
    return _scope(query, PenaltyRequest.school_id, user, school_urn)


def scope_notices(query: Select, user: User, school_urn: str | None = None) -> Select:
    return _scope(query, PenaltyNotice.school_id, user, school_urn)
