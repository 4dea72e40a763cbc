"""The licensing service's tables, one module per aggregate; importing this package registers them all."""

from licensing_service.models import decisions, licences, links, oversight, productions  # noqa: F401
