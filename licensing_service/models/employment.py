"""Child employment permits (SPEC §4.3): applications, permits and their weekly hours."""

from __future__ import annotations
