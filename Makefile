# metbudget: `make run` for a local server with demo data, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets these in the environment instead.
export DJANGO_SETTINGS_MODULE := metbudget.settings

.PHONY: run test venv dev-venv migrate demo lint format bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

run: export DEBUG ?= true
run: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "metbudget is starting on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests run with DEBUG off, as production does, with a throwaway key.
test: export SECRET_KEY ?= test-only-secret-key-not-for-production-use-0123456789
test: export SECURE_SSL_REDIRECT ?= false
test: export COOKIES_SECURE ?= false
test: export ALLOWED_HOSTS ?= localhost,127.0.0.1,testserver
test: export DJANGO_ALLOW_ASYNC_UNSAFE ?= true
test: dev-venv
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Ruff; the layers of .importlinter (scripts/lint_layers.py); no function of cyclomatic
# complexity D or worse (radon lists them, and exits 0 even then).
lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/lint_layers.py
	@complex="$$($(VENV)/bin/radon cc --min D --show-complexity --ignore '.*,migrations,tests,staticfiles,node_modules' .)" || exit 1; \
	if [ -n "$$complex" ]; then \
	  printf '%s\n' "$$complex"; \
	  echo "radon: the functions above have cyclomatic complexity D or worse: split them up"; \
	  exit 1; \
	fi

format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: export DEBUG ?= true
bench: venv
	$(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
