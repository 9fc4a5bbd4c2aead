# Two commands for people: `make up` runs the whole platform, `make test` checks it.
# Both create .venv and install the repo into it on first use (and again when a
# pyproject or the constraints change).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROJECTS := libs/common $(wildcard services/*)
PYPROJECTS := $(addsuffix /pyproject.toml,$(PROJECTS))

.PHONY: up test lint typecheck unit bench soak clean

$(STAMP): $(PYPROJECTS) requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -r requirements-dev.txt
	touch $(STAMP)

up: $(STAMP)
	$(BIN)/tosei up

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py

soak: $(STAMP)
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) .tosei .mypy_cache .pytest_cache .ruff_cache
