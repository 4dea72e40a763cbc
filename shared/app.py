"""The application factory both services build on."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask

from shared import (  # noqa: F401 - audit, documents and users hold models
    api,
    audit,
    auth_api,
    cli,
    db,
    documents,
    log_redaction,
    notify,
    outbox_pages,
    rate_limits,
    scheduler,
    status,
    users,
    web,
)
from shared.config import BaseConfig, load_config


def create_service_app(
    import_name: str,
    config_class: type[BaseConfig],
    overrides: dict[str, Any] | None,
    *,
    description: str,
    api_blueprints: Iterable = (),
    page_blueprints: Iterable = (),
    jobs: Iterable[scheduler.Job] = (),
) -> Flask:
    app = Flask(import_name)
    app.config.update(load_config(config_class, overrides))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log_redaction.install()

    db.init_app(app)
    web.init_app(app)
    rate_limits.init_app(app)
    smorest = api.configure(app, app.config["SERVICE_TITLE"], description)
    for blp in (auth_api.blp, *api_blueprints):
        smorest.register_blueprint(blp)
        # The API authenticates with bearer tokens, never cookies, so it needs no CSRF token.
        web.csrf.exempt(blp)
    app.register_blueprint(status.blp)
    app.register_blueprint(outbox_pages.blp)
    for blp in page_blueprints:
        app.register_blueprint(blp)

    cli.register(app)
    scheduler.register(app, list(jobs))
    return app
