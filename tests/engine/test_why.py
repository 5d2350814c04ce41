"""The plan written as in issue 9's "Why" — five of seven criteria, an on-time ratio, a deadline,
an individual gated by its unit's flag — as an in-process plugin, its YAML cases run on both
engines (every case evaluates with ``engine="both"``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from emulation_rules import hookimpl, load_registry
from emulation_rules.plugins.registry import Registry
from emulation_rules.testing.cases import load_cases, run_case

HERE = Path(__file__).parent / "why"


class WhyPlugin:
    """A plugin written as a new user would, from the clauses of the issue."""

    @hookimpl
    def register_campaigns(self, register: Callable[..., None]) -> None:
        register(HERE / "plan.yaml", sample=HERE / "sample.json")


@pytest.fixture(scope="module")
def why_registry() -> Registry:
    return load_registry(extra_plugins=[("why", WhyPlugin())], entry_points=False)


CASES = load_cases(HERE / "cases.yaml")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_why_case(case: object, why_registry: Registry) -> None:
    run_case(case, HERE / "cases.yaml", why_registry)  # type: ignore[arg-type]
