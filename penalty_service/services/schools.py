"""Schools known to the service: a school user is bound to one by its URN."""

from __future__ import annotations

from sqlalchemy import select

from penalty_service.models import School
from shared import audit, db, problems


def by_urn(urn: str) -> School | None:
    return db.session().scalar(select(School).where(School.urn == urn))


def create(data: dict) -> School:
    if by_urn(data["urn"]) is not None:
        raise problems.invalid("urn", "A school with this URN is already registered")
    with db.transaction():
        school = School(**data)
        db.session().add(school)
        db.session().flush()
        audit.record("school.created", "school", school.id, after=data)
    return school
