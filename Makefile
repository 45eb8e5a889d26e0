# Interview Advisor: `make run` serves it locally on SQLite; `make test` runs every check on
# SQLite and those that depend on the database engine again on PostgreSQL; `make serve` runs it
# in production under gunicorn.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test runs use production mode (DEBUG off) with throwaway values; pyproject.toml turns the
# HTTPS redirect off for pytest, as the test client speaks plain HTTP.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
	ADVICE_OPERATOR="Example Careers" ADVICE_CONTACT=privacy@example.org
SQLITE_TEST_URL := sqlite:///$(CURDIR)/db.sqlite3
# The machine's PostgreSQL cluster, with the role and database scripts/postgres-test-db makes.
POSTGRES_TEST_URL := postgres://advisor_test:advisor_test@127.0.0.1:5432/advisor_test
POSTGRES_REPORT := artifacts/pytest-postgres.xml

.PHONY: setup browser run test test-sqlite test-postgres lint static migrate serve clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/.installed

# Debian's Chromium for tests/test_browser.py; does nothing once it is installed.
browser:
	scripts/install-browser.sh

run: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint test-sqlite test-postgres

test-sqlite: setup browser
	$(TEST_ENV) DATABASE_URL=$(SQLITE_TEST_URL) \
		$(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) DATABASE_URL=$(SQLITE_TEST_URL) REQUIRE_BROWSER=1 $(BIN)/pytest

# The tests whose outcome depends on the database engine (marked db_engine) again on
# PostgreSQL, then a check that they really ran there. The browser tests run once, on SQLite.
test-postgres: setup
	scripts/postgres-test-db
	rm -f $(POSTGRES_REPORT)
	$(TEST_ENV) DATABASE_URL=$(POSTGRES_TEST_URL) \
		$(BIN)/pytest -m "db_engine and not browser" --junitxml=$(POSTGRES_REPORT)
	$(BIN)/python scripts/check_postgres_pass.py $(POSTGRES_REPORT)

# Production: these read the production variables from the environment (see the README).
static: setup
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

migrate: setup
	$(BIN)/python manage.py migrate --noinput

serve: static
	$(BIN)/gunicorn --config gunicorn.conf.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache $(POSTGRES_REPORT) mutants

# The benchmark (bench/run.py, docs/benchmarks.md): every questionnaire page against a bare
# Django view under gunicorn, complete questionnaires, the admin at 1,000 and 100,000
# assessments; prints one table. 4 to 6 minutes on 2 cores; on a fresh SQLite file, or on
# PostgreSQL beside the database DATABASE_URL names. Not in `make test`.
.PHONY: bench
bench: setup
	bench/install-wrk.sh
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Concurrent load without loss (bench/loadtest.py): 1,000 questionnaires from 32 people against
# gunicorn with production settings, then rows counted; a fresh SQLite file, or
# LOADTEST_ARGS="--database-url postgres://..." for PostgreSQL. Not in `make test`.
.PHONY: loadtest
loadtest: setup
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

# Mutation testing of the pure core (docs/testing.md): mutmut, configured in pyproject.toml,
# changes the engine, flow, snapshot, services and CSV writer one small mutation at a time and
# runs the tests that reach the changed function; then prints the figures per module and every
# mutant no test caught. Starts afresh each time. About 7 minutes on 2 cores. Not in `make test`.
.PHONY: mutate
mutate: setup
	rm -rf mutants
	$(TEST_ENV) DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/mutmut run
	$(BIN)/python scripts/mutation_figures.py
