# Interview Advisor: `make run` serves it locally on SQLite, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test runs use production mode (DEBUG off) with throwaway values.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: setup browser run test lint clean

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

test: setup browser lint
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) REQUIRE_BROWSER=1 $(BIN)/pytest

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
