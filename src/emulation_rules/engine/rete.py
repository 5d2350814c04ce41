"""The durable-rules engine: the only module that imports ``durable``.

durable-rules decides award eligibility here by **forward chaining** over a network of small
decisions, never by expanding conditions into disjunctive normal form:

* every node of a criteria tree that is more than a single comparison (an ``all``, an ``any``,
  ``at_least``, a member aggregate, an interval), every guarded criterion and every award is a
  *decision*: a handful of rules, each a conjunction of atoms, tried in priority order (a
  decision list: the first rule that matches a message consumes it). A decision's rules read
  the candidate's facts and the verdicts of the decisions below it;
* a decision's verdicts are asserted as fields of the messages of the decisions above it
  (``s<k>`` = the verdict of decision k, copied from the unit's row for ``of: unit``), so the
  network runs in strata, lowest first: the verdicts of one stratum are the facts of the next.
  Awards join on their criteria's verdicts, member aggregates on their members' verdicts,
  an individual gated by its unit's award on the unit's verdict;
* a comparison is never a decision of its own: its three states are single atoms
  (``v OP c``, ``v NEG c``, ``$nex v``) written into its parent's rules. Nested ``all``/``all``
  and ``any``/``any`` are flattened, ``not`` is pushed into the leaves (De Morgan); where a
  conjunction would meet a disjunction the inner node becomes a decision of its own. So the
  number of rules and atoms grows linearly with the plan: a decision over n children has at
  most 2n + 2 rules of at most two atoms each (``at_least`` k of n: three rules, the count an
  arithmetic expression over the children's 0/1 fields, ``$add``/``$sub``).

The traps of ``shared/research/durable-rules.md`` and how they are closed (see docs/engine.md):

1. global registry — durable's Python ``Host`` is not used at all: the ruleset is created on the
   C core directly (``durable_rules_engine.create_ruleset``) under a name namespaced by plan
   digest and a counter, and deleted when the engine is garbage-collected;
2. no replace / delete — a changed plan is a new compiled plan and a new ruleset;
3. background thread — no host, so no timer thread; dispatch is synchronous and every message
   must produce exactly one verdict, or :class:`EngineError`;
4. not handled = exception — every decision ends with a rule that matches all its messages;
5. 32-bit hashes — candidates never become session or message ids: messages carry the row
   index ``c`` and ids whose FNV-1a hashes differ within a batch; an observed-message result is
   an :class:`EngineError`, never a dropped candidate;
6. 1024 live sessions — one session per batch, deleted after it;
7. silent semantics — values arrive validated and normalised; numbers are written in a form the
   C parser reads exactly (never exponent notation without a decimal point: ``1e-05`` makes the
   core fail and the process crash; it is written ``1.0e-05``); an unknown fact is absent from
   the message and tested with ``$nex``; rules are conjunctions built as data;
8. swallowed errors — no Python action runs inside durable-rules: the wrapper reads the matched
   messages from the core's results, and any error of the core becomes an :class:`EngineError`
   naming the candidate whose message the core refused;
9. no explanation — explanations come from :mod:`emulation_rules.engine.columnar`;
10. capacity — the C core's limits are respected by construction and checked before a ruleset
    is built: at most :data:`MAX_ALPHA` atoms per decision (its alpha stack holds 64), at most
    :data:`MAX_FIELDS` fields per message (255), decisions numbered on two levels (``g``, ``h``)
    so that no alpha node has more than 256 successors (a node with more than 512 makes the core
    loop forever). A plan beyond them raises :class:`EngineError` when compiled, and
    ``emulation-rules check`` says so before ``evaluate``.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import durable_rules_engine as dre
import numpy as np

from emulation_rules.engine.columnar import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    OTHER_KIND,
    UNDETERMINED,
    UNKNOWN,
    Int8Array,
    SeatReader,
    member_counts,
    member_interval,
)
from emulation_rules.engine.compiler import (
    CAll,
    CAny,
    CAtLeast,
    CAttr,
    CCmp,
    CMembers,
    CNode,
    CNot,
    CompiledPlan,
    CRange,
    CRef,
)
from emulation_rules.engine.fact_table import KIND_CODES, FactTable
from emulation_rules.errors import EngineError
from emulation_rules.plan.digest import campaign_digest

BATCH = 1000
#: atoms (alpha nodes) one decision may hold: the C core's alpha stack holds 64 entries
MAX_ALPHA = 48
#: fields one message may carry besides its own ids: the C core takes 255 properties
MAX_FIELDS = 200
#: children of one ``at_least`` (two fields each)
MAX_AT_LEAST = 90
#: decisions per ruleset (two-level numbering keeps every alpha node under 256 successors)
MAX_DECISIONS = 60_000
_OPS = {">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt", "==": "$eq", "!=": "$neq"}
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}
_ATTRS = {"kind": "kd", "unit_type": "ut", "unit.unit_type": "uut"}
_NAMES = itertools.count()
_ROW = re.compile(r'"c":(\d+)')

Atom = tuple[str, str, Any]  # (field, durable operator, right-hand side: a number or expression)
Term = tuple[Atom, ...]
TRUE: list[Term] = [()]


def number_text(value: float) -> str:
    """A finite float as JSON the durable-rules C parser reads exactly: ``repr`` (shortest
    round-trip digits) with a decimal point before any exponent (``1e-05`` -> ``1.0e-05``)."""
    text = repr(float(value))
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        if "." not in mantissa:
            text = f"{mantissa}.0e{exponent}"
    if text in ("inf", "-inf", "nan"):
        raise EngineError(f"the number {text} cannot reach durable-rules")
    return text


def to_json(value: Any) -> str:
    """JSON text for the C core: compact, floats through :func:`number_text`, ints as ints."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(f"{to_json(str(k))}:{to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} for durable-rules")


