"""The hot paths read their tables by index.

:data:`HOT_PATH_INDEXES` names every index a hot path relies on, with the path it serves; the first test
reads each one back from the migrated database's catalogue (SQLite and PostgreSQL). The PostgreSQL
tests seed records in realistic proportions, run each hot path's service function and EXPLAIN every
statement it sends: no plan may read a large table from end to end (a Seq Scan).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bench import seed_penalty
from licensing_service.services import licensing_queue
from penalty_service.services import notices, payments, queue, requests
from shared import api, db
from shared.users import Role, User
from tests.conftest import _base_config, _factory, _fresh_url
from tests.support import seed_licensing


@dataclass(frozen=True)
class HotIndex:
    path: str  # the hot path it serves
    table: str
    name: str
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()  # PostgreSQL only: columns carried for index-only scans
    where: str | None = None  # a partial index's predicate


LATE_COPY = "source = 'school' AND late_copy IS true AND status = 'issued'"

# fmt: off
HOT_PATH_INDEXES = {
    "penalty": [
        HotIndex("queue and requests list: awaiting decision, soonest due",
                 "penalty_requests", "ix_penalty_requests_status_due", ("status", "issue_due_on", "id")),
        HotIndex("requests list: every request, soonest due",
                 "penalty_requests", "ix_penalty_requests_due", ("issue_due_on", "id")),
        HotIndex("requests list: each request's parents",
                 "request_parents", "ix_request_parents_request_id", ("request_id",)),
        HotIndex("queue: unpaid notices to review for prosecution, by lay-by date",
                 "penalty_notices", "ix_penalty_notices_status_lay_by", ("status", "lay_by", "id"),
                 include=("source",)),
        HotIndex("queue: school copies that arrived late",
                 "penalty_notices", "ix_penalty_notices_late_copies", ("copy_received_on", "id"),
                 where=LATE_COPY),
        HotIndex("queue: payments in suspense",
                 "payments", "ix_payments_status", ("status", "id")),
        HotIndex("notices list: first page, newest first",
                 "penalty_notices", "pk_penalty_notices", ("id",)),
        HotIndex("notices list: one school's notices, by status",
                 "penalty_notices", "ix_penalty_notices_school_status", ("school_id", "status", "id")),
        HotIndex("notices and requests lists: the school asked for",
                 "schools", "uq_schools_urn", ("urn",)),
        HotIndex("payments: the notice a payment quotes (record, match, bank import)",
                 "penalty_notices", "uq_penalty_notices_notice_number", ("notice_number",)),
        HotIndex("payments: a reference already held (record, bank import)",
                 "payments", "uq_payments_reference", ("reference",)),
        HotIndex("payment-monitoring: notices past their final payment day",
                 "penalty_notices", "ix_penalty_notices_status_final_day",
                 ("status", "final_payment_day", "id")),
        HotIndex("payment-monitoring and reassessment: a notice's payments",
                 "payments", "ix_payments_notice_id", ("notice_id",)),
    ],
    "licensing": [
        HotIndex("queue: performance licences to decide, soonest due",
                 "performance_licences", "ix_performance_licences_status_due",
                 ("status", "decision_due_on", "id")),
        HotIndex("queue: the checks recorded on each licence listed",
                 "licence_checks", "uq_licence_checks_licence_kind", ("licence_id", "kind")),
        HotIndex("queue: BOPA approvals to decide, soonest due",
                 "bopa_approvals", "ix_bopa_approvals_status_due", ("status", "decision_due_on", "id")),
        HotIndex("queue: chaperone approvals to decide, soonest due",
                 "chaperone_approvals", "ix_chaperone_approvals_status_due",
                 ("status", "decision_due_on", "id")),
        HotIndex("queue: each chaperone application's checks",
                 "chaperone_checks", "uq_chaperone_checks_kind", ("approval_id", "kind")),
        HotIndex("queue: each chaperone application's references",
                 "chaperone_references", "uq_chaperone_references_position", ("approval_id", "position")),
        HotIndex("queue: each chaperone applicant's training",
                 "chaperone_training_bookings", "ix_chaperone_training_bookings_approval", ("approval_id",)),
        HotIndex("queue: planned inspections, soonest first",
                 "inspections", "ix_inspections_status_planned", ("status", "planned_on", "id")),
        HotIndex("queue: open concerns, safeguarding first, soonest due",
                 "concerns", "ix_concerns_status_safeguarding_due",
                 ("status", "safeguarding", "due_on", "id")),
        HotIndex("queue: employment permits to decide, soonest due",
                 "employment_permits", "ix_employment_permits_status_due",
                 ("status", "decision_due_on", "id")),
        HotIndex("queue: copies sent of each permit listed",
                 "permit_distributions", "ix_permit_distributions_permit", ("permit_id", "id")),
        HotIndex("permits list, newest due first",
                 "employment_permits", "ix_employment_permits_due", ("decision_due_on", "id")),
        HotIndex("chaperone approvals list, newest due first",
                 "chaperone_approvals", "ix_chaperone_approvals_due", ("decision_due_on", "id")),
        HotIndex("BOPA approvals list, newest due first",
                 "bopa_approvals", "ix_bopa_approvals_due", ("decision_due_on", "id")),
    ],
}
# fmt: on


# --- the indexes, as the database's catalogue has them -----------------------------------------------------


@dataclass(frozen=True)
class Found:
    columns: tuple[str, ...]
    include: tuple[str, ...] = ()
    where: str | None = None


def _predicate(clause: Any) -> str:
    """A predicate without casts, brackets, spacing or case: PostgreSQL gives back
    ``((status)::text = 'issued'::text)`` for ``status = 'issued'``."""
    words = re.sub(r"::[a-z ]+", "", str(clause).lower())
    return re.sub(r"[()\s]", "", words)


def _catalogue(inspector, table: str) -> dict[str, Found]:
    """Every index on ``table`` by name, with those behind UNIQUE and PRIMARY KEY constraints (which
    SQLite's index list leaves out)."""
    found = {}
    for index in inspector.get_indexes(table):
        options = index.get("dialect_options", {})
        where = options.get("postgresql_where", options.get("sqlite_where"))
        found[index["name"]] = Found(
            tuple(index["column_names"]),
            tuple(options.get("postgresql_include", ())),
            None if where is None else _predicate(where),
        )
    for unique in inspector.get_unique_constraints(table):
        found.setdefault(unique["name"], Found(tuple(unique["column_names"])))
    primary = inspector.get_pk_constraint(table)
    found[primary["name"]] = Found(tuple(primary["constrained_columns"]))
    return found


def _expected(index: HotIndex, dialect: str) -> Found:
    include = index.include if dialect == "postgresql" else ()
    return Found(index.columns, include, None if index.where is None else _predicate(index.where))


@pytest.fixture(scope="module")
def catalogue(migrated_databases) -> Iterator[Callable[[str, str], tuple[str, dict[str, Found]]]]:
    """``catalogue(service, table)``: the database's dialect and the table's indexes, read once."""
    engines = {service: create_engine(url) for service, url in migrated_databases.items()}
    read: dict[tuple[str, str], dict[str, Found]] = {}

    def lookup(service: str, table: str) -> tuple[str, dict[str, Found]]:
        engine = engines[service]
        if (service, table) not in read:
            read[(service, table)] = _catalogue(inspect(engine), table)
        return engine.dialect.name, read[(service, table)]

    yield lookup
    for engine in engines.values():
        engine.dispose()


INDEX_CASES = [
    pytest.param(service, index, id=f"{service}-{index.name}")
    for service, indexes in HOT_PATH_INDEXES.items()
    for index in indexes
]


@pytest.mark.parametrize(("service", "index"), INDEX_CASES)
def test_each_hot_path_index_exists_with_its_columns(catalogue, service, index):
    dialect, indexes = catalogue(service, index.table)
    assert index.name in indexes, f"{index.name} is missing on {index.table}: {index.path} needs it"
    assert indexes[index.name] == _expected(index, dialect), index.path


# --- the plans, at scale on PostgreSQL ---------------------------------------------------------------------

# Every table stays under ANALYZE's sample of 30,000 rows, so the statistics, and the plans, are the
# same on every run.
PENALTY_SCALE = seed_penalty.Scale(notices=20_000, schools=200)
LICENSING_SCALE = seed_licensing.Scale(licences=8_000, permits=8_000, chaperones=4_000)
LARGE_TABLES = {
    "penalty": {"penalty_notices", "penalty_requests", "payments", "request_parents"},
    "licensing": {
        "performance_licences",
        "licence_checks",
        "employment_permits",
        "permit_distributions",
        "chaperone_approvals",
        "chaperone_checks",
        "chaperone_references",
        "chaperone_training_bookings",
    },
}
TODAY = date.fromisoformat(seed_penalty.TODAY)
EXPLAINED = ("SELECT", "WITH", "UPDATE", "DELETE")  # an INSERT of values reads no table


def _officer() -> User:
    return User(role=Role.OFFICER)


def _seeded(service: str, seed: Callable[[Connection], object], migrated: dict[str, str], tmp: Path) -> Flask:
    app = _factory(service)(_base_config(_fresh_url(service, migrated, tmp), tmp))
    with app.app_context():
        with db.engine().begin() as connection:
            seed(connection)
        # As autovacuum would after a bulk load: fresh statistics, and a visibility map that lets the
        # planner choose index-only scans.
        with db.engine().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return app


@pytest.fixture(scope="module")
def penalty_at_scale(migrated_databases, tmp_path_factory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("plans-penalty")
    app = _seeded("penalty", lambda c: seed_penalty.seed(c, PENALTY_SCALE), migrated_databases, tmp)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def licensing_at_scale(migrated_databases, tmp_path_factory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("plans-licensing")
    app = _seeded("licensing", lambda c: seed_licensing.seed(c, LICENSING_SCALE), migrated_databases, tmp)
    yield app
    app.extensions["db_engine"].dispose()


def _explain_each(connection: Connection, plans: list[tuple[str, dict]]) -> None:
    """EXPLAIN each statement on ``connection`` just before it runs, with its own parameters."""

    def explain(_conn, cursor, statement, parameters, _context, executemany) -> None:
        if statement.lstrip().split(None, 1)[0].upper() not in EXPLAINED:
            return
        values = parameters[0] if executemany else parameters
        (document,) = cursor.connection.execute("EXPLAIN (FORMAT JSON) " + statement, values).fetchone()
        plans.append((statement, document[0]["Plan"]))

    event.listen(connection, "before_cursor_execute", explain)


def plans_of(app: Flask, run: Callable[[], object]) -> list[tuple[str, dict]]:
    """Each statement ``run`` sends, with its plan. The service's session works inside a transaction
    that is rolled back afterwards (its commits release a savepoint), so every path sees the records
    as seeded, in whatever order the paths run."""
    plans: list[tuple[str, dict]] = []
    with app.app_context(), db.engine().connect() as connection:
        outer = connection.begin()
        g.db_session = Session(connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        _explain_each(connection, plans)
        try:
            run()
        finally:
            g.pop("db_session").close()
            outer.rollback()
    return plans


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _outline(plan: dict, depth: int = 0) -> list[str]:
    """The plan's nodes, one a line, indented under their parents."""
    label = plan["Node Type"]
    if plan.get("Join Type", "Inner") != "Inner":
        label += f" ({plan['Join Type']})"
    if "Relation Name" in plan:
        label += f" on {plan['Relation Name']}"
    if "Index Name" in plan:
        label += f" using {plan['Index Name']}"
    lines = ["  " * depth + label]
    for child in plan.get("Plans", []):
        lines += _outline(child, depth + 1)
    return lines


def full_reads(plans: list[tuple[str, dict]], large: set[str]) -> list[str]:
    """Each statement whose plan reads a large table from end to end, with that plan, for the message."""
    return [
        " ".join(statement.split()) + "\n" + "\n".join(_outline(plan))
        for statement, plan in plans
        if any(n["Node Type"] == "Seq Scan" and n.get("Relation Name") in large for n in _nodes(plan))
    ]


NUMBERS = [f"PN-B-{n:09d}" for n in range(0, PENALTY_SCALE.notices, 10)]  # one bank file chunk's worth
MONITORING_HASHES_EVERY_PAYMENT = pytest.mark.xfail(
    strict=True,
    reason="payment-monitoring's EXISTS over payments (overdue with/without money, closed notices still "
    "holding applied money) hashes the whole payments table: a Seq Scan on payments",
)
PENALTY_PATHS = [
    pytest.param(lambda: queue.open_items(TODAY), id="queue-items"),
    pytest.param(queue.counts, id="queue-counts"),
    pytest.param(lambda: api.page_of(notices.list_query(_officer()), 1, 25), id="notices-first-page"),
    pytest.param(
        lambda: api.page_of(notices.list_query(_officer(), "unpaid", "100123"), 1, 25),
        id="notices-unpaid-at-one-school",
    ),
    pytest.param(lambda: api.page_of(requests.list_query(_officer()), 1, 25), id="requests-first-page"),
    pytest.param(
        lambda: api.page_of(requests.list_query(_officer(), "received"), 1, 25),
        id="requests-awaiting-decision",
    ),
    pytest.param(lambda: payments.payable_notice_ids(["PN-B-000000123"]), id="payable-notice-one"),
    pytest.param(lambda: payments.payable_notice_ids(NUMBERS), id="payable-notices-bank-file-chunk"),
    pytest.param(
        lambda: payments.monitor(TODAY), id="payment-monitoring", marks=MONITORING_HASHES_EVERY_PAYMENT
    ),
]
LICENSING_PATHS = [pytest.param(lambda: licensing_queue.page(today=TODAY), id="queue-first-page")]


@pytest.mark.postgres
@pytest.mark.xdist_group("hot-path-plans")
@pytest.mark.parametrize("run", PENALTY_PATHS)
def test_penalty_hot_path_reads_no_large_table_end_to_end(penalty_at_scale, run):
    plans = plans_of(penalty_at_scale, run)
    assert plans, "the path sent no statement"
    assert full_reads(plans, LARGE_TABLES["penalty"]) == []


@pytest.mark.postgres
@pytest.mark.xdist_group("hot-path-plans")
@pytest.mark.parametrize("run", LICENSING_PATHS)
def test_licensing_queue_reads_no_large_table_end_to_end(licensing_at_scale, run):
    plans = plans_of(licensing_at_scale, run)
    assert plans, "the path sent no statement"
    assert full_reads(plans, LARGE_TABLES["licensing"]) == []
