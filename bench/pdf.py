"""Penalty notice PDFs: how fast one process and a pool of processes render them, and what issuing notices
in bulk costs (the officers' decisions, then every PDF, letter and email that follows).

Run against a migrated, seeded penalty database (``bench.seed_penalty``)::

    figures = pdf.measure(app, pdf.QUICK if quick else pdf.FULL, console=console)
    for row in pdf.rows(figures):
        table.add_row(*row)

``measure`` adds records (an officer, requests, notices, documents, emails), so run it after the
measurements that depend on the seeded counts. It starts worker processes with ``spawn``: the calling
script's top level must be guarded by ``if __name__ == "__main__"``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from unittest import mock

from rich.console import Console
from rich.progress import Progress

PAGES_PER_SECOND_PER_CORE = 5.0
NOTICE_TEMPLATE = "penalty_notice.html"  # what the service renders for a notice's PDF
OFFICER_EMAIL = "bench.pdf.officer@example.org"
RETRY_ROUNDS = 3  # a failed document is retried, as the render-documents job would
READY_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Size:
    render: int  # notices rendered by one process; the pool renders this many per worker
    requests: int  # requests decided in bulk, two parents each: twice as many notices

    def __post_init__(self) -> None:
        if self.render < 1 or self.requests < 1:
            raise ValueError("Render at least one notice and decide at least one request")


FULL = Size(render=40, requests=500)
QUICK = Size(render=10, requests=25)


@dataclass(frozen=True)
class Rendering:
    workers: int
    notices: int
    pages: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.notices / self.seconds

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def pages_per_second_per_core(self) -> float:
        return self.pages_per_second / self.workers


@dataclass(frozen=True)
class BulkIssue:
    requests: int
    notices: int
    decide_seconds: float
    documents_seconds: float
    notice_documents: int
    school_letters: int
    emails: int
    failed: int  # failed steps, retried within the timed run
    missing: int  # notices or requests still without their document at the end


@dataclass(frozen=True)
class PdfFigures:
    single: Rendering
    pool: Rendering
    bulk: BulkIssue
    load_average: tuple[float, float]  # the machine's 1-minute load, before and after


def measure(app, size: Size = FULL, *, console: Console | None = None) -> PdfFigures:
    """Render notices in one process, then in ``os.cpu_count()`` processes, then issue notices in bulk."""
    console = console or Console()
    load_before = os.getloadavg()[0]
    with quiet_weasyprint():
        ids = _notice_ids(app, size.render + 1)
        warm, sample = ids[0], ids[1:]
        single = _render_here(app, warm, sample, console)
        workers = os.cpu_count() or 1
        pool = _render_in_pool(app.config["DATABASE_URL"], warm, sample, workers, console)
        bulk = _issue_in_bulk(app, size.requests, console)
    return PdfFigures(single, pool, bulk, (load_before, os.getloadavg()[0]))


# --- rendering ---------------------------------------------------------------------------------------


@contextmanager
def quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint logs each layout step at INFO (about 8 lines a notice), which would bury the progress
    bars; the cost of those lines is small next to a render."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _notice_ids(app, count: int) -> list[int]:
    """Council notices with a service date: the ones the service makes a PDF for."""
    from sqlalchemy import select

    from penalty_service.models import PenaltyNotice
    from shared import db

    with app.app_context():
        ids = db.session().scalars(
            select(PenaltyNotice.id)
            .where(PenaltyNotice.source == "council", PenaltyNotice.served_on.is_not(None))
            .order_by(PenaltyNotice.id)
            .limit(count)
        )
        found = list(ids)
    if len(found) < count:
        raise RuntimeError(f"Need {count} council notices to render; the database has {len(found)}")
    return found


def render_notice(notice_id: int) -> bytes:
    """The notice's PDF as the service makes it (not stored). Needs an app context."""
    from penalty_service.models import PenaltyNotice
    from penalty_service.services import documents
    from shared import db
    from shared import documents as shared_documents

    notice = db.session().get(PenaltyNotice, notice_id)
    return shared_documents.render_pdf(NOTICE_TEMPLATE, **documents.notice_context(notice))


