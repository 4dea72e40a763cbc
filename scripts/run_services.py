"""``make run``: start both services and their schedulers on SQLite, then say where they are.

Each web service runs under gunicorn (as in production) and each scheduler in its own process.
Ctrl-C stops everything this started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from licensing_service.seed import DEMO_USERS as LICENSING_USERS  # noqa: E402
from penalty_service.seed import DEMO_USERS as PENALTY_USERS  # noqa: E402

SERVICES = [("licensing_service", 5001, LICENSING_USERS), ("penalty_service", 5002, PENALTY_USERS)]
STARTUP_SECONDS = 60
console = Console(width=None if sys.stdout.isatty() else 130)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://localhost:{port}/_status", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    logs = ROOT / "instance" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SESSION_COOKIE_SECURE": "false", "PYTHONPATH": str(ROOT)}
    processes: list[subprocess.Popen] = []
    for package, port, _users in SERVICES:
        service_env = {**env, "PORT": str(port)}
        gunicorn = [
            str(BIN / "gunicorn"),
            "--no-control-socket",
            "--logger-class",
            "shared.access_log.RedactingLogger",
            "--access-logfile",
            "-",
            "--workers",
            "2",
            "--bind",
            f"localhost:{port}",
        ]
        processes.append(
            start([*gunicorn, f"{package}:create_app()"], service_env, logs / f"{package}.web.log")
        )
        scheduler = [str(BIN / "flask"), "--app", package, "scheduler", "run"]
        processes.append(start(scheduler, service_env, logs / f"{package}.scheduler.log"))

    with console.status("Starting both services…"):
        deadline = time.monotonic() + STARTUP_SECONDS
        while not all(healthy(port) for _p, port, _u in SERVICES):
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                console.print(f"[red]A service did not start. Logs are in {logs}[/red]")
                stop(processes)
                return 1
            time.sleep(0.5)

    table = Table(title="Nottinghamshire Family Service — running on this machine")
    for column in ("service", "address", "role", "email", "password"):
        table.add_column(column)
    for package, port, demo_users in SERVICES:
        for index, user in enumerate(demo_users):
            first = index == 0
            table.add_row(
                package if first else "",
                f"http://localhost:{port}" if first else "",
                user.role,
                user.email,
                user.password,
            )
    console.print(table)
    console.print("API docs: http://localhost:5001/api/docs and http://localhost:5002/api/docs")
    console.print(f"Emails are kept in each service's outbox. Logs: {logs}. Press Ctrl-C to stop.")

    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        console.print("[red]A process stopped unexpectedly; stopping the rest.[/red]")
        return 1
    except KeyboardInterrupt:
        console.print("Stopping…")
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    raise SystemExit(main())
