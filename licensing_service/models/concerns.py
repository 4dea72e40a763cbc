"""Concerns about a child working or performing without a licence (SPEC §4.5), and the actions taken."""

from __future__ import annotations
