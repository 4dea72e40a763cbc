"""The producers' blueprint, the roles and addresses its pages share, and what every page's template sees."""

from __future__ import annotations

from flask import Blueprint

from licensing_service.web.producer_pages.display import (
    DAY_KINDS,
    LICENCE_STATUSES,
    PRODUCTION_TYPES,
    address_html,
    parent_part_label,
    progress,
)
from shared.users import STAFF_ROLES, Role

blp = Blueprint("producer", __name__)

PRODUCERS = (Role.APPLICANT,)
OWNER_AND_STAFF = (Role.APPLICANT, *STAFF_ROLES)
PRODUCTION_ID = "<int(max=2147483647):production_id>"
LICENCE_ID = "<int(max=2147483647):licence_id>"


@blp.record_once
def _template_globals(state) -> None:
    # Globals rather than a context processor: the shared macros (producer/_macros.html) see them too.
    state.app.jinja_env.globals.update(
        licence_statuses=LICENCE_STATUSES,
        production_types=PRODUCTION_TYPES,
        day_kinds=DAY_KINDS,
        parent_part_label=parent_part_label,
        address_html=address_html,
        progress=progress,
    )
