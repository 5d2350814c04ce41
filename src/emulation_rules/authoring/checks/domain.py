"""The abstract domain of the reachability and conflict checks: for each fact or attribute, the
values a criteria tree's truth allows (numeric intervals with holes, finite sets of levels)."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

import attrs

from emulation_rules.authoring.checks.findings import first_by_id, lit, num, param_values
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Kind, Scale

# --- the abstract domain: what values a tree's truth allows -------------------------------------
Var = tuple[str, str]  # ("self" | "unit", fact id) or ("attribute", name)


@attrs.frozen
class Span:
    """A numeric interval, bounds open or closed, minus some points (``!=``)."""

    lo: float
    lo_in: bool
    hi: float
    hi_in: bool
    integer: bool = False
    holes: frozenset[float] = frozenset()

    def normal(self) -> Span | None:
        lo, lo_in, hi, hi_in = self.lo, self.lo_in, self.hi, self.hi_in
        if self.integer:
            if math.isfinite(lo):
                lo, lo_in = (float(math.ceil(lo)) if lo_in else float(math.floor(lo) + 1)), True
            if math.isfinite(hi):
                hi, hi_in = (float(math.floor(hi)) if hi_in else float(math.ceil(hi) - 1)), True
        if lo > hi or (lo == hi and not (lo_in and hi_in)):
            return None
        holes = frozenset(h for h in self.holes if lo <= h <= hi)
        if lo == hi and lo in holes:
            return None
        if self.integer and hi - lo < 64:
            points = {float(v) for v in range(int(lo), int(hi) + 1)}
            if points <= holes:
                return None
        return Span(lo, lo_in, hi, hi_in, self.integer, holes)

    def meet(self, other: Span) -> Span | None:
        # at equal bounds the open one is the tighter: compare (bound, is_open)
        lo, lo_open = max((self.lo, not self.lo_in), (other.lo, not other.lo_in))
        hi, hi_in = min((self.hi, self.hi_in), (other.hi, other.hi_in))
        merged = Span(lo, not lo_open, hi, hi_in, self.integer or other.integer)
        return attrs.evolve(merged, holes=self.holes | other.holes).normal()

    def join(self, other: Span) -> Span:
        lo, lo_out = min((self.lo, not self.lo_in), (other.lo, not other.lo_in))
        hi, hi_in = max((self.hi, self.hi_in), (other.hi, other.hi_in))
        return Span(lo, not lo_out, hi, hi_in, self.integer and other.integer, frozenset())

    def describe(self, universe: Span) -> str:
        if self.lo == self.hi:
            return f"= {num(self.lo)}"
        low = self.lo if self.lo != universe.lo else -math.inf
        high = self.hi if self.hi != universe.hi else math.inf
        parts = []
        if math.isfinite(low):
            parts.append(f"{'≥' if self.lo_in else '>'} {num(low)}")
        if math.isfinite(high):
            parts.append(f"{'≤' if self.hi_in else '<'} {num(high)}")
        parts += [f"≠ {num(h)}" for h in sorted(self.holes)]
        return " and ".join(parts) or "any value"


@attrs.frozen
class Choice:
    """A finite set of allowed values (booleans, levels of a scale, unit types, kinds)."""

    values: frozenset[Hashable]

    def meet(self, other: Choice) -> Choice | None:
        both = self.values & other.values
        return Choice(both) if both else None

    def join(self, other: Choice) -> Choice:
        return Choice(self.values | other.values)

    def describe(self, universe: Choice, order: tuple[Hashable, ...] = ()) -> str:
        shown = [v for v in order if v in self.values] or sorted(self.values, key=str)
        if len(shown) == 1:
            return f"= {lit(shown[0])}"
        return "one of " + ", ".join(lit(v) for v in shown)


Domain = Span | Choice
Env = dict[Var, Domain]


def meet_domain(a: Domain, b: Domain) -> Domain | None:
    if isinstance(a, Span) and isinstance(b, Span):
        return a.meet(b)
    if isinstance(a, Choice) and isinstance(b, Choice):
        return a.meet(b)
    return a  # differently typed reads of one name: undecidable here, keep one


def join_domain(a: Domain, b: Domain) -> Domain | None:
    if isinstance(a, Span) and isinstance(b, Span):
        return a.join(b)
    if isinstance(a, Choice) and isinstance(b, Choice):
        return a.join(b)
    return None


def meet(a: Env | None, b: Env | None) -> Env | None:
    """Both hold (None: impossible)."""
    if a is None or b is None:
        return None
    out = dict(a)
    for var, dom in b.items():
        if var in out:
            both = meet_domain(out[var], dom)
            if both is None:
                return None
            out[var] = both
        else:
            out[var] = dom
    return out


def join(a: Env | None, b: Env | None) -> Env | None:
    """One of them holds: only what both constrain stays constrained."""
    if a is None:
        return b
    if b is None:
        return a
    out: Env = {}
    for var in a.keys() & b.keys():
        either = join_domain(a[var], b[var])
        if either is not None:
            out[var] = either
    return out


NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}


@attrs.frozen
class Context:
    """What a criterion's tree can see: the campaign, and who the candidate is."""

    campaign: Campaign
    kind: Kind

    def universe(self, var: Var) -> Domain | None:
        scope, name = var
        if scope == "attribute":
            if name == "kind":
                return Choice(frozenset([self.kind]))
            if name == "unit.unit_type" and self.kind != "individual":
                return None
            return Choice(frozenset(self.campaign.unit_types()))
        fact = first_by_id(self.campaign.facts).get(name)
        if fact is None:
            return None
        if fact.type == "boolean":
            return Choice(frozenset([True, False]))
        if fact.type == "ordinal":
            return Choice(frozenset(self._levels(fact.scale)))
        lo = fact.minimum if fact.minimum is not None else -math.inf
        hi = fact.maximum if fact.maximum is not None else math.inf
        return Span(float(lo), True, float(hi), True, fact.type == "integer")

    def _levels(self, scale_id: str | None) -> tuple[str, ...]:
        scale: Scale | None = first_by_id(self.campaign.scales).get(scale_id or "")
        return scale.levels if scale is not None else ()

    def order(self, var: Var) -> tuple[Hashable, ...]:
        fact = first_by_id(self.campaign.facts).get(var[1]) if var[0] != "attribute" else None
        if fact is not None and fact.type == "ordinal":
            return self._levels(fact.scale)
        if var == ("attribute", "unit_type") or var == ("attribute", "unit.unit_type"):
            return self.campaign.unit_types()
        return (False, True)

    def describe(self, var: Var, dom: Domain) -> str:
        universe = self.universe(var)
        if isinstance(dom, Span) and isinstance(universe, Span):
            return dom.describe(universe)
        if isinstance(dom, Choice) and isinstance(universe, Choice):
            return dom.describe(universe, self.order(var))
        return "?"


