# The two set-up commands (README): `make run` and `make test`. Nothing else to install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint lock messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

## make run: install, load the demo data and serve it at http://$(HOST):$(PORT) on SQLite
run: $(VENV)/.installed
	$(BIN)/gongkai serve --demo --host $(HOST) --port $(PORT)

## make test: install the development dependencies and run the whole test suite
test: $(VENV)/.installed-dev
	$(BIN)/python scripts/run_tests.py $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/gongkai makemigrations --check --dry-run

lock: $(VENV)/.installed-dev
	$(BIN)/pip freeze --exclude-editable | grep -v '^gongkai' > requirements/constraints.txt

## make messages: refresh the English catalogue from the sources and compile it (locale/README.md)
messages: $(VENV)/.installed-dev
	$(BIN)/gongkai makemessages -l en --ignore=.venv --ignore=static --ignore=var
	$(BIN)/gongkai compilemessages --ignore=.venv
	$(BIN)/python scripts/check_translations.py

clean:
	rm -rf $(VENV)
