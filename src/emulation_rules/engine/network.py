"""The network durable-rules runs: a campaign's criteria and awards as *decisions*, compiled
without expanding any condition into disjunctive normal form (no durable-rules import here; the
C core is driven by :mod:`emulation_rules.engine.rete`).

A decision is a decision list: rules ``(priority, outcome, term)``, each term a conjunction of
atoms on the fields of one message, tried in priority order; the first match consumes the
message, and the last rule of every decision matches all its messages. Every node of a criteria
tree that is more than a single comparison (``all``, ``any``, ``at_least``, a member aggregate,
an interval), every guarded criterion and every award is a decision; a comparison is never one:
its three states are single atoms (``v OP c``, ``v NEG c``, ``$nex v``) written into its parent's
rules. Nested ``all``/``all`` and ``any``/``any`` are flattened, ``not`` is pushed into the leaves;
where a conjunction would meet a disjunction (a product of two disjunctions), the inner node
becomes a decision of its own, whose verdict its parent reads as a field (forward chaining). A
decision over ``n`` children has at most ``2n + 3`` rules of at most two atoms each; ``at_least
k`` of ``n`` is three rules whose atoms compare ``k`` with an arithmetic sum of the children's
0/1 fields (``$add``, ``$sub``). So rules and atoms grow linearly with the plan.

Decisions run in strata (:attr:`Decision.stratum`): a decision reads only the verdicts of lower
strata, the seats of an allocation read after the awards it follows, a member aggregate after its
members' test. The C core's limits are respected when the network is built: at most
:data:`MAX_ALPHA` atoms per decision (its alpha stack holds 64), :data:`MAX_FIELDS` fields per
message (255), decisions numbered on two levels so that no alpha node has 512 successors (the
core loops forever beyond). A plan beyond them raises :class:`EngineError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.engine.columnar import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    MET_GUARD_UNDECIDED,
    NOT_APPLICABLE,
    NOT_MET,
    UNDETERMINED,
    UNKNOWN,
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
from emulation_rules.engine.fact_table import KIND_CODES
from emulation_rules.errors import EngineError

BATCH = 1000
#: atoms (alpha nodes) one decision may hold: the C core's alpha stack holds 64 entries
MAX_ALPHA = 48
#: fields one message may carry besides its own ids: the C core takes 255 properties
MAX_FIELDS = 200
#: children of one ``at_least`` (two fields each)
MAX_AT_LEAST = 90
#: terms one product of small disjunctions may give (see _product)
MAX_PRODUCT = 8
#: decisions per ruleset (two-level numbering keeps every alpha node under 256 successors)
MAX_DECISIONS = 60_000
_OPS = {">=": "$gte", ">": "$gt", "<=": "$lte", "<": "$lt", "==": "$eq", "!=": "$neq"}
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}

Atom = tuple[str, str, Any]  # (field, durable operator, right-hand side: a number or expression)
Term = tuple[Atom, ...]


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
        text: str = json.dumps(value, ensure_ascii=False)
        return text
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
    sure: tuple[int, ...] | None = None  # the met codes that show something (None: all of met)

    def negated(self) -> State:
        return attrs.evolve(self, neg=not self.neg)


@attrs.frozen
class Group:
    conj: bool
    children: tuple[View, ...]


@attrs.frozen
class Guarded:
    """A criterion whose guard is always known (attribute tests), written straight into the
    rules that read it: not applicable where the guard fails, else the rule's verdict."""

    guard: View
    rule: View