class _NeedChain(Exception):
    """A condition would need a product of two disjunctions: make a decision of a node."""


# --- where a message field's value comes from ----------------------------------------------------
@attrs.frozen
class Source:
    """A message field: ``what`` is column, difference, attribute, state, indicator, seat,
    members or range; ``key`` says which; ``scope`` self or unit (read on the unit's row)."""

    what: str
    key: Any
    scope: str = "self"
    codes: tuple[int, ...] = ()
    part: str = ""


# --- views: how a parent's rules read a child ---------------------------------------------------
@attrs.frozen
class Leaf:
    node: CCmp | CAttr
    neg: bool = False


@attrs.frozen
class State:
    """A child decided by a decision (or read from outside, a seat): its verdict field."""

    field: str
    met: tuple[int, ...]
    not_: tuple[int, ...]
    unk: tuple[int, ...]
    decision: int  # -1 for a seat
    neg: bool = False
    can_be_na: bool = False  # a criterion's verdict: NA is neither met, not met nor unknown

    def negated(self) -> State:
        return attrs.evolve(self, neg=not self.neg)


@attrs.frozen
class Group:
    conj: bool
    children: tuple[View, ...]


View = Leaf | State | Group


@attrs.define
class Decision:
    """One decision list: rules ``(priority, outcome, term)``, the first match wins."""

    index: int
    label: str
    kind: int
    rules: list[tuple[int, int, Term]]
    fields: dict[str, Source]
    stratum: int = 0


@attrs.define
class Network:
    decisions: list[Decision]
    award_decisions: list[int]
    member_tests: dict[int, int]  # CMembers.index -> decision of the test
    seat_strata: dict[int, int]  # award index -> stratum at whose start its seats are read
    definition: dict[str, dict[str, Any]]
    rule_outcomes: dict[str, tuple[int, int]]


