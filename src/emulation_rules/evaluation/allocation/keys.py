"""Ranking keys as integer codes: equal keys get one code, a smaller code ranks higher.

A candidate whose ranking facts are all known has one key. Where a ranking fact is missing the
key is a box: the missing value may be anything in the fact's declared range (a boolean 0..1, an
ordinal any level, a number between its ``minimum`` and ``maximum``, unbounded where none is
declared). ``best`` is the code of the box's highest-ranking point, ``worst`` of its lowest;
under lexicographic order over several keys these are the corners of the box. Known keys have
``best == worst``. Codes are dense ranks of the distinct key tuples, computed with numpy.
"""

from __future__ import annotations

import attrs
import numpy as np

from emulation_rules.engine.compiler import CompiledAward
from emulation_rules.engine.fact_table import BoolArray, FactTable, numeric_bounds
from emulation_rules.evaluation.allocation.counting import Ints
from emulation_rules.plan.campaign import Campaign


@attrs.frozen(eq=False)
class RankCodes:
    """Aligned with the rows of the fact table (rows not asked for are 0 and never read)."""

    known: BoolArray
    best: Ints
    worst: Ints


def rank_codes(campaign: Campaign, award: CompiledAward, table: FactTable, rows: Ints) -> RankCodes:
    """Codes of ``rows`` for the award's ranking (no ranking: every candidate equal)."""
    n = len(table)
    known = np.ones(n, dtype=bool)
    best = np.zeros(n, dtype=np.int64)
    worst = np.zeros(n, dtype=np.int64)
    if not award.ranking or len(rows) == 0:
        return RankCodes(known, best, worst)
    best_cols: list[np.ndarray] = []
    worst_cols: list[np.ndarray] = []
    for column, desc in award.ranking:
        k = table.known[column][rows]
        v = table.values[column][rows]
        lo, hi = numeric_bounds(campaign, campaign.fact(column.removeprefix("unit.")))
        if desc:  # higher is better: the key is the negated value
            best_cols.append(np.where(k, -v, -hi))
            worst_cols.append(np.where(k, -v, -lo))
        else:
            best_cols.append(np.where(k, v, lo))
            worst_cols.append(np.where(k, v, hi))
        known[rows] &= k
    m = len(rows)
    points = [np.concatenate([b, w]) for b, w in zip(best_cols, worst_cols, strict=True)]
    order = np.lexsort(points[::-1])  # the first key is the primary one
    sorted_points = [p[order] for p in points]
    new = np.zeros(2 * m, dtype=bool)
    new[0] = True
    for p in sorted_points:
        new[1:] |= p[1:] != p[:-1]
    dense = np.empty(2 * m, dtype=np.int64)
    dense[order] = np.cumsum(new) - 1
    best[rows] = dense[:m]
    worst[rows] = dense[m:]
    return RankCodes(known, best, worst)
