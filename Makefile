# 智慧党建 — two commands: `make demo` (set up everything and serve) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := dangjian/web/static/vendor
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 gettext
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test venv sysdeps assets messages translations migrate seed serve lint typecheck bench bench-university bench-province load drill lock clean

## venv: the virtualenv with the pinned (hashed) Python dependencies
venv: $(VENV)/.installed
$(VENV)/.installed: requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

## sysdeps: Debian packages for PDFs (CJK font, HarfBuzz subsetting) and gettext
sysdeps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them first:  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

## assets: front-end packages pinned in package.json, copied into static (never from a CDN)
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: package.json package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/tabler $(VENDOR)/echarts $(VENDOR)/htmx
	cp node_modules/@tabler/core/dist/css/tabler.min.css $(VENDOR)/tabler/
	cp node_modules/@tabler/core/dist/js/tabler.min.js $(VENDOR)/tabler/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

## messages: compile the translations (zh-hans default, English second)
messages: venv sysdeps
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## translations: refresh the English catalogue after changing UI strings, then fill in the new msgstr
translations: venv
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemessages -l en --no-location \
		--ignore=.venv --ignore=node_modules --ignore=tests --ignore=var --ignore=bench -v 0
	msgattrib --no-obsolete -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

.env:
	$(PY) scripts/init_env.py

migrate: venv .env
	mkdir -p var
	$(PY) manage.py migrate --no-input -v 0

seed: migrate
	$(PY) manage.py seed_demo --size small --if-empty

## demo: set up everything on a fresh machine and serve the site with the demo logins
demo: venv sysdeps assets messages seed
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (on DATABASE_URL when set), lint, types, migrations check
test: venv sysdeps assets messages
	$(VENV)/bin/lint-imports
	$(PY) -m pytest
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy dangjian
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy dangjian

## bench: both sizes, each ending with its summary table (targets, figures, pass/fail), written into
## docs/performance.md (not part of `make test`)
bench: bench-university bench-province

## bench-university: re-seeds 示范大学 (university size) and times pages, seed and Excel; de-duplicates
## 20,000 feed items (bench/news_feeds.py)
bench-university: venv
	$(PY) -m bench.run
	$(PY) -m bench.news_feeds
	$(PY) -m bench.news_reads
	$(PY) -m bench.summary --size university

## bench-province: the 1.3M-people data set (resumes an interrupted seed), pages, Excel, dues, org life, statistics, indices,
## 2,000 members taking a quiz through gunicorn and the study ledger
bench-province: venv
	$(PY) -m bench.run --size province
	$(PY) -m bench.province
	$(PY) -m bench.orglife
	$(PY) -m bench.statistics
	$(PY) -m bench.insights
	$(PY) -m bench.learning
	$(PY) -m bench.news_public
	$(PY) -m bench.summary --size province

## load: 200 virtual users for 5 minutes through gunicorn on PostgreSQL (bench/load.py; figures in docs/operations.md)
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dangjian_load
load: venv
	$(PY) -m bench.load --serve $(LOAD_DATABASE_URL) --base-url http://127.0.0.1:8931

## drill: backup and restore drill at university size (bench/backup_drill.py; figures in docs/operations.md)
drill: venv
	$(PY) -m bench.backup_drill

## lock: re-pin dependencies with hashes (needs uv); commit the result
lock:
	uv pip compile pyproject.toml --generate-hashes --no-emit-index-url --no-emit-find-links --python-version 3.11 -o requirements/base.txt
	uv pip compile pyproject.toml --extra dev --generate-hashes --no-emit-index-url --no-emit-find-links --python-version 3.11 -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
