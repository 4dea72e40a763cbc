"""The licensing service's tables, one module per aggregate; importing this package registers them all."""

from licensing_service.models import (  # noqa: F401
    chaperones,
    concerns,
    decisions,
    employment,
    licences,
    links,
    oversight,
    productions,
)
