"""The parent's or carer's part of a performance licence application, completed from an emailed link:
a declaration, any medical information and a photo of the child. Parents have no account; the link is
the authority, it serves this purpose only, and works once."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from licensing_service.models.licences import LicenceStatus, ParentPart, ParentPartState, PerformanceLicence
from licensing_service.models.links import EmailLink, LinkPurpose
from licensing_service.services import licences, links
from shared import audit, auth, calendar, db, notify, problems
from shared.formatting import long_date

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Enough to recognise the child on a printed licence (about 25 mm at 300 dpi).
MIN_PHOTO_PIXELS = 300
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (they carry the size); C4, C8 and CC are other segments.
JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


@dataclass(frozen=True)
class Photo:
    content_type: str
    width: int
    height: int


def _png_size(content: bytes) -> tuple[int, int] | None:
    if len(content) < 24 or content[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", content[16:24])


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    i, n = 2, len(content)
    while i + 4 <= n:
        if content[i] != 0xFF:
            return None
        marker = content[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01,) or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or image data before any frame header
            return None
        (length,) = struct.unpack(">H", content[i + 2 : i + 4])
        if length < 2:
            return None
        if marker in JPEG_SOF:
            if i + 9 > n:
                return None
            height, width = struct.unpack(">HH", content[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def check_photo(content: bytes) -> Photo:
    """A JPEG or PNG (by its first bytes, whatever it is called), at most 5 MB, at least 300 × 300
    pixels; otherwise 422 naming ``photo``. Only the headers are read: the image is never decoded."""
    if not content:
        raise problems.invalid("photo", "Upload a photo of the child")
    if len(content) > MAX_PHOTO_BYTES:
        raise problems.invalid("photo", "The photo must be smaller than 5 MB")
    if content.startswith(PNG_MAGIC):
        content_type, size = "image/png", _png_size(content)
    elif content.startswith(JPEG_MAGIC):
        content_type, size = "image/jpeg", _jpeg_size(content)
    else:
        raise problems.invalid("photo", "The photo must be a JPG or PNG")
    if size is None:
        raise problems.invalid("photo", "The photo could not be read: upload a JPG or PNG")
    width, height = size
    if min(width, height) < MIN_PHOTO_PIXELS:
        raise problems.invalid(
            "photo",
            f"The photo must be at least {MIN_PHOTO_PIXELS} × {MIN_PHOTO_PIXELS} pixels "
            f"(this one is {width} × {height})",
        )
    return Photo(content_type, width, height)


def _open_licence(link: EmailLink, *, for_update: bool = False) -> PerformanceLicence:
    licence = auth.visible_or_404(licences.get(link.object_id, for_update=for_update))
    if licence.status != LicenceStatus.SUBMITTED:
        raise problems.Problem(
            409,
            f"The application is {licence.status}: nothing more is needed from you",
            extra={"current_status": licence.status},
        )
    return licence


def summary(licence: PerformanceLicence, link: EmailLink) -> dict[str, Any]:
    """What the parent is asked to confirm: who, what, when — nothing about other children."""
    production = licence.production
    return {
        "reference": licence.reference,
        "child": {
            "first_name": licence.child_first_name,
            "last_name": licence.child_last_name,
            "date_of_birth": licence.child_date_of_birth,
        },
        "parent_name": licence.parent_name,
        "production": {
            "name": production.name,
            "type": production.type,
            "producer": production.producer_organisation or production.producer_name,
        },
        "first_day": licence.first_day,
        "last_day": licence.last_day,
        "days": licence.days or [],
        "expires_at": link.expires_at,
        "photo_max_bytes": MAX_PHOTO_BYTES,
        "photo_min_pixels": MIN_PHOTO_PIXELS,
    }


def view(token: str) -> dict[str, Any]:
    link = links.find(token, LinkPurpose.PARENT_PART)
    return summary(_open_licence(link), link)


def complete(token: str, data: dict[str, Any], photo_content: bytes) -> PerformanceLicence:
    with db.transaction():
        link = links.find(token, LinkPurpose.PARENT_PART, for_update=True)
        licence = _open_licence(link, for_update=True)
        if licence.parent_part is not None:
            raise problems.Problem(409, "The parent's part is already complete")
        photo = check_photo(photo_content)
        links.use(link)
        licence.parent_part = ParentPart(
            declaration=True,
            medical_declaration=data.get("medical_declaration") or "",
            photo=photo_content,
            photo_content_type=photo.content_type,
            photo_size=len(photo_content),
            photo_width=photo.width,
            photo_height=photo.height,
        )
        before = licence.parent_part_state
        licence.parent_part_state = ParentPartState.COMPLETED.value
        links.revoke(licences.OBJECT_TYPE, licence.id, LinkPurpose.PARENT_PART)
        audit.record(
            "performance_licence.parent_part_completed",
            licences.OBJECT_TYPE,
            licence.id,
            before={"parent_part_state": before},
            after={
                "parent_part_state": licence.parent_part_state,
                "photo": {"type": photo.content_type, "size": len(photo_content)},
                "medical_declaration_given": bool(licence.parent_part.medical_declaration),
            },
            actor=f"parent_link:{link.id}",
        )
        production = licence.production
        notify.enqueue(
            production.producer_email,
            f"Parent's part complete: {licence.reference}, {licence.child_name}",
            f"Dear {production.producer_name},\n\n{licence.parent_name} has completed the parent's part of "
            f"the application for {licence.child_name} in {production.name} ({licence.reference}).\n\n"
            "Nottinghamshire County Council",
            object_type=licences.OBJECT_TYPE,
            object_id=licence.id,
        )
        notify.enqueue(
            licence.parent_email,
            f"We have received your part of {licence.child_first_name}'s licence application",
            f"Dear {licence.parent_name},\n\nThank you. We received your part of the application "
            f"({licence.reference}) on {long_date(calendar.today())}. We will email you and the "
            "producer when we have decided.\n\nNottinghamshire County Council",
            object_type=licences.OBJECT_TYPE,
            object_id=licence.id,
        )
    return licence


def photo_of(licence_id: int, user) -> ParentPart:
    """The parent's part with its photo, for staff deciding the application."""
    licence = licences.get_visible(licence_id, user)
    return auth.visible_or_404(licence.parent_part)
