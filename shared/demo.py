"""Demo data helpers for ``seed-demo``: idempotent, audited, never used outside a demo."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from shared import audit, db, users


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    password: str
    name: str
    school_urn: str | None = None


def ensure_users(demo_users: Iterable[DemoUser]) -> Iterator[str]:
    for demo_user in demo_users:
        if users.find_user(demo_user.email):
            yield f"exists  {demo_user.role:10} {demo_user.email}"
            continue
        with db.transaction():
            user = users.create_user(
                demo_user.email,
                demo_user.password,
                demo_user.role,
                name=demo_user.name,
                school_urn=demo_user.school_urn,
            )
            db.session().flush()
            audit.record("user.created", "user", user.id, after={"role": user.role}, actor="seed-demo")
        yield f"created {demo_user.role:10} {demo_user.email}"
