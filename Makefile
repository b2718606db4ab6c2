# `make` runs the whole test suite and the linters.
PY := .venv/bin/python

.PHONY: all test fast lint format messages

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
