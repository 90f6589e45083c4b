# Tillit: `make demo` to try it, `make test` to run every check. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto
SCALE ?= small

.PHONY: install demo test lint messages compile-messages screenshots bench bench-mixed bench-leaders restore-drill clean

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	mkdir -p var
	$(BIN)/python -m tillit.lib.messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Tillit demo on http://$(HOST):$(PORT)/   (password for everyone: tillit-demo)"
	@echo "    anna, erik, sara   workers, Öppenvården vuxna"
	@echo "    jonas, maria       workers, Utredningsgruppen vuxna"
	@echo "    karin              worker, Mottagningen"
	@echo "    lena               team leader, Öppenvården vuxna"
	@echo "    tomas              team leader, Mottagningen and Utredningsgruppen"
	@echo "    olle, frida        workers, Samordnade teamet (assesses and treats)"
	@echo "    nora               team leader, Samordnade teamet"
	@echo "    petra              manager and evaluator (sees no client by design)"
	@echo "    admin              administrator: /admin/ for units, staff and roles"
	@echo "    klient             a client of anna's, in the client portal: /portal/"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install lint
	$(BIN)/mypy tillit bench
	mkdir -p var  # the SQLite database's directory, which the migration check opens
	$(BIN)/python manage.py makemigrations --check --dry-run
	TILLIT_DEBUG=0 TILLIT_ALLOWED_HOSTS=tillit.example \
	  TILLIT_SECRET_KEY=deploy-check-only-7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e2b4d6f0a9c7e \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	@test -x /usr/bin/chromium || echo "!!! /usr/bin/chromium is missing: BROWSER TESTS WILL BE SKIPPED (apt-get install chromium) !!!"
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Load tests under gunicorn and wrk against PostgreSQL (127.0.0.1:5432); SCALE=small or
# large (50,000 clients, 5 million journal entries; the first run seeds for a few minutes).
bench: install
	$(BIN)/python -m bench.run --scale $(SCALE)
	$(MAKE) bench-mixed
	$(MAKE) bench-leaders

# The case flow's and the leaders' pages in-process on the same scale database (seeded by
# bench.run): due lists, the follow-up table, IVO's report, the figures and their nightly
# refresh, and an extract of the whole municipality (docs/performance.md).
bench-leaders: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tillit_bench_$(SCALE) $(BIN)/python -m bench.flow
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/tillit_bench_$(SCALE) $(BIN)/python -m bench.evidence --rounds 3
	$(BIN)/python -m bench.extract --scale $(SCALE) --rounds 1

# A bounded mixed load (2,000 requests over 8 connections, a fifth of them colliding
# writes) on PostgreSQL and on SQLite; fails on any 5xx (bench/mixed.py).
bench-mixed: install
	$(BIN)/python -m bench.mixed --engine postgresql
	$(BIN)/python -m bench.mixed --engine sqlite

# Back up a fresh demo database and restore it into another, then compare every table row by
# row (and run audit_verify on the copy): on SQLite, and on PostgreSQL too when DATABASE_URL
# names one (docs/operations.md).
restore-drill: install
	$(BIN)/python -m tillit.restore_drill

# PNGs of the main pages (desktop and phone) from the demo data, for the README.
screenshots: install
	$(BIN)/pytest e2e/test_screenshots.py -m screenshots -p no:xdist -q

# Extract strings into the .po files (needs GNU gettext), then compile them. Apps listed in
# APP_CATALOGUES keep their own catalogue in tillit/<app>/locale/.
APP_CATALOGUES := assessment bam decisions evidence extracts followup groups network org outcomes plans portal retention survey
messages: install
	cd tillit && ../$(BIN)/django-admin makemessages -l sv -l nb --no-obsolete $(foreach app,$(APP_CATALOGUES),--ignore=$(app)) --settings=tillit.settings --pythonpath=..
	for app in $(APP_CATALOGUES); do (cd tillit/$$app && ../../$(BIN)/django-admin makemessages -l sv -l nb --no-obsolete --settings=tillit.settings --pythonpath=../..) || exit 1; done
	$(MAKE) compile-messages

compile-messages: install
	$(BIN)/python -m tillit.lib.messages

clean:
	rm -rf $(VENV) var
