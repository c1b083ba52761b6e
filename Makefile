# Hyrkoll – the two commands: `make demo` (web app on SQLite with demo data) and `make test`.
SHELL := /bin/bash
# The distribution's Python 3.11 where it can make a venv, else python3.11 on PATH: Debian builds its
# interpreter with profile-guided and link-time optimisation; a pyenv or source build (the default
# ./configure, --enable-shared) has neither, and the benchmark's pages took 18-45 % more CPU there
# (README, run 20).
PYTHON ?= $(shell /usr/bin/python3.11 -c "import ensurepip, venv" >/dev/null 2>&1 && echo /usr/bin/python3.11 || echo python3.11)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_DB := var/demo.sqlite3
STAMP := $(VENV)/.installed

.PHONY: demo test lint check test-sqlite test-postgres browser bench bench-scale lock clean messages

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . || \
		$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## The web app on SQLite with realistic demo data, at http://127.0.0.1:$(PORT)
demo: $(STAMP)
	mkdir -p var
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	DEBUG=1 SQLITE_PATH=$(DEMO_DB) $(BIN)/hyrkoll migrate --no-input -v 0
	DEBUG=1 SQLITE_PATH=$(DEMO_DB) $(BIN)/hyrkoll load_demo_data
	DEBUG=1 SQLITE_PATH=$(DEMO_DB) $(BIN)/hyrkoll runserver --insecure 127.0.0.1:$(PORT)

## Lint, checks, and the whole test suite on SQLite and on a throwaway PostgreSQL server
test: lint check test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	HYRKOLL_TESTING=1 $(BIN)/hyrkoll check --fail-level WARNING
	HYRKOLL_TESTING=1 $(BIN)/hyrkoll makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY="check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
		ALLOWED_HOSTS=hyrkoll.example.se $(BIN)/hyrkoll check --deploy --fail-level WARNING
	$(BIN)/python tools/check_messages.py

browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test-sqlite: $(STAMP) browser
	HYRKOLL_TESTING=1 $(BIN)/pytest -q

test-postgres: $(STAMP) browser
	HYRKOLL_TESTING=1 $(BIN)/python tools/with_postgres.py -- $(BIN)/pytest -q

## Benchmarks under bench/, each prints its figures
bench: $(STAMP)
	HYRKOLL_TESTING=1 $(BIN)/python bench/run.py

## The load benchmark: throwaway PostgreSQL, the scale data set (cached under var/bench-scale/), gunicorn,
## Locust with 20 users; prints p50/p95/p99 and errors per page and API endpoint and the slowest SQL
SCALE ?= default
BENCH_SCALE_SECONDS ?= 300
bench-scale: $(STAMP)
	$(BIN)/python bench/scale/run.py --scale $(SCALE) --seconds $(BENCH_SCALE_SECONDS)

## Regenerate the lock files after editing requirements/*.in
## base.txt keeps extras (fonttools[woff]==…): with them stripped, pip's hash-checking install takes
## weasyprint's fonttools[woff] for an unpinned requirement as soon as a newer fonttools is published.
lock: $(STAMP)
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --no-strip-extras -o base.txt base.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras -o dev.txt dev.in

## Update and compile the Swedish translations
messages: $(STAMP)
	cd hyrkoll && DEBUG=1 ../$(BIN)/hyrkoll makemessages -l sv --no-location --ignore "*/tests/*" --ignore "*/migrations/*"
	cd hyrkoll && DEBUG=1 ../$(BIN)/hyrkoll compilemessages -l sv

clean:
	rm -rf $(VENV) var
