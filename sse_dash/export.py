"""Frames to CSV bytes for downloads and `--out`: UTF-8, canonical names, plain numbers.

Every CSV the project writes for a person goes through `to_csv_bytes`, so one place decides how cells look.
"""

from __future__ import annotations

import pandas as pd


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_bool_dtype(column):
            out[name] = column.map({True: "true", False: "false"}).astype("object")
    return out


def to_csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """UTF-8 CSV with plain numbers (no thousands separators, no scientific notation below 1e15)."""
    return _plain(frame).to_csv(index=index, float_format="%.15g", lineterminator="\n").encode("utf-8")
