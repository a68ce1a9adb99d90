# Korea Lessons: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run setup test lint check bench bench-scaleout clean browser

# Stamp files: reinstall only when the requirement lists change.
$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

setup: $(VENV)/.runtime node_modules/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_unit
	$(DEV_ENV) $(PY) manage.py seed_demo

run: setup
	@echo "Serving Korea Lessons at http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

check: $(VENV)/.dev node_modules/.installed
	DJANGO_TESTING=1 $(PY) manage.py check
	DJANGO_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

test: $(VENV)/.dev node_modules/.installed browser lint check
	DJANGO_TESTING=1 $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev node_modules/.installed
	$(PY) bench/run.py

bench-scaleout: $(VENV)/.dev node_modules/.installed
	$(PY) bench/run.py --scaleout

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
