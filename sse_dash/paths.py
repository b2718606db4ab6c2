"""Where the bundled data and alias tables live."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
DATA_DIR = ROOT_DIR / "data"
ALIASES_DIR = PACKAGE_DIR / "aliases"

INSTRUMENTS_CSV = DATA_DIR / "instruments.csv"
# The catalogue's names, descriptions and typical terms in French, Spanish and Persian: translations of its English text.
INSTRUMENT_TRANSLATIONS_CSV = DATA_DIR / "instrument_translations.csv"
FIGURES_CSV = DATA_DIR / "figures.csv"
SOURCES_CSV = DATA_DIR / "sources.csv"
# Synthetic: made by sse_dash.demo, never statistics. The name says so on purpose.
DEMO_USAGE_CSV = DATA_DIR / "SYNTHETIC_demo_usage.csv"
