"""Users, roles, passwords and API tokens.

Passwords are hashed with argon2; API tokens are random and only their SHA-256 is stored, so a copy
of the database gives no one a working token.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, Index, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from shared import db
from shared.db import Base, UTCDateTime, utcnow

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128


class Role(enum.StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"
    SCHOOL = "school"
    APPLICANT = "applicant"


STAFF_ROLES = (Role.OFFICER, Role.ADMIN)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    school_urn: Mapped[str | None] = mapped_column(String(10), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:  # never the email: logs must not carry personal data
        return f"<User {self.id} {self.role}>"


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInAttempt(Base):
    """Failed sign-ins, counted per email address over a window to slow down password guessing."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def normalise_email(email: str) -> str:
    # A NUL can be in no address, and PostgreSQL text refuses it: drop it so a look-up simply misses.
    return email.replace("\x00", "").strip().lower()


def password_problems(password: str) -> list[str]:
    """Why a new password is not acceptable (empty when it is)."""
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"Password must be {PASSWORD_MIN_LENGTH} characters or more")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"Password must be {PASSWORD_MAX_LENGTH} characters or fewer")
    if password and len(set(password)) < 5:
        problems.append("Password must not repeat the same few characters")
    return problems


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user(email: str) -> User | None:
    return db.session().scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Constant work whether or not they exist."""
    user = find_user(email) if len(email) <= 254 else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password[:PASSWORD_MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and user.active else None


def recent_failures(email: str, window: timedelta) -> int:
    since = utcnow() - window
    return db.session().scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.email == normalise_email(email)[:254], SignInAttempt.at >= since)
    )


def record_failure(email: str) -> None:
    db.session().add(SignInAttempt(email=normalise_email(email)[:254]))


def create_user(
    email: str, password: str, role: str, *, name: str = "", school_urn: str | None = None
) -> User:
    user = User(
        email=normalise_email(email),
        name=name,
        role=Role(role).value,
        school_urn=school_urn,
        password_hash=hash_password(password),
    )
    db.session().add(user)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, ttl: timedelta) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + ttl)
    db.session().add(record)
    return token, record


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    row = (
        db.session()
        .execute(
            select(User, ApiToken)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == _token_hash(token))
        )
        .first()
    )
    if row is None:
        return None
    user, record = row
    if record.revoked_at is not None or record.expires_at <= utcnow() or not user.active:
        return None
    return user


def revoke_token(token: str) -> bool:
    record = db.session().scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if record is None or record.revoked_at is not None:
        return False
    record.revoked_at = utcnow()
    return True