class _Compiler:
    def __init__(self, plan: CompiledPlan) -> None:
        self.plan = plan
        self.decisions: list[Decision] = []
        self.sources: dict[Source, str] = {}
        self.universe = {
            "kind": 2,
            "unit_type": len(plan.campaign.unit_types()),
            "unit.unit_type": len(plan.campaign.unit_types()),
        }
        self.criterion_views: dict[int, View] = {}
        self.criterion_states: dict[int, State] = {}
        self.award_decisions: dict[int, int] = {}
        self.member_tests: dict[int, int] = {}
        self.kind = 0
        self.label = ""

    # --- fields -----------------------------------------------------------------------------
    def field(self, source: Source) -> str:
        name = self.sources.get(source)
        if name is None:
            name = self.sources[source] = f"f{len(self.sources)}"
        return name

    def leaf_field(self, node: CCmp) -> str:
        if node.other is None:
            return self.field(Source("column", node.column))
        return self.field(Source("difference", (node.column, node.other)))

    # --- the three states of a view as terms ------------------------------------------------
    def terms(self, view: View, state: str) -> list[Term]:
        """Exact condition of ``state`` (met, not, unk) as terms; raises _NeedChain where a
        product of two disjunctions would be needed, or for a group's unknown."""
        if isinstance(view, Leaf):
            flip = {"met": "not", "not": "met", "unk": "unk"}
            return self._leaf_terms(view.node, flip[state] if view.neg else state)
        if isinstance(view, State):
            if view.neg and state != "unk":
                state = "not" if state == "met" else "met"
            codes = {"met": view.met, "not": view.not_, "unk": view.unk}[state]
            out: list[Term] = [((view.field, "$eq", c),) for c in codes]
            if state == "unk":
                out.append(((view.field, "$nex", 1),))
            return out
        if state == "unk":
            raise _NeedChain
        parts = [self.terms(child, state) for child in view.children]
        if (state == "met") == view.conj:
            return _product(parts)
        return [t for p in parts for t in p]

    def _leaf_terms(self, node: CCmp | CAttr, state: str) -> list[Term]:
        if isinstance(node, CAttr):
            if state == "unk":
                return []
            field = self.field(Source("attribute", node.attribute))
            inside = state == "met"
            excluded = [
                c for c in range(self.universe[node.attribute]) if (c in node.codes) != inside
            ]
            return [tuple((field, "$neq", c) for c in excluded)]
        field = self.leaf_field(node)
        right = node.constant if node.other is None else node.margin
        assert right is not None
        if state == "unk":
            return [((field, "$nex", 1),)]
        op = node.op if state == "met" else _NEGATED[node.op]
        return [((field, _OPS[op], float(right)),)]

    def unk_in_context(self, view: View) -> list[Term]:
        """Unknown, given that no earlier rule of the decision found a child not met (for a
        conjunction: some child unknown)."""
        if isinstance(view, Group):
            if not view.conj:
                raise _NeedChain
            return [t for child in view.children for t in self.unk_in_context(child)]
        return self.terms(view, "unk")

    # --- views of compiled nodes --------------------------------------------------------------
    def view(self, node: CNode, neg: bool = False) -> View:
        if isinstance(node, CCmp | CAttr):
            return Leaf(node, neg)
        if isinstance(node, CNot):
            return self.view(node.child, not neg)
        if isinstance(node, CAll | CAny):
            conj = isinstance(node, CAll) != neg
            kids: list[View] = []
            for child in node.children:
                v = self.view(child, neg)
                if isinstance(v, Group) and v.conj == conj:
                    kids.extend(v.children)  # associativity: all(all(a, b), c) = all(a, b, c)
                else:
                    kids.append(v)
            if len(kids) == 1:
                return kids[0]
            return Group(conj, tuple(kids))
        state = self.state_of(node)
        return state.negated() if neg else state

    def state_of(self, node: CNode) -> State:
        """A decision for a node that is one by nature (k of n, aggregates, intervals, refs)."""
        if isinstance(node, CRef):
            return self.ref_state(node)
        if isinstance(node, CAtLeast):
            return self.at_least(node)
        if isinstance(node, CMembers):
            return self.members(node)
        assert isinstance(node, CRange)
        lo = self.field(Source("range", node.key, part="lo"))
        hi = self.field(Source("range", node.key, part="hi"))
        met, not_ = _interval_terms(lo, hi, node.op, node.constant)
        rules = [(1, MET, t) for t in met] + [(2, NOT_MET, t) for t in not_]
        return self.decide([*rules, (3, UNKNOWN, ())], "an interval")

    def ref_state(self, node: CRef) -> State:
        if node.target == "seat":
            field = self.field(Source("seat", node.index, node.scope))
            return State(field, (MET,), (NOT_MET,), (UNKNOWN,), -1)
        if node.target == "award":
            k = self.award_decisions[node.index]
            field = self.field(Source("state", k, node.scope))
            return State(field, (ELIGIBLE,), (INELIGIBLE,), (UNDETERMINED,), k)
        state = self.criterion_state(node.index)
        field = self.field(Source("state", state.decision, node.scope))
        return State(field, (MET,), (NOT_MET, NOT_APPLICABLE), (UNKNOWN,), state.decision)

    def decide(
        self, rules: list[tuple[int, int, Term]], label: str, kind: int | None = None
    ) -> State:
        """Register a decision over the current kind; return the view of its verdict."""
        fields: dict[str, Source] = {}
        by_name = {name: src for src, name in self.sources.items()}
        for _, _, term in rules:
            for field, _, right in term:
                fields[field] = by_name[field]
                for ref in _expression_fields(right):
                    fields[ref] = by_name[ref]
        atoms = len({a for _, _, t in rules for a in _hashable(t)})
        index = len(self.decisions)
        where = f"{self.label}: {label}" if self.label else label
        if atoms > MAX_ALPHA:
            raise EngineError(
                f"{where}: a decision of {atoms} atoms is beyond durable-rules' alpha stack "
                f"(at most {MAX_ALPHA}); evaluate this campaign with engine='columnar'"
            )
        if len(fields) > MAX_FIELDS:
            raise EngineError(
                f"{where}: a decision reading {len(fields)} fields is beyond durable-rules' "
                f"message size (at most {MAX_FIELDS}); evaluate with engine='columnar'"
            )
        self.decisions.append(
            Decision(index, where, self.kind if kind is None else kind, rules, fields)
        )
        if len(self.decisions) > MAX_DECISIONS:
            raise EngineError(
                f"{where}: more than {MAX_DECISIONS} decisions; evaluate with engine='columnar'"
            )
        field = self.field(Source("state", index))
        return State(field, (MET,), (NOT_MET,), (UNKNOWN,), index)

    def chain(self, view: View, label: str) -> State:
        """Make ``view`` a decision of its own (a leaf, or a group over leaves and states)."""
        if isinstance(view, State):
            return view
        return self._chain(view, label)

    def own_decision(self, view: View, label: str) -> State:
        """A decision whose verdict on a row is the view's verdict on that same row (a state
        read from the unit's row, a seat, or a negated state get a decision of their own)."""
        state = self.chain(view, label)
        src = next((s for s, name in self.sources.items() if name == state.field), None)
        if state.decision >= 0 and not state.neg and src is not None and src.scope == "self":
            return state
        rules = [(1, NOT_MET, t) for t in self.terms(state, "not")]
        rules += [(2, UNKNOWN, t) for t in self.terms(state, "unk")]
        return self.decide([*rules, (3, MET, ())], label)

    def _chain(self, view: View, label: str) -> State:
        if isinstance(view, State):
            return view
        if isinstance(view, Leaf):
            rules = [(1, NOT_MET, t) for t in self.terms(view, "not")]
            rules += [(2, UNKNOWN, t) for t in self.terms(view, "unk")]
            return self.decide([*rules, (3, MET, ())], label)
        kids = tuple(self.chain(c, label) if isinstance(c, Group) else c for c in view.children)
        first, settle = ("not", NOT_MET) if view.conj else ("met", MET)
        last = MET if view.conj else NOT_MET
        rules = [(1, settle, t) for c in kids for t in self.terms(c, first)]
        rules += [(2, UNKNOWN, t) for c in kids for t in self.terms(c, "unk")]
        rules.append((3, last, ()))
        if _alpha(rules) > MAX_ALPHA or _field_count(rules) > MAX_FIELDS:
            if len(kids) <= 2:
                raise EngineError(f"{self.label}: {label}: a node too wide for durable-rules")
            half = (len(kids) + 1) // 2
            parts = (Group(view.conj, kids[:half]), Group(view.conj, kids[half:]))
            return self.chain(Group(view.conj, tuple(self.chain(p, label) for p in parts)), label)
        return self.decide(rules, label)

    def at_least(self, node: CAtLeast) -> State:
        if len(node.children) > MAX_AT_LEAST:
            raise EngineError(
                f"{self.label}: 'at_least' over {len(node.children)} children is beyond "
                f"durable-rules (at most {MAX_AT_LEAST}); evaluate with engine='columnar'"
            )
        met_fields: list[str] = []
        possible_fields: list[str] = []
        for child in node.children:
            state = self.chain(self.view(child), "a child of at_least")
            met = state.not_ if state.neg else state.met
            possible = tuple(
                c
                for c in (MET, NOT_MET, UNKNOWN, NOT_APPLICABLE)
                if c not in (state.met if state.neg else state.not_)
            )
            if state.decision >= 0:
                src_m = Source("indicator", state.decision, codes=met, part=state.field)
                src_p = Source("indicator", state.decision, codes=possible, part=state.field)
            else:  # a seat
                src_m = Source("seat_indicator", state.field, codes=met)
                src_p = Source("seat_indicator", state.field, codes=possible)
            met_fields.append(self.field(attrs.evolve(src_m, scope=_scope_of(self, state))))
            possible_fields.append(self.field(attrs.evolve(src_p, scope=_scope_of(self, state))))
        k = float(node.k)
        rules = [
            (1, MET, ((met_fields[0], "$gte", _rest(k, met_fields[1:])),)),
            (2, NOT_MET, ((possible_fields[0], "$lt", _rest(k, possible_fields[1:])),)),
            (3, UNKNOWN, ()),
        ]
        return self.decide(rules, f"at least {node.k} of {len(node.children)}")

    def members(self, node: CMembers) -> State:
        outer_kind, outer_label = self.kind, self.label
        self.kind = KIND_CODES["individual"]
        self.label = f"{outer_label} (members' test)"
        test = self.own_decision(self.view(node.test), "a member test")
        self.kind, self.label = outer_kind, outer_label
        self.member_tests[node.index] = test.decision
        lo = self.field(Source("members", (node.index, False), part="lo"))
        hi = self.field(Source("members", (node.index, False), part="hi"))
        none = self.field(Source("members", (node.index, False), part="none"))
        met, not_ = _interval_terms(lo, hi, node.op, node.constant)
        empty = NOT_MET if node.no_members == "not_met" else UNKNOWN
        rules: list[tuple[int, int, Term]] = [(1, empty, ((none, "$eq", 1),))]
        rules += [(2, MET, t) for t in met] + [(3, NOT_MET, t) for t in not_]
        return self.decide([*rules, (4, UNKNOWN, ())], f"members' {node.measure}")

    # --- criteria and awards ------------------------------------------------------------------
    def criterion(self, i: int) -> None:
        c = self.plan.criteria[i]
        self.kind = c.kind
        self.label = f"criterion '{c.id}'"
        rule = self.view(c.rule)
        if c.guard is None:
            self.criterion_views[i] = rule
            return
        guard = self.view(c.guard)
        for _ in range(3):
            try:
                rules = [(1, NOT_APPLICABLE, t) for t in self.terms(guard, "not")]
                rules += [(2, MET, t) for t in self.terms(rule, "met")]
                product = _product([self.terms(guard, "met"), self.terms(rule, "not")])
                rules += [(3, NOT_MET, t) for t in product]
                break
            except _NeedChain:
                if isinstance(guard, Group):
                    guard = self.chain(guard, "applies_if")
                else:
                    rule = self.chain(rule, "rule")
        else:  # pragma: no cover - two chains always make every condition linear
            raise EngineError(f"{self.label}: its guard and rule cannot be compiled")
        # the guard's and the rule's own decisions (if any) are too wide when split: see chain
        if _alpha(rules) > MAX_ALPHA or _field_count(rules) > MAX_FIELDS:
            guard, rule = self.chain(guard, "applies_if"), self.chain(rule, "rule")
            rules = [(1, NOT_APPLICABLE, t) for t in self.terms(guard, "not")]
            rules += [(2, MET, t) for t in self.terms(rule, "met")]
            rules += [
                (3, NOT_MET, t)
                for t in _product([self.terms(guard, "met"), self.terms(rule, "not")])
            ]
        state = self.decide([*rules, (4, UNKNOWN, ())], "verdict")
        self.criterion_views[i] = attrs.evolve(state, can_be_na=True)
        self.criterion_states[i] = self.criterion_views[i]  # type: ignore[assignment]

    def criterion_state(self, i: int) -> State:
        """The criterion's verdict as a decision (made one if it was inline)."""
        if i not in self.criterion_states:
            outer = (self.kind, self.label)
            c = self.plan.criteria[i]
            self.kind, self.label = c.kind, f"criterion '{c.id}'"
            self.criterion_states[i] = self.chain(self.criterion_views[i], "verdict")
            self.kind, self.label = outer
        return self.criterion_states[i]

    def award(self, j: int) -> None:
        award = self.plan.awards[j]
        self.kind = award.kind
        self.label = f"award '{award.id}'"
        views = [self.criterion_views[i] for i in dict.fromkeys(award.criteria)]
        self.award_decisions[j] = self.fold(views, final=True).decision

    def fold(self, views: list[View], *, final: bool) -> State:
        """Eligibility over criteria (``final``), or a group of them folded into one
        criterion-like verdict (met, not met, unknown, not applicable)."""
        for attempt in range(3):
            try:
                rules = self._fold_rules(views, final)
                break
            except _NeedChain:
                views = [
                    self.chain(v, "a criterion's verdict")
                    if isinstance(v, Group) and (attempt > 0 or not v.conj)
                    else v
                    for v in views
                ]
        else:  # pragma: no cover - chained views always give linear conditions
            raise EngineError(f"{self.label}: its criteria cannot be compiled")
        if _alpha(rules) > MAX_ALPHA or _field_count(rules) > MAX_FIELDS:
            if len(views) <= 1:
                raise EngineError(f"{self.label}: a criterion too wide for durable-rules")
            half = (len(views) + 1) // 2
            parts = [self.fold(views[:half], final=False), self.fold(views[half:], final=False)]
            return self.fold(list(parts), final=final)
        state = self.decide(rules, "eligibility" if final else "a group of criteria")
        return attrs.evolve(state, can_be_na=not final and _any_na(views))

    def _fold_rules(self, views: list[View], final: bool) -> list[tuple[int, int, Term]]:
        no, unk, yes = (
            (INELIGIBLE, UNDETERMINED, ELIGIBLE)
            if final
            else (
                NOT_MET,
                UNKNOWN,
                MET,
            )
        )
        rules = [(1, no, t) for v in views for t in self.terms(v, "not")]
        rules += [(2, unk, t) for v in views for t in self.unk_in_context(v)]
        if _any_na(views) and all(_can_na(v) for v in views):
            rules += [(3, yes, t) for v in views for t in self.terms(v, "met")]
            rules.append((4, INELIGIBLE if final else NOT_APPLICABLE, ()))
        else:
            rules.append((3, yes, ()))
        return rules


