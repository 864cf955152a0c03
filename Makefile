# Two commands do all the set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 found (pyenv's shim honours .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)
DB_URL = $$(DATABASE_URL="$$DATABASE_URL" $(PY) bin/dev_database.py)
# Settings for a local production-like check (never used to serve).
PROD_ENV := DEBUG=0 SECRET_KEY=quality-check-only-$$(date +%s)-not-a-real-secret-value-0123456789 SALT_KEY=quality-check-salt ALLOWED_HOSTS=accompagnement.example.org

.PHONY: help install run test test-browser quality fix

help:
	@echo "make run      installe, migre, charge les données de démonstration et sert http://127.0.0.1:8000"
	@echo "make test     lance toute la suite de tests (PostgreSQL)"
	@echo "make quality  ruff, migrations à jour, check --deploy"
	@echo "make fix      corrige le style (ruff)"

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 ou plus récent est nécessaire (python3.12 introuvable)." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --group dev -c constraints.txt
	touch $@

install: $(VENV)/.installed

run: install
	@export DATABASE_URL=$(DB_URL) DEBUG=1 && \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py seed_demo && \
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	export DATABASE_URL=$(DB_URL) && $(PY) -m pytest $(PYTEST_ARGS)

test-browser: install
	export DATABASE_URL=$(DB_URL) && $(PY) -m pytest -m browser $(PYTEST_ARGS)

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	export DATABASE_URL=$(DB_URL) DEBUG=1 && $(PY) manage.py makemigrations --check --dry-run
	export DATABASE_URL=$(DB_URL) $(PROD_ENV) && $(PY) manage.py check --deploy --fail-level WARNING

fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
