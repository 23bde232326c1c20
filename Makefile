# The two commands: `make run` (set up everything and serve on SQLite) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=
BENCH_ARGS ?=
# Where `make run` serves; CI's smoke test serves on a free port.
ADDRESS ?= 127.0.0.1:8000

.PHONY: run install install-test migrate translations demo test test-browser bench lint imports messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations: install
	$(MANAGE) compile_translations

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

run: translations demo
	@echo "Serving http://$(ADDRESS) (admin: /cms/; demo accounts in README.md)"
	$(MANAGE) runserver $(ADDRESS)

test: install-test
	$(MANAGE) compile_translations
	$(BIN)/pytest -m "not browser" -n 2 $(PYTEST_ARGS)

test-browser: install-test
	$(MANAGE) compile_translations
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser -p no:xdist $(PYTEST_ARGS) tests/browser

bench: install-test
	$(MANAGE) compile_translations
	$(BIN)/python -m tests.perf.bench $(BENCH_ARGS)
	$(BIN)/python -m tests.perf.burst --database sqlite
	$(BIN)/python -m tests.perf.burst --database postgresql

lint: imports
	$(BIN)/ruff check .

# The boundaries between the apps ([tool.importlinter] in pyproject.toml): a wrong import fails in seconds.
imports: install-test
	$(BIN)/lint-imports

# Refresh the catalogues after changing strings (needs GNU gettext: apt-get install gettext).
messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "media/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .pytest_media .pytest_private_media bench.sqlite3*
