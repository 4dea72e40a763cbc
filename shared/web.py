"""The GOV.UK web layer both services share: templates, assets, security headers, sign in and out.

Each service's pages live on a blueprint named ``pages`` whose ``/`` view is ``start``: the shared
templates link to ``pages.start``.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from shared import audit, auth, db, formatting, users
from shared.config import PROJECT_ROOT

SHARED_TEMPLATES = Path(__file__).parent / "templates"
SHARED_STATIC = Path(__file__).parent / "static"
GOVUK_DIST = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SWAGGER_UI_DIST = PROJECT_ROOT / "node_modules" / "swagger-ui-dist"

csrf = CSRFProtect()
pages = Blueprint("auth_pages", __name__)


def _csp(nonce: str, inline_styles: bool = False) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            # Swagger UI (the API docs page) sets style attributes; no other page may.
            "style-src 'self' 'unsafe-inline'" if inline_styles else "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _security_headers(response):
    csp = _csp(g.get("csp_nonce", "none"), inline_styles=request.path.startswith("/api/docs"))
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if session.get(auth.SESSION_USER_KEY) or request.path.startswith("/api/v1"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _set_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


def _template_globals() -> dict:
    return {
        "cspNonce": g.get("csp_nonce"),
        "current_user": g.get("current_user") or (auth.page_user() if request else None),
        "service_title": current_app.config["SERVICE_TITLE"],
        "service_nav": current_app.config.get("SERVICE_NAV", []),
    }


def isodate(value: str, fmt: str) -> str:
    """An ISO date string, as stored in JSON, in a format people read."""
    try:
        return date.fromisoformat(value).strftime(fmt)
    except (TypeError, ValueError):
        return value


def assets(filename: str):
    """GOV.UK Frontend's CSS, JS, fonts and images, and this project's own small scripts."""
    for folder in (GOVUK_DIST / "assets", GOVUK_DIST, SHARED_STATIC):
        if (folder / filename).is_file():
            return send_from_directory(folder, filename, max_age=3600)
    if filename.startswith("swagger-ui/"):
        return send_from_directory(SWAGGER_UI_DIST, filename.removeprefix("swagger-ui/"), max_age=3600)
    abort(404)


def init_app(app: Flask) -> None:
    app.jinja_options = {**app.jinja_options, "trim_blocks": True, "lstrip_blocks": True}
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(Path(app.root_path) / "templates"),
            FileSystemLoader(SHARED_TEMPLATES),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    csrf.init_app(app)
    WTFormsHelpers(app)
    app.before_request(_set_nonce)
    app.after_request(_security_headers)
    app.context_processor(_template_globals)
    app.add_template_filter(isodate)
    app.jinja_env.globals.update(
        long_date=formatting.long_date, short_date=formatting.short_date, money=formatting.money
    )
    app.add_url_rule("/assets/<path:filename>", "assets", assets)
    app.add_url_rule("/favicon.ico", "favicon", lambda: assets("images/favicon.ico"))
    app.register_blueprint(pages)


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    # Browsers read "/\\host" as "//host", so a backslash anywhere is refused too.
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=users.PASSWORD_MAX_LENGTH)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


@pages.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        email = form.email.data
        if auth.sign_in_blocked(email):
            error = "Too many failed sign-ins for this email address. Try again later."
        else:
            user = users.authenticate(email, form.password.data)
            if user is None:
                with db.transaction():
                    users.record_failure(email)
                error = "Enter a correct email address and password"
            else:
                session.clear()
                session.permanent = True
                session[auth.SESSION_USER_KEY] = user.id
                with db.transaction():
                    audit.record("user.signed_in", "user", user.id, actor=f"{user.role}:{user.id}")
                return redirect(safe_next(request.args.get("next"), url_for("pages.start")))
    status = 200 if not (form.errors or error) else 400
    return render_template("sign_in.html", form=form, error=error), status


@pages.route("/sign-out", methods=["POST"])
def sign_out():
    user = auth.page_user()
    session.clear()
    if user is not None:
        with db.transaction():
            audit.record("user.signed_out", "user", user.id, actor=f"{user.role}:{user.id}")
    flash("You have signed out")
    return redirect(url_for("pages.start"))
