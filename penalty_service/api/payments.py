"""``/api/v1/payments``: money received for notices, recorded once per reference; bank files imported."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from penalty_service.services import payments
from shared import api, auth, problems
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES

blp = Blueprint("payments", __name__, url_prefix="/api/v1/payments", description="Payments")
ID = "<int(max=2147483647):payment_id>"

CSV_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        "text/csv": {"schema": {"type": "string"}},
    },
}


def _strip_strings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    return data


class PaymentInSchema(BaseSchema):
    notice_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    amount_pence = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=payments.MAX_AMOUNT_PENCE)
    )
    paid_on = fields.Date(required=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=80))
    method = fields.String(required=True, validate=validate.Length(min=1, max=30))

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        return _strip_strings(data)


class MatchSchema(BaseSchema):
    notice_number = fields.String(required=True, validate=validate.Length(min=1, max=40))

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        return _strip_strings(data)


class PaymentListArgs(BaseSchema):
    status = fields.String(validate=validate.OneOf(payments.STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=api.MAX_PAGE))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=api.MAX_PAGE_SIZE))


class PaymentSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    notice_number = fields.String(
        metadata={"description": "The notice it is applied to, else the number given"}
    )
    notice_number_given = fields.String()
    notice_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "applied, suspense or refund_due"})
    amount_pence = fields.Integer()
    paid_on = fields.Date()
    method = fields.String()
    received_at = fields.DateTime()


class PositionSchema(BaseSchema):
    id = fields.Integer()
    notice_number = fields.String()
    status = fields.String()
    paid_on = fields.Date(allow_none=True)
    final_payment_day = fields.Date(allow_none=True)
    amount_due_pence = fields.Integer(allow_none=True)
    balance_pence = fields.Integer()
    paid_pence = fields.Integer()
    refund_due_pence = fields.Integer()


class PaymentResultSchema(PaymentSchema):
    duplicate = fields.Boolean(metadata={"description": "True when the reference was already recorded"})
    notice = fields.Nested(PositionSchema, allow_none=True)


class PaymentPageSchema(BaseSchema):
    items = fields.List(fields.Nested(PaymentSchema))
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer()
    total_capped = fields.Boolean()


class ImportResultSchema(BaseSchema):
    rows = fields.Integer()
    matched = fields.Integer()
    unmatched = fields.Integer()
    duplicates = fields.Integer()
    refund_due = fields.Integer()
    notices_paid = fields.Integer()


def uploaded_csv() -> bytes:
    """The CSV file sent as multipart form field ``file`` or as a ``text/csv`` body."""
    request.max_content_length = payments.MAX_IMPORT_BYTES
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise problems.invalid("file", "Choose a CSV file to upload (form field 'file')")
        return upload.read()
    if request.mimetype in ("text/csv", "application/csv", "text/plain"):
        return request.get_data()
    raise problems.Problem(415, "Send the file as multipart/form-data (field 'file') or as a text/csv body")


@blp.route("")
class Payments(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(PaymentInSchema)
    @blp.response(201, PaymentResultSchema)
    @blp.alt_response(200, schema=PaymentResultSchema, description="The reference was already recorded")
    def post(self, data):
        """Record a payment; a reference already recorded returns that payment (200) and changes nothing."""
        recorded = payments.record(data, auth.current_user())
        return payments.presented(recorded.payment, not recorded.created), 201 if recorded.created else 200

    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(PaymentListArgs, location="query")
    @blp.response(200, PaymentPageSchema)
    def get(self, args):
        """Payments, newest first; ``status=suspense`` lists those waiting to be matched."""
        page = api.page_of(payments.list_query(args.get("status")), args["page"], args["page_size"])
        page["items"] = payments.with_notice_numbers(list(page["items"]))
        return page


@blp.route(f"/{ID}")
class PaymentDetail(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, PaymentResultSchema)
    def get(self, payment_id):
        """One payment with the position of the notice it is applied to."""
        return payments.presented(payments.get(payment_id), False)


@blp.route(f"/{ID}/match")
class PaymentMatch(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(MatchSchema)
    @blp.response(200, PaymentResultSchema)
    def post(self, data, payment_id):
        """Match a payment in suspense to a notice (409 if it is not in suspense)."""
        return payments.presented(
            payments.match(payment_id, data["notice_number"], auth.current_user()), False
        )


@blp.route("/import")
class PaymentImport(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.doc(requestBody=CSV_BODY)
    @blp.response(200, ImportResultSchema)
    def post(self):
        """Import a bank file (CSV: notice_number, amount_pence or amount, paid_on, reference, method).

        All or nothing: any bad row is a 422 listing up to 20 row errors. A reference already recorded
        (or repeated in the file) counts as a duplicate, so importing the same file twice adds nothing.
        """
        return payments.import_csv(uploaded_csv(), auth.current_user()).as_dict()
