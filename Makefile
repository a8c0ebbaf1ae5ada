# The two commands of the README:
#   make demo   install everything, load the demo data into the embedded SQLite database, serve http://127.0.0.1:8000
#   make test   install everything (test tools, headless Chromium) and run the whole test suite
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi selects PostgreSQL for either.
SHELL := /bin/bash
VENV := .venv
FAZHI := $(VENV)/bin/fazhi
HOST ?= 127.0.0.1:8000

.PHONY: demo test install install-dev lint typecheck openapi check bench-audit reliability

install:
	scripts/setup.sh

install-dev:
	scripts/setup.sh --dev

demo: install
	$(FAZHI) migrate --noinput
	$(FAZHI) demo --scale small
	$(FAZHI) portal reindex --missing
	$(FAZHI) collectstatic --noinput -v 0
	@echo "==> fazhi is running at http://$(HOST)/  (Ctrl-C to stop)"
	FAZHI_DEBUG=$${FAZHI_DEBUG:-0} $(FAZHI) runserver $(HOST)

test: install-dev
	scripts/test.sh

lint:
	$(VENV)/bin/ruff check src bench
	$(VENV)/bin/ruff format --check src bench

typecheck:
	$(VENV)/bin/mypy

openapi:
	$(FAZHI) openapi --write docs/openapi.json

bench-audit:
	$(VENV)/bin/python bench/audit_verify.py

# The long reliability and security suite (faults, hostile input, access, privacy, load): docs/RELIABILITY.md.
# PLANT=1 also shows each check catching a planted bug. Not part of `make test`: it takes a quarter of an hour.
reliability: install-dev
	$(VENV)/bin/python bench/reliability.py $(if $(PLANT),--plant) $(RELIABILITY_ARGS)
