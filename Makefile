# Practica: `make demo` sets up and serves the demo, `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6.1 needs Python >= 3.12: take the first such interpreter on PATH,
# then any pyenv-installed one, and say clearly when there is none.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 \
	/usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	    >/dev/null 2>&1 && { command -v $$c || echo $$c; } && break; \
	done)

.PHONY: help install demo serve test test-fast lint fmt migrations-check \
	openapi bench clean chromium

help:
	@echo "make demo   install, migrate, load demo data, serve on $(HOST):$(PORT)"
	@echo "make test   lint, migrations check and the whole test suite"
	@echo "make serve | lint | fmt | openapi | clean"
	@echo "make bench  benchmark on the small corpus (SIZE=large: 100 k questions, long)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Practica needs Python 3.12 or newer (python3.13 or python3.12)."; \
	  echo "Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.13."; \
	  exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --python $(BIN)/python
	@touch $@

install: $(VENV)/.synced

demo: install
	$(BIN)/practica migrate --no-input
	$(BIN)/practica demo
	@echo "Practica is at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(MAKE) --no-print-directory serve

# The web server and, beside it, the background worker (email, reminders,
# digests); Ctrl-C stops both.
serve: install
	@$(BIN)/practica worker --interval 2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/practica runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy bench

fmt: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

migrations-check: install
	$(BIN)/practica makemigrations --check --dry-run

openapi: install
	$(BIN)/practica export_openapi docs/openapi.json

# The whole suite: static checks first, then the tests (browser ones too).
# Browser tests drive Debian's Chromium (PRACTICA_CHROMIUM elsewhere).
test: lint migrations-check chromium
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

chromium:
	@[ -n "$$PRACTICA_CHROMIUM" ] || [ -x /usr/bin/chromium ] \
	  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	       apt-get install -y -qq chromium; }

test-fast: install
	$(BIN)/pytest -x -m "not browser" $(PYTEST_ARGS)

# The benchmark (bench/README.md): pages against a bare hello view under
# gunicorn, loaded with wrk on 127.0.0.1. SIZE=large takes a long time
# (100 k questions to import); BENCH_ARGS="--reuse-db" keeps the import.
SIZE ?= small
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk \
	  || { apt-get update && apt-get install -y wrk; }
	$(BIN)/python bench/run.py --size $(SIZE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