def _can_na(view: View) -> bool:
    return isinstance(view, State) and view.can_be_na


def _any_na(views: Iterable[View]) -> bool:
    return any(_can_na(v) for v in views)


def _scope_of(comp: _Compiler, state: State) -> str:
    for src, name in comp.sources.items():
        if name == state.field:
            return src.scope
    return "self"


def _rest(k: float, fields: Sequence[str]) -> Any:
    """``k − (f1 + f2 + …)`` as a durable-rules expression (``k`` alone without fields)."""
    if not fields:
        return k
    total: Any = {"$m": fields[-1]}
    for name in reversed(fields[:-1]):
        total = {"$add": {"$l": {"$m": name}, "$r": total}}
    return {"$sub": {"$l": k, "$r": total}}


def _expression_fields(right: Any) -> list[str]:
    out: list[str] = []
    stack = [right]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "$m" in value:
                out.append(value["$m"])
            else:
                stack.extend(value.values())
    return out


def _hashable(term: Term) -> list[tuple[str, str, str]]:
    return [(f, op, to_json(r)) for f, op, r in term]


def _alpha(rules: list[tuple[int, int, Term]]) -> int:
    return len({a for _, _, t in rules for a in _hashable(t)})


def _field_count(rules: list[tuple[int, int, Term]]) -> int:
    fields = {f for _, _, t in rules for f, _, r in t} | {
        m for _, _, t in rules for _, _, r in t for m in _expression_fields(r)
    }
    return len(fields)


