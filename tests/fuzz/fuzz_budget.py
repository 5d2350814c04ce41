"""How long the fuzz suite runs: a few deterministic examples in ``make test``, or until a time
budget is spent in ``make fuzz``.

``FUZZ_SECONDS`` (set by ``make fuzz``, default 600 there) is the budget of the whole suite,
shared equally between its tests; each test then draws new random examples, batch after batch,
until its share is spent. Without it each test runs ``FUZZ_EXAMPLES`` examples (default 1 per
test and campaign), derandomised, so ``make test`` stays fast and repeatable. Failures found in a
long run are kept in hypothesis' example database (``.hypothesis/``) and replayed first by the
next run. Shrinking is off (a failure is reported as drawn) unless ``FUZZ_SHRINK=1``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

FUZZ_SECONDS = float(os.environ.get("FUZZ_SECONDS") or 0)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 1)
#: examples per batch in a long run (the deadline is checked between batches)
BATCH = 25
#: shrinking a failure re-runs the command line thousands of times (minutes): off unless
#: FUZZ_SHRINK=1, so a failure is reported as drawn
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
if os.environ.get("FUZZ_SHRINK") == "1":
    PHASES.append(Phase.shrink)

HERE = Path(__file__).parent


def share(request: pytest.FixtureRequest) -> float:
    """This test's share of ``FUZZ_SECONDS``: equal among the fuzz tests of the session."""
    items = request.session.items
    mine = [i for i in items if HERE in Path(str(i.path)).parents] or items
    return FUZZ_SECONDS / max(len(mine), 1)


def explore(
    request: pytest.FixtureRequest, test: Callable[..., None], *strategies: st.SearchStrategy[Any]
) -> int:
    """Run ``test`` on examples drawn from ``strategies``; returns the number of batches."""
    quiet = list(HealthCheck)
    if not FUZZ_SECONDS:
        settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=PHASES,
            suppress_health_check=quiet,
        )(given(*strategies)(test))()
        return 1
    runs = settings(
        max_examples=BATCH,
        deadline=None,
        derandomize=False,
        print_blob=True,
        phases=PHASES,
        suppress_health_check=quiet,
    )(given(*strategies)(test))
    stop = time.monotonic() + share(request)
    batches = 0
    while True:
        runs()
        batches += 1
        if time.monotonic() >= stop:
            return batches
