"""docker-compose.yml, Dockerfile and .dockerignore, checked without a Docker engine.

The compose file is validated against the Compose Specification schema that ships inside
check-jsonschema (no network needed), its structure is checked against what the product needs, and
the commands it runs (migrations, gunicorn, the health checks, the schedulers) are run here on SQLite.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
BIN = Path(sys.executable).parent

SERVICES = {"licensing": ("licensing_service", 5001), "penalty": ("penalty_service", 5002)}
ENV = {"SECRET_KEY": "compose-test-secret"}


# --- helpers ------------------------------------------------------------------------------------

INTERPOLATION = re.compile(
    r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)"
)


class MissingVariable(Exception):
    pass


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution: ``$$``, ``${X}``, ``${X:-default}``, ``${X:?error}``, ``$X``."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3)
        current = env.get(name)
        unset = current is None or (current == "" and operator is not None and operator.startswith(":"))
        if operator and operator.endswith("-"):
            return argument if unset else current
        if operator and operator.endswith("?"):
            if unset:
                raise MissingVariable(f"{name}: {argument}")
            return current
        return current or ""

    return INTERPOLATION.sub(substitute, value)


def raw_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    return interpolate(raw_compose(), ENV if env is None else env)


def as_list(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


def option(command: list[str], name: str) -> str | None:
    """The value of ``--name=value`` or ``--name value`` in a command line."""
    for i, arg in enumerate(command):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name and i + 1 < len(command):
            return command[i + 1]
    return None


def network_isolated(command: list[str]) -> tuple[list[str], dict[str, str]]:
    """Run ``command`` with no network: in an empty network namespace where allowed, else behind a
    proxy that does not exist (so any download attempt fails instead of silently succeeding)."""
    dead_proxy = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": dead_proxy, "HTTPS_PROXY": dead_proxy, "NO_PROXY": ""}
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        return [unshare, "-rn", *command], env
    return command, env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the compose file ---------------------------------------------------------------------------


def test_compose_file_matches_the_compose_specification_offline():
    command, env = network_isolated(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)]
    )
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_catches_a_broken_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        COMPOSE.read_text().replace("    depends_on: *after-migrate\n", "    depends_on: 5\n", 1)
    )
    command, env = network_isolated(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(broken)]
    )
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "depends_on" in result.stdout


def test_compose_runs_every_part_of_the_product():
    assert set(compose()["services"]) == {
        "postgres",
        "migrate",
        "licensing-web",
        "penalty-web",
        "licensing-scheduler",
        "penalty-scheduler",
    }


def test_postgres_has_a_health_check_a_named_volume_and_both_databases():
    document = compose()
    postgres = document["services"]["postgres"]
    assert postgres["image"] == "postgres:15"
    check = as_list(postgres["healthcheck"]["test"])
    assert check[0] in ("CMD", "CMD-SHELL") and "pg_isready" in " ".join(check)
    # Over TCP, so the temporary socket-only server the image runs its init scripts on is not "ready".
    assert re.search(r"(--host[= ]|-h ?)(127\.0\.0\.1|localhost)", " ".join(check))

    volumes = [v.split(":") for v in postgres["volumes"]]
    data = [v for v in volumes if v[1] == "/var/lib/postgresql/data"]
    assert data and data[0][0] in document["volumes"]

    [init] = [v for v in volumes if v[1].startswith("/docker-entrypoint-initdb.d/")]
    assert init[1].endswith(".sql") and init[2] == "ro"
    sql = (ROOT / init[0]).read_text()
    assert re.findall(r"CREATE DATABASE (\w+);", sql) == ["licensing", "penalty"]


def test_migrate_upgrades_both_databases_once_postgres_is_healthy():
    migrate = compose()["services"]["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    script = " ".join(as_list(migrate["command"]))
    for service, (package, _port) in SERVICES.items():
        assert f"flask --app {package} db upgrade" in script
        url = migrate["environment"][f"{service.upper()}_DATABASE_URL"]
        assert url == f"postgresql+psycopg://family:family-local@postgres:5432/{service}"
        assert f'DATABASE_URL="${service.upper()}_DATABASE_URL" flask --app {package} db upgrade' in script


@pytest.mark.parametrize("service", SERVICES)
def test_web_service_runs_gunicorn_after_migrations_with_a_status_health_check(service):
    package, port = SERVICES[service]
    web = compose()["services"][f"{service}-web"]
    command = as_list(web["command"])

    assert command[0] == "gunicorn"
    assert "--no-control-socket" in command  # gunicorn 27's shared control socket, see ARCHITECTURE
    assert option(command, "--workers") == "2" or option(command, "-w") == "2"
    assert option(command, "--bind") == f"0.0.0.0:{port}"
    assert command[-1] == f"{package}:create_app()"
    assert web["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert f"{port}:{port}" in web["ports"]
    assert web["restart"] == "unless-stopped"

    check = as_list(web["healthcheck"]["test"])
    assert check[0] == "CMD" and f"http://127.0.0.1:{port}/_status" in " ".join(check)

    env = web["environment"]
    assert env["DATABASE_URL"] == f"postgresql+psycopg://family:family-local@postgres:5432/{service}"
    assert env["SECRET_KEY"] == ENV["SECRET_KEY"]
    assert env["PUBLIC_BASE_URL"] == f"http://localhost:{port}"


@pytest.mark.parametrize("service", SERVICES)
def test_scheduler_runs_beside_its_web_service_on_the_same_database(service):
    package, _port = SERVICES[service]
    services = compose()["services"]
    scheduler = services[f"{service}-scheduler"]

    assert as_list(scheduler["command"]) == ["flask", "--app", package, "scheduler", "run"]
    assert scheduler["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert scheduler["restart"] == "unless-stopped"  # a scheduler that lost its lock exits 1
    assert scheduler["environment"] == services[f"{service}-web"]["environment"]
    assert scheduler["image"] == services[f"{service}-web"]["image"] == services["migrate"]["image"]


def test_secret_key_is_required_and_everything_else_has_a_local_default():
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        compose({})
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        compose({"SECRET_KEY": ""})
    services = compose({"SECRET_KEY": "k", "POSTGRES_PASSWORD": "s3cret"})["services"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "s3cret"
    for name in ("migrate", "licensing-web", "penalty-web", "licensing-scheduler", "penalty-scheduler"):
        env = services[name]["environment"]
        assert env["SECRET_KEY"] == "k"
        urls = [v for k, v in env.items() if k.endswith("DATABASE_URL")]
        assert urls and all(u.startswith("postgresql+psycopg://family:s3cret@postgres:5432/") for u in urls)
    assert "5432" not in str(services["postgres"].get("ports", ""))  # never published


# --- the image ----------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


def test_dockerfile_builds_the_app_from_the_lock_with_weasyprint_libraries_and_frontend_assets():
    instructions = dockerfile_instructions()
    froms = [arg for op, arg in instructions if op == "FROM"]
    assert froms[-1].startswith("python:3.11-slim")
    runs = " ".join(arg for op, arg in instructions if op == "RUN")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert package in runs
    assert re.search(r"uv sync --frozen --no-dev", runs)
    assert "npm ci" in runs

    copies = [arg.split() for op, arg in instructions if op == "COPY"]
    targets = {c[-1] for c in copies}
    for needed in (
        "node_modules/govuk-frontend",
        "node_modules/swagger-ui-dist",
        "shared",
        "licensing_service",
        "penalty_service",
    ):
        assert needed in targets
    for copy in copies:  # every file copied from the build context exists
        if not any(a.startswith("--from=") for a in copy):
            for source in copy[:-1]:
                assert (ROOT / source).exists(), source

    users = [arg for op, arg in instructions if op == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_dockerignore_keeps_local_state_out_and_what_the_image_copies_in():
    patterns = [
        p.strip() for p in DOCKERIGNORE.read_text().splitlines() if p.strip() and not p.startswith("#")
    ]
    for excluded in (".git", ".venv", "node_modules", "instance", "*.sqlite3", ".env"):
        assert excluded in patterns
    copied = ("pyproject.toml", "uv.lock", "package.json", "package-lock.json", "shared", "licensing_service")
    for path in copied:
        assert path not in patterns and not any(p.startswith("!") for p in patterns)


# --- the commands the compose file runs, run here on SQLite ---------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> dict[str, str]:
    """Run the ``migrate`` service's own command, on SQLite files instead of PostgreSQL."""
    tmp = tmp_path_factory.mktemp("compose")
    urls = {service: f"sqlite:///{tmp / (service + '.sqlite3')}" for service in SERVICES}
    migrate = compose()["services"]["migrate"]
    env = {
        **os.environ,
        **{k: str(v) for k, v in migrate["environment"].items()},
        "LICENSING_DATABASE_URL": urls["licensing"],
        "PENALTY_DATABASE_URL": urls["penalty"],
        "INSTANCE_DIR": str(tmp / "instance"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    result = subprocess.run(
        as_list(migrate["command"]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("database at head") == 2
    return {**urls, "instance": str(tmp / "instance")}


def service_env(service: str, environment: dict[str, Any], migrated: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        **{k: str(v) for k, v in environment.items()},
        "DATABASE_URL": migrated[service],
        "INSTANCE_DIR": migrated["instance"],
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.mark.parametrize("service", SERVICES)
def test_web_command_serves_the_status_page_and_its_health_check_passes(
    service, migrated, processes, tmp_path
):
    _package, port = SERVICES[service]
    web = compose()["services"][f"{service}-web"]
    local = free_port()
    command = [arg.replace(f"0.0.0.0:{port}", f"127.0.0.1:{local}") for arg in as_list(web["command"])]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        gunicorn = subprocess.Popen(
            command, cwd=ROOT, env=service_env(service, web["environment"], migrated), stdout=out, stderr=out
        )
    processes.append(gunicorn)

    deadline, body = time.monotonic() + 30, None
    while time.monotonic() < deadline and gunicorn.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{local}/_status", timeout=5) as response:
                body = response.read().decode()
                break
        except OSError:  # not listening yet, or the workers still starting
            time.sleep(0.3)
    assert body is not None, log.read_text()
    assert '"status":"ok"' in body.replace(" ", "") and f'"service":"{service}"' in body.replace(" ", "")

    check = [
        a.replace(f"127.0.0.1:{port}", f"127.0.0.1:{local}") for a in as_list(web["healthcheck"]["test"])
    ]
    assert check[0] == "CMD"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    assert subprocess.run(check[1:], env=env, capture_output=True, timeout=30).returncode == 0

    gunicorn.send_signal(signal.SIGTERM)
    assert gunicorn.wait(timeout=30) == 0, log.read_text()


@pytest.mark.parametrize("service", SERVICES)
def test_scheduler_command_becomes_active_and_stops_on_sigterm(service, migrated, processes, tmp_path):
    scheduler = compose()["services"][f"{service}-scheduler"]
    log = tmp_path / "scheduler.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            as_list(scheduler["command"]),
            cwd=ROOT,
            env=service_env(service, scheduler["environment"], migrated),
            stdout=out,
            stderr=out,
        )
    processes.append(process)

    deadline = time.monotonic() + 30
    while (
        time.monotonic() < deadline and process.poll() is None and " active with jobs" not in log.read_text()
    ):
        time.sleep(0.2)
    assert " active with jobs: deliver-notifications" in log.read_text(), log.read_text()

    process.send_signal(signal.SIGTERM)  # what `docker compose stop` sends
    assert process.wait(timeout=30) == 0, log.read_text()
    assert "stopped" in log.read_text()
