"""``/api/v1/legacy-notices``: notices from the previous system, so the 3-year limit holds from day one."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from penalty_service.api.payments import CSV_BODY, uploaded_csv
from penalty_service.schemas import UPN, URN, NoticeSchema
from penalty_service.services import legacy
from shared import auth
from shared.schemas import BaseSchema
from shared.users import STAFF_ROLES

blp = Blueprint(
    "legacy_notices",
    __name__,
    url_prefix="/api/v1/legacy-notices",
    description="Notices from the previous system",
)


class LegacyNoticeInSchema(BaseSchema):
    pupil_upn = fields.String(required=True, validate=UPN)
    pupil_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parent_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    issued_on = fields.Date(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(legacy.OUTCOMES))
    school_urn = fields.String(load_default=None, allow_none=True, validate=URN)

    @ma.pre_load
    def _tidy(self, data, **_kwargs):
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
            if isinstance(data.get("pupil_upn"), str):
                data["pupil_upn"] = legacy.tidy_upn(data["pupil_upn"])
            if isinstance(data.get("outcome"), str):
                data["outcome"] = data["outcome"].lower()
            if data.get("school_urn") == "":
                data["school_urn"] = None
        return data


class LegacyNoticeSchema(NoticeSchema):
    legacy_outcome = fields.String()
    duplicate = fields.Boolean(metadata={"description": "True when this notice was already recorded"})


class LegacyImportResultSchema(BaseSchema):
    rows = fields.Integer()
    created = fields.Integer()
    duplicates = fields.Integer()


@blp.route("")
class LegacyNotices(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(LegacyNoticeInSchema)
    @blp.response(201, LegacyNoticeSchema)
    @blp.alt_response(200, schema=LegacyNoticeSchema, description="The same notice was already recorded")
    def post(self, data):
        """Record a notice from the previous system (the same child, parent and date again: 200, unchanged).

        A withdrawn notice is recorded as withdrawn, so it does not count towards the limit.
        """
        recorded = legacy.record(data, auth.current_user())
        recorded.notice.duplicate = not recorded.created
        return recorded.notice, 201 if recorded.created else 200


@blp.route("/import")
class LegacyImport(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.doc(requestBody=CSV_BODY)
    @blp.response(200, LegacyImportResultSchema)
    def post(self):
        """Import a CSV file (pupil_upn, pupil_name, parent_name, issued_on, outcome, school_urn optional).

        All or nothing: any bad row is a 422 listing up to 20 row errors. A notice already recorded (the
        same child, parent and issue date) is a duplicate, so importing a file twice adds nothing.
        """
        return legacy.import_csv(uploaded_csv(), auth.current_user())
