"""The columnar evaluator: every criterion's verdict for every candidate, as numpy arrays.

Three-valued (Kleene) logic over two boolean masks per node, ``met`` and ``not_met``; a row in
neither is ``unknown``. A comparison is met or not met only where every fact it reads is known,
so a missing fact can never turn into ``not_met``. ``at_least k`` counts met and possibly-met
children; a member aggregate counts its collective's members whose test is met and unknown and
compares the interval [met, met + unknown] (or its share of the members); an interval column
(distinct ids over years) is met when every value in it passes.

A criterion's guard (``applies_if``, with the plan's not-applicable cases) that does not hold
gives ``not_applicable``; a guard that cannot be decided gives ``met`` where the rule is met (the
verdict holds whichever way the guard turns out: met, or not applicable, blocks nothing) and
``unknown`` otherwise.

Steps run in :attr:`CompiledPlan.order`: a criterion reading another award's eligibility runs
after that award, one reading an allocation ("được tặng") after ``seats`` — a callback the
evaluation layer gives, since allocating is not this layer's business — reported the seats.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.engine.compiler import (
    CAll,
    CAny,
    CAtLeast,
    CAttr,
    CCmp,
    CMembers,
    CNode,
    CNot,
    CompiledAward,
    CompiledPlan,
    CRange,
    CRef,
)
from emulation_rules.engine.fact_table import (
    BoolArray,
    FactTable,
    FloatArray,
    derive,
    round_decimals,
)
from emulation_rules.errors import EvaluationError

# verdict codes (int8); OTHER_KIND marks rows the criterion or award is not for
MET, NOT_MET, UNKNOWN, NOT_APPLICABLE, OTHER_KIND = 0, 1, 2, 3, -1
#: a criterion met while its guard is undecided (shown as met; the durable-rules network uses it
#: to tell an award that rests on it alone from one that shows something for sure)
MET_GUARD_UNDECIDED = 4
VERDICTS = ("met", "not_met", "unknown", "not_applicable")
# eligibility codes
ELIGIBLE, INELIGIBLE, UNDETERMINED = 0, 1, 2
# an award for a time the candidate did not exist (set after evaluation, from input dates)
AWARD_NOT_APPLICABLE = 3
ELIGIBILITY = ("eligible", "ineligible", "undetermined", "not_applicable")
# a seat of an allocation: MET (held under every completion), NOT_MET (held under none), UNKNOWN

Int8Array = npt.NDArray[np.int8]
#: (award index, eligibility codes of every award decided so far) -> seat codes per row
SeatReader = Callable[[int, Mapping[int, Int8Array]], Int8Array]

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
    """``criteria[i][row]`` is a verdict code; ``awards[j][row]`` an eligibility code.

    ``guards[i]`` holds the effective guard's three-valued code per row (MET, NOT_MET, UNKNOWN;
    None without a guard); ``members[k]`` the (met, unknown, members) counts per row of member
    aggregate ``k``; ``seats[j]`` the seat codes of an allocation a criterion read."""

    criteria: tuple[Int8Array, ...]
    awards: tuple[Int8Array, ...]
    guards: tuple[Int8Array | None, ...] = ()
    members: Mapping[int, tuple[FloatArray, FloatArray, FloatArray]] = attrs.field(factory=dict)
    seats: Mapping[int, Int8Array] = attrs.field(factory=dict)


@attrs.define
class _Context:
    table: FactTable
    criteria: dict[int, Int8Array]
    awards: dict[int, Int8Array]
    seats: dict[int, Int8Array]
    members: dict[int, tuple[FloatArray, FloatArray, FloatArray]]
    guards: dict[int, Int8Array | None] = attrs.Factory(dict)


def node_masks(
    node: CNode, table: FactTable, ctx: _Context | None = None
) -> tuple[BoolArray, BoolArray]:
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
        met, not_met = node_masks(node.child, table, ctx)
        return not_met, met
    if isinstance(node, CRange):
        lo, hi = table.values[f"{node.key}.lo"], table.values[f"{node.key}.hi"]
        hi = np.where(table.known[f"{node.key}.hi"], hi, np.inf)
        return interval_masks(lo, hi, node.op, node.constant)
    if isinstance(node, CRef):
        if ctx is None:
            raise EvaluationError("a reference to another outcome needs the evaluation context")
        return _ref_masks(node, ctx)
    if isinstance(node, CMembers):
        if ctx is None:
            raise EvaluationError("a member aggregate needs the evaluation context")
        return _members_masks(node, ctx)
    parts = [node_masks(child, table, ctx) for child in node.children]
    if isinstance(node, CAll):
        return _reduce(np.logical_and, [p[0] for p in parts]), _reduce(
            np.logical_or, [p[1] for p in parts]
        )
    if isinstance(node, CAny):
        return _reduce(np.logical_or, [p[0] for p in parts]), _reduce(
            np.logical_and, [p[1] for p in parts]
        )
    assert isinstance(node, CAtLeast)
    met_count = np.sum([p[0] for p in parts], axis=0)
    possible = np.sum([~p[1] for p in parts], axis=0)
    return met_count >= node.k, possible < node.k


def interval_masks(
    lo: FloatArray, hi: FloatArray, op: str, constant: float
) -> tuple[BoolArray, BoolArray]:
    """(met, not_met) of ``x OP constant`` for every x in [lo, hi] (met: all pass; not met:
    none does)."""
    c = constant
    if op == ">=":
        return lo >= c, hi < c
    if op == ">":
        return lo > c, hi <= c
    if op == "<=":
        return hi <= c, lo > c
    if op == "<":
        return hi < c, lo >= c
    point = lo == hi
    outside = (c < lo) | (c > hi)
    if op == "==":
        return point & (lo == c), outside
    return outside, point & (lo == c)


def _state_masks(
    codes: Int8Array, met: int, not_met: tuple[int, ...]
) -> tuple[BoolArray, BoolArray]:
    return codes == met, np.isin(codes, np.asarray(not_met, dtype=np.int8))


def _ref_masks(node: CRef, ctx: _Context) -> tuple[BoolArray, BoolArray]:
    if node.target == "award":
        met, not_met = _state_masks(ctx.awards[node.index], ELIGIBLE, (INELIGIBLE,))
    elif node.target == "seat":
        met, not_met = _state_masks(ctx.seats[node.index], MET, (NOT_MET,))
    else:
        met, not_met = _state_masks(ctx.criteria[node.index], MET, (NOT_MET, NOT_APPLICABLE))
        guard = ctx.guards.get(node.index)
        if guard is not None:  # met while the guard is undecided may still turn not applicable
            met = met & (guard == MET)
    if node.scope == "self":
        return met, not_met
    units = ctx.table.units()
    has_unit = units >= 0
    at = np.where(has_unit, units, 0)
    return has_unit & met[at], has_unit & not_met[at]


def member_counts(
    test_met: BoolArray, test_not: BoolArray, table: FactTable
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per row: how many of its members meet the test, how many are unknown, how many members
    there are (zero for individuals and for collectives without members)."""
    n = len(table)
    units = table.units()
    rows = units >= 0
    members = np.bincount(units[rows], minlength=n).astype(np.float64)
    met = np.bincount(units[rows & test_met], minlength=n).astype(np.float64)
    unknown_rows = rows & ~test_met & ~test_not
    unknown = np.bincount(units[unknown_rows], minlength=n).astype(np.float64)
    return met, unknown, members


