"""``emulation-rules check``: what a plugin author should fix before anyone relies on a campaign.

:func:`check_campaign` runs every check below on one campaign and returns :class:`Problem` s,
each printed as one line ``PLUGIN CAMPAIGN ELEMENT: SEVERITY: message``. An ``error`` makes
``emulation-rules check`` exit with status 1; a ``warning`` does not.

* ``citations`` — every citation names a declared source and has a clause or a quote; an
  interpretation has a note; a citation or source still holding the scaffold's ``TODO``;
* ``usage`` — a parameter no criterion, margin or quota uses, a fact no criterion or ranking
  reads, a scale no fact or parameter names (warnings);
* ``references`` — every fact, parameter and unit type a criterion names is declared and fits
  (the model's own rules, reported through the same channel);
* ``scales`` — every ordinal fact and parameter names a declared scale of at least two distinct
  levels, and every ordinal parameter value is one of its levels;
* ``dates`` — a dated parameter has a value in force when the campaign starts;
* ``awards`` — awards require existing criteria of their kind, quotas are non-negative integer
  parameters, ``after`` names existing awards without a cycle, rankings read declared facts;
* ``reachability`` — a criterion no award requires; a guard (``applies_if``) that can never hold
  or always holds; a rule that can never be met (on its own, or whenever its guard holds); an
  award none of whose criteria can be met;
* ``conflicts`` (in the spirit of Catala's conflict check) — two definitions with one id; an
  award repeating another (same commendation, same criteria); an award requiring two criteria
  whose comparisons of one fact with constants contradict each other (``x >= 90`` and
  ``x < 80``), so that no candidate to which both apply can ever be eligible.

The satisfiability reasoning is an interval / finite-set abstraction of the criteria tree over
comparisons with constants (literals and parameters, every dated value of a parameter counted);
comparisons of two facts are treated as able to hold either way, so a problem is only reported
when it is certain. The conflict check compares the rules of an award's criteria and ignores
their guards, except to skip two criteria whose guards can never hold together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Literal, TypeVar

import attrs
from pydantic import ValidationError

from . import criteria_tree as ct
from .errors import RegistryError
from .plan_model import (
    Award,
    Campaign,
    Citation,
    Criterion,
    Fact,
    Kind,
    Parameter,
    Scale,
    criterion_problems,
)
from .registry import Registry

Severity = Literal["error", "warning"]
PLACEHOLDER = "TODO"


@attrs.frozen
class Problem:
    """One finding: where (plugin, campaign, element), how bad, and what."""

    plugin: str
    campaign: str
    element: str
    severity: Severity
    message: str
    check: str = ""

    def __str__(self) -> str:
        return f"{self.plugin} {self.campaign} {self.element}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


Finding = tuple[str, Severity, str]  # element, severity, message
Check = Callable[[Campaign], Iterator[Finding]]


def check_campaign(campaign: Campaign, *, plugin: str | None = None) -> list[Problem]:
    """Every problem of one campaign, check by check (``plugin`` defaults to the id's prefix)."""
    plugin_name = plugin or campaign.id.partition(".")[0]
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for name, check in CHECKS:
        for element, severity, message in check(campaign):
            message = " ".join(message.split())  # one line, whatever the plan's text holds
            if (element, message) in seen:
                continue
            seen.add((element, message))
            out.append(Problem(plugin_name, campaign.id, element, severity, message, name))
    flagged = {p.element for p in out if p.is_error}
    for element, message in _model_errors(campaign):
        if element not in flagged and (element, message) not in seen:
            seen.add((element, message))
            out.append(Problem(plugin_name, campaign.id, element, "error", message, "model"))
    return out


def check_registry(registry: Registry, plugin: str | None = None) -> list[Problem]:
    """Check every campaign of the registry, or only those of ``plugin``."""
    names = [info.name for info in registry.plugins()]
    if plugin is not None and plugin not in names:
        loaded = ", ".join(names) or "none"
        raise RegistryError(f"no plugin '{plugin}' is loaded (loaded: {loaded})")
    out: list[Problem] = []
    for name in names if plugin is None else [plugin]:
        if not registry.campaigns_of(name):
            out.append(Problem(name, "-", "plugin", "warning", "registers no campaign", "registry"))
    for entry in registry.entries:
        if plugin is None or entry.plugin == plugin:
            out += check_campaign(entry.campaign, plugin=entry.plugin)
    return out


# --- citations ---------------------------------------------------------------------------------
def cited_elements(campaign: Campaign) -> list[tuple[str, Citation | None]]:
    """Every (element, citation) pair, elements named as in problem lines (``kind:id``)."""
    return list(campaign.citations())


def _check_citations(campaign: Campaign) -> Iterator[Finding]:
    if not campaign.legal_basis:
        yield "legal_basis", "error", "names no source: a campaign rests on at least one document"
    for key in campaign.legal_basis:
        if key not in campaign.sources:
            yield "legal_basis", "error", f"names source '{key}', which is not in sources"
    for key, source in campaign.sources.items():
        texts = [source.kind, source.number, source.issuer, source.title or ""]
        if any(PLACEHOLDER in t for t in texts):
            yield (
                f"source:{key}",
                "warning",
                f"still holds a placeholder ({PLACEHOLDER}): write the document's number, "
                "issuer and title as printed",
            )
    for element, citation in cited_elements(campaign):
        if citation is None:
            yield element, "error", "has no citation"
            continue
        if citation.source not in campaign.sources:
            yield element, "error", f"citation names source '{citation.source}', not in sources"
        if not (_filled(citation.clause) or _filled(citation.quote)):
            yield element, "error", "citation has neither a clause nor a quote"
        if citation.interpretation and not _filled(citation.note):
            yield (
                element,
                "error",
                "citation is an interpretation without a note saying what the plan leaves open",
            )
        if any(PLACEHOLDER in (t or "") for t in (citation.clause, citation.quote, citation.note)):
            yield (
                element,
                "warning",
                f"citation still holds a placeholder ({PLACEHOLDER}): cite the plan's clause "
                "or quote its words",
            )


def _filled(text: str | None) -> bool:
    return text is not None and bool(text.strip())


# --- usage -------------------------------------------------------------------------------------
def _nodes_of(c: Criterion) -> list[ct.Node]:
    return [c.rule] + ([c.applies_if] if c.applies_if is not None else [])


def _comparisons_of(c: Criterion) -> list[ct.Comparison]:
    return [cmp for node in _nodes_of(c) for cmp in ct.comparisons(node)]


def _check_usage(campaign: Campaign) -> Iterator[Finding]:
    used_params: set[str] = set()
    read_facts: set[str] = set()
    for c in campaign.criteria:
        for cmp in _comparisons_of(c):
            read_facts.add(cmp.fact)
            if cmp.to_fact is not None:
                read_facts.add(cmp.to_fact)
            used_params |= {p for p in (cmp.param, cmp.margin_param) if p is not None}
    for a in campaign.awards:
        if a.quota_param is not None:
            used_params.add(a.quota_param)
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
def _check_references(campaign: Campaign) -> Iterator[Finding]:
    facts = _first_by_id(campaign.facts)
    params = _first_by_id(campaign.parameters)
    scales = _first_by_id(campaign.scales)
    for c in campaign.criteria:
        prefix = f"criterion '{c.id}': "
        for message in criterion_problems(c, facts, params, scales, campaign.unit_types()):
            yield f"criterion:{c.id}", "error", message.removeprefix(prefix)


# --- scales ------------------------------------------------------------------------------------
def _check_scales(campaign: Campaign) -> Iterator[Finding]:
    scales = _first_by_id(campaign.scales)
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
        if item.type == "ordinal" and item.scale is None:
            yield element, "error", "is ordinal but names no scale"
        elif item.type != "ordinal" and item.scale is not None:
            yield element, "error", f"is {item.type} but names scale '{item.scale}'"
        elif item.scale is not None and item.scale not in scales:
            yield element, "error", f"names scale '{item.scale}', which is not declared"
    for p in campaign.parameters:
        if p.type == "ordinal" and p.scale in scales:
            levels = scales[p.scale].levels
            for value in _param_values(p):
                if value not in levels:
                    yield (
                        f"parameter:{p.id}",
                        "error",
                        f"value {value!r} is not a level of scale '{p.scale}' "
                        f"({', '.join(levels)})",
                    )


# --- dates -------------------------------------------------------------------------------------
def _check_dates(campaign: Campaign) -> Iterator[Finding]:
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


# --- awards ------------------------------------------------------------------------------------
def _check_awards(campaign: Campaign) -> Iterator[Finding]:
    criteria = _first_by_id(campaign.criteria)
    params = _first_by_id(campaign.parameters)
    facts = _first_by_id(campaign.facts)
    awards = _first_by_id(campaign.awards)
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
                for value in _param_values(qp):
                    if isinstance(value, int) and value < 0:
                        yield element, "error", f"quota parameter '{qp.id}' is negative ({value})"
                    elif value == 0:
                        yield element, "warning", f"quota parameter '{qp.id}' is 0: nobody"
            if a.ranking is None:
                yield element, "error", "has a quota but no ranking to choose among the eligible"
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
            return f"= {_num(self.lo)}"
        low = self.lo if self.lo != universe.lo else -math.inf
        high = self.hi if self.hi != universe.hi else math.inf
        parts = []
        if math.isfinite(low):
            parts.append(f"{'≥' if self.lo_in else '>'} {_num(low)}")
        if math.isfinite(high):
            parts.append(f"{'≤' if self.hi_in else '<'} {_num(high)}")
        parts += [f"≠ {_num(h)}" for h in sorted(self.holes)]
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
            return f"= {_lit(shown[0])}"
        return "one of " + ", ".join(_lit(v) for v in shown)


Domain = Span | Choice
Env = dict[Var, Domain]


def _meet_domain(a: Domain, b: Domain) -> Domain | None:
    if isinstance(a, Span) and isinstance(b, Span):
        return a.meet(b)
    if isinstance(a, Choice) and isinstance(b, Choice):
        return a.meet(b)
    return a  # differently typed reads of one name: undecidable here, keep one


def _join_domain(a: Domain, b: Domain) -> Domain | None:
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
            both = _meet_domain(out[var], dom)
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
        either = _join_domain(a[var], b[var])
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
        fact = _first_by_id(self.campaign.facts).get(name)
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
        scale: Scale | None = _first_by_id(self.campaign.scales).get(scale_id or "")
        return scale.levels if scale is not None else ()

    def order(self, var: Var) -> tuple[Hashable, ...]:
        fact = _first_by_id(self.campaign.facts).get(var[1]) if var[0] != "attribute" else None
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
        param = _first_by_id(ctx.campaign.parameters).get(cmp.param or "")
        if param is None:
            return {}
        constants = list(_param_values(param))
    if not constants:
        return {}
    dom: Domain | None = None
    for constant in constants:
        one = _domain_of(op, constant, universe, ctx.order(var))
        if one is None:
            continue
        dom = one if dom is None else _join_domain(dom, one)
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


# --- reachability ------------------------------------------------------------------------------
def _guard_has_facts(c: Criterion) -> bool:
    return c.applies_if is not None and bool(ct.comparisons(c.applies_if))


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


def _check_reachability(campaign: Campaign) -> Iterator[Finding]:
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
    facts = _first_by_id(campaign.facts)
    ranges = []
    for cmp in _comparisons_of(c):
        f = facts.get(cmp.fact)
        if f is not None and (f.minimum is not None or f.maximum is not None):
            lo = _num(f.minimum) if f.minimum is not None else "-∞"
            hi = _num(f.maximum) if f.maximum is not None else "∞"
            text = f"fact '{f.id}' ranges over [{lo}, {hi}]"
            if text not in ranges:
                ranges.append(text)
    return f" ({'; '.join(ranges)})" if ranges else ""


# --- conflicts ---------------------------------------------------------------------------------
def _check_conflicts(campaign: Campaign) -> Iterator[Finding]:
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
    awards = list(_first_by_id(campaign.awards).values())
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
    criteria = _first_by_id(campaign.criteria)
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
                if _meet_domain(r1[var], r2[var]) is None:
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
            dom_all = _meet_domain(dom_all, dom) if dom_all is not None else None
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


# --- the model's own rules ------------------------------------------------------------------
_MODEL_ELEMENT = re.compile(
    r"^(scale|fact|parameter|criterion|award|target|content area|participant)(?: id)? "
    r"'?([^':]+?)'?(?::| is | requires | names |$)"
)


def _model_errors(campaign: Campaign) -> Iterator[tuple[str, str]]:
    """Validate the campaign again from its data (it may have been built without validation)."""
    try:
        Campaign.model_validate(campaign.model_dump(by_alias=True))
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            text = str(err["msg"]).removeprefix("Value error, ")
            if loc:
                element = _element_at(campaign, loc)
                rest = loc[2:] if ":" in element else loc[1:] if element != "campaign" else loc
                yield element, f"{_loc_text(rest)}: {text}" if rest else text
                continue
            for part in text.split("; "):
                element = _element_of_message(part)
                what, _, name = element.partition(":")
                yield element, part.removeprefix(f"{what.replace('_', ' ')} '{name}': ")


def _element_at(campaign: Campaign, loc: tuple[int | str, ...]) -> str:
    groups: dict[str, tuple[str, tuple[object, ...]]] = {
        "scales": ("scale", campaign.scales),
        "facts": ("fact", campaign.facts),
        "parameters": ("parameter", campaign.parameters),
        "criteria": ("criterion", campaign.criteria),
        "awards": ("award", campaign.awards),
        "targets": ("target", campaign.targets),
        "content_areas": ("content_area", campaign.content_areas),
        "participants": ("participant", campaign.participants),
    }
    head = str(loc[0])
    if head in groups and len(loc) > 1 and isinstance(loc[1], int):
        what, items = groups[head]
        if loc[1] < len(items):
            item = items[loc[1]]
            return f"{what}:{getattr(item, 'id', None) or getattr(item, 'unit_type', loc[1])}"
    return head if head in ("period", "jurisdiction", "legal_basis") else "campaign"


def _element_of_message(message: str) -> str:
    match = _MODEL_ELEMENT.match(message)
    if match:
        return f"{match.group(1).replace(' ', '_')}:{match.group(2)}"
    for head in ("legal_basis", "period", "jurisdiction"):
        if message.startswith(head):
            return head
    return "campaign"


def _loc_text(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- helpers -----------------------------------------------------------------------------------
_T = TypeVar("_T", Fact, Scale, Parameter, Criterion, Award)


def _first_by_id(items: Iterable[_T]) -> dict[str, _T]:
    out: dict[str, _T] = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


def _param_values(p: Parameter) -> list[object]:
    if p.values:
        return list(p.values.values())
    return [p.value] if p.value is not None else []


def _num(value: float | int) -> str:
    return f"{float(value):g}"


def _lit(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


CHECKS: tuple[tuple[str, Check], ...] = (
    ("citations", _check_citations),
    ("usage", _check_usage),
    ("references", _check_references),
    ("scales", _check_scales),
    ("dates", _check_dates),
    ("awards", _check_awards),
    ("reachability", _check_reachability),
    ("conflicts", _check_conflicts),
)

__all__ = [
    "CHECKS",
    "Problem",
    "abstract",
    "check_campaign",
    "check_registry",
    "cited_elements",
    "never_met",
]
