"""The budget of the property tests over random completions of missing facts: small and
derandomised in ``make test``; ``EMULATION_RULES_PROPERTY_EXAMPLES=N`` for a longer, random run."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

BUDGET = os.environ.get("EMULATION_RULES_PROPERTY_EXAMPLES")
#: random completions of the missing facts tried per example
COMPLETIONS = 6 if BUDGET else 4


def property_settings(examples: int) -> settings:
    """``examples`` per test in ``make test`` (derandomised), or the environment's budget."""
    return settings(
        max_examples=int(BUDGET) if BUDGET else examples,
        deadline=None,
        derandomize=not BUDGET,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
