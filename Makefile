# metbudget: `make run` for a local server with demo data, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets these in the environment instead.
export DJANGO_SETTINGS_MODULE := metbudget.settings

# What metbudget needs outside Python, found or installed by `make system-deps` for
# `make run`, `make test` and CI (scripts/system_deps.py): the shared libraries of the
# server-side PDF renderer (Pango), by library name and by the Debian packages that hold
# them, installed with apt-get when missing and running as root on Debian or Ubuntu.
PDF_LIBRARIES := pango-1.0 pangoft2-1.0
PDF_DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
# The Chromium that `make browser` found, for the browser tests.
CHROMIUM_STAMP := $(VENV)/.chromium

.PHONY: run test test-fast venv dev-venv system-deps browser migrate demo lint format bench clean

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

system-deps:
	@$(PYTHON) scripts/system_deps.py libs --libraries $(PDF_LIBRARIES) --debian $(PDF_DEBIAN_PACKAGES)

# A system Chromium, else Playwright's own (downloaded if need be), else, as root on
# Debian or Ubuntu, apt-get's; otherwise one line saying what to install. Kept in
# $(CHROMIUM_STAMP), so later runs only check that it is still there.
browser: dev-venv
	@$(PY) scripts/system_deps.py browser --stamp $(CHROMIUM_STAMP) >/dev/null

run: export DEBUG ?= true
run: export ORGANISATION_NAME ?= Metropolitan Police Service
run: venv system-deps
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "metbudget is starting on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests run with DEBUG off, as production does, with a throwaway key. `make test` is the
# whole suite (what CI runs); `make test-fast` leaves out the browser tests. Both print
# what they run, then the counts and the time (scripts/run_tests.py).
test test-fast: export SECRET_KEY ?= test-only-secret-key-not-for-production-use-0123456789
test test-fast: export SECURE_SSL_REDIRECT ?= false
test test-fast: export COOKIES_SECURE ?= false
test test-fast: export ALLOWED_HOSTS ?= localhost,127.0.0.1,testserver
test test-fast: export DJANGO_ALLOW_ASYNC_UNSAFE ?= true
test: dev-venv system-deps browser
	@$(PY) scripts/run_tests.py --chromium "$${CHROMIUM_PATH:-$$(cat $(CHROMIUM_STAMP))}" $(PYTEST_ARGS)

test-fast: dev-venv system-deps
	@$(PY) scripts/run_tests.py --no-browser $(PYTEST_ARGS)

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
bench: export CHROMIUM_PATH ?= $(shell cat $(CHROMIUM_STAMP) 2>/dev/null)
bench: venv
	$(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