_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)")
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


def page_count(pdf: bytes) -> int:
    """Pages in a PDF, from its page tree's ``/Count``. WeasyPrint packs objects into compressed object
    streams, so every stream is inflated before looking."""
    view = memoryview(pdf)
    chunks = [pdf]
    for match in _STREAM_START.finditer(pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(view[match.end() :]))
        except zlib.error:
            continue  # not a deflated stream
    counts = [int(n) for chunk in chunks for n in _PAGE_TREE.findall(chunk)]
    if not counts:
        raise ValueError("No page tree found in the PDF")
    return max(counts)  # the root holds every page


def _render_here(app, warm: int, sample: list[int], console: Console) -> Rendering:
    with app.app_context():
        with console.status("Notice PDFs: warming up (WeasyPrint import, first render)"):
            render_notice(warm)
        pdfs = []
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Notice PDFs, one process", total=len(sample))
            started = time.perf_counter()
            for notice_id in sample:
                pdfs.append(render_notice(notice_id))
                bar.advance(task)
            seconds = time.perf_counter() - started
    return Rendering(1, len(pdfs), sum(page_count(p) for p in pdfs), seconds)


# Each worker process keeps its own app, pushed for the life of the process.
_worker_app: Any = None
_worker_ready: Any = None


def _worker_start(url: str, warm: int, ready) -> None:
    global _worker_app, _worker_ready
    import penalty_service

    _worker_app = penalty_service.create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    _worker_app.app_context().push()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    render_notice(warm)
    _worker_ready = ready


def _worker_wait() -> None:
    # A worker blocked here takes no other task, so each of these runs in a different process.
    _worker_ready.wait(READY_TIMEOUT_SECONDS)


def _render_in_pool(url: str, warm: int, sample: list[int], workers: int, console: Console) -> Rendering:
    """Every worker starts and renders once before the clock starts; then each renders ``len(sample)``."""
    context = multiprocessing.get_context("spawn")  # a clean process, as a deployed worker would be
    ready = context.Barrier(workers)
    ids = sample * workers
    with ProcessPoolExecutor(workers, context, _worker_start, (url, warm, ready)) as pool:
        with console.status(f"Notice PDFs: starting {workers} worker processes"):
            for future in [pool.submit(_worker_wait) for _ in range(workers)]:
                future.result()
        pdfs = []
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"Notice PDFs, {workers} processes", total=len(ids))
            started = time.perf_counter()
            for future in as_completed([pool.submit(render_notice, i) for i in ids]):
                pdfs.append(future.result())
                bar.advance(task)
            seconds = time.perf_counter() - started
    return Rendering(workers, len(pdfs), sum(page_count(p) for p in pdfs), seconds)


# --- issuing in bulk ---------------------------------------------------------------------------------


def _officer():
    from sqlalchemy import select

    from shared import db, users
    from shared.users import User

    with db.transaction():
        user = db.session().scalar(select(User).where(User.email == OFFICER_EMAIL))
        if user is None:
            user = users.create_user(OFFICER_EMAIL, "Bench-officer-2026", "officer", name="Bench Officer")
    return user


def _school_urns(count: int) -> list[str]:
    from sqlalchemy import select

    from penalty_service.models import School
    from shared import db

    urns = list(db.session().scalars(select(School.urn).order_by(School.id).limit(count)))
    if not urns:
        raise RuntimeError("The database has no schools: seed it first")
    return [urns[i % len(urns)] for i in range(count)]


def register_for(today: date, weeks: int = 3) -> tuple[list[dict], date]:
    """``weeks`` school weeks ending at least a week ago, absent all of the last week but one (10
    sessions): over the national threshold. Returns the register and the day the pupil went back."""
    end = today - timedelta(days=(today.weekday() - 4) % 7 + 7)  # a Friday
    start = end - timedelta(days=7 * weeks - 3)  # the Monday ``weeks - 1`` weeks before
    absent = {end - timedelta(days=d) for d in range(7, 12)}
    every_day = (start + timedelta(days=d) for d in range(7 * weeks - 2))
    days = [d for d in every_day if d.weekday() < 5]
    register = [
        {"date": d.isoformat(), "session": s, "code": "O" if d in absent else "/"}
        for d in days
        for s in ("AM", "PM")
    ]
    return register, end - timedelta(days=4)