View = Leaf | State | Group | Guarded


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
        if isinstance(view, Guarded):
            if state == "na":
                return self.terms(view.guard, "not")
            return _product([self.terms(view.guard, "met"), self.terms(view.rule, state)])
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
        if isinstance(view, Guarded):
            return self.terms(view, "unk")
        if isinstance(view, Group):
            if not view.conj:  # not met is excluded: no child met, each not met or unknown
                return _product(
                    [self.terms(c, "not") + self.terms(c, "unk") for c in view.children]
                )
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
        # met while its guard is undecided may still turn not applicable (read as not met)
        return State(
            field, (MET,), (NOT_MET, NOT_APPLICABLE), (UNKNOWN, MET_GUARD_UNDECIDED), state.decision
        )

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
        if isinstance(view, Guarded):
            rules = [(1, NOT_APPLICABLE, t) for t in self.terms(view, "na")]
            rules += [(2, MET, t) for t in self.terms(view, "met")]
            rules += [(3, NOT_MET, t) for t in self.terms(view, "not")]
            state = self.decide([*rules, (4, UNKNOWN, ())], label)
            return attrs.evolve(state, sure=(MET,), can_be_na=True)
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
                for c in (MET, NOT_MET, UNKNOWN, NOT_APPLICABLE, MET_GUARD_UNDECIDED)
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
        if _never_unknown(guard):
            inline = Guarded(guard, rule)
            try:
                needed = [self.terms(inline, s) for s in ("na", "met", "not", "unk")]
                if sum(len(t) for t in needed) <= 2 * MAX_PRODUCT:
                    self.criterion_views[i] = inline
                    return
            except _NeedChain:
                pass
        for _ in range(4):
            try:
                rules = self._verdict_rules(guard, rule)
                if _alpha(rules) > MAX_ALPHA or _field_count(rules) > MAX_FIELDS:
                    if isinstance(guard, State) and isinstance(rule, State):
                        raise EngineError(f"{self.label}: a verdict too wide for durable-rules")
                    raise _NeedChain
                break
            except _NeedChain:
                if isinstance(guard, Group | Leaf) and not isinstance(rule, Group):
                    guard = self.chain(guard, "applies_if")
                elif isinstance(rule, Group | Leaf):
                    rule = self.chain(rule, "rule")
                else:
                    guard = self.chain(guard, "applies_if")
        else:  # pragma: no cover - two chains always make every condition linear
            raise EngineError(f"{self.label}: its guard and rule cannot be compiled")
        state = self.decide([*rules, (5, UNKNOWN, ())], "verdict")
        verdict = attrs.evolve(state, met=(MET, MET_GUARD_UNDECIDED), sure=(MET,), can_be_na=True)
        self.criterion_views[i] = verdict
        self.criterion_states[i] = verdict

    def _verdict_rules(self, guard: View, rule: View) -> list[tuple[int, int, Term]]:
        """A guarded criterion's decision list: not applicable where the guard does not hold;
        met where the rule is met (with the guard met: a sure met; undecided: met whichever way
        the guard turns out); not met where both the guard holds and the rule is not met."""
        g_met, r_met = self.terms(guard, "met"), self.terms(rule, "met")
        rules = [(1, NOT_APPLICABLE, t) for t in self.terms(guard, "not")]
        rules += [(2, MET, t) for t in _product([g_met, r_met])]
        if not _never_unknown(guard):
            rules += [(3, MET_GUARD_UNDECIDED, t) for t in r_met]
        rules += [(4, NOT_MET, t) for t in _product([g_met, self.terms(rule, "not")])]
        return rules

    def criterion_state(self, i: int) -> State:
        """The criterion's verdict as a decision (made one if it was inline)."""
        if i not in self.criterion_states:
            outer = (self.kind, self.label)
            c = self.plan.criteria[i]
            self.kind, self.label = c.kind, f"criterion '{c.id}'"
            self.criterion_states[i] = self.own_decision(self.criterion_views[i], "verdict")
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
                    if (isinstance(v, Group) and (attempt > 0 or not v.conj))
                    or (isinstance(v, Guarded) and attempt > 0)
                    else v
                    for v in views
                ]
        else:  # pragma: no cover - chained views always give linear conditions
            raise EngineError(f"{self.label}: its criteria cannot be compiled")
        if _alpha(rules) > MAX_ALPHA or _field_count(rules) > MAX_FIELDS:
            if any(isinstance(v, Group | Guarded) for v in views):  # wide: its own decisions
                chained = [self.chain(v, "a criterion's verdict") for v in views]
                return self.fold(list(chained), final=final)
            if len(views) <= 1:
                raise EngineError(f"{self.label}: a criterion too wide for durable-rules")
            half = (len(views) + 1) // 2
            parts = [self.fold(views[:half], final=False), self.fold(views[half:], final=False)]
            return self.fold(list(parts), final=final)
        state = self.decide(rules, "eligibility" if final else "a group of criteria")
        if final or not _any_na(views):
            return state
        return attrs.evolve(state, met=(MET, MET_GUARD_UNDECIDED), sure=(MET,), can_be_na=True)

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
            # every criterion may be not applicable: eligible only when one is surely met;
            # met only where a guard is undecided: undetermined (all may turn not applicable)
            rules += [(3, yes, t) for v in views for t in self._sure_met(v)]
            undecided = unk if final else MET_GUARD_UNDECIDED
            rules += [(4, undecided, t) for v in views for t in self.terms(v, "met")]
            rules.append((5, INELIGIBLE if final else NOT_APPLICABLE, ()))
        else:
            rules.append((3, yes, ()))
        return rules

    def _sure_met(self, view: View) -> list[Term]:
        if isinstance(view, State) and view.sure is not None:
            return [((view.field, "$eq", c),) for c in view.sure]
        return self.terms(view, "met")


def _never_unknown(view: View) -> bool:
    """Attribute tests (and groups of them) are always known."""
    if isinstance(view, Leaf):
        return isinstance(view.node, CAttr)
    if isinstance(view, Group):
        return all(_never_unknown(c) for c in view.children)
    return False


def _can_na(view: View) -> bool:
    return isinstance(view, Guarded) or (isinstance(view, State) and view.can_be_na)


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
    """The conjunction of several disjunctions of terms, built only when the result is no larger
    than the sum of its parts (at most one disjunction of several terms, or a few small ones:
    "not met or unknown" of two leaves), so the network never grows beyond linear."""
    if any(not p for p in parts):
        return []  # one side can never hold
    sizes = [len(p) for p in parts]
    if sum(1 for n in sizes if n > 1) > 1:
        total = 1
        for n in sizes:
            total *= n
        if total > sum(sizes) or total > MAX_PRODUCT:
            raise _NeedChain
    out: list[Term] = [()]
    for p in parts:
        out = [a + b for a in out for b in p]
    return [t for t in (tuple(dict.fromkeys(t)) for t in out) if _consistent(t)]


def _consistent(term: Term) -> bool:
    """False when the term asks a field to be absent and to hold a value (it can never match)."""
    absent = {f for f, op, _ in term if op == "$nex"}
    return not any(f in absent for f, op, _ in term if op != "$nex")


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
