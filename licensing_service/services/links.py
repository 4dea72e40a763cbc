"""Single-purpose links emailed to people without an account: a parent completing their part of an
application, a school giving its opinion.

The token is random and only its SHA-256 is stored, so a copy of the database opens nothing. A link
serves one purpose for one record; it stops working when it expires, when it is used, or when a newer
link for the same purpose and record replaces it.

Answers for a token that is not right: unknown (or for another purpose) is 404, as if it never existed;
once valid but expired, used or revoked is 410 Gone, so the page can tell the person to ask for a new
link rather than suggest they mistyped it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from licensing_service.models.links import EmailLink, LinkPurpose
from shared import db, problems
from shared.db import utcnow

MAX_TOKEN_LENGTH = 200
# Where each purpose's link lands: the public web page for it (the API has the same path under /api/v1).
PATHS = {
    LinkPurpose.PARENT_PART: "/parent-part/{token}",
    LinkPurpose.SCHOOL_OPINION: "/school-opinion/{token}",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def url(purpose: LinkPurpose, token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + PATHS[purpose].format(token=token)


def issue(
    purpose: LinkPurpose, object_type: str, object_id: int, sent_to: str, valid_days: int
) -> tuple[str, EmailLink]:
    """A new link (in the current transaction); earlier unused links for the same purpose and record stop
    working, so only the newest email works."""
    now = utcnow()
    revoke(object_type, object_id, purpose, now=now)
    token = secrets.token_urlsafe(32)
    link = EmailLink(
        token_hash=token_hash(token),
        purpose=purpose.value,
        object_type=object_type,
        object_id=object_id,
        sent_to=sent_to,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    db.session().add(link)
    return token, link


def revoke(object_type: str, object_id: int, purpose: LinkPurpose | None = None, *, now=None) -> int:
    """Stop every unused link for a record (for one purpose, or all)."""
    query = update(EmailLink).where(
        EmailLink.object_type == object_type,
        EmailLink.object_id == object_id,
        EmailLink.used_at.is_(None),
        EmailLink.revoked_at.is_(None),
    )
    if purpose is not None:
        query = query.where(EmailLink.purpose == purpose.value)
    result = db.session().execute(query.values(revoked_at=now or utcnow()))
    return result.rowcount or 0


def state(link: EmailLink, now: datetime | None = None) -> str:
    now = now or utcnow()
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "valid"


GONE = {
    "used": "This link has already been used. Links work once.",
    "revoked": "This link no longer works: a newer link was sent, or the application was withdrawn.",
    "expired": "This link has expired. Ask for a new one.",
}


def find(token: str, purpose: LinkPurpose, *, for_update: bool = False) -> EmailLink:
    """The valid link for ``token``: 404 if there is none for this purpose, 410 if it no longer works."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise problems.Problem(404, "Not found")
    query = select(EmailLink).where(
        EmailLink.token_hash == token_hash(token), EmailLink.purpose == purpose.value
    )
    if for_update:
        query = query.with_for_update()
    link = db.session().scalar(query)
    if link is None:
        raise problems.Problem(404, "Not found")
    link_state = state(link)
    if link_state != "valid":
        raise problems.Problem(410, GONE[link_state], extra={"link_state": link_state})
    return link


def use(link: EmailLink) -> None:
    """Mark the link used, in the current transaction; 410 if another request used it first."""
    now = utcnow()
    result = db.session().execute(
        update(EmailLink)
        .where(
            EmailLink.id == link.id,
            EmailLink.used_at.is_(None),
            EmailLink.revoked_at.is_(None),
            EmailLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise problems.Problem(410, GONE["used"], extra={"link_state": "used"})
    link.used_at = now
