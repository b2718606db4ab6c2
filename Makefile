# `make` runs the whole test suite and the linters.
PY := .venv/bin/python

.PHONY: all test fast lint format

all: test lint

test:
	$(PY) -m pytest

fast:
	$(PY) -m pytest -m "not browser"

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format:
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .
