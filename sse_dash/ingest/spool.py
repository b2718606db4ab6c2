"""Large uploads parsed from a private temporary file: where those files live, and removing the ones left behind."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

SPOOL_BYTES = 4 << 20  # from this size, bytes are parsed from a temporary file
_SPOOL_NAME = re.compile(r"upload-(\d+)-[\w-]+\.csv")


def spool_dir() -> Path:
    """The private folder (mode 0700, one per user) where large uploads are parsed from: see `spooled`."""
    folder = Path(tempfile.gettempdir()) / f"sse-dash-spool-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def clean_spool() -> int:
    """Remove the spooled uploads of server processes that have ended (a hard kill leaves them); returns how many.

    Each file carries the id of the process that wrote it; the files of processes still running are left alone.
    """
    removed = 0
    for path in spool_dir().glob("upload-*.csv"):
        found = _SPOOL_NAME.fullmatch(path.name)
        if found and not _process_alive(int(found.group(1))):
            unlink(str(path))
            removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's
        return True
    return True


def spooled(data: bytes) -> str | None:
    """Large bytes written to a private temporary file, or None (small data, or no disk space).

    pandas' C parser reads a file more than twice as fast as the same bytes in memory (an upload arrives as bytes).
    The file goes when the table that reads from it goes; `clean_spool` removes those a killed server left.
    """
    if len(data) < SPOOL_BYTES:
        return None
    try:
        with tempfile.NamedTemporaryFile(
            prefix=f"upload-{os.getpid()}-", suffix=".csv", dir=spool_dir(), delete=False
        ) as handle:
            name = handle.name
            handle.write(data)
    except OSError:
        with contextlib.suppress(NameError, OSError):
            os.unlink(name)
        return None
    return name


def unlink(name: str) -> None:
    """Remove a file, if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(name)
