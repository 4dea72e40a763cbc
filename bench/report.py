"""The benchmark's figures as a terminal table and as ``BENCHMARKS.md``, each beside its target."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.table import Table

from bench.load import LoadResult
from bench.seed_penalty import Scale

QUEUE_P95_MS = 50.0  # queue and list endpoints at 1,000,000 notices
LIST_SHARE_OF_TRIVIAL = 0.25  # list throughput at least a quarter of the trivial endpoint's
MONITORING_SECONDS = 10.0
IMPORT_SECONDS = 20.0  # 100,000 rows
WORKER_RSS_MB = 200.0


@dataclass(frozen=True)
class Figures:
    scale: Scale
    counts: dict[str, int]
    seeded_seconds: float
    load: list[tuple[str, LoadResult]]
    load_seconds: float
    web_worker_rss_mb: float
    monitoring: tuple[float, float]  # the job's own time, first and second run
    job_process_seconds: tuple[float, float]  # the same runs as processes, start-up included
    job_rss_mb: float
    import_rows: int
    import_seconds: float
    bench_rss_mb: float


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def rows(f: Figures) -> list[tuple[str, str, str, str]]:
    """(what, figure, target, verdict) for every measurement."""
    trivial = f.load[0][1].per_second
    out = []
    for i, (name, r) in enumerate(f.load):
        figure = (
            f"{r.per_second:,.0f} req/s; p50 {r.p50_ms:.1f} ms, p95 {r.p95_ms:.1f} ms, p99 {r.p99_ms:.1f} ms"
        )
        if r.errors:
            figure += f"; {r.errors} errors"
        if i == 0:
            out.append((name, figure, "the ceiling", "-"))
            continue
        share = r.per_second / trivial if trivial else 0.0
        target = f"p95 ≤ {QUEUE_P95_MS:.0f} ms; ≥ {LIST_SHARE_OF_TRIVIAL:.0%} of trivial ({share:.0%})"
        ok = r.p95_ms <= QUEUE_P95_MS and share >= LIST_SHARE_OF_TRIVIAL and not r.errors
        out.append((name, figure, target, _verdict(ok)))
    first, second = f.monitoring
    started = f.job_process_seconds
    full_import = f.import_rows >= 100_000
    out += [
        (
            "payment-monitoring, first run",
            f"{first:.2f} s ({started[0]:.1f} s as a process)",
            f"≤ {MONITORING_SECONDS:.0f} s",
            _verdict(first <= MONITORING_SECONDS),
        ),
        (
            "payment-monitoring, again the same day",
            f"{second:.2f} s ({started[1]:.1f} s as a process)",
            "does nothing, fast",
            _verdict(second <= first),
        ),
        (
            f"bank file import, {f.import_rows:,} rows",
            f"{f.import_seconds:.1f} s ({f.import_rows / f.import_seconds:,.0f} rows/s)",
            f"≤ {IMPORT_SECONDS:.0f} s at 100,000 rows",
            _verdict(f.import_seconds <= IMPORT_SECONDS) if full_import else "-",
        ),
        (
            "web worker peak memory",
            f"{f.web_worker_rss_mb:.0f} MB",
            f"≤ {WORKER_RSS_MB:.0f} MB",
            _verdict(f.web_worker_rss_mb <= WORKER_RSS_MB),
        ),
        ("job process peak memory (flask jobs run)", f"{f.job_rss_mb:.0f} MB", "-", "-"),
    ]
    return out


def table(f: Figures) -> Table:
    t = Table(
        title=f"Penalty service at {f.counts['penalty_notices']:,} notices, {f.counts['schools']:,} schools"
    )
    for column in ("measurement", "figure", "target", ""):
        t.add_column(column)
    for row in rows(f):
        t.add_row(*row)
    return t


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return [
        f"- Date: {date.today().isoformat()}",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory_kb / 1024 / 1024:.0f} GiB memory",
        f"- Python {platform.python_version()}; PostgreSQL on the same machine; gunicorn, 2 sync workers",
    ]


def markdown(f: Figures, *, quick: bool) -> str:
    lines = [
        "# Benchmarks" + (" (quick sample)" if quick else ""),
        "",
        f"Made by `{'make bench-quick' if quick else 'make bench'}`: seeded records, then each measurement. "
        "Figures only: nothing here fails on time.",
        "",
        *machine(),
        "- Records: "
        + ", ".join(f"{t} {n:,}" for t, n in f.counts.items())
        + f" (seeded in {f.seeded_seconds:.0f} s)",
        f"- Load: 4 client threads, keep-alive, {f.load_seconds:.0f} s an endpoint, as an officer",
        "",
        "| measurement | figure | target | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(f)),
        "",
    ]
    return "\n".join(lines)
