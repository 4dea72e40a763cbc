"""``python -m bench [--quick]``: seed PostgreSQL with penalty records at national scale and licensing
records at county scale (or small samples with ``--quick``); measure the officers' queues and lists and
the busiest POSTs under load against gunicorn, the nightly jobs, a bank-file import and PDF rendering;
and write the figures to ``BENCHMARKS.md``.

The databases are ``bench_penalty`` and ``bench_licensing`` on ``BENCH_POSTGRES_URL`` (default: the local
server), dropped and made again each run."""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.engine import make_url

from bench import load, pdf, report, seed_licensing, seed_penalty
from bench.server import ROOT, gunicorn, peak_rss_mb, worker_pids

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PENALTY_DATABASE, LICENSING_DATABASE = "bench_penalty", "bench_licensing"
SCHOOL_URN = "100123"  # the school whose office posts requests under load
FULL = seed_penalty.Scale(notices=1_000_000, schools=20_000)
QUICK = seed_penalty.Scale(notices=20_000, schools=400)
console = Console()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def fresh_database(name: str = PENALTY_DATABASE) -> str:
    with psycopg.connect(libpq(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def app_for(url: str, package: str = "penalty_service"):
    import importlib

    return importlib.import_module(package).create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})


def token_for(app, email: str, role: str, school_urn: str | None = None) -> str:
    from shared import db, users

    with app.app_context(), db.transaction():
        user = users.create_user(email, "Bench-account-2026", role, school_urn=school_urn)
        db.session().flush()
        token, _record = users.issue_token(user, timedelta(hours=6))
    return token


def officer_token(app) -> str:
    return token_for(app, "bench.officer@example.org", "officer")


def seed(app, module, scale, label: str) -> tuple[float, dict[str, int]]:
    """Seed with ``module.seed`` (one of the ``bench.seed_*`` modules) under a progress bar."""
    from shared import db

    started = time.perf_counter()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"Seeding {label}", total=len(module.STATEMENTS))
        with app.app_context(), db.engine().begin() as connection:
            counts = module.seed(connection, scale, lambda step, total: bar.update(task, completed=step))
    return time.perf_counter() - started, counts


