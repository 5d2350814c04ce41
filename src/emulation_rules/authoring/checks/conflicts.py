"""Conflicts, in the spirit of Catala's: an id defined twice, an award repeating another, an
award requiring criteria that contradict each other."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from emulation_rules.authoring.checks.domain import (
    Context,
    Domain,
    Env,
    Var,
    abstract,
    meet,
    meet_domain,
)
from emulation_rules.authoring.checks.findings import Finding, first_by_id
from emulation_rules.plan.campaign import Award, Campaign, Criterion


# --- conflicts ---------------------------------------------------------------------------------
def check_conflicts(campaign: Campaign) -> Iterator[Finding]:
    groups: list[tuple[str, Iterable[str]]] = [
        ("scale", (s.id for s in campaign.scales)),
        ("fact", (f.id for f in campaign.facts)),
        ("parameter", (p.id for p in campaign.parameters)),
        ("criterion", (c.id for c in campaign.criteria)),
        ("award", (a.id for a in campaign.awards)),
        ("target", (t.id for t in campaign.targets)),
        ("content_area", (x.id for x in campaign.content_areas)),
        ("participant", (p.unit_type for p in campaign.participants)),
    ]
    for what, ids in groups:
        counts: dict[str, int] = {}
        for item_id in ids:
            counts[item_id] = counts.get(item_id, 0) + 1
        for item_id, n in counts.items():
            if n > 1:
                yield (
                    f"{what}:{item_id}",
                    "error",
                    f"is defined {n} times: which definition applies is ambiguous",
                )
    yield from _same_commendation(campaign)
    for a in campaign.awards:
        yield from _contradictory_requirements(campaign, a)


def _same_commendation(campaign: Campaign) -> Iterator[Finding]:
    awards = list(first_by_id(campaign.awards).values())
    for i, a in enumerate(awards):
        for b in awards[i + 1 :]:
            same = (a.form, a.authority, a.kind, frozenset(a.requires)) == (
                b.form,
                b.authority,
                b.kind,
                frozenset(b.requires),
            )
            if same and a.id not in b.after and b.id not in a.after:
                yield (
                    f"award:{b.id}",
                    "warning",
                    f"repeats award '{a.id}': the same commendation ({a.form} of {a.authority}) "
                    f"for the same criteria, so every eligible {a.kind} is proposed twice "
                    "(unless one lists the other in 'after')",
                )


def _contradictory_requirements(campaign: Campaign, a: Award) -> Iterator[Finding]:
    criteria = first_by_id(campaign.criteria)
    ctx = Context(campaign, a.kind)
    reqs: list[tuple[Criterion, Env, Env]] = []
    for cid in dict.fromkeys(a.requires):
        c = criteria.get(cid)
        if c is None or c.kind != a.kind:
            continue
        rule = abstract(c.rule, ctx)
        guard = abstract(c.applies_if, ctx) if c.applies_if is not None else {}
        if rule is None or guard is None:
            continue  # never met / never applicable: reported by the reachability check
        reqs.append((c, rule, guard))
    explained: set[Var] = set()
    for i, (c1, r1, g1) in enumerate(reqs):
        for c2, r2, g2 in reqs[i + 1 :]:
            if meet(r1, r2) is not None or meet(g1, g2) is None:
                continue
            for var in sorted(r1.keys() & r2.keys()):
                if meet_domain(r1[var], r2[var]) is None:
                    explained.add(var)
                    yield (
                        f"award:{a.id}",
                        "error",
                        f"requires '{c1.id}' and '{c2.id}', which contradict each other on "
                        f"{_var_text(var)}: {ctx.describe(var, r1[var])} for '{c1.id}' but "
                        f"{ctx.describe(var, r2[var])} for '{c2.id}', so no candidate to which "
                        "both apply can be eligible (guards are ignored, except that criteria "
                        "whose guards never hold together are not compared)",
                    )
                    break
    # a contradiction among three or more criteria on one finite-valued fact
    by_var: dict[Var, list[tuple[Criterion, Domain, Env]]] = {}
    for c, rule, guard in reqs:
        for var, dom in rule.items():
            by_var.setdefault(var, []).append((c, dom, guard))
    for var, items in sorted(by_var.items()):
        if var in explained or len(items) < 3:
            continue
        dom_all: Domain | None = items[0][1]
        guards: Env | None = {}
        for _, dom, guard in items:
            dom_all = meet_domain(dom_all, dom) if dom_all is not None else None
            guards = meet(guards, guard)
        if dom_all is None and guards is not None:
            names = ", ".join(f"'{c.id}' ({ctx.describe(var, d)})" for c, d, _ in items)
            yield (
                f"award:{a.id}",
                "error",
                f"requires {names}, which cannot all hold on {_var_text(var)}: no candidate to "
                "which they all apply can be eligible (guards are ignored)",
            )


def _var_text(var: Var) -> str:
    scope, name = var
    if scope == "attribute":
        return f"attribute '{name}'"
    return f"fact '{name}'" + (" of the unit" if scope == "unit" else "")
