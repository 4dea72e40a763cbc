"""Files, for staff and the producer who owns the application: the child's photo, and the licence (any
version of it), the refusal letter or the revocation letter as PDFs."""

from __future__ import annotations

from flask import abort, current_app, g, request

from licensing_service.services import licence_decisions, licences, parent_part
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, OWNER_AND_STAFF, blp
from shared import auth, documents

MAX_VERSION = 10_000


@blp.get(f"/applications/{LICENCE_ID}/photo")
@auth.page_roles(*OWNER_AND_STAFF)
def photo(licence_id: int):
    part = parent_part.photo_of(licence_id, g.current_user)
    response = current_app.response_class(part.photo, mimetype=part.photo_content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.get(f"/applications/{LICENCE_ID}/documents/<any(licence, refusal, revocation):kind>.pdf")
@auth.page_roles(*OWNER_AND_STAFF)
def document(licence_id: int, kind: str):
    """The licence as it stands (or an earlier ``?version=``), or the refusal or revocation letter (404
    when there is none)."""
    licence = licences.get_visible(licence_id, g.current_user)
    if kind != "licence":
        pdf = licence_decisions.refusal_pdf if kind == "refusal" else licence_decisions.revocation_pdf
        return documents.pdf_response(pdf(licence))
    asked = request.args.get("version")
    if asked is None:
        return documents.pdf_response(licence_decisions.licence_pdf(licence))
    if not (asked.isascii() and asked.isdigit() and 1 <= int(asked) <= MAX_VERSION):
        abort(404)
    return documents.pdf_response(licence_decisions.licence_pdf(licence, int(asked)))
