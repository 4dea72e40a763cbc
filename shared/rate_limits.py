"""Rate limits on the public forms and checks (SPEC §9), with Flask-Limiter, keyed by the client address.

A view takes its limit from a setting, read on each request, so a deployment (or a test) sets its own::

    @rate_limits.limit("VERIFY_RATE_LIMIT")
    def get(self, args): ...

The setting holds Flask-Limiter's syntax, several limits separated by ";" ("30 per minute;500 per day").
Past the limit the API answers 429 in problem+json and the pages show a GOV.UK "Too many requests" page
(both through :mod:`shared.problems`), with ``Retry-After``.

Counts are kept where ``RATELIMIT_STORAGE_URI`` says (environment variable or app setting). The default,
``memory://``, counts in each process: right for one process and for tests, but with several gunicorn
workers each worker counts alone, so production with more than one worker uses a shared store such as
Redis (``redis://host:6379/0``; install the ``redis`` package). The address is the one the WSGI server
sees: behind a reverse proxy, the proxy must pass the client's address on (werkzeug's ``ProxyFix``), or
every client would share the proxy's limit.

Each app keeps its own store in ``app.extensions``, so apps built one after another (as tests do) never
count each other's requests, even though the limiter object, which the views' decorators refer to, is one.
Likewise ``RATELIMIT_ENABLED`` is read from the current app, so one app built with limits off never turns
them off for the apps built after it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage, storage_from_string
from limits.strategies import STRATEGIES, RateLimiter

EXTENSION = "rate_limit_store"
DEFAULT_STORAGE_URI = "memory://"
MESSAGE = "You have sent too many requests in a short time. Wait a few minutes, then try again."


class _PerAppLimiter(Limiter):
    """Flask-Limiter's limiter, counting in the current app's own store."""

    @property
    def enabled(self) -> bool:
        if has_app_context():
            return bool(current_app.config.get("RATELIMIT_ENABLED", True))
        return True

    @enabled.setter
    def enabled(self, value: bool) -> None:
        """Ignored: Flask-Limiter sets one flag for every app; each app's own setting is read instead."""

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("RATELIMIT_ENABLED", True)
        super().init_app(app)
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        strategy = app.config.get("RATELIMIT_STRATEGY", "fixed-window")
        app.extensions[EXTENSION] = (storage, STRATEGIES[strategy](storage))

    @property
    def storage(self) -> Storage:
        if has_app_context() and EXTENSION in current_app.extensions:
            return current_app.extensions[EXTENSION][0]
        return super().storage

    @property
    def limiter(self) -> RateLimiter:
        if has_app_context() and EXTENSION in current_app.extensions:
            return current_app.extensions[EXTENSION][1]
        return super().limiter


limiter = _PerAppLimiter(key_func=get_remote_address, headers_enabled=True)


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("RATELIMIT_STORAGE_URI") or DEFAULT_STORAGE_URI
    )
    limiter.init_app(app)


def limit(setting: str, methods: list[str] | None = None) -> Callable:
    """Limit a view, per client address, to the rate in the setting ``setting`` (only ``methods``, if
    given: a form page limits its POST, not showing the empty form)."""
    return limiter.limit(lambda: current_app.config[setting], methods=methods, error_message=MESSAGE)


def reset(app: Flask) -> None:
    """Forget every count of ``app`` (for tests and the CLI)."""
    app.extensions[EXTENSION][0].reset()
