"""Awards: required criteria of the right kind, quota, share and cap parameters, rankings,
``after`` chains."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from emulation_rules.authoring.checks.findings import Finding, first_by_id, param_values
from emulation_rules.plan.campaign import Award, Campaign


# --- awards ------------------------------------------------------------------------------------
def check_awards(campaign: Campaign) -> Iterator[Finding]:
    criteria = first_by_id(campaign.criteria)
    params = first_by_id(campaign.parameters)
    facts = first_by_id(campaign.facts)
    awards = first_by_id(campaign.awards)
    for a in campaign.awards:
        element = f"award:{a.id}"
        if not a.requires:
            yield element, "error", "requires no criterion"
        for cid in a.requires:
            c = criteria.get(cid)
            if c is None:
                yield element, "error", f"requires criterion '{cid}', which does not exist"
            elif c.kind != a.kind:
                yield element, "error", f"is for {a.kind}s but criterion '{cid}' is for {c.kind}s"
        for cid in sorted({cid for cid in a.requires if a.requires.count(cid) > 1}):
            yield element, "warning", f"requires criterion '{cid}' more than once"
        if a.quota_param is not None:
            qp = params.get(a.quota_param)
            if qp is None:
                yield element, "error", f"quota parameter '{a.quota_param}' does not exist"
            elif qp.type != "integer":
                yield element, "error", f"quota parameter '{qp.id}' is {qp.type}, not integer"
            else:
                for value in param_values(qp):
                    if isinstance(value, int) and value < 0:
                        yield element, "error", f"quota parameter '{qp.id}' is negative ({value})"
                    elif value == 0:
                        yield element, "warning", f"quota parameter '{qp.id}' is 0: nobody"
            if a.ranking is None:
                yield element, "error", "has a quota but no ranking to choose among the eligible"
        if a.quota_share is not None:
            sp = params.get(a.quota_share.percent_param)
            if sp is not None and any(v == 0 for v in param_values(sp)):
                yield element, "warning", f"share parameter '{sp.id}' is 0 %: nobody"
        if a.cap is not None:
            cp = params.get(a.cap.count_param)
            if cp is not None and any(v == 0 for v in param_values(cp)):
                yield element, "warning", f"cap parameter '{cp.id}' is 0: nobody"
            declared = next((x for x in campaign.candidate_attributes if x.id == a.cap.by), None)
            if declared is not None and declared.unit_types:
                others = [u for u in campaign.unit_types() if u not in declared.unit_types]
                if others:
                    yield (
                        element,
                        "warning",
                        f"cap by '{a.cap.by}', which {', '.join(others)} do not give: each such "
                        "candidate counts as a unit of its own",
                    )
        for other in a.after:
            if other == a.id or other not in awards:
                yield element, "error", f"'after' names award '{other}', which does not exist"
        if a.ranking is not None:
            for key in a.ranking.keys:
                rank_fact = facts.get(key.fact)
                if rank_fact is None:
                    yield element, "error", f"ranking reads fact '{key.fact}', not declared"
                elif a.kind not in rank_fact.kinds:
                    yield element, "error", f"ranking fact '{key.fact}' is not carried by {a.kind}s"
    for cycle in _after_cycles(campaign.awards):
        yield (
            f"award:{cycle[0]}",
            "error",
            "awards name each other in 'after' (" + " -> ".join([*cycle, cycle[0]]) + "): "
            "none of them can be allocated",
        )


def _after_cycles(awards: Iterable[Award]) -> list[list[str]]:
    graph = {a.id: [x for x in a.after if x != a.id] for a in awards}
    cycles: list[list[str]] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in graph.get(node, []):
            if nxt in path:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    cycles.append(cycle)
            elif nxt in graph and len(path) <= len(graph):
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return cycles
