# Sociale Basis. `make demo` runs the platform with real Amsterdam data; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test lint schema check-schema vendor bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamp files make installs idempotent: they rerun only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The worker (background mail) runs beside the web server and stops with it. The demo runs
# without Django's debug pages (SB_DEBUG=0: the site's own 404/500 pages, never a list of URL
# patterns or a traceback for visitors); `SB_DEBUG=1 make demo` for development.
demo: install
	$(BIN)/socialebasis demo
	@echo "Sociale Basis draait op http://$(HOST):$(PORT)/  (stoppen: Ctrl+C)"
	export SB_DEBUG=$${SB_DEBUG:-0} SB_SITE_URL=$${SB_SITE_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/socialebasis worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

schema: install
	$(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

check-schema: install
	$(BIN)/python manage.py spectacular --file /tmp/openapi-current.yaml --validate --fail-on-warn
	diff -u docs/openapi.yaml /tmp/openapi-current.yaml

# Front-end packages (htmx, Leaflet, NL Design System CSS, axe-core) from npm into static/vendor/;
# only needed to change a version: the vendored files are committed.
vendor:
	scripts/vendor-frontend.sh

# Search benchmark (docs/performance.md); e.g. make bench BENCH_ARGS="--db sqlite --queries 50"
bench: install-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/search.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
