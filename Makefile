# lowcarbon — one entry point for people and CI.  `make help` lists the targets.
#
# Every target creates and reuses a local virtual environment in .venv, so a fresh
# machine needs only Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help lock demo demo-cli bench-web test coverage test-browser test-postgres check lint format types data contract migrations messages bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Installs exactly the lock file (every package pinned with its hashes), never pyproject's ranges;
# the project itself goes in editable, built by the locked backend without a build sandbox.
$(STAMP): requirements/dev.txt pyproject.toml assets/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	scripts/vendor-assets
	@touch $@

lock: $(STAMP) ## Regenerate requirements/*.txt from pyproject.toml's ranges (after changing a dependency)
	scripts/lock

DEMO_ADDRESS ?= 127.0.0.1:8000

demo: $(STAMP) ## Main job: the web platform with a demo round, two applications and an account per role, on http://127.0.0.1:8000/ (Ctrl-C stops)
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=lowcarbon.web.settings.demo \
		$(BIN)/python manage.py serve_demo $(DEMO_ADDRESS)

demo-cli: $(STAMP) ## Command-line demo: score and account the bundled example community and zone, explaining every number
	$(BIN)/lowcarbon demo

# The non-browser tests run on every core (pytest-xdist: each worker has its own in-memory or
# PostgreSQL test database and media folder); the browser tests then run one at a time, since
# each drives a live server and a Chromium. Branch coverage is measured where it is a gate: core
# and rules must stay at 100% from their own tests (tracing the rest more than doubles the web
# tests' time on Python 3.11; `make coverage` reports the whole package).
test: $(STAMP) ## Run the whole test suite, browser tests included (core and rules must stay at 100%)
	scripts/ensure-system-deps
	$(BIN)/python -m pytest -n auto tests/core tests/rules --cov=lowcarbon.core --cov=lowcarbon.rules --cov-report= $(PYTEST_ARGS)
	$(BIN)/python -m coverage report --include='src/lowcarbon/core/*,src/lowcarbon/rules/*' --fail-under=100
	$(BIN)/python -m pytest -n auto --ignore=tests/browser --ignore=tests/core --ignore=tests/rules $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

coverage: $(STAMP) ## Branch coverage of the whole package over the whole suite (slower; a report, not a gate)
	scripts/ensure-system-deps
	$(BIN)/python -m pytest -n auto --ignore=tests/browser --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser --cov --cov-append --cov-report=term $(PYTEST_ARGS)

test-browser: $(STAMP) ## Only the browser tests (Playwright driving Debian's /usr/bin/chromium)
	scripts/ensure-system-deps
	$(BIN)/python -m pytest tests/browser -q -p no:cacheprovider

test-postgres: $(STAMP) ## The web tests on a real PostgreSQL server (installs it with apt-get when missing)
	HYPOTHESIS_PROFILE=ci-postgres scripts/with-postgres $(BIN)/python -m pytest -n auto tests/web -q -p no:cacheprovider

check: lint types data contract migrations test ## Everything CI runs: lint, types, data validation, layering, migrations, tests

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

format: $(STAMP) ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix src tests bench tools
	$(BIN)/ruff format src tests bench tools

types: $(STAMP) ## mypy (strict on core and rules)
	$(BIN)/mypy

data: $(STAMP) ## Validate every rule and factor file and check each finding has a resolution
	$(BIN)/lowcarbon rubrics validate --strict
	$(BIN)/lowcarbon factors check

contract: $(STAMP) ## Layering contract: core imports neither Django nor files nor the network
	$(BIN)/lint-imports

migrations: $(STAMP) ## Fail when a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP) ## Extract translatable strings and compile the catalogues
	$(BIN)/python -m lowcarbon.cli.messages

bench: $(STAMP) ## Benchmarks (not tests): scoring, accounting, documents and monitoring against bare ceilings
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_accounting.py
	$(BIN)/python bench/bench_documents.py
	$(BIN)/python bench/bench_monitoring.py $(BENCH_MONITORING_ARGS)

bench-web: $(STAMP) ## Web load benchmark (not a test): main pages, 20 users, SQLite and PostgreSQL, against a bare view
	$(BIN)/python bench/bench_web.py --postgres $(BENCH_WEB_ARGS)

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
