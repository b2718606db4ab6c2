# `make` runs the whole test suite and the linters.
PY := .venv/bin/python

.PHONY: all test fast lint format mutation messages

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

# Extract every _(), ngettext() and N_() message into sse_dash/locales/messages.pot and update each language's
# messages.po (new messages arrive untranslated; the .po files are compiled in memory when first used).
LOCALES := sse_dash/locales
messages:
	mkdir -p $(LOCALES)
	.venv/bin/pybabel extract -F babel.cfg --no-location --sort-output -k _ -k N_ -k ngettext:1,2 \
		-o $(LOCALES)/messages.pot app.py pages sse_dash
	for lang in fr es fa; do \
		if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
			.venv/bin/pybabel update --no-fuzzy-matching -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
		else \
			.venv/bin/pybabel init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang; \
		fi; \
	done
