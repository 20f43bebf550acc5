# The README's commands. `make run` and `make test` work on a bare machine with Python 3.11+
# (and Node 20 for the API design rules check); everything else is installed from the locks.

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := var/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
SPECTRAL := tools/spectral/node_modules/.bin/spectral
PYTEST_ARGS ?=

.PHONY: setup run test lint typecheck pytest migrate spectral-setup bench fuzz deploy-check clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced

$(SPECTRAL): tools/spectral/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tools/spectral --no-audit --no-fund --silent; \
	else echo "npm not found: the Spectral check will be skipped (required in CI)"; fi

spectral-setup: $(SPECTRAL)

run: setup
	$(PY) -m tools.run_stack

migrate: setup
	@for svc in meldingen beveiliging kennisbank notificaties; do $(PY) -m services.$$svc migrate || exit 1; done

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: setup
	$(VENV)/bin/mypy services gateway devidp contract tools

pytest: setup spectral-setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

fuzz: setup
	WEERBAAR_FUZZ_EXAMPLES=200 $(VENV)/bin/pytest tests/fuzz

deploy-check: setup
	bash deploy/check.sh

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b --quick || exit 1; done

clean:
	rm -rf var/*.db var/*.db-* var/logs