def request_body(i: int, run: int, urn: str, register: list[dict], returned: date) -> dict:
    # A new UPN each run, so earlier runs' notices never count towards the 3-year limit.
    upn = f"P{run:05d}{i:06d}X"
    address = f"{i} Bench Street, Mansfield NG18 1AA"
    return {
        "school_urn": urn,
        "offence": "unauthorised_absence",
        "pupil": {
            "first_name": "Pupil",
            "last_name": f"Bench {i}",
            "date_of_birth": "2014-05-02",
            "upn": upn,
            "year_group": "6",
            "address": address,
        },
        "parents": [
            {
                "name": f"{first} Bench {i}",
                "address": address,
                "relationship": relationship,
                "email": f"{first.lower()}.bench{i}@example.org",
            }
            for first, relationship in (("Sam", "mother"), ("Alex", "father"))
        ],
        "attendance": register,
        "returned_to_school_on": returned.isoformat(),
        "notice_to_improve": None,
        "code_of_conduct_confirmed": True,
    }


def _submit_requests(count: int, officer, console: Console) -> list[int]:
    """Requests in status ``received``, through the same validation and service as the API."""
    from penalty_service.schemas import PenaltyRequestInSchema
    from penalty_service.services import requests
    from shared import calendar

    schema = PenaltyRequestInSchema()
    register, returned = register_for(calendar.today())
    run = int(time.time()) % 100_000
    ids = []
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"Bulk issue: {count:,} requests received", total=count)
        for i, urn in enumerate(_school_urns(count)):
            body = request_body(i, run, urn, register, returned)
            ids.append(requests.submit(schema.load(body), officer).id)
            bar.advance(task)
    return ids


@contextmanager
def _documents_held_back() -> Iterator[list[list[int]]]:
    """In the service each decision makes its documents once it commits; held back here, the decisions
    and the documents are timed apart. Yields each decision's notice ids."""
    from penalty_service.services import documents

    held: list[list[int]] = []

    def hold(notice_ids, request_ids=()) -> dict[str, int]:
        held.append(list(notice_ids))
        return {}

    with mock.patch.object(documents, "after_issue", hold):
        yield held


def _decide_all(request_ids: list[int], officer, console: Console) -> tuple[float, list[list[int]]]:
    from penalty_service.schemas import DecisionSchema
    from penalty_service.services import notices

    data = DecisionSchema().load({"decision": "issue"})
    with _documents_held_back() as held, Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"Bulk issue: {len(request_ids):,} decisions", total=len(request_ids))
        started = time.perf_counter()
        for request_id in request_ids:
            notices.decide(request_id, data, officer)
            bar.advance(task)
        seconds = time.perf_counter() - started
    return seconds, held


def _missing(notice_ids: list[int], request_ids: list[int]) -> tuple[list[int], list[int]]:
    """Notices without their PDF and requests without their school letter."""
    from sqlalchemy import select

    from penalty_service.services import documents
    from shared import db
    from shared.documents import Document

    def with_document(object_type: str, kind: str, ids: list[int]) -> set[int]:
        query = select(Document.object_id).where(
            Document.object_type == object_type,
            Document.kind == kind,
            Document.object_id.in_([str(i) for i in ids]),
        )
        return {int(i) for i in db.session().scalars(query)}

    notices_done = with_document(documents.NOTICE_OBJECT, documents.NOTICE_KIND, notice_ids)
    letters_done = with_document(documents.REQUEST_OBJECT, documents.LETTER_KIND, request_ids)
    db.session().commit()
    return (
        [i for i in notice_ids if i not in notices_done],
        [i for i in request_ids if i not in letters_done],
    )


