"""The columnar evaluator: every criterion's verdict for every candidate, as numpy arrays.

Three-valued (Kleene) logic over two boolean masks per node, ``met`` and ``not_met``; a row in
neither is ``unknown``. A comparison is met or not met only where every fact it reads is known,
so a missing fact can never turn into ``not_met``. A criterion's guard (``applies_if``) that does
not hold gives ``not_applicable``; a guard that cannot be decided gives ``unknown``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.engine.compiler import (
    CAll,
    CAny,
    CAttr,
    CCmp,
    CNode,
    CNot,
    CompiledAward,
    CompiledPlan,
)
from emulation_rules.engine.fact_table import BoolArray, FactTable

# verdict codes (int8); OTHER_KIND marks rows the criterion or award is not for
MET, NOT_MET, UNKNOWN, NOT_APPLICABLE, OTHER_KIND = 0, 1, 2, 3, -1
VERDICTS = ("met", "not_met", "unknown", "not_applicable")
# eligibility codes
ELIGIBLE, INELIGIBLE, UNDETERMINED = 0, 1, 2
# an award for a time the candidate did not exist (set after evaluation, from input dates)
AWARD_NOT_APPLICABLE = 3
ELIGIBILITY = ("eligible", "ineligible", "undetermined", "not_applicable")

Int8Array = npt.NDArray[np.int8]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@attrs.frozen(eq=False)
class ColumnarVerdicts:
    """``criteria[i][row]`` is a verdict code; ``awards[j][row]`` an eligibility code."""

    criteria: tuple[Int8Array, ...]
    awards: tuple[Int8Array, ...]


def node_masks(node: CNode, table: FactTable) -> tuple[BoolArray, BoolArray]:
    """(met, not_met) for one compiled node over every row of the table."""
    if isinstance(node, CCmp):
        if node.other is None:
            known, left, right = table.known[node.column], table.values[node.column], node.constant
        else:
            left, known = table.difference(node.column, node.other)
            right = node.margin
        holds = _OPS[node.op](left, right)
        return known & holds, known & ~holds
    if isinstance(node, CAttr):
        column = table.kind if node.attribute == "kind" else table.attributes[node.attribute]
        holds = np.isin(column, np.fromiter(node.codes, dtype=np.int32))
        return holds, ~holds
    if isinstance(node, CNot):
        met, not_met = node_masks(node.child, table)
        return not_met, met
    parts = [node_masks(child, table) for child in node.children]
    if isinstance(node, CAll):
        return _reduce(np.logical_and, [p[0] for p in parts]), _reduce(
            np.logical_or, [p[1] for p in parts]
        )
    assert isinstance(node, CAny)
    return _reduce(np.logical_or, [p[0] for p in parts]), _reduce(
        np.logical_and, [p[1] for p in parts]
    )


def _reduce(fn: np.ufunc, arrays: list[BoolArray]) -> BoolArray:
    out = arrays[0].copy()
    for arr in arrays[1:]:
        fn(out, arr, out=out)
    return out


def evaluate_columns(plan: CompiledPlan, table: FactTable) -> ColumnarVerdicts:
    """Every criterion verdict and every award eligibility for every row of ``table``."""
    n = len(table)
    verdicts: list[Int8Array] = []
    for c in plan.criteria:
        codes = np.full(n, UNKNOWN, dtype=np.int8)
        met, not_met = node_masks(c.rule, table)
        codes[met] = MET
        codes[not_met] = NOT_MET
        if c.guard is not None:
            g_met, g_not = node_masks(c.guard, table)
            codes[~g_met] = UNKNOWN
            codes[g_not] = NOT_APPLICABLE
        codes[table.kind != c.kind] = OTHER_KIND
        verdicts.append(codes)
    awards = tuple(_eligibility(a, verdicts, table) for a in plan.awards)
    return ColumnarVerdicts(tuple(verdicts), awards)


def _eligibility(award: CompiledAward, verdicts: list[Int8Array], table: FactTable) -> Int8Array:
    """Any not_met: ineligible; else any unknown: undetermined; else eligible if one is met
    (every criterion not applicable: ineligible, nothing was shown)."""
    n = len(table)
    required = [verdicts[i] for i in award.criteria]
    any_not_met = np.zeros(n, dtype=bool)
    any_unknown = np.zeros(n, dtype=bool)
    any_met = np.zeros(n, dtype=bool)
    for v in required:
        any_not_met |= v == NOT_MET
        any_unknown |= v == UNKNOWN
        any_met |= v == MET
    out = np.full(n, INELIGIBLE, dtype=np.int8)
    out[~any_not_met & any_unknown] = UNDETERMINED
    out[~any_not_met & ~any_unknown & any_met] = ELIGIBLE
    out[table.kind != award.kind] = OTHER_KIND
    return out
