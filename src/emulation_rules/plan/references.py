"""What depends on what in a campaign: criteria that read other criteria or awards, awards that
require criteria, allocations that follow other allocations.

Evaluation follows this graph: a criterion reading another award's eligibility is evaluated after
that award, a member aggregate after the members' award, an individual gated by its unit's award
after the unit's. The graph is checked when the plan loads: a cycle (a criterion that, through
the awards it reads, depends on itself) is refused with the path that closes it. Dependencies
are counted per criterion and award, not per candidate: a unit's criterion reading its members'
award while that award reads the unit's criterion is a cycle even if no candidate is both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from emulation_rules.plan.criteria import AwardRef, CriterionRef, Node, references

Step = tuple[str, str]  # ("criterion" | "award" | "seat", id)


def step_text(step: Step) -> str:
    what, name = step
    if what == "seat":
        return f"allocation of award '{name}'"
    return f"{what} '{name}'"


def dependency_graph(
    criteria: Sequence[tuple[str, Sequence[Node]]],
    awards: Sequence[tuple[str, Sequence[str], Sequence[str]]],
) -> dict[Step, list[Step]]:
    """``step -> the steps it reads``, for criteria ``(id, [rule, guard])`` and awards
    ``(id, requires, allocated after)`` — the awards in ``after`` and the award a share quota is
    taken of (``Award.depends_on``); references to undeclared names are left out (reported
    apart)."""
    crit_ids = {cid for cid, _ in criteria}
    award_ids = {aid for aid, _, _ in awards}
    graph: dict[Step, list[Step]] = {}
    for cid, nodes in criteria:
        deps: list[Step] = []
        for node in nodes:
            for ref in references(node):
                step = _ref_step(ref)
                if step is None or step in deps:
                    continue
                if step[0] == "criterion" and step[1] not in crit_ids:
                    continue
                if step[0] != "criterion" and step[1] not in award_ids:
                    continue
                deps.append(step)
        graph[("criterion", cid)] = deps
    for aid, requires, after in awards:
        graph[("award", aid)] = [("criterion", c) for c in dict.fromkeys(requires) if c in crit_ids]
        graph[("seat", aid)] = [("award", aid)] + [
            ("seat", b) for b in dict.fromkeys(after) if b in award_ids and b != aid
        ]
    return graph


def _ref_step(ref: AwardRef | CriterionRef) -> Step | None:
    if isinstance(ref, CriterionRef):
        return ("criterion", ref.criterion)
    return ("seat" if ref.outcome == "awarded" else "award", ref.award)


def cycles(graph: Mapping[Step, Sequence[Step]]) -> list[list[Step]]:
    """Every elementary cycle found by a depth-first search (each reported once, by its set)."""
    out: list[list[Step]] = []
    seen_sets: set[frozenset[Step]] = set()
    state: dict[Step, int] = {}  # 1 on the current path, 2 done
    for start in graph:
        if state.get(start):
            continue
        path: list[Step] = [start]
        iters = [iter(graph.get(start, ()))]
        state[start] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            mark = state.get(nxt)
            if mark == 1:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in seen_sets:
                    seen_sets.add(key)
                    out.append(cycle)
            elif mark is None:
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(graph.get(nxt, ())))
    return out


def cycle_text(cycle: Sequence[Step]) -> str:
    return " -> ".join(step_text(s) for s in [*cycle, cycle[0]])


def evaluation_order(graph: Mapping[Step, Sequence[Step]], declared: Iterable[Step]) -> list[Step]:
    """Every declared step after the steps it reads; among the ready ones, declaration order
    first (so the order is fixed by the plan alone). Raises ``ValueError`` on a cycle."""
    order_index = {s: i for i, s in enumerate(declared)}
    remaining = {s: [d for d in graph.get(s, ()) if d in order_index] for s in order_index}
    done: set[Step] = set()
    out: list[Step] = []
    pending = sorted(order_index, key=order_index.__getitem__)
    while pending:
        ready = [s for s in pending if all(d in done for d in remaining[s])]
        if not ready:
            found = cycles({s: remaining[s] for s in pending})
            raise ValueError(
                "evaluation order has a cycle: " + (cycle_text(found[0]) if found else "?")
            )
        step = ready[0]
        out.append(step)
        done.add(step)
        pending.remove(step)
    return out
