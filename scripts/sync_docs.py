"""Rewrite the generated parts of the docs (the data dictionary in data/README.md) from sse_dash.schema.

Run `python scripts/sync_docs.py` after changing a schema; tests/test_bundled_data.py fails until you do.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sse_dash.schema import KINDS, dictionary_markdown  # noqa: E402

DATA_README = ROOT / "data" / "README.md"


def synced(text: str) -> str:
    """`text` with every `<!-- dictionary:KIND -->` block replaced by the current dictionary."""
    for kind in KINDS:
        pattern = re.compile(rf"(<!-- dictionary:{kind} -->\n).*?(\n<!-- /dictionary:{kind} -->)", re.DOTALL)
        text = pattern.sub(lambda m, k=kind: m.group(1) + dictionary_markdown(k) + m.group(2), text)
    return text


if __name__ == "__main__":
    DATA_README.write_text(synced(DATA_README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {DATA_README.relative_to(ROOT)}")
