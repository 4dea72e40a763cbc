"""Bounded pagination (shared/api.py): a list counts up to ``MAX_ROWS_PAGED`` records and says when
there are more; a page that starts past them is a 422 naming ``page``, so no request counts or skips a
million rows."""

from __future__ import annotations

import pytest

from shared import api
from tests.penalty.builders import PenaltyWorld


def record_payments(world: PenaltyWorld, n: int) -> None:
    for i in range(n):
        body = {
            "notice_number": f"PN-NOWHERE-{i}",
            "amount_pence": 8000,
            "paid_on": "2026-02-02",
            "reference": f"BANK-PAGE-{i}",
            "method": "card",
        }
        assert world.post("/api/v1/payments", body, world.officer).status_code == 201


@pytest.fixture
def world(penalty_app, monkeypatch) -> PenaltyWorld:
    monkeypatch.setattr(api, "MAX_ROWS_PAGED", 5)
    return PenaltyWorld(penalty_app)


def test_a_short_list_has_its_exact_total(world):
    record_payments(world, 4)
    body = world.get("/api/v1/payments?page_size=2", world.officer).get_json()
    assert (len(body["items"]), body["total"], body["total_capped"]) == (2, 4, False)


def test_a_long_list_is_counted_up_to_the_bound_and_paged_only_within_it(world):
    record_payments(world, 7)
    first = world.get("/api/v1/payments?page_size=2", world.officer).get_json()
    assert (first["total"], first["total_capped"]) == (5, True)
    last = world.get("/api/v1/payments?page_size=2&page=3", world.officer).get_json()  # starts at record 5
    assert len(last["items"]) == 2
    beyond = world.get("/api/v1/payments?page_size=2&page=4", world.officer)
    assert beyond.status_code == 422 and beyond.mimetype == "application/problem+json"
    assert beyond.get_json()["errors"] == {
        "page": ["Only the first 5 records can be paged through: use the filters"]
    }
