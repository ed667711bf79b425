# Two commands do all set-up on a fresh machine: `make run` and `make test`.
# Every step is idempotent: it installs only what is missing or changed.

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
BIN   := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test install lint unit-tests pg-tests browser-deps document-deps translations bench help

help:
	@echo "make run    install, build the demo database, serve web + scheduler on http://127.0.0.1:5000"
	@echo "make test   install and run the whole suite (lint, types, SQLite, PostgreSQL, browser)"
	@echo "make bench  run the benchmarks in bench/"

install: $(VENV)/.installed node_modules/.installed translations

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's chromium for the browser tests (Playwright's own download cannot reach the network).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# LibreOffice (headless) makes the PDFs and .docs the importer's tests read and opens every
# .docx/.xlsx we produce (a file that would need repair does not convert); poppler reads the
# PDFs; antiword reads .doc.
document-deps:
	@{ command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && \
	   command -v antiword >/dev/null 2>&1; } || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils antiword; }

translations: $(VENV)/.installed
	@if ls tracker/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel -q compile -d tracker/translations; fi

lint: install
	$(BIN)/ruff check tracker tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

unit-tests: install
	$(BIN)/pytest -q -n auto

# The database-backed suite again, on PostgreSQL at 127.0.0.1:5432.
pg-tests: install
# The pure packages (cadence, importing) have no database and run once.
	TRACKER_TEST_DATABASE=postgres $(BIN)/pytest -q -n auto -m "not browser" \
	  --ignore=tests/cadence --ignore=tests/importing \
	  --ignore=tests/cli/test_cadence_cli.py --ignore=tests/cli/test_import_cli.py

test: install browser-deps document-deps lint unit-tests pg-tests

run: install
	$(BIN)/tracker demo
	$(BIN)/tracker serve

bench: install
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b; done
