"""Documents: a Jinja template rendered to an A4, tagged PDF with WeasyPrint, kept with its record.

WeasyPrint takes about a second to import, so it is imported on first use, never at start-up.
Rendering is deterministic: the same template and context give the same bytes (fixed identifier,
no creation time), so a document can be checked against its SHA-256.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, render_template
from sqlalchemy import Index, LargeBinary, String, select
from sqlalchemy.orm import Mapped, deferred, mapped_column

from shared import db
from shared.db import Base, UTCDateTime, utcnow

PDF_MIME = "application/pdf"


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_object", "object_type", "object_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100), default=PDF_MIME)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def render_pdf(template: str, **context: Any) -> bytes:
    """Render ``templates/documents/<template>`` (HTML + CSS) to PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 - slow import, only when a document is made

    html = render_template(f"documents/{template}", **context)
    identifier = hashlib.sha256(f"{template}{html}".encode()).hexdigest()[:32].encode()
    return HTML(string=html, base_url=current_app.root_path).write_pdf(
        pdf_tags=True, pdf_identifier=identifier, custom_metadata=False
    )


def store(object_type: str, object_id: object, kind: str, filename: str, content: bytes) -> Document:
    """Add a document for a record to the current transaction."""
    document = Document(
        object_type=object_type,
        object_id=str(object_id),
        kind=kind,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    db.session().add(document)
    return document


def latest(object_type: str, object_id: object, kind: str) -> Document | None:
    return db.session().scalar(
        select(Document)
        .where(
            Document.object_type == object_type, Document.object_id == str(object_id), Document.kind == kind
        )
        .order_by(Document.id.desc())
        .limit(1)
    )


def pdf_response(document: Document, *, inline: bool = True) -> Response:
    response = current_app.response_class(document.content, mimetype=document.mime_type)
    response.headers.set("Content-Disposition", "inline" if inline else "attachment", **_filename(document))
    response.headers["Cache-Control"] = "private, no-store"
    response.set_etag(document.sha256)  # quoted, as HTTP requires of an entity tag
    return response


def _filename(document: Document) -> dict[str, str]:
    """Content-Disposition's filename, quoted; names with accents get RFC 6266's ``filename*`` too
    (a header must be Latin-1, and children's names are often not ASCII)."""
    name = document.filename
    if name.isascii():
        return {"filename": name}
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return {"filename": ascii_name, "filename*": f"UTF-8''{quote(name, safe='')}"}
