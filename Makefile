# Two commands work on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export PYTHONPATH := $(CURDIR)

.PHONY: run test fuzz bench bench-quick lint format setup assets migrate seed clean

setup: $(VENV)/.synced node_modules/.installed

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(BIN)/flask --app licensing_service db upgrade
	$(BIN)/flask --app penalty_service db upgrade

seed: migrate
	$(BIN)/flask --app licensing_service seed-demo
	$(BIN)/flask --app penalty_service seed-demo

run: seed
	$(BIN)/python scripts/run_services.py

test: setup
	$(BIN)/python scripts/run_tests.py

# The long OpenAPI fuzz: many random examples per operation, role and mode, on SQLite and PostgreSQL.
FUZZ_EXAMPLES ?= 100
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 TEST_DATABASE=sqlite $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider -q -n 2
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 TEST_DATABASE=postgresql $(BIN)/python -m pytest tests/fuzz -p no:cacheprovider -q -n 2

# Benchmarks on PostgreSQL (BENCH_POSTGRES_URL, default the local server): figures to BENCHMARKS.md.
bench: setup
	$(BIN)/python -m bench

bench-quick: setup
	$(BIN)/python -m bench --quick

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .tools node_modules instance .pytest_cache .ruff_cache