def _make_documents(held: list[list[int]], request_ids: list[int], console: Console) -> tuple[float, Counter]:
    """What each decision's commit would have made, then retries of whatever failed, until none is
    missing or the retries run out."""
    from penalty_service.services import documents

    counts: Counter = Counter()
    notice_ids = [i for ids in held for i in ids]
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"Bulk issue: documents for {len(notice_ids):,} notices", total=len(held))
        started = time.perf_counter()
        for ids in held:
            counts.update(documents.after_issue(ids))
            bar.advance(task)
        for _ in range(RETRY_ROUNDS):
            notices_left, requests_left = _missing(notice_ids, request_ids)
            if not notices_left and not requests_left:
                break
            counts.update(documents.after_issue(notices_left, requests_left))
        seconds = time.perf_counter() - started
    notices_left, requests_left = _missing(notice_ids, request_ids)
    counts["missing"] = len(notices_left) + len(requests_left)
    return seconds, counts


def _issue_in_bulk(app, requests: int, console: Console) -> BulkIssue:
    with app.app_context():
        officer = _officer()
        request_ids = _submit_requests(requests, officer, console)
        decide_seconds, held = _decide_all(request_ids, officer, console)
        documents_seconds, counts = _make_documents(held, request_ids, console)
    return BulkIssue(
        requests=len(request_ids),
        notices=sum(len(ids) for ids in held),
        decide_seconds=decide_seconds,
        documents_seconds=documents_seconds,
        notice_documents=counts["notice_documents"],
        school_letters=counts["school_letters"],
        emails=counts["parent_emails"] + counts["school_emails"],
        failed=counts["failed"],
        missing=counts["missing"],
    )


# --- report ------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _rendering_row(name: str, r: Rendering, extra: str = "") -> tuple[str, str, str, str]:
    figure = (
        f"{r.per_second:.1f} notices/s, {r.pages_per_second:.1f} pages/s "
        f"({r.pages_per_second_per_core:.1f} a core; {r.notices:,} notices, {r.pages / r.notices:.1f} pages "
        f"each){extra}"
    )
    target = f"≥ {PAGES_PER_SECOND_PER_CORE:.0f} pages/s a core"
    return name, figure, target, _verdict(r.pages_per_second_per_core >= PAGES_PER_SECOND_PER_CORE)


def rows(f: PdfFigures) -> list[tuple[str, str, str, str]]:
    """(measurement, figure, target, verdict) for each measurement, as ``bench.report.rows`` gives them."""
    b = f.bulk
    scaling = f.pool.per_second / f.single.per_second
    documents = (
        f"{b.documents_seconds:.1f} s ({b.notices / b.documents_seconds:.1f} notices/s; "
        f"{b.notice_documents:,} notice PDFs, {b.school_letters:,} school letters, {b.emails:,} emails"
        + (f"; {b.failed} steps failed and were retried" if b.failed else "")
        + ")"
    )
    return [
        _rendering_row("notice PDFs, one process", f.single),
        _rendering_row(f"notice PDFs, {f.pool.workers} processes", f.pool, f"; {scaling:.1f}× one process"),
        (
            f"issue {b.notices:,} notices: {b.requests:,} decisions",
            f"{b.decide_seconds:.1f} s ({b.notices / b.decide_seconds:.1f} notices/s)",
            "-",
            "-",
        ),
        (
            f"issue {b.notices:,} notices: their PDFs, letters and emails",
            documents,
            "every document made",
            _verdict(b.missing == 0),
        ),
        _load_row(f),
    ]


def _load_row(f: PdfFigures) -> tuple[str, str, str, str]:
    """Other work on the machine takes cores from the renders. Only the load before starting tells of it:
    the load after counts this benchmark's own processes."""
    before, after = f.load_average
    figure = f"{before:.1f} before, {after:.1f} after (this benchmark's included), on {f.pool.workers} cores"
    if before >= f.pool.workers / 2:
        figure += ": other work was running, figures may be low"
    return "machine load (1-minute average)", figure, "-", "-"


def table(f: PdfFigures, title: str = "Penalty notice PDFs"):
    """The rows on their own, for a run of this module alone."""
    from rich.table import Table

    t = Table(title=title)
    for column in ("measurement", "figure", "target", ""):
        t.add_column(column)
    for row in rows(f):
        t.add_row(*row)
    return t
