"""The missing facts a candidate's place in an allocation depends on.

For an ``undetermined`` candidate: every fact that a required criterion left ``unknown`` reads
(its rule or its guard) and that the candidate lacks; for anyone: every ranking fact it lacks.
Columns are named as in ``observed`` (``unit.<fact>`` for a fact read from an individual's unit).
"""

from __future__ import annotations

from emulation_rules.engine.columnar import UNKNOWN, ColumnarVerdicts
from emulation_rules.engine.compiler import CAll, CAny, CAttr, CCmp, CNode, CNot, CompiledPlan
from emulation_rules.engine.fact_table import FactTable


def node_columns(node: CNode | None) -> list[str]:
    """Every fact column a compiled rule or guard reads, in order, once each."""
    out: list[str] = []

    def walk(n: CNode) -> None:
        if isinstance(n, CCmp):
            for col in (n.column, n.other):
                if col is not None and col not in out:
                    out.append(col)
        elif isinstance(n, CNot):
            walk(n.child)
        elif isinstance(n, CAll | CAny):
            for child in n.children:
                walk(child)
        else:
            assert isinstance(n, CAttr)  # attributes are always known

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
        for col in node_columns(crit.guard) + node_columns(crit.rule):
            if not table.known[col][row] and col not in out:
                out.append(col)
    for col, _ in award.ranking:
        if not table.known[col][row] and col not in out:
            out.append(col)
    return out