def abstract(node: ct.Node, ctx: Context, negated: bool = False) -> Env | None:
    """What must be true of the candidate's facts and attributes when ``node`` holds (or, with
    ``negated``, when it does not hold while known); None if that can never be."""
    if isinstance(node, ct.AllNode | ct.AnyNode):
        kids = node.all if isinstance(node, ct.AllNode) else node.any
        conjunctive = isinstance(node, ct.AllNode) != negated
        env: Env | None = {} if conjunctive else None
        for child in kids:
            sub = abstract(child, ctx, negated)
            env = meet(env, sub) if conjunctive else join(env, sub)
        return env
    if isinstance(node, ct.NotNode):
        return abstract(node.not_, ctx, not negated)
    if not isinstance(node, ct.AttributeTest | ct.Comparison):
        return {}  # k of n, arithmetic, outcomes, aggregates, series: either way here
    if isinstance(node, ct.AttributeTest):
        var: Var = ("attribute", node.attribute)
        universe = ctx.universe(var)
        if not isinstance(universe, Choice):
            return None
        wanted = frozenset(node.in_)
        allowed = universe.values - wanted if negated else universe.values & wanted
        return {var: Choice(allowed)} if allowed else None
    return _abstract_comparison(node, ctx, NEGATED[node.op] if negated else node.op)


def _abstract_comparison(cmp: ct.Comparison, ctx: Context, op: str) -> Env | None:
    var: Var = (cmp.of, cmp.fact)
    universe = ctx.universe(var)
    if universe is None or cmp.to_fact is not None:
        return {}  # undeclared (reported elsewhere) or fact against fact: either way
    if cmp.value is not None:
        constants: list[object] = [cmp.value]
    else:
        param = first_by_id(ctx.campaign.parameters).get(cmp.param or "")
        if param is None:
            return {}
        constants = list(param_values(param))
    if not constants:
        return {}
    dom: Domain | None = None
    for constant in constants:
        one = _domain_of(op, constant, universe, ctx.order(var))
        if one is None:
            continue
        dom = one if dom is None else join_domain(dom, one)
        if dom is None:
            return {}
    return {var: dom} if dom is not None else None


def _domain_of(
    op: str, constant: object, universe: Domain, order: tuple[Hashable, ...]
) -> Domain | None:
    if isinstance(universe, Span):
        if isinstance(constant, bool) or not isinstance(constant, int | float):
            return universe
        c = float(constant)
        inf = math.inf
        spans = {
            ">=": Span(c, True, inf, False),
            ">": Span(c, False, inf, False),
            "<=": Span(-inf, False, c, True),
            "<": Span(-inf, False, c, False),
            "==": Span(c, True, c, True),
            "!=": Span(-inf, False, inf, False, holes=frozenset([c])),
        }
        return universe.meet(spans[op])
    if op in ("==", "!="):
        values = (
            universe.values - {constant} if op == "!=" else universe.values & frozenset([constant])
        )
        return Choice(values) if values else None
    if constant not in order:
        return universe
    rank = order.index(constant)
    tests: dict[str, Callable[[int], bool]] = {
        ">=": lambda i: i >= rank,
        ">": lambda i: i > rank,
        "<=": lambda i: i <= rank,
        "<": lambda i: i < rank,
    }
    allowed = frozenset(v for i, v in enumerate(order) if tests[op](i)) & universe.values
    return Choice(allowed) if allowed else None
