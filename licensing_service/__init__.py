"""Child performance licences, chaperone approvals, child employment permits, inspections and concerns."""

from __future__ import annotations

from typing import Any

from flask import Flask

from licensing_service import jobs, models, retention, seed  # noqa: F401 - models: the tables
from licensing_service.api import bopa as bopa_api
from licensing_service.api import (
    chaperones,
    checks_public,
    concerns,
    employment_permits,
    licence_checks,
    parent_part,
    performance_licences,
    productions,
    verify,
)
from licensing_service.api import inspections as inspections_api
from licensing_service.api import licence_decisions as licence_decisions_api
from licensing_service.api import queue as queue_api
from licensing_service.config import Config
from licensing_service.web import (
    bopa_pages,
    chaperone_officer_pages,
    chaperone_pages,
    concern_officer_pages,
    concern_pages,
    employment_officer_pages,
    employment_pages,
    licence_officer_pages,
    oversight_pages,
    pages,
    parent_pages,
    producer_pages,
    requirement_pages,
    school_opinion_pages,
    verify_pages,
    work_queue_pages,
)
from shared import auth_api, retention_cli
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
        api_blueprints=[
            auth_api.registration_blp,
            bopa_api.blp,
            inspections_api.blp,
            productions.blp,
            performance_licences.blp,
            parent_part.blp,
            licence_checks.blp,
            licence_decisions_api.blp,
            queue_api.blp,
            checks_public.blp,
            chaperones.blp,
            employment_permits.blp,
            concerns.blp,
            verify.blp,
        ],
        page_blueprints=[
            pages.blp,
            oversight_pages.blp,
            requirement_pages.blp,
            bopa_pages.blp,
            producer_pages.blp,
            parent_pages.blp,
            school_opinion_pages.blp,
            licence_officer_pages.blp,
            chaperone_pages.blp,
            chaperone_officer_pages.blp,
            employment_pages.blp,
            employment_officer_pages.blp,
            concern_pages.blp,
            concern_officer_pages.blp,
            verify_pages.blp,
            work_queue_pages.blp,
        ],
        jobs=jobs.JOBS,
    )
    app.config["SERVICE_NAV"] = pages.NAVIGATION
    seed.register(app)
    retention_cli.register(app, retention.POLICIES)
    return app
