"""Chaperone approvals (SPEC §4.2): applications, references, checks, approvals and training sessions."""

from __future__ import annotations
