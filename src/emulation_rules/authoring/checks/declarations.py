"""Declarations: unused parameters, facts and scales; references a criterion makes; ordinal
scales; dated parameter values against the period."""

from __future__ import annotations

from collections.abc import Iterator

from emulation_rules.authoring.checks.findings import (
    Finding,
    first_by_id,
    nodes_of,
    param_values,
)
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Fact, Parameter, criterion_problems


def check_usage(campaign: Campaign) -> Iterator[Finding]:
    used_params: set[str] = set()
    read_facts: set[str] = set()
    for c in campaign.criteria:
        for node in nodes_of(c):
            read_facts |= {r.fact for r in ct.fact_reads(node, c.kind)}
            used_params |= set(ct.params_used(node))
    for a in campaign.awards:
        if a.quota_param is not None:
            used_params.add(a.quota_param)
        if a.quota_share is not None:
            used_params |= {a.quota_share.percent_param, a.quota_share.rounding_param}
            if a.quota_share.applies_param is not None:
                used_params.add(a.quota_share.applies_param)
        if a.cap is not None:
            used_params.add(a.cap.count_param)
        if a.partial_span_param is not None:
            used_params.add(a.partial_span_param)
        if a.ranking is not None:
            read_facts |= {k.fact for k in a.ranking.keys}
    if campaign.scoreboard is not None:  # the totals it computes are reported per candidate
        board = campaign.scoreboard
        read_facts |= {f for f in (board.total_fact, board.self_total_fact) if f}
    for p in campaign.parameters:
        if p.id not in used_params:
            yield (
                f"parameter:{p.id}",
                "warning",
                "no criterion, margin or quota uses it: overriding it changes nothing",
            )
    for f in campaign.facts:
        if f.id not in read_facts:
            yield (
                f"fact:{f.id}",
                "warning",
                "no criterion or ranking reads it: the input may carry it but it decides nothing",
            )
    named = {f.scale for f in campaign.facts} | {p.scale for p in campaign.parameters}
    for s in campaign.scales:
        if s.id not in named:
            yield f"scale:{s.id}", "warning", "no fact or parameter is measured on it"


# --- references --------------------------------------------------------------------------------
def check_references(campaign: Campaign) -> Iterator[Finding]:
    facts = first_by_id(campaign.facts)
    params = first_by_id(campaign.parameters)
    scales = first_by_id(campaign.scales)
    for c in campaign.criteria:
        prefix = f"criterion '{c.id}': "
        for message in criterion_problems(c, facts, params, scales, campaign.unit_types()):
            yield f"criterion:{c.id}", "error", message.removeprefix(prefix)


# --- scales ------------------------------------------------------------------------------------
def check_scales(campaign: Campaign) -> Iterator[Finding]:
    scales = first_by_id(campaign.scales)
    for s in campaign.scales:
        if len(s.levels) < 2:
            yield f"scale:{s.id}", "error", "an ordinal scale needs at least two levels"
        if len(set(s.levels)) != len(s.levels):
            yield f"scale:{s.id}", "error", "repeats a level"
        if any(not level.strip() for level in s.levels):
            yield f"scale:{s.id}", "error", "has an empty level"
    items: list[tuple[str, Fact | Parameter]] = [(f"fact:{f.id}", f) for f in campaign.facts]
    items += [(f"parameter:{p.id}", p) for p in campaign.parameters]
    for element, item in items:
        vtype = item.value_type if isinstance(item, Fact) else item.type
        if vtype == "ordinal" and item.scale is None:
            yield element, "error", "is ordinal but names no scale"
        elif vtype != "ordinal" and item.scale is not None:
            yield element, "error", f"is {vtype} but names scale '{item.scale}'"
        elif item.scale is not None and item.scale not in scales:
            yield element, "error", f"names scale '{item.scale}', which is not declared"
    for p in campaign.parameters:
        if p.type == "ordinal" and p.scale in scales:
            levels = scales[p.scale].levels
            for value in param_values(p):
                if value not in levels:
                    yield (
                        f"parameter:{p.id}",
                        "error",
                        f"value {value!r} is not a level of scale '{p.scale}' "
                        f"({', '.join(levels)})",
                    )


# --- dates -------------------------------------------------------------------------------------
def check_dates(campaign: Campaign) -> Iterator[Finding]:
    start, end = campaign.period.start, campaign.period.end
    for p in campaign.parameters:
        if not p.values:
            continue
        first = min(p.values)
        if first > start:
            yield (
                f"parameter:{p.id}",
                "error",
                f"has no value in force from {start} (the campaign's start) to {first}: an "
                "evaluation dated then fails",
            )
        for day in sorted(p.values):
            if day > end:
                yield (
                    f"parameter:{p.id}",
                    "warning",
                    f"the value dated {day} takes effect after the campaign ends ({end})",
                )
