"""Who may see which penalty records: a school only its own, officers and admins all."""

from __future__ import annotations

from sqlalchemy import Select

from penalty_service.models import PenaltyNotice, PenaltyRequest, School
from shared.users import Role, User


def scope_requests(query: Select, user: User) -> Select:
    if user.role == Role.SCHOOL:
        return query.join(School, School.id == PenaltyRequest.school_id).where(School.urn == user.school_urn)
    return query


def scope_notices(query: Select, user: User) -> Select:
    if user.role == Role.SCHOOL:
        return query.join(School, School.id == PenaltyNotice.school_id).where(School.urn == user.school_urn)
    return query


def may_see_school(user: User, school: School | None) -> bool:
    if user.role == Role.SCHOOL:
        return school is not None and school.urn == user.school_urn
    return user.is_staff
