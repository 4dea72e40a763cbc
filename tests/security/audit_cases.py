"""What an audit completeness scenario is: one state-changing API rule, the records it needs, one request
that succeeds and the audit event it must write, and one request that must be refused and change nothing.

Scenarios register themselves by rule (``"POST /api/v1/productions/{production_id}/children"``, the
rule as Flask holds it with each converter written as ``{name}``), so the completeness test can compare
the registry with the apps' URL maps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

Send = Callable[[], TestResponse]


@dataclass(frozen=True)
class Case:
    """``send`` makes the one successful request; the audit log must then hold ``action`` on
    ``object_type`` ``object_id`` (or what ``object_id`` finds in the response body) by ``actor``
    (``"officer:3"``; a label ending in ``:`` such as ``"parent_link:"`` stands for any link's id).
    ``refuse`` makes a request that must fail (after ``before_refusal``, which may change things)."""

    send: Send
    action: str
    object_type: str
    object_id: object
    actor: str
    refuse: Send
    before_refusal: Callable[[], Any] | None = None

    def expected_id(self, body: Any) -> str:
        return str(self.object_id(body) if callable(self.object_id) else self.object_id)


@dataclass(frozen=True)
class Scenario:
    service: str
    rule: str
    now: str  # the moment the whole scenario runs at (its records are on real calendar dates)
    world: Callable[[Flask], Any]
    performs: Callable  # the service function that makes the change (pages that share it are covered)
    build: Callable[[Any], Case]


_CONVERTER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")
SCENARIOS: dict[tuple[str, str], Scenario] = {}


def rule_text(method: str, rule: str) -> str:
    """``POST /a/<int(max=9):b_id>`` as ``POST /a/{b_id}``."""
    return method + " " + _CONVERTER.sub(r"{\1}", rule)


def scenario(service: str, rule: str, *, now: str, world: Callable[[Flask], Any], performs: Callable):
    def register(build: Callable[[Any], Case]) -> Callable[[Any], Case]:
        key = (service, rule)
        assert key not in SCENARIOS, f"two scenarios for {key}"
        SCENARIOS[key] = Scenario(service, rule, now, world, performs, build)
        return build

    return register
