"""The allocation's counts of competitors at or above a position, against their definition
counted one by one (with and without a cap per unit, strict and not, ties and empty sides)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from emulation_rules.evaluation.allocation.counting import counts


def by_definition(
    points: list[tuple[int, int]], queries: list[tuple[int, int]], strict: bool, cap: int | None
) -> tuple[list[int], list[int]]:
    totals, owns = [], []
    for q_code, q_unit in queries:
        within = [u for code, u in points if (code < q_code if strict else code <= q_code)]
        if cap is None:
            totals.append(len(within))
            owns.append(0)
            continue
        per_unit: dict[int, int] = {}
        for u in within:
            per_unit[u] = per_unit.get(u, 0) + 1
        totals.append(sum(min(n, cap) for n in per_unit.values()))
        owns.append(per_unit.get(q_unit, 0))
    return totals, owns


pairs = st.lists(st.tuples(st.integers(-5, 8), st.integers(-4, 4)), max_size=30)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(pairs, pairs, st.booleans(), st.one_of(st.none(), st.integers(0, 4)))
def test_counts_are_the_definition(
    points: list[tuple[int, int]],
    queries: list[tuple[int, int]],
    strict: bool,
    cap: int | None,
) -> None:
    def arrays(rows: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        codes = np.array([c for c, _ in rows], dtype=np.int64)
        units = np.array([u for _, u in rows], dtype=np.int64)
        return codes, units

    p_codes, p_units = arrays(points)
    q_codes, q_units = arrays(queries)
    total, own = counts(p_codes, p_units, q_codes, q_units, strict=strict, cap=cap)
    assert (total.tolist(), own.tolist()) == by_definition(points, queries, strict, cap)
