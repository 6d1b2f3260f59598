# KinoCritics — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
# pyenv's interpreter named in .python-version, else any python3.13 / python3.12 on PATH.
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python3) \
	$(shell command -v python3.13 2>/dev/null) $(shell command -v python3.12 2>/dev/null))
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check -q
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install install-test setup run test lint fmt browser bench bench-load clean backup restore

help:
	@echo "make run    — install, migrate SQLite, import the catalogue, load demo content, serve on http://$(HOST):$(PORT) with the task worker"
	@echo "make setup  — everything 'run' does except serving"
	@echo "make test   — install test tools and run the whole suite (PostgreSQL too when DATABASE_URL points at one)"
	@echo "make backup — database and media into backups/kinocritics-<time>.tar.gz"
	@echo "make restore FILE=backups/….tar.gz — put a backup back (asks first)"
	@echo "make bench  — benchmarks that print figures; make bench-load — the production stack under wrk (installs nginx and wrk from apt)"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) not found: install it (pyenv install $(PYTHON_VERSION)) or set PYTHON=/path/to/python3.13"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(PY) requirements/base.txt requirements/data.txt pyproject.toml
	$(PIP) install -r requirements/base.txt
	$(PIP) install --no-deps -r requirements/data.txt
	$(PIP) install --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP) install -r requirements/test.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

setup: install
	$(MANAGE) migrate --no-input
	$(MANAGE) import_films --no-progress
	$(MANAGE) load_demo
	$(MANAGE) search_rebuild
	$(MANAGE) import_screenings --schedule

# The worker runs queued tasks; the loop publishes reviews whose scheduled time has come
# (in production: a cron job or timer running `manage.py publish_scheduled` every minute).
run: setup
	@echo "Starting the task worker and the site on http://$(HOST):$(PORT)/ (Ctrl-C stops both)"
	@$(MANAGE) db_worker & worker=$$!; \
	( while sleep 60; do $(MANAGE) publish_scheduled >/dev/null; done ) & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright's own download cannot work offline).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install-test browser lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest

# Figures, never pass/fail. Each script takes --help; `--postgres` where it applies.
bench: install-test
	$(PY) bench/import_films.py
	$(PY) bench/pages.py
	$(PY) bench/classify_labels.py
	$(PY) bench/match_titles.py
	$(PY) bench/screenings.py
	$(PY) bench/festival_list.py
	$(PY) bench/festival_edition.py

# The production stack under wrk: gunicorn, PostgreSQL, Redis and nginx's proxy_cache, all on
# this machine (bench/README.md). Debian's nginx, its purge module and wrk come from apt.
bench-load: install-test
	@test -x /usr/sbin/nginx -a -x /usr/bin/wrk -a -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk libnginx-mod-http-cache-purge >/dev/null; \
	  else echo "needs: sudo apt-get install nginx wrk libnginx-mod-http-cache-purge"; exit 1; fi; }
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3* media .test-media staticfiles

# Database (SQLite or PostgreSQL, per DATABASE_URL) and media in one archive with a manifest.
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || { echo "Which backup? make restore FILE=backups/kinocritics-<time>.tar.gz"; exit 1; }
	$(MANAGE) restore "$(FILE)"
