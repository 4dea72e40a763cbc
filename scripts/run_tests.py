"""Run every test group and say how many tests ran in each (``make test``).

Groups: unit (no database), api-sqlite, api-postgresql and browser. The PostgreSQL and browser groups
run when PostgreSQL is reachable / Chromium is installed; ``REQUIRE_POSTGRES=1`` and
``REQUIRE_BROWSER=1`` (set by CI) make a skipped group a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.databases import postgres_available  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)")


def run_group(name: str, marker: str, env: dict[str, str], extra: list[str]) -> dict[str, int]:
    print(f"\n=== {name}", flush=True)
    command = [sys.executable, "-m", "pytest", "-m", marker, "-p", "no:cacheprovider", *extra]
    completed = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    sys.stdout.write(completed.stdout[-20000:])
    sys.stderr.write(completed.stderr[-5000:])
    tail = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ""
    counts = {
        kind.rstrip("s") if kind.startswith("error") else kind: int(n) for n, kind in COUNT.findall(tail)
    }
    counts["exit"] = completed.returncode
    return counts


def main(argv: list[str]) -> int:
    extra = argv[1:]
    require_postgres = os.environ.get("REQUIRE_POSTGRES") == "1"
    require_browser = os.environ.get("REQUIRE_BROWSER") == "1"
    # Database tests wait on I/O as much as on the CPU: one worker per core, each on its own databases.
    # The OpenAPI fuzz shares one seeded database per service, so its tests stay on one worker.
    parallel = ["-n", str(max(2, os.cpu_count() or 1)), "--dist", "loadgroup"]
    groups = [
        ("unit", "not db and not postgres and not e2e", {}, []),
        ("api-sqlite", "db and not postgres and not e2e", {"TEST_DATABASE": "sqlite"}, parallel),
    ]
    skipped: list[tuple[str, str]] = []
    if postgres_available():
        groups.append(
            ("api-postgresql", "(db or postgres) and not e2e", {"TEST_DATABASE": "postgresql"}, parallel)
        )
    else:
        skipped.append(("api-postgresql", "PostgreSQL is not reachable"))
    if CHROMIUM.exists():
        groups.append(("browser", "e2e", {"TEST_DATABASE": "sqlite"}, []))
    else:
        skipped.append(("browser", f"{CHROMIUM} is not installed"))

    results = {
        name: run_group(name, marker, env, [*workers, *extra]) for name, marker, env, workers in groups
    }

    print("\n=== Test groups")
    failed = False
    for name, counts in results.items():
        ok = counts["exit"] == 0 and counts.get("passed", 0) > 0
        failed |= not ok
        summary = ", ".join(f"{v} {k}" for k, v in counts.items() if k != "exit")
        print(f"{'ok  ' if ok else 'FAIL'} {name:16} {summary or 'no tests ran'}")
    for name, reason in skipped:
        required = (name == "api-postgresql" and require_postgres) or (name == "browser" and require_browser)
        failed |= required
        print(f"{'FAIL' if required else 'skip'} {name:16} not run: {reason}")
    passed = sum(c.get("passed", 0) for c in results.values())
    failures = sum(c.get("failed", 0) + c.get("error", 0) for c in results.values())
    print(f"{passed} passed, {failures} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
