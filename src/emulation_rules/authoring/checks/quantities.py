"""Computed quantities: a comparison of a derived quantity that its range decides in advance.

The range of each ``compute`` expression follows from the declared ranges of the facts it reads
(:mod:`emulation_rules.plan.ranges`). A comparison that fails over the whole range (``ratio × 100
>= 120`` of two non-negative counts, say) can never be met: an error. One that holds over the
whole range is met whenever its facts are known: a warning, since the criterion then only checks
that the facts were given.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from emulation_rules.authoring.checks.findings import Finding, first_by_id, num, param_values
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.ranges import expression_range, quantity_text


def _holds(op: str, value: float, c: float) -> bool:
    return {
        ">=": value >= c,
        ">": value > c,
        "<=": value <= c,
        "<": value < c,
        "==": value == c,
        "!=": value != c,
    }[op]


def _span(lo: float, hi: float) -> str:
    low = num(lo) if math.isfinite(lo) else "-∞"
    high = num(hi) if math.isfinite(hi) else "∞"
    return f"[{low}, {high}]"


def check_quantities(campaign: Campaign) -> Iterator[Finding]:
    facts = first_by_id(campaign.facts)
    params = first_by_id(campaign.parameters)
    for c in campaign.criteria:
        for tree in [c.rule] + ([c.applies_if] if c.applies_if is not None else []):
            for node in ct.walk(tree):
                if not isinstance(node, ct.Computed):
                    continue
                lo, hi = expression_range(facts, params, node.compute)
                if isinstance(node.value, str) or (not math.isfinite(lo) and not math.isfinite(hi)):
                    continue
                constants: list[float] = []
                if node.value is not None:
                    constants = [float(node.value)]
                elif node.param in params:
                    constants = [
                        float(v)
                        for v in param_values(params[node.param])
                        if isinstance(v, int | float) and not isinstance(v, bool)
                    ]
                if not constants:
                    continue
                text = quantity_text(node.compute)
                ends = [x for x in (lo, hi) if math.isfinite(x)]
                monotone = node.op not in ("==", "!=")
                if monotone and all(not _holds(node.op, x, k) for x in (lo, hi) for k in constants):
                    yield (
                        f"criterion:{c.id}",
                        "error",
                        f"can never be met: {text} ranges over {_span(lo, hi)} (from the facts' "
                        f"declared ranges), so '{node.op} {num(constants[0])}' never holds",
                    )
                elif (
                    monotone
                    and len(ends) == 2
                    and all(_holds(node.op, x, k) for x in ends for k in constants)
                ):
                    yield (
                        f"criterion:{c.id}",
                        "warning",
                        f"is met whenever its facts are known: {text} ranges over "
                        f"{_span(lo, hi)}, and '{node.op} {num(constants[0])}' always holds there",
                    )
