"""Education penalty notices: schools request, officers issue, payments are monitored, unpaid go to court."""

from __future__ import annotations

from typing import Any

from flask import Flask

from penalty_service import cli, enforcement_models, jobs, models, retention, seed  # noqa: F401 - models: the tables
from penalty_service.api import calendar as calendar_api
from penalty_service.api import documents as documents_api
from penalty_service.api import (
    enforcement_letters,
    legacy_notices,
    payments,
    penalty_notices,
    penalty_requests,
    prosecutions,
    queue,
    school_notices,
    schools,
    withdrawals,
)
from penalty_service.config import Config
from penalty_service.web import officer_actions, officer_pages, pages, school_pages
from shared import retention_cli
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
        api_blueprints=[
            calendar_api.blp,
            schools.blp,
            penalty_requests.blp,
            penalty_notices.blp,
            queue.blp,
            documents_api.blp,
            prosecutions.blp,
            enforcement_letters.blp,
            payments.blp,
            withdrawals.blp,
            legacy_notices.blp,
            school_notices.blp,
        ],
        page_blueprints=[pages.blp, officer_pages.blp, school_pages.blp, officer_actions.blp],
        jobs=jobs.JOBS,
    )
    app.config["SERVICE_NAV"] = pages.NAVIGATION
    seed.register(app)
    cli.register(app)
    retention_cli.register(app, retention.POLICIES)
    return app
