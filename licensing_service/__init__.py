"""Child performance licences, chaperone approvals, child employment permits, inspections and concerns."""

from __future__ import annotations

from typing import Any

from flask import Flask

from licensing_service import jobs, seed
from licensing_service.config import Config
from licensing_service.web import pages
from shared import auth_api
from shared.app import create_service_app

DESCRIPTION = (
    "Nottinghamshire County Council's licensing of children in performances and employment "
    "(Children and Young Persons Acts 1933 and 1963): licences, chaperones, permits, inspections, concerns."
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = create_service_app(
        __name__,
        Config,
        config,
        description=DESCRIPTION,
        api_blueprints=[auth_api.registration_blp],
        page_blueprints=[pages.blp],
        jobs=jobs.JOBS,
    )
    app.config["SERVICE_NAV"] = pages.NAVIGATION
    seed.register(app)
    return app