def vacuum(app, url: str) -> None:
    """``VACUUM ANALYZE`` as autovacuum would after a bulk load, with no other connection open (an open
    transaction would stop it marking pages all-visible, and index-only scans would read the table)."""
    app.extensions["db_engine"].dispose()
    with console.status("VACUUM ANALYZE"), psycopg.connect(libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def flask_command(url: str, *args: str, package: str = "penalty_service") -> tuple[float, float, str]:
    """Run ``flask --app PACKAGE ARGS``: (seconds, peak memory in MB, output)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flask", "--app", package, *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=None, text=True)
    output = process.stdout.read() if process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output


def bank_file(url: str, rows: int, path: Path) -> None:
    """``rows`` payments: most for notices still in their payment period, the rest matching nothing."""
    with psycopg.connect(libpq(url)) as connection:
        numbers = [
            r[0]
            for r in connection.execute(
                "SELECT notice_number FROM penalty_notices WHERE status = 'issued' ORDER BY id LIMIT %s",
                (rows,),
            )
        ]
    lines = ["notice_number,amount_pence,paid_on,reference,method"]
    for i in range(rows):
        number = numbers[i] if i < len(numbers) else f"PN-NOWHERE-{i}"
        lines.append(f"{number},8000,{seed_penalty.TODAY},IMPORT-{i},bank")
    path.write_text("\n".join(lines) + "\n")


def job_seconds(app, name: str) -> list[float]:
    """How long each recorded run of the job took, from its own record (without process start-up)."""
    from sqlalchemy import select

    from shared import db
    from shared.scheduler import JobRun

    with app.app_context():
        runs = db.session().scalars(select(JobRun).where(JobRun.job_name == name).order_by(JobRun.id)).all()
        return [(r.finished_at - r.started_at).total_seconds() for r in runs]


def import_in_process(app, content: bytes) -> float:
    """Import a bank file through the service function the API and the command use, with its progress."""
    from penalty_service.services import payments

    with Progress(console=console) as bar, app.app_context():
        tasks: dict[str, int] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"Import: {phase}", total=max(total, 1))
            bar.update(tasks[phase], completed=done if total else 1, total=max(total, 1))

        started = time.perf_counter()
        payments.import_csv(content, None, actor="bench", progress=report)
        return time.perf_counter() - started


def under_load(
    package: str,
    url: str,
    endpoints: list[tuple[str, str]],
    headers: dict[str, str],
    seconds: float,
    log: Path,
) -> tuple[list[tuple[str, load.LoadResult]], float]:
    """Each endpoint under load against gunicorn (2 workers); the workers' peak memory."""
    results: list[tuple[str, load.LoadResult]] = []
    with gunicorn(package, url, log) as (port, master):
        for name, path in endpoints:
            load.run(port, path, headers, seconds=0.5, threads=1)  # warm each worker's caches
            with console.status(f"Load: {name}"):
                results.append((name, load.run(port, path, headers, seconds=seconds)))
        rss = max((peak_rss_mb(pid) for pid in worker_pids(master)), default=0.0)
    return results, rss


def posts_under_load(
    package: str, url: str, posts: list[tuple[str, str, str, object]], seconds: float, log: Path
) -> list[tuple[str, load.LoadResult]]:
    """Each (name, path, token, body) POSTed under load: ``body(n)`` is the n-th request's JSON."""
    results = []
    with gunicorn(package, url, log) as (port, _master):
        for name, path, token, body in posts:
            with console.status(f"Load: {name}"):
                headers = {"Authorization": f"Bearer {token}"}
                results.append((name, load.run(port, path, headers, seconds=seconds, body=body)))
    return results


def penalty_request_body(register: list[dict], returned) -> object:
    """The n-th school request: a new pupil each time, with a term's register."""
    run = int(time.time()) % 100_000
    return lambda n: pdf.request_body(n, run, SCHOOL_URN, register, returned)


def penalty(scale, args, seconds: float, import_rows: int, work: Path) -> report.Figures:
    url = fresh_database(PENALTY_DATABASE)
    app = app_for(url)
    from shared import calendar, migrations

    migrations.upgrade(app)
    seeded_in, counts = seed(app, seed_penalty, scale, f"{scale.notices:,} notices")
    console.print(f"Seeded in {seeded_in:.1f} s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    token = officer_token(app)
    school_token = token_for(app, "bench.school@example.org", "school", school_urn=SCHOOL_URN)
    vacuum(app, url)
    headers = {"Authorization": f"Bearer {token}"}
    from shared.api import MAX_ROWS_PAGED

    deep_page = max(1, min(MAX_ROWS_PAGED // 25, counts["penalty_notices"] // 25 // 2))
    endpoints = [
        ("trivial (working days, no database)", "/api/v1/calendar/working-days?from=2026-11-23&add=10"),
        ("officer queue", "/api/v1/queue"),
        ("notices, first page", "/api/v1/penalty-notices"),
        (f"notices, page {deep_page:,}", f"/api/v1/penalty-notices?page={deep_page}"),
        ("notices, unpaid at one school", f"/api/v1/penalty-notices?status=unpaid&school_urn={SCHOOL_URN}"),
        ("requests, first page", "/api/v1/penalty-requests"),
        ("requests awaiting decision", "/api/v1/penalty-requests?status=received"),
    ]
    results, web_rss = under_load("penalty_service", url, endpoints, headers, seconds, work / "penalty.log")
    with app.app_context():
        register, returned = pdf.register_for(calendar.today(), weeks=12)
    posts = posts_under_load(
        "penalty_service",
        url,
        [
            (
                f"POST penalty request ({len(register)} register sessions, 2 parents)",
                "/api/v1/penalty-requests",
                school_token,
                penalty_request_body(register, returned),
            )
        ],
        seconds,
        work / "penalty-posts.log",
    )

    monitor_args = ["jobs", "run", "payment-monitoring", "--today", seed_penalty.TODAY]
    with console.status("payment-monitoring, first run"):
        first_run = flask_command(url, *monitor_args)
    with console.status("payment-monitoring, second run the same day"):
        second_run = flask_command(url, *monitor_args)
    monitoring = job_seconds(app, "payment-monitoring")
    bank = work / "bank.csv"
    bank_file(url, import_rows, bank)
    import_seconds = import_in_process(app, bank.read_bytes())
    pdf_figures = pdf.measure(app, pdf.QUICK if args.quick else pdf.FULL, console=console)
    return report.Figures(
        scale=scale,
        counts=counts,
        seeded_seconds=seeded_in,
        load=results,
        posts=posts,
        load_seconds=seconds,
        web_worker_rss_mb=web_rss,
        monitoring=(monitoring[0], monitoring[1]),
        job_process_seconds=(first_run[0], second_run[0]),
        job_rss_mb=max(first_run[1], second_run[1]),
        import_rows=import_rows,
        import_seconds=import_seconds,
        bench_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        pdf=pdf_figures,
    )


# The officers' first pages, the deep pages and the filter they open most (the rest are in seed_licensing).
LICENSING_ENDPOINTS = (
    "officer queue",
    "queue, page",
    "licences, first page",
    "licences, page",
    "licences awaiting decision",
    "permits, first page",
    "permits, page",
    "chaperone approvals, first page",
)
LICENSING_JOBS = ("chaperone-reminders", "permit-reminders")


def licensing(args, seconds: float, work: Path) -> report.LicensingFigures:
    scale = seed_licensing.QUICK if args.quick else seed_licensing.FULL
    url = fresh_database(LICENSING_DATABASE)
    app = app_for(url, "licensing_service")
    from shared import migrations

    migrations.upgrade(app)
    seeded_in, counts = seed(app, seed_licensing, scale, "licences, permits and approvals")
    console.print(f"Seeded in {seeded_in:.1f} s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    token = officer_token(app)
    producer = seed_licensing.bench_producer(app)
    vacuum(app, url)
    endpoints = [
        (f"licensing {name}", path)
        for name, path in seed_licensing.endpoints(counts)
        if name.startswith(LICENSING_ENDPOINTS)
    ]
    headers = {"Authorization": f"Bearer {token}"}
    results, web_rss = under_load("licensing_service", url, endpoints, headers, seconds, work / "lic.log")
    with app.app_context():
        first_path, _body = seed_licensing.application(producer, 0)
        bodies = {n: seed_licensing.application(producer, n)[1] for n in range(26)}
    posts = posts_under_load(
        "licensing_service",
        url,
        [("POST performance licence application", first_path, producer.token, lambda n: bodies[n % 26])],
        seconds,
        work / "lic-posts.log",
    )
    jobs = []
    for job in LICENSING_JOBS:
        with console.status(f"licensing job {job}"):
            jobs.append(flask_command(url, "jobs", "run", job, package="licensing_service"))
    return report.LicensingFigures(
        counts=counts,
        seeded_seconds=seeded_in,
        load=results,
        posts=posts,
        web_worker_rss_mb=web_rss,
        job_rss_mb=max(rss for _s, rss, _out in jobs),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small samples: runs in a few minutes")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    seconds = 3.0 if args.quick else 10.0
    import_rows = 5_000 if args.quick else 100_000
    work = ROOT / "instance" / "bench"
    work.mkdir(parents=True, exist_ok=True)

    licensing_figures = licensing(args, seconds, work)
    figures = penalty(scale, args, seconds, import_rows, work)
    console.print(report.table(figures, licensing_figures))
    path = ROOT / ("BENCHMARKS-quick.md" if args.quick else "BENCHMARKS.md")
    path.write_text(report.markdown(figures, licensing_figures, quick=args.quick))
    console.print(f"Written to {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
