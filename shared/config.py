"""Settings read from the environment, with the defaults SPEC.md gives.

Each service subclasses :class:`BaseConfig`; ``load_config`` fills every upper-case attribute from
the environment variable of the same name, converted to the type of its default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))


class BaseConfig:
    SERVICE_NAME = ""
    DATABASE_URL = ""
    SECRET_KEY = ""
    TIMEZONE = "Europe/London"
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    TOKEN_TTL_HOURS = 12
    SIGN_IN_MAX_FAILURES = 5
    SIGN_IN_WINDOW_MINUTES = 15
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # Notifications: GOV.UK Notify when a key is set, else SMTP when a host is set, else the outbox.
    NOTIFY_API_KEY = ""
    NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    NOTIFY_EMAIL_TEMPLATE_ID = ""
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = True
    MAIL_FROM = "family.service@nottscc.gov.uk"
    NOTIFY_MAX_ATTEMPTS = 10
    # Where links in emails and documents point.
    PUBLIC_BASE_URL = ""
    # Retention (shared/retention.py): emails in the outbox, failed sign-ins and expired API tokens are
    # deleted this many days after they were sent, made or expired.
    RETENTION_OUTBOX_DAYS = 90
    RETENTION_SIGN_IN_ATTEMPT_DAYS = 30
    RETENTION_API_TOKEN_DAYS = 30
    PORT = 5000


def _convert(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def _instance_secret(service: str) -> str:
    """A per-install secret kept in the instance folder, for development runs without SECRET_KEY."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / f"{service}.secret"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(config_class: type[BaseConfig], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    settings = {k: getattr(config_class, k) for k in dir(config_class) if k.isupper()}
    for key, default in settings.items():
        if key in os.environ:
            settings[key] = _convert(os.environ[key], default)
    settings.update(overrides or {})
    service = settings["SERVICE_NAME"]
    if not settings["DATABASE_URL"]:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        settings["DATABASE_URL"] = f"sqlite:///{INSTANCE_DIR / (service + '.sqlite3')}"
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret(service)
    if not settings["PUBLIC_BASE_URL"]:
        settings["PUBLIC_BASE_URL"] = f"http://localhost:{settings['PORT']}"
    return settings
