# `make` runs the whole test suite and the linters.
PY := .venv/bin/python

.PHONY: all test fast lint format mutation

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

# Mutation check of the core modules with the fast tests that cover them (config: [tool.mutmut] in pyproject.toml).
# Slow on two cores: pick modules with `make mutation MODULES="export state"`. Results: docs/mutation.md.
MODULES ?= export state finder codes transform ingest
mutation:
	$(PY) -m pip install -q -r requirements-mutation.txt
	$(PY) -m mutmut run --max-children 2 $(foreach m,$(MODULES),"sse_dash.$(m).*")
	$(PY) -m mutmut results
