"""What to collect: the facts still missing, per undetermined candidate and per fact.

A candidate is undetermined for an award when no required criterion is ``not_met`` and some is
``unknown``. For each such candidate this lists the facts whose absence leaves a criterion of
those awards unknown — read by the rule or by its guard (``applies_if``), the candidate's own
(``fact``) or its unit's (``unit.fact``), compared, computed with, or one year of a series
(``fact[2023]``, as a table's header writes it) — ordered by how many unknown verdicts each is
read by (most first, then by fact id), and for each fact the candidates that lack it: the list
a clerk sends out to collect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from emulation_rules.engine.columnar import UNDETERMINED, UNKNOWN, ColumnarVerdicts
from emulation_rules.engine.compiler import (
    CAll,
    CAny,
    CCmp,
    CNode,
    CNot,
    CompiledPlan,
    fact_columns,
)
from emulation_rules.engine.fact_table import FactTable, column_fact, column_known, column_text


@attrs.frozen
class MissingFact:
    """One fact a candidate lacks: how many unknown verdicts read it, and which criteria."""

    fact: str
    label: str
    verdicts: int
    criteria: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "label": self.label,
            "verdicts": self.verdicts,
            "criteria": list(self.criteria),
        }


@attrs.frozen
class CandidateMissing:
    id: str
    name: str
    awards: tuple[str, ...]
    facts: tuple[MissingFact, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "undetermined_awards": list(self.awards),
            "missing": [f.to_dict() for f in self.facts],
        }


@attrs.frozen
class MissingReport:
    """Per undetermined candidate (input order) the facts to collect, and per fact (by id) the
    candidates lacking it."""

    candidates: tuple[CandidateMissing, ...]
    by_fact: Mapping[str, tuple[str, ...]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidates": [c.to_dict() for c in self.candidates],
            "facts": [
                {"fact": fact, "candidates": list(ids)} for fact, ids in self.by_fact.items()
            ],
        }


def node_columns(node: CNode | None) -> list[str]:
    """Every fact column a compiled node reads, in order, without repeats."""
    out: list[str] = []
    stack: list[CNode] = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, CCmp):
            for col in (n.column, n.other):
                if col is not None and col not in out:
                    out.append(col)
        elif isinstance(n, CNot):
            stack.append(n.child)
        elif isinstance(n, CAll | CAny):
            stack.extend(reversed(n.children))
    return out


def missing_facts(
    plan: CompiledPlan,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    names: Sequence[str],
) -> MissingReport:
    campaign = plan.campaign
    n = len(table)
    undetermined = [verdicts.awards[j] == UNDETERMINED for j in range(len(plan.awards))]
    any_undet = np.zeros(n, dtype=bool)
    for mask in undetermined:
        any_undet |= mask
    # criterion k matters for row i when an award undetermined for i requires it
    matters = [np.zeros(n, dtype=bool) for _ in plan.criteria]
    for j, award in enumerate(plan.awards):
        for k in award.criteria:
            matters[k] |= undetermined[j]
    counts: dict[int, dict[str, list[str]]] = {}
    for k, crit in enumerate(plan.criteria):
        rows = (verdicts.criteria[k] == UNKNOWN) & matters[k]
        if not rows.any():
            continue
        columns = fact_columns(plan, crit)
        guard = [c for c in node_columns(crit.guard) if c in columns]
        for col in guard + [c for c in columns if c not in guard]:
            lacking = np.flatnonzero(rows & ~column_known(table, col))
            for i in lacking.tolist():
                seen = counts.setdefault(i, {}).setdefault(col, [])
                if crit.id not in seen:
                    seen.append(crit.id)
    out: list[CandidateMissing] = []
    by_fact: dict[str, list[str]] = {}
    for i in np.flatnonzero(any_undet).tolist():
        facts = counts.get(i, {})
        ordered = sorted(facts.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        items = tuple(
            MissingFact(column_text(col), _label(campaign, col), len(crits), tuple(crits))
            for col, crits in ordered
        )
        awards = tuple(a.id for j, a in enumerate(plan.awards) if undetermined[j][i])
        out.append(CandidateMissing(table.ids[i], names[i], awards, items))
        for col, _ in ordered:
            by_fact.setdefault(column_text(col), []).append(table.ids[i])
    return MissingReport(tuple(out), {k: tuple(by_fact[k]) for k in sorted(by_fact)})


def _label(campaign: Any, column: str) -> str:
    fact_id, year = column_fact(column)
    label: str = campaign.fact(fact_id).label
    return f"{label} ({year})" if year is not None else label
