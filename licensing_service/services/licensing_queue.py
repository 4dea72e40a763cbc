"""The officers' queue: every open item of every kind, soonest due first.

Each kind of work is a :class:`QueueSource`: a function giving its first ``limit`` open items in due
order and a count. The queue merges the sources, so a later kind (permits, chaperone approvals) is one
more entry in :data:`SOURCES`. Pagination is bounded: each source is read only as deep as the page asked
for, and no deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from licensing_service.models.licences import LicenceStatus, PerformanceLicence
from licensing_service.services import (
    bopa,
    chaperone_approvals,
    concerns,
    employment_permits,
    inspections,
    licence_checks,
)
from shared import calendar, db, problems

MAX_DEPTH = 10_000


@dataclass(frozen=True)
class QueueItem:
    kind: str
    id: int
    reference: str
    status: str
    due_on: date | None
    overdue: bool
    late: bool
    outstanding: list[str] = field(default_factory=list)
    summary: str = ""
    urgent: bool = False  # a safeguarding concern: first on the queue, whatever its due date

    def sort_key(self) -> tuple:
        return (not self.urgent, self.due_on or date.max, self.kind, self.id)


@dataclass(frozen=True)
class QueueSource:
    kind: str
    open_statuses: tuple[str, ...]
    items: Callable[[tuple[str, ...], int, date], list[QueueItem]]  # (statuses, limit, today), sorted
    count: Callable[[tuple[str, ...]], int]


def _licence_items(statuses: tuple[str, ...], limit: int, today: date) -> list[QueueItem]:
    rows = (
        db.session()
        .execute(
            select(
                PerformanceLicence.id,
                PerformanceLicence.reference,
                PerformanceLicence.status,
                PerformanceLicence.decision_due_on,
                PerformanceLicence.late,
                PerformanceLicence.parent_part_state,
                PerformanceLicence.education_school_days_missed,
                PerformanceLicence.education_approved,
                PerformanceLicence.child_first_name,
                PerformanceLicence.child_last_name,
            )
            .where(PerformanceLicence.status.in_(statuses))
            .order_by(PerformanceLicence.decision_due_on, PerformanceLicence.id)
            .limit(limit)
        )
        .all()
    )
    done = licence_checks.checks_for([row.id for row in rows])
    items = []
    for row in rows:
        outstanding = licence_checks.outstanding_of(
            row.parent_part_state,
            done.get(row.id, set()),
            row.education_school_days_missed,
            row.education_approved,
        )
        items.append(
            QueueItem(
                kind="performance_licence",
                id=row.id,
                reference=row.reference,
                status=row.status,
                due_on=row.decision_due_on,
                overdue=row.decision_due_on is not None and today > row.decision_due_on,
                late=row.late,
                outstanding=outstanding,
                summary=f"Decide: {row.child_first_name} {row.child_last_name}",
            )
        )
    return items


def _licence_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(
        select(func.count()).select_from(PerformanceLicence).where(PerformanceLicence.status.in_(statuses))
    )


def _items_of(rows: Callable[[tuple[str, ...], int, date], list[dict]]) -> Callable[..., list[QueueItem]]:
    """A source whose service gives plain rows (it cannot import this module without a cycle)."""
    return lambda statuses, limit, today: [QueueItem(**row) for row in rows(statuses, limit, today)]


SOURCES: list[QueueSource] = [
    QueueSource("performance_licence", (LicenceStatus.SUBMITTED.value,), _licence_items, _licence_count),
    QueueSource("bopa_approval", ("submitted",), _items_of(bopa.queue_rows), bopa.queue_count),
    QueueSource(
        "chaperone_approval",
        chaperone_approvals.OPEN_STATUSES,
        _items_of(chaperone_approvals.queue_rows),
        chaperone_approvals.queue_count,
    ),
    QueueSource(
        "inspection",
        (inspections.Status.PLANNED.value,),
        _items_of(inspections.queue_rows),
        inspections.queue_count,
    ),
    QueueSource("concern", concerns.OPEN_STATUSES, _items_of(concerns.queue_rows), concerns.queue_count),
    QueueSource(
        "employment_permit",
        employment_permits.OPEN_STATUSES,
        _items_of(employment_permits.queue_rows),
        employment_permits.queue_count,
    ),
]


def open_statuses() -> list[str]:
    return sorted({s for source in SOURCES for s in source.open_statuses})


def kinds() -> list[str]:
    return [source.kind for source in SOURCES]


def page(
    *,
    page: int = 1,
    page_size: int = 25,
    status: str | None = None,
    kind: str | None = None,
    today: date | None = None,
) -> dict:
    """One page of the merged queue, with the total and a count per kind."""
    depth = page * page_size
    if depth > MAX_DEPTH:
        raise problems.invalid(
            "page", f"The queue pages only to its first {MAX_DEPTH} items: narrow it by kind or status"
        )
    today = today or calendar.today()
    streams, counts = [], {}
    for source in SOURCES:
        if kind and source.kind != kind:
            continue
        statuses = tuple(s for s in source.open_statuses if not status or s == status)
        if not statuses:
            counts[source.kind] = 0
            continue
        streams.append(sorted(source.items(statuses, depth, today), key=QueueItem.sort_key))
        counts[source.kind] = source.count(statuses)
    merged = list(heapq.merge(*streams, key=QueueItem.sort_key))
    return {
        "items": merged[(page - 1) * page_size : depth],
        "page": page,
        "page_size": page_size,
        "total": sum(counts.values()),
        "counts": counts,
    }
