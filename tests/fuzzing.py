"""How many examples a property test draws: fewer while mutmut runs one mutant (see docs/mutation.md)."""

from __future__ import annotations

import os


def examples(count: int) -> int:
    """``count`` normally; a fifth of it (at least 20) under mutmut, which sets ``MUTANT_UNDER_TEST``.

    A mutant the smaller draw misses is still reported as a survivor, so the score can only look worse, never better.
    """
    if os.environ.get("MUTANT_UNDER_TEST"):
        return max(20, count // 5)
    return count
