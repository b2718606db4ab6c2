"""Shared fixtures: tiny catalogues and paths to the small messy files in tests/data/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture
def catalogue() -> pd.DataFrame:
    """A few catalogue rows: enough to resolve instrument ids and names in usage files."""
    return pd.DataFrame(
        {
            "instrument_id": ["member_shares", "sacco_cu_loan", "public_grant", "community_shares", "microcredit",
                              "public_soft_loan", "savings_group", "earned_income"],
            "name": ["Member share capital", "SACCO / credit union member loan", "Public grants",
                     "Community shares", "Microcredit", "Public soft loans", "Community savings scheme",
                     "Income from sales"],
            "name_local": [None, None, None, None, None, None, "tontine", None],
        }
    )


@pytest.fixture
def data_file():
    """Bytes of a file in tests/data/."""
    return lambda name: (TEST_DATA / name).read_bytes()
