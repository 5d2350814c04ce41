"""The missing facts a candidate's place in an allocation depends on.

For an ``undetermined`` candidate: every fact that a required criterion left ``unknown`` reads
(its guard's first, then its rule's: compared, computed with, a series' years, a distinct
count's years) and that the candidate lacks; for anyone: every ranking fact it lacks. Columns
are named as in ``observed`` (``unit.<fact>`` for a fact read from an individual's unit), a
series' year as a table's header writes it (``<fact>[2023]``).
"""

from __future__ import annotations

from emulation_rules.engine.columnar import UNKNOWN, ColumnarVerdicts
from emulation_rules.engine.compiler import CCmp, CNode, CompiledPlan, fact_columns
from emulation_rules.engine.fact_table import FactTable, column_known, column_text


def node_columns(node: CNode | None) -> list[str]:
    """Every fact column a compiled rule or guard reads, in order, once each.

    Comparisons name their columns (``column``, ``other``); every other node is walked through
    its ``child`` or ``children``, so a node kind added to the language later is still read."""
    out: list[str] = []

    def walk(n: object) -> None:
        if isinstance(n, CCmp):
            for col in (n.column, n.other):
                if col is not None and col not in out:
                    out.append(col)
            return
        for col in (getattr(n, "column", None), getattr(n, "other", None)):
            if isinstance(col, str) and col not in out:
                out.append(col)
        child = getattr(n, "child", None)
        if child is not None:
            walk(child)
        for c in getattr(n, "children", ()):
            walk(c)

    if node is not None:
        walk(node)
    return out


def missing_facts(
    plan: CompiledPlan, table: FactTable, verdicts: ColumnarVerdicts, award_id: str, row: int
) -> list[str]:
    """The facts, missing for the candidate at ``row``, that decide its place in the award."""
    j = next(k for k, a in enumerate(plan.awards) if a.id == award_id)
    award = plan.awards[j]
    out: list[str] = []
    for k in award.criteria:
        if int(verdicts.criteria[k][row]) != UNKNOWN:
            continue
        crit = plan.criteria[k]
        columns = fact_columns(plan, crit)
        guard = [c for c in node_columns(crit.guard) if c in columns]
        for col in guard + [c for c in columns if c not in guard]:
            if not column_known(table, col)[row] and column_text(col) not in out:
                out.append(column_text(col))
    for col, _ in award.ranking:
        if not table.known[col][row] and col not in out:
            out.append(col)
    return out
