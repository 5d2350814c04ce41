"""Reachability: criteria no award requires, guards that never or always hold, rules and
awards that can never be met."""

from __future__ import annotations

from collections.abc import Iterator

from emulation_rules.authoring.checks.domain import Context, abstract, meet
from emulation_rules.authoring.checks.findings import Finding, comparisons_of, first_by_id, num
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Criterion


# --- reachability ------------------------------------------------------------------------------
def _guard_has_facts(c: Criterion) -> bool:
    return c.applies_if is not None and bool(ct.fact_reads(c.applies_if, c.kind))


def never_met(campaign: Campaign, c: Criterion) -> str | None:
    """Why ``c`` can never be met (None: it can, as far as constants tell)."""
    ctx = Context(campaign, c.kind)
    guard = abstract(c.applies_if, ctx) if c.applies_if is not None else {}
    if guard is None:
        return "its applies_if can never hold"
    rule = abstract(c.rule, ctx)
    if rule is None:
        return "its rule can never be met"
    if meet(guard, rule) is None:
        return "its rule cannot be met whenever its applies_if holds"
    return None


def check_reachability(campaign: Campaign) -> Iterator[Finding]:
    required = {cid for a in campaign.awards for cid in a.requires}
    dead: dict[str, str] = {}  # criteria that can never be met, and why
    never_na: set[str] = set()  # criteria whose guard can never fail: never not_applicable
    for c in campaign.criteria:
        element = f"criterion:{c.id}"
        if c.id not in required:
            yield (
                element,
                "warning",
                "no award requires it: its verdict is reported but decides nothing",
            )
        ctx = Context(campaign, c.kind)
        if c.applies_if is None or abstract(c.applies_if, ctx, negated=True) is None:
            never_na.add(c.id)
        if c.applies_if is not None:
            if abstract(c.applies_if, ctx) is None:
                dead[c.id] = "its applies_if can never hold"
                yield (
                    element,
                    "error",
                    f"applies_if can never hold for a {c.kind} of this campaign "
                    f"({_attributes_seen(ctx)}): the criterion is never applicable",
                )
                continue
            if not _guard_has_facts(c) and abstract(c.applies_if, ctx, negated=True) is None:
                yield (
                    element,
                    "warning",
                    f"applies_if always holds for a {c.kind} of this campaign: drop it",
                )
        reason = never_met(campaign, c)
        if reason is not None:
            dead[c.id] = reason
            yield element, "error", f"can never be met: {reason}{_range_hint(campaign, c)}"
    declared = {c.id for c in campaign.criteria}
    for a in campaign.awards:
        reqs = list(dict.fromkeys(cid for cid in a.requires if cid in declared))
        blocking = [cid for cid in reqs if cid in dead and cid in never_na]
        if blocking:
            yield (
                f"award:{a.id}",
                "error",
                f"can never be eligible: criterion '{blocking[0]}' applies to every candidate "
                f"and can never be met ({dead[blocking[0]]})",
            )
        elif reqs and all(cid in dead for cid in reqs):
            yield (
                f"award:{a.id}",
                "error",
                "can never be eligible: none of its criteria can ever be met ("
                + "; ".join(f"{cid}: {dead[cid]}" for cid in reqs)
                + ")",
            )


def _attributes_seen(ctx: Context) -> str:
    types = ", ".join(ctx.campaign.unit_types())
    return f"kind {ctx.kind}, unit types {types}"


def _range_hint(campaign: Campaign, c: Criterion) -> str:
    facts = first_by_id(campaign.facts)
    ranges = []
    for cmp in comparisons_of(c):
        f = facts.get(cmp.fact)
        if f is not None and (f.minimum is not None or f.maximum is not None):
            lo = num(f.minimum) if f.minimum is not None else "-∞"
            hi = num(f.maximum) if f.maximum is not None else "∞"
            text = f"fact '{f.id}' ranges over [{lo}, {hi}]"
            if text not in ranges:
                ranges.append(text)
    return f" ({'; '.join(ranges)})" if ranges else ""