def _product(parts: Sequence[list[Term]]) -> list[Term]:
    """The conjunction of several disjunctions of terms, allowed only when at most one of them
    has more than one term (so the result never grows beyond the sum of its parts)."""
    if sum(1 for p in parts if len(p) > 1) > 1:
        raise _NeedChain
    if any(not p for p in parts):
        return []  # one side can never hold
    wide = next((p for p in parts if len(p) > 1), [()])
    single = tuple(a for p in parts if len(p) == 1 for a in p[0])
    return [tuple(dict.fromkeys(single + t)) for t in wide]


def _interval_terms(lo: str, hi: str, op: str, c: float) -> tuple[list[Term], list[Term]]:
    """(met, not met) of ``x OP c`` for every x in [lo, hi]; an absent ``hi`` is +inf."""
    if op == ">=":
        return [((lo, "$gte", c),)], [((hi, "$lt", c),)]
    if op == ">":
        return [((lo, "$gt", c),)], [((hi, "$lte", c),)]
    if op == "<=":
        return [((hi, "$lte", c),)], [((lo, "$gt", c),)]
    if op == "<":
        return [((hi, "$lt", c),)], [((lo, "$gte", c),)]
    point: list[Term] = [((lo, "$eq", c), (hi, "$eq", c))]
    outside: list[Term] = [((lo, "$gt", c),), ((hi, "$lt", c),)]
    return (point, outside) if op == "==" else (outside, point)


