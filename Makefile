# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run on every core (pytest-xdist); PYTEST_ARGS= runs them in one process.
PYTEST_ARGS ?= -n auto
# Generated cases per operation of the dialects' and the web form's OpenAPI documents (`make fuzz`;
# `make test` runs 10; CI runs 300, see .ci/run), on two workers, one served instance each.
FUZZ_EXAMPLES ?= 10
FUZZ_ARGS ?= -n 2

.PHONY: run test fuzz chromium install install-dev migrate demo lint format check screenshots bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin

## Set up everything and serve on http://$(HOST):$(PORT)
run: demo
	@echo "Serving on http://$(HOST):$(PORT)  (demo users alice, bob, carol; password: demo)"
	@echo "API key of alice: $$($(PY) manage.py apikey alice)  (any user's: $(PY) manage.py apikey USERNAME)"
	@echo "Background jobs (imports, large exports, bulk actions) run in a worker started beside it."
	$(PY) manage.py purge_trash --schedule
	$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Install dev requirements (and Chromium where apt can) and run the whole test suite
test: install-dev chromium
	$(PY) -m pytest $(PYTEST_ARGS)

## Fuzz every operation of every dialect's OpenAPI document, and the web form's, against a served instance
fuzz: install-dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -m fuzz $(FUZZ_ARGS) dialects/tests/test_openapi_fuzz.py

# The browser tests drive Debian's Chromium at /usr/bin/chromium; without it they are skipped.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "apt-get could not install Chromium: the browser tests will be skipped"; \
	else \
	  echo "Chromium is not at /usr/bin/chromium: the browser tests will be skipped."; \
	  echo "Install it to run them, e.g. 'sudo apt-get install chromium' on Debian or Ubuntu."; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

## Refresh the README's screenshots (taken by the browser tests)
screenshots: install-dev
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest -m browser contacts/tests/test_browser.py

bench: install-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
