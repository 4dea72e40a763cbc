"""API conventions: a flask-smorest ``Api`` that answers in problem+json, and list pagination."""

from __future__ import annotations

import http
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Flask
from flask_smorest.utils import prepare_response
from sqlalchemy import Select, func, select

from shared import db, problems
from shared.schemas import BaseSchema

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class ProblemSchema(ma.Schema):
    class Meta:
        # Some problems carry more members (a CSV import's ``missing`` columns, a decision's ``outstanding``).
        unknown = ma.INCLUDE

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()))


class Api(flask_smorest.Api):
    """flask-smorest's Api with one error handler for the whole app (problem+json, Allow kept)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        problems.register(self._app)

    def _register_responses(self) -> None:
        # flask-smorest documents its error responses as application/json; ours are problem+json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not 100 <= status < 200 and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.PROBLEM_MIME)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def configure(app: Flask, title: str, description: str) -> Api:
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/assets/swagger-ui/",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        },
    )
    api = Api(app)
    return api


class PageArgs(BaseSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    page_size = ma.fields.Integer(load_default=25, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE))


# Lists are for finding work, not for reading a million records: a page must start within the first
# MAX_ROWS_PAGED records (filters narrow the rest), and the total is counted up to that many, with
# ``total_capped`` when there are more, so no list counts or skips past a million rows.
MAX_ROWS_PAGED = 10_000


def page_of(query: Select, page: int, page_size: int, *, count: bool = True) -> dict[str, Any]:
    """One page of ``query`` with the total (at most :data:`MAX_ROWS_PAGED`), for list endpoints; 422 for
    a page that starts past that many records."""
    offset = (page - 1) * page_size
    if offset >= MAX_ROWS_PAGED:
        message = f"Only the first {MAX_ROWS_PAGED:,} records can be paged through: use the filters"
        raise problems.invalid("page", message)
    session = db.session()
    items = session.scalars(query.limit(page_size).offset(offset)).all()
    result: dict[str, Any] = {"items": items, "page": page, "page_size": page_size}
    if count:
        bounded = query.order_by(None).limit(MAX_ROWS_PAGED + 1).subquery()
        counted = session.scalar(select(func.count()).select_from(bounded))
        result["total"] = min(counted, MAX_ROWS_PAGED)
        result["total_capped"] = counted > MAX_ROWS_PAGED
    return result