def member_interval(
    node: CMembers, met: FloatArray, unknown: FloatArray, members: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The interval the count (or the share in percent, rounded like a difference) lies in."""
    if node.measure == "count":
        return met, met + unknown
    safe = np.where(members > 0, members, 1.0)
    lo = round_decimals(100.0 * met / safe)
    hi = round_decimals(100.0 * (met + unknown) / safe)
    return lo, hi


def _members_masks(node: CMembers, ctx: _Context) -> tuple[BoolArray, BoolArray]:
    t_met, t_not = node_masks(node.test, ctx.table, ctx)
    met, unknown, members = member_counts(t_met, t_not, ctx.table)
    ctx.members[node.index] = (met, unknown, members)
    lo, hi = member_interval(node, met, unknown, members)
    a_met, a_not = interval_masks(lo, hi, node.op, node.constant)
    none = members == 0
    a_met = a_met & ~none
    a_not = (a_not & ~none) | (none & (node.no_members == "not_met"))
    return a_met, a_not


def _reduce(fn: np.ufunc, arrays: list[BoolArray]) -> BoolArray:
    out = arrays[0].copy()
    for arr in arrays[1:]:
        fn(out, arr, out=out)
    return out


def prepare_table(
    plan: CompiledPlan,
    table: FactTable,
    inactive: Mapping[str, BoolArray] | None = None,
) -> FactTable:
    """The table with the plan's derived columns (arithmetic, distinct counts, member counts),
    and the columns of the awards criteria read that do not apply to a row (``inactive``: award
    id -> rows where the candidate did not exist during its span; none by default)."""
    missing = [c for c in plan.inactive_columns if c[0] not in table.values]
    if missing:
        n = len(table)
        units = table.units()
        has_unit = units >= 0
        values = dict(table.values)
        known = dict(table.known)
        for key, award, scope in missing:
            own = (inactive or {}).get(award, np.zeros(n, dtype=bool))
            if scope == "self":
                values[key], known[key] = own.astype(np.float64), np.ones(n, dtype=bool)
            else:
                of_unit = has_unit & own[np.where(has_unit, units, 0)]
                values[key], known[key] = of_unit.astype(np.float64), has_unit
        table = attrs.evolve(table, values=values, known=known)
    return derive(table, plan.quantities, members=bool(plan.member_tests))


def evaluate_columns(
    plan: CompiledPlan, table: FactTable, *, seats: SeatReader | None = None
) -> ColumnarVerdicts:
    """Every criterion verdict and every award eligibility for every row of ``table``.

    ``seats`` is needed only when a criterion reads another award's allocation.
    """
    table = prepare_table(plan, table)
    ctx = _Context(table, {}, {}, {}, {})
    guards = ctx.guards
    order = plan.order or tuple(
        [("criterion", i) for i in range(len(plan.criteria))]
        + [("award", j) for j in range(len(plan.awards))]
    )
    for what, index in order:
        if what == "criterion":
            ctx.criteria[index], guards[index] = _criterion(plan, index, ctx)
        elif what == "award":
            ctx.awards[index] = _eligibility(plan.awards[index], ctx.criteria, guards, table)
        else:
            if seats is None:
                raise EvaluationError(
                    f"a criterion reads the allocation of award '{plan.awards[index].id}': "
                    "evaluate the campaign with emulation_rules.evaluate"
                )
            ctx.seats[index] = seats(index, dict(ctx.awards))
    return ColumnarVerdicts(
        tuple(ctx.criteria[i] for i in range(len(plan.criteria))),
        tuple(ctx.awards[j] for j in range(len(plan.awards))),
        tuple(guards[i] for i in range(len(plan.criteria))),
        dict(ctx.members),
        dict(ctx.seats),
    )


def _criterion(plan: CompiledPlan, index: int, ctx: _Context) -> tuple[Int8Array, Int8Array | None]:
    c = plan.criteria[index]
    table = ctx.table
    n = len(table)
    codes = np.full(n, UNKNOWN, dtype=np.int8)
    met, not_met = node_masks(c.rule, table, ctx)
    guard_codes: Int8Array | None = None
    if c.guard is None:
        codes[met] = MET
        codes[not_met] = NOT_MET
    else:
        g_met, g_not = node_masks(c.guard, table, ctx)
        guard_codes = np.full(n, UNKNOWN, dtype=np.int8)
        guard_codes[g_met] = MET
        guard_codes[g_not] = NOT_MET
        codes[met] = MET  # guard met or undecided: met either way (not_met rows set below)
        codes[g_met & not_met] = NOT_MET
        codes[g_not] = NOT_APPLICABLE
    codes[table.kind != c.kind] = OTHER_KIND
    return codes, guard_codes


def _eligibility(
    award: CompiledAward,
    verdicts: Mapping[int, Int8Array],
    guards: Mapping[int, Int8Array | None],
    table: FactTable,
) -> Int8Array:
    """Any not_met: ineligible; else any unknown: undetermined; else eligible if one is surely
    met (every criterion not applicable: ineligible, nothing was shown; met only where a guard is
    undecided: undetermined, since every criterion may still turn out not applicable)."""
    n = len(table)
    any_not_met = np.zeros(n, dtype=bool)
    any_unknown = np.zeros(n, dtype=bool)
    any_met = np.zeros(n, dtype=bool)
    any_sure = np.zeros(n, dtype=bool)
    for i in dict.fromkeys(award.criteria):
        v = verdicts[i]
        g = guards.get(i)
        any_not_met |= v == NOT_MET
        any_unknown |= v == UNKNOWN
        any_met |= v == MET
        any_sure |= (v == MET) if g is None else (v == MET) & (g == MET)
    out = np.full(n, INELIGIBLE, dtype=np.int8)
    out[~any_not_met & (any_unknown | (any_met & ~any_sure))] = UNDETERMINED
    out[~any_not_met & ~any_unknown & any_sure] = ELIGIBLE
    out[table.kind != award.kind] = OTHER_KIND
    return out
