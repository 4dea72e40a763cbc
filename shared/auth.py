"""Who is asking, and may they: bearer tokens for the API, the session cookie for web pages.

Every API view states the roles that may call it with :func:`api_roles` (or :func:`public`);
the declared roles are kept on the view so tests can check every endpoint against a matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, redirect, request, session, url_for
from flask_smorest import Blueprint

from shared import db, problems, users
from shared.users import Role, User

SESSION_USER_KEY = "user_id"
T = TypeVar("T")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_user() -> User | None:
    token = bearer_token()
    return users.user_for_token(token) if token else None


def page_user() -> User | None:
    user_id = session.get(SESSION_USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = db.session().get(User, user_id)
    return user if user is not None and user.active else None


def current_user() -> User | None:
    return g.get("current_user")


def _role_values(roles: tuple[str, ...]) -> frozenset[str]:
    return frozenset(Role(r).value for r in roles)


def api_roles(*roles: str) -> Callable:
    """Only a bearer token of one of ``roles`` may call this API view (401 without, 403 other role)."""
    allowed = _role_values(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            user = api_user()
            if user is None:
                raise problems.Problem(401, "Sign in: send 'Authorization: Bearer <token>'")
            if user.role not in allowed:
                raise problems.Problem(403, "Your role may not do this")
            g.current_user = user
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return Blueprint.doc(security=[{"bearer": []}])(wrapper)

    return decorator


def public(view: Callable) -> Callable:
    """Anyone may call this API view; a valid token, if sent, still identifies the caller."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        g.current_user = api_user()
        return view(*args, **kwargs)

    wrapper.allowed_roles = None  # type: ignore[attr-defined]
    return wrapper


def page_roles(*roles: str) -> Callable:
    """Only a signed-in user of one of ``roles`` may see this page; others go to sign in."""
    allowed = _role_values(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            user = page_user()
            if user is None:
                return redirect(url_for("auth_pages.sign_in", next=request.full_path))
            if user.role not in allowed:
                raise problems.Problem(403, "You cannot see this page with your account")
            g.current_user = user
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def visible_or_404(record: T | None, visible: bool = True) -> T:
    """The record if the caller may see it; otherwise 404, so another owner's record looks absent."""
    if record is None or not visible:
        raise problems.Problem(404, "Not found")
    return record


def sign_in_blocked(email: str) -> bool:
    limit = current_app.config["SIGN_IN_MAX_FAILURES"]
    window = timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"])
    return users.recent_failures(email, window) >= limit


def too_many_attempts() -> problems.Problem:
    minutes = current_app.config["SIGN_IN_WINDOW_MINUTES"]
    return problems.Problem(
        429,
        f"Too many failed sign-ins for this email address. Try again in {minutes} minutes.",
        headers={"Retry-After": str(minutes * 60)},
    )


def token_ttl() -> timedelta:
    return timedelta(hours=current_app.config["TOKEN_TTL_HOURS"])