def _strata(comp: _Compiler, plan: CompiledPlan) -> dict[int, int]:
    """Each award's seats' stratum; every decision's stratum set on it."""
    by_name = {name: src for src, name in comp.sources.items()}
    seat_strata: dict[int, int] = {}

    def award_closure(j: int) -> list[int]:
        ids = {a.id: k for k, a in enumerate(plan.awards)}
        out, todo = [j], list(plan.awards[j].after)
        while todo:
            aid = todo.pop()
            k = ids.get(aid)
            if k is not None and k not in out:
                out.append(k)
                todo.extend(plan.awards[k].after)
        return out

    def seat_stratum(j: int) -> int:
        if j not in seat_strata:
            seat_strata[j] = 1 + max(
                comp.decisions[comp.award_decisions[k]].stratum for k in award_closure(j)
            )
        return seat_strata[j]

    for d in comp.decisions:  # decisions are created after everything they read
        level = 0
        for name in d.fields:
            src = by_name[name]
            if src.what in ("state", "indicator"):
                level = max(level, comp.decisions[src.key].stratum + 1)
            elif src.what == "members":
                test = comp.member_tests[src.key[0]]
                level = max(level, comp.decisions[test].stratum + 1)
            elif src.what in ("seat", "seat_indicator"):
                j = src.key if src.what == "seat" else _seat_of(by_name, src.key)
                level = max(level, seat_stratum(j))
        d.stratum = level
    return seat_strata


def _seat_of(by_name: Mapping[str, Source], field: str) -> int:
    src = by_name[field]
    assert src.what == "seat"
    return int(src.key)


def build_network(plan: CompiledPlan) -> Network:
    """The decisions, their rules as durable-rules JSON (without actions) and how to read
    their results."""
    comp = _Compiler(plan)
    for what, index in plan.order or _default_order(plan):
        if what == "criterion":
            comp.criterion(index)
        elif what == "award":
            comp.award(index)
    seat_strata = _strata(comp, plan)
    definition: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, tuple[int, int]] = {}
    for d in comp.decisions:
        head = [{"g": d.index >> 8}, {"h": d.index & 255}]
        for t, (priority, outcome, term) in enumerate(d.rules):
            atoms = head + [_atom_json(a) for a in term]
            name = f"d{d.index}_{t}"
            definition[name] = {"pri": priority, "cap": BATCH, "all": [{"m": {"$and": atoms}}]}
            outcomes[name] = (d.index, outcome)
    return Network(
        comp.decisions,
        [comp.award_decisions[j] for j in range(len(plan.awards))],
        dict(comp.member_tests),
        seat_strata,
        definition,
        outcomes,
    )


def _default_order(plan: CompiledPlan) -> list[tuple[str, int]]:
    return [("criterion", i) for i in range(len(plan.criteria))] + [
        ("award", j) for j in range(len(plan.awards))
    ]


def _atom_json(atom: Atom) -> dict[str, Any]:
    field, op, right = atom
    if op == "$eq" and not isinstance(right, dict):
        return {field: right}
    return {op: {field: right}}


def build_ruleset(plan: CompiledPlan) -> tuple[dict[str, dict[str, Any]], Network]:
    """The ruleset definition (durable-rules JSON) and the network it was built from."""
    network = build_network(plan)
    return network.definition, network


