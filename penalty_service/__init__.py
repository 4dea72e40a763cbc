"""Education penalty notices: schools request, officers issue, payments are monitored, unpaid go to court."""

from __future__ import annotations

from typing import Any

from flask import Flask

from penalty_service import (
    jobs,
    models,  # noqa: F401 - the service's tables
    seed,
)
from penalty_service.api import calendar as calendar_api
from penalty_service.api import penalty_notices, penalty_requests, queue, schools
from penalty_service.config import Config
from penalty_service.web import officer_pages, pages
from shared.app import create_service_app

DESCRIPTION = (
    "Nottinghamshire County Council's education penalty notice service (Education Act 1996 s444A): "
    "requests from schools, notices, payments and prosecution hand-off."
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = create_service_app(
        __name__,
        Config,
        config,
        description=DESCRIPTION,
        api_blueprints=[calendar_api.blp, schools.blp, penalty_requests.blp, penalty_notices.blp, queue.blp],
        page_blueprints=[pages.blp, officer_pages.blp],
        jobs=jobs.JOBS,
    )
    app.config["SERVICE_NAV"] = pages.NAVIGATION
    seed.register(app)
    return app
