"""``/api/v1/parent-part/{token}``: the parent's or carer's part of an application, from the link in
their email (no account). An unknown token is 404; a link that has expired, been used or been replaced
by a newer one is 410 Gone, with ``link_state`` saying which."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from licensing_service.schemas.licences import (
    ParentPartDoneSchema,
    ParentPartFormSchema,
    ParentPartViewSchema,
)
from licensing_service.services import parent_part
from shared import auth

TOKEN = "<string(maxlength=200):token>"


class MultipartParser(FlaskParser):
    """The ``form`` location with the uploaded files in it too: one ``multipart/form-data`` body."""

    def load_form(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class MultipartBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "form": "multipart/form-data",
    }


blp = MultipartBlueprint(
    "parent_part", __name__, url_prefix="/api/v1", description="The parent's part, from an emailed link"
)


@blp.route(f"/parent-part/{TOKEN}")
class ParentPart(MethodView):
    @auth.public
    @blp.response(200, ParentPartViewSchema)
    def get(self, token):
        """What the parent is asked to complete: the child, the production and the days."""
        return parent_part.view(token)

    @auth.public
    @blp.arguments(ParentPartFormSchema, location="form")
    @blp.response(201, ParentPartDoneSchema)
    def post(self, data, token):
        """Complete the parent's part: ``declaration`` (must be true), ``medical_declaration`` (optional)
        and ``photo`` (JPEG or PNG, at most 5 MB, at least 300 × 300 pixels). The link then stops
        working; the producer is told."""
        photo = data["photo"]
        content = photo.stream.read(parent_part.MAX_PHOTO_BYTES + 1) if hasattr(photo, "stream") else b""
        return parent_part.complete(token, data, content)