def fnv1a32(text: str) -> int:
    """The 32-bit FNV-1a hash durable-rules uses for session and message ids."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def message_ids(count: int, taken: set[int] | None = None) -> list[str]:
    """``count`` message ids whose FNV-1a hashes are pairwise distinct (and not in ``taken``)."""
    used = set(taken or ())
    out: list[str] = []
    for k in itertools.count():
        if len(out) == count:
            break
        candidate = f"m{k}"
        h = fnv1a32(candidate)
        if h in used:
            continue
        used.add(h)
        out.append(candidate)
    return out


class ReteEngine:
    """One compiled plan's ruleset on the durable-rules core; :meth:`decide` gives award
    eligibility."""

    SESSION = "run"

    def __init__(self, plan: CompiledPlan, *, action_hook: Callable[[str], None] | None = None):
        self.plan = plan
        self.network = build_network(plan)
        self.definition = self.network.definition
        self.name = f"er_{campaign_digest(plan.campaign)[:12]}_{next(_NAMES)}"
        self._lock = threading.Lock()
        self._action_hook = action_hook
        self._ids = message_ids(BATCH, {fnv1a32(self.SESSION)})
        self._tail = [f',"id":"{mid}","sid":"{self.SESSION}"}}' for mid in self._ids]
        try:
            self._handle = dre.create_ruleset(self.name, to_json(self.definition))
        except dre.error as exc:
            raise EngineError(
                f"durable-rules refused the ruleset of {plan.campaign.id} ({exc}); evaluate "
                "with engine='columnar'"
            ) from None
        self._finalizer = weakref.finalize(self, dre.delete_ruleset, self._handle)
        by_name = {name: src for name, src in _field_sources(self.network).items()}
        self._sources = by_name

    # --- the run ----------------------------------------------------------------------------
    def decide(self, table: FactTable, *, seats: SeatReader | None = None) -> list[Int8Array]:
        """Eligibility codes per award (``OTHER_KIND`` for rows of the other kind)."""
        n = len(table)
        outcomes: dict[int, Int8Array] = {}
        seat_codes: dict[int, Int8Array] = {}
        strata = sorted({d.stratum for d in self.network.decisions})
        with self._lock:
            for stratum in strata:
                for j, at in sorted(self.network.seat_strata.items()):
                    if at == stratum and j not in seat_codes:
                        if seats is None:
                            raise EngineError(
                                "a criterion reads an allocation: give decide() the seats"
                            )
                        done = {
                            a: outcomes[d]
                            for a, d in enumerate(self.network.award_decisions)
                            if d in outcomes
                        }
                        seat_codes[j] = seats(j, done)
                layer = [d for d in self.network.decisions if d.stratum == stratum]
                self._run_stratum(layer, table, outcomes, seat_codes)
        out = []
        for j, award in enumerate(self.plan.awards):
            codes = outcomes[self.network.award_decisions[j]].copy()
            codes[table.kind != award.kind] = OTHER_KIND
            out.append(codes)
        del n
        return out

    def _run_stratum(
        self,
        layer: list[Decision],
        table: FactTable,
        outcomes: dict[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> None:
        n = len(table)
        messages: list[tuple[int, int, str]] = []  # (decision, row, body)
        for d in layer:
            outcomes[d.index] = np.full(n, -1, dtype=np.int8)
            rows = np.flatnonzero(table.kind == d.kind)
            if rows.size == 0:
                continue
            bodies = self._bodies(d, rows, table, outcomes, seat_codes)
            messages.extend(zip(itertools.repeat(d.index), rows.tolist(), bodies, strict=False))
        for start in range(0, len(messages), BATCH):
            self._post(messages[start : start + BATCH], table, outcomes)
        for d in layer:
            missing = np.flatnonzero((table.kind == d.kind) & (outcomes[d.index] < 0))
            if missing.size:
                raise EngineError(
                    f"durable-rules gave no verdict on {d.label} for {missing.size} "
                    f"candidate(s), e.g. {table.ids[int(missing[0])]}"
                )

    def _bodies(
        self,
        d: Decision,
        rows: Any,
        table: FactTable,
        outcomes: Mapping[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> list[str]:
        head = f'{{"g":{d.index >> 8},"h":{d.index & 255},"c":'
        columns = [
            _fragments(name, *self._values(src, table, outcomes, seat_codes), rows)
            for name, src in d.fields.items()
        ]
        rows_list = rows.tolist()
        if not columns:
            return [f"{head}{r}" for r in rows_list]
        return [
            f"{head}{r}{''.join(parts)}"
            for r, parts in zip(rows_list, zip(*columns, strict=False), strict=True)
        ]

    def _values(
        self,
        src: Source,
        table: FactTable,
        outcomes: Mapping[int, Int8Array],
        seat_codes: Mapping[int, Int8Array],
    ) -> tuple[Any, Any, bool]:
        """(values, known, integer?) of one field over every row of the table."""
        n = len(table)
        if src.what == "column":
            return table.values[src.key], table.known[src.key], False
        if src.what == "difference":
            diff, known = table.difference(*src.key)
            return diff, known, False
        if src.what == "attribute":
            attr = table.kind if src.key == "kind" else table.attributes[src.key]
            return attr, np.ones(n, dtype=bool), True
        if src.what == "range":
            values = table.values[f"{src.key}.{src.part}"]
            return values, table.known[f"{src.key}.{src.part}"], False
        if src.what == "members":
            index, negated = src.key
            test = outcomes[self.network.member_tests[index]]
            met_mask = test == (NOT_MET if negated else MET)
            not_mask = test == (MET if negated else NOT_MET)
            met, unknown, members = member_counts(met_mask, not_mask, table)
            node = _find_members(self.plan, index)
            lo, hi = member_interval(node, met, unknown, members)
            if src.part == "none":
                return (members == 0).astype(np.int64), np.ones(n, dtype=bool), True
            return (lo if src.part == "lo" else hi), members > 0, False
        codes: Any
        if src.what in ("state", "indicator"):
            codes = outcomes[src.key]
        else:  # seat, seat_indicator
            key = src.key if src.what == "seat" else self._sources[src.key].key
            codes = seat_codes[key]
        if src.scope == "unit":
            units = table.units()
            codes = np.where(units >= 0, codes[np.where(units >= 0, units, 0)], -1)
        known = codes >= 0
        if src.what in ("indicator", "seat_indicator"):
            values = np.isin(codes, np.asarray(src.codes, dtype=np.int8)).astype(np.int64)
            return values, known, True
        return codes.astype(np.int64), known, True

    def _post(
        self,
        batch: list[tuple[int, int, str]],
        table: FactTable,
        outcomes: dict[int, Int8Array],
    ) -> None:
        text = (
            "["
            + ",".join(body + tail for (_, _, body), tail in zip(batch, self._tail, strict=False))
            + "]"
        )
        try:
            delivered = self._dispatch(text)
        except (dre.error, EngineError) as exc:
            raise self._culprit(batch, table, exc) from None
        seen = 0
        rows_of = self.network.rule_outcomes
        for rule, rows in delivered:
            decision, outcome = rows_of[rule]
            codes = outcomes[decision]
            for row in rows:
                if codes[row] >= 0:
                    raise EngineError(
                        f"durable-rules gave two verdicts for {table.ids[row]} on "
                        f"{self.network.decisions[decision].label}"
                    )
                codes[row] = outcome
                seen += 1
        if seen != len(batch):
            raise EngineError(f"durable-rules decided {seen} of {len(batch)} messages in a batch")

    def _dispatch(self, text: str) -> list[tuple[str, list[int]]]:
        """Post one batch; return (rule, rows) of every result; the session is deleted after."""
        out: list[tuple[str, list[int]]] = []
        try:
            code, state = dre.assert_events(self._handle, text)
            if code == 1:
                raise EngineError("a message matched no rule (incomplete ruleset)")
            if code == 2:
                raise EngineError("durable-rules refused a message as already seen")
            result = dre.start_action_for_state(self._handle, state)
            while result:
                message = result[1] if isinstance(result, tuple) else result
                if self._action_hook is not None:
                    try:
                        self._action_hook(message)
                    except Exception as exc:
                        raise EngineError(
                            f"a rule action raised: {type(exc).__name__}: {exc}"
                        ) from None
                rule = message[2 : message.index('"', 2)]
                out.append((rule, [int(r) for r in _ROW.findall(message)]))
                result = dre.complete_and_start_action(self._handle, state)
        finally:
            dre.delete_state(self._handle, self.SESSION)
        return out

    def _culprit(
        self, batch: list[tuple[int, int, str]], table: FactTable, exc: Exception
    ) -> EngineError:
        """The error of a refused batch, naming the candidate whose message the core refuses
        (each message is posted again on its own to find it)."""
        for (decision, row, body), tail in zip(batch, self._tail, strict=False):
            try:
                self._dispatch("[" + body + tail + "]")
            except (dre.error, EngineError) as single:
                label = self.network.decisions[decision].label
                return EngineError(
                    f"durable-rules refused the message of candidate {table.ids[row]!r} "
                    f"({label}): {single}"
                )
        return EngineError(f"durable-rules refused a batch of {len(batch)} messages: {exc}")


def _find_members(plan: CompiledPlan, index: int) -> CMembers:
    stack: list[CNode] = []
    for c in plan.criteria:
        stack += [c.rule] + ([c.guard] if c.guard is not None else [])
    while stack:
        node = stack.pop()
        if isinstance(node, CMembers) and node.index == index:
            return node
        stack.extend(getattr(node, "children", ()))
        for attr in ("child", "test"):
            child = getattr(node, attr, None)
            if child is not None:
                stack.append(child)
    raise EngineError(f"member aggregate {index} is not in the plan")


def _field_sources(network: Network) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for d in network.decisions:
        out.update(d.fields)
    return out


def _fragments(name: str, values: Any, known: Any, integer: bool, rows: Any) -> list[str]:
    """``,"name":value`` per row (an empty string where the value is unknown)."""
    vals = values[rows].tolist()
    kn = known[rows].tolist()
    prefix = f',"{name}":'
    if integer:
        return [prefix + str(int(v)) if k else "" for v, k in zip(vals, kn, strict=True)]
    out = []
    for v, k in zip(vals, kn, strict=True):
        if not k:
            out.append("")
            continue
        text = repr(v)
        if "e" in text or "n" in text:
            text = number_text(v)
        out.append(prefix + text)
    return out
