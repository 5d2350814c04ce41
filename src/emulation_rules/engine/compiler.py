"""The criteria compiler: a campaign plus resolved parameters become a :class:`CompiledPlan`.

Parameters are resolved for one ``as_of`` date and one set of overrides, and folded into the
compiled tree as constants; ordinal values become ranks, dates day numbers (proleptic Gregorian
ordinals), a yearly series one column per year (``fact@2023``). Both engines read the same
compiled tree: :mod:`emulation_rules.engine.columnar` evaluates it over numpy columns and
:mod:`emulation_rules.engine.rete` turns it into a forward-chaining durable-rules ruleset.

What both engines share is *data*, never a decision: the fact table, and the derived columns of
:func:`emulation_rules.engine.fact_table.derive` — arithmetic results (rounded like a difference
of two facts), distinct-id counts over years as intervals, each collective's member count. Every
verdict — comparisons, Kleene connectives, k of n, guards, member aggregates, references to other
awards — is computed by each engine on its own.

A criterion's effective guard is its ``applies_if`` together with the conditions under which the
plan says it does not apply: a ratio whose zero denominator gives ``not_applicable`` adds
"denominator ≠ 0", a member aggregate with ``if_no_members: not_applicable`` adds "has members".
The evaluation order (:attr:`CompiledPlan.order`) puts every criterion after the awards and
criteria it reads, and an award's allocation ("seat") after the allocations in its ``after``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from emulation_rules.engine.fact_table import (
    KIND_CODES,
    MEMBERS_COLUMN,
    QDistinct,
    QExpr,
    column_key,
    inactive_key,
    series_key,
)
from emulation_rules.errors import EvaluationError, OverrideError, shorten
from emulation_rules.limits import Limits
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import (
    Award,
    Campaign,
    Citation,
    Criterion,
    Fact,
    Parameter,
    ParamValue,
    value_fits,
)
from emulation_rules.plan.facts import iso_date
from emulation_rules.plan.references import Step, dependency_graph, evaluation_order
from emulation_rules.text import nfc


# --- compiled nodes -------------------------------------------------------------------------
@attrs.frozen
class CAll:
    children: tuple[CNode, ...]


@attrs.frozen
class CAny:
    children: tuple[CNode, ...]


@attrs.frozen
class CNot:
    child: CNode


@attrs.frozen
class CAtLeast:
    """At least ``k`` of the children are met."""

    k: int
    children: tuple[CNode, ...]


@attrs.frozen
class CCmp:
    """``column OP constant``, or ``column OP other + margin`` — evaluated as
    ``(column - other) OP margin`` on the rounded difference (see ``FactTable.difference``)."""

    column: str
    op: str
    constant: float | None
    other: str | None
    margin: float


@attrs.frozen
class CAttr:
    """The candidate attribute's code is one of ``codes`` (attributes are always known)."""

    attribute: str
    codes: frozenset[int]


@attrs.frozen
class CRange:
    """An interval-valued column (``<key>.lo`` … ``<key>.hi``, hi = +inf when open) against a
    constant: met when every value of the interval passes, not met when none does."""

    key: str
    op: str
    constant: float


@attrs.frozen
class CRef:
    """Another outcome of the same candidate (``scope = self``) or of its unit: an award's
    eligibility (``award``), its allocation seat (``seat``), a criterion's verdict
    (``criterion``); ``index`` is the award's position in :attr:`CompiledPlan.awards` or the
    criterion's in :attr:`CompiledPlan.criteria`."""

    target: Literal["award", "seat", "criterion"]
    index: int
    scope: str


@attrs.frozen
class CMembers:
    """The count (or share, in percent) of a collective's members whose ``test`` is met, as the
    interval [met, met + unknown], against a constant. ``no_members`` says what a collective
    without members gives (``not_applicable`` is handled by the criterion's guard)."""

    index: int  # position in CompiledPlan.member_tests
    test: CNode
    measure: str
    op: str
    constant: float
    no_members: str


CNode = CAll | CAny | CNot | CAtLeast | CCmp | CAttr | CRange | CRef | CMembers


@attrs.frozen
class Observation:
    """One entry of a verdict's ``observed``: what to show under ``label`` and where it comes
    from (``what`` is fact, quantity, series, distinct, members, award, seat or criterion)."""

    label: str
    what: str
    key: str = ""
    fact: str = ""
    index: int = -1
    scope: str = "self"
    columns: tuple[tuple[int, str], ...] = ()


@attrs.frozen
class CompiledCriterion:
    id: str
    label: str
    kind: int
    guard: CNode | None  # the effective guard: applies_if and the plan's not-applicable cases
    rule: CNode
    required: str
    applies_if: str | None
    reads: tuple[str, ...]  # fact columns the rule and the guard read
    citation: Citation
    observations: tuple[Observation, ...] = ()
    guard_reads: tuple[str, ...] = ()  # fact columns the applies_if reads
    zero_guards: tuple[tuple[str, str], ...] = ()  # (denominator column, its text)
    members_guard: bool = False


def fact_columns(plan: CompiledPlan, crit: CompiledCriterion) -> list[str]:
    """Every fact column of the candidate (or its unit) that the criterion's rule and guard read,
    in order, once each: compared facts, the operands of arithmetic, each year of a series and
    of a distinct count (members' facts are the members' own, not listed)."""
    out: list[str] = []

    def add(col: str | None) -> None:
        if col is not None and col not in out:
            out.append(col)

    def expr(q: QExpr | QDistinct | None) -> None:
        if isinstance(q, QDistinct):
            for col in q.columns + q.excluding:
                add(col)
        elif isinstance(q, QExpr):
            if q.op == "column":
                add(q.column)
            for part in q.parts:
                expr(part)

    for o in crit.observations:
        if o.what == "fact":
            add(o.key)
        elif o.what == "series":
            for _, col in o.columns:
                add(col)
        elif o.what in ("quantity", "distinct"):
            expr(plan.quantities.get(o.key))
    return out


@attrs.frozen
class CompiledAward:
    id: str
    label: str
    kind: int
    criteria: tuple[int, ...]
    quota: int | None
    per_group: str | None
    after: tuple[str, ...]
    ranking: tuple[tuple[str, bool], ...]
    award: Award


@attrs.frozen(eq=False)
class CompiledPlan:
    campaign: Campaign
    as_of: dt.date
    parameters: Mapping[str, ParamValue]
    criteria: tuple[CompiledCriterion, ...]
    awards: tuple[CompiledAward, ...]
    #: derived columns both engines read (arithmetic and distinct counts), by key
    quantities: Mapping[str, QExpr | QDistinct] = attrs.field(factory=dict)
    #: the evaluation order: ("criterion", i), ("award", j), ("seat", j)
    order: tuple[tuple[str, int], ...] = ()
    #: the member tests of member aggregates, by CMembers.index
    member_tests: tuple[CNode, ...] = ()
    #: the columns saying an award read by a criterion does not apply to a row (the candidate
    #: did not exist during its span): ``(column, award id, scope)``; all 0 unless evaluation
    #: fills them from the input's active periods (``engine.columnar.prepare_table``)
    inactive_columns: tuple[tuple[str, str, str], ...] = ()

    def needs_seats(self) -> bool:
        return any(what == "seat" for what, _ in self.order)


def resolve_parameters(
    campaign: Campaign, as_of: dt.date, overrides: Mapping[str, Any] | None
) -> dict[str, ParamValue]:
    """Every parameter's value in force on ``as_of``, with ``overrides`` applied and checked."""
    out: dict[str, ParamValue] = {}
    for p in campaign.parameters:
        value = p.value_on(as_of)
        if value is None:
            raise EvaluationError(
                f"parameter '{p.id}' of {campaign.id} has no value in force on {as_of}"
            )
        out[p.id] = value
    for key, value in (overrides or {}).items():
        if key not in out:
            known = ", ".join(sorted(out)) or "none"
            raise OverrideError(
                f"override '{key}': {campaign.id} has no parameter of that name (known: {known})"
            )
        param = campaign.parameter(key)
        value = _coerce_override(param, value)
        scale = campaign.scale(param.scale) if param.scale else None
        if not value_fits(param.type, value, scale):
            allowed = f" (one of: {', '.join(scale.levels)})" if scale else ""
            raise OverrideError(
                f"override '{key}': {shorten(value)} is not a valid {param.type}{allowed}"
            )
        if param.type == "integer" and isinstance(value, int) and value < 0:
            raise OverrideError(f"override '{key}': {value} is negative")
        out[key] = value
    return out


def _coerce_override(param: Parameter, value: Any) -> Any:
    """Overrides from the command line arrive as text; parse them by the parameter's type."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat() if param.type == "date" else value
    if isinstance(value, str):
        value = nfc(value)
    if not isinstance(value, str) or param.type in ("ordinal", "date"):
        if param.type == "number" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value.strip() if isinstance(value, str) and param.type == "date" else value
    text = value.strip()
    if param.type in ("integer", "number"):
        # ASCII digits only (int() would read '٣' or '3_0'), and no runaway length
        if not text.isascii() or "_" in text:
            return value
        if len(text) > Limits().max_number_digits:
            raise OverrideError(
                f"override '{param.id}': a number of {len(text):,} characters is more than "
                f"max_number_digits ({Limits().max_number_digits})"
            )
    try:
        if param.type == "integer":
            return int(text)
        if param.type == "number":
            return float(text)
    except ValueError:
        return value
    if param.type == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return value


def compile_plan(
    campaign: Campaign, as_of: dt.date, overrides: Mapping[str, Any] | None = None
) -> CompiledPlan:
    """Compile every criterion and award of ``campaign`` for one date and set of overrides."""
    return compile_resolved(campaign, as_of, resolve_parameters(campaign, as_of, overrides))


def compile_resolved(
    campaign: Campaign, as_of: dt.date, params: Mapping[str, ParamValue]
) -> CompiledPlan:
    """Compile with parameters already resolved by :func:`resolve_parameters`."""
    pending = [b for b in campaign.builds_on if b.campaign is None]
    if pending:
        names = ", ".join(f"'{b.id}' (plugin '{b.plugin}', year {b.year})" for b in pending)
        raise EvaluationError(
            f"campaign '{campaign.id}' builds on national rules that are not composed in yet "
            f"({names}): load it through the registry (emulation_rules.load_registry, or any "
            "emulation-rules command), which brings them in from the installed plugin"
        )
    awards = []
    crit_index = {c.id: i for i, c in enumerate(campaign.criteria)}
    for a in campaign.awards:
        quota = params[a.quota_param] if a.quota_param else None
        awards.append(
            CompiledAward(
                id=a.id,
                label=a.label,
                kind=KIND_CODES[a.kind],
                criteria=tuple(crit_index[c] for c in a.requires),
                quota=int(quota) if quota is not None else None,
                per_group=a.per_group,
                after=a.after,
                ranking=tuple(
                    (column_key(k.fact), k.order == "desc")
                    for k in (a.ranking.keys if a.ranking else ())
                ),
                award=a,
            )
        )
    ordered = _ordered_awards(campaign, awards)
    builder = _Builder(campaign, params, {a.id: j for j, a in enumerate(ordered)}, crit_index)
    criteria = tuple(builder.criterion(c) for c in campaign.criteria)
    return CompiledPlan(
        campaign,
        as_of,
        params,
        criteria,
        ordered,
        quantities=dict(builder.quantities),
        order=_order(campaign, ordered),
        member_tests=tuple(builder.member_tests),
        inactive_columns=tuple(builder.inactive_columns),
    )


def _ordered_awards(campaign: Campaign, awards: list[CompiledAward]) -> tuple[CompiledAward, ...]:
    """Awards in an order where every award comes after the ones it names in ``after``."""
    done: list[CompiledAward] = []
    pending = list(awards)
    while pending:
        ready = [a for a in pending if all(x in {d.id for d in done} for x in a.after)]
        if not ready:
            cycle = ", ".join(a.id for a in pending)
            raise EvaluationError(f"{campaign.id}: awards {cycle} name each other in 'after'")
        done.append(ready[0])
        pending.remove(ready[0])
    return tuple(done)


def _order(campaign: Campaign, awards: tuple[CompiledAward, ...]) -> tuple[tuple[str, int], ...]:
    graph = dependency_graph(
        [(c.id, _trees(c)) for c in campaign.criteria],
        [(a.id, a.award.requires, a.award.depends_on()) for a in awards],
    )
    needed_seats = {s for deps in graph.values() for s in deps if s[0] == "seat"}
    # a seat is needed when read; the seats it follows (its 'after') are needed with it
    todo = list(needed_seats)
    while todo:
        for dep in graph.get(todo.pop(), ()):
            if dep[0] == "seat" and dep not in needed_seats:
                needed_seats.add(dep)
                todo.append(dep)
    declared: list[Step] = [("criterion", c.id) for c in campaign.criteria]
    declared += [("award", a.id) for a in awards]
    declared += [s for s in (("seat", a.id) for a in awards) if s in needed_seats]
    try:
        steps = evaluation_order(graph, declared)
    except ValueError as exc:
        raise EvaluationError(f"{campaign.id}: {exc}") from None
    crit_index = {c.id: i for i, c in enumerate(campaign.criteria)}
    award_index = {a.id: j for j, a in enumerate(awards)}
    return tuple(
        (what, crit_index[name] if what == "criterion" else award_index[name])
        for what, name in steps
    )


def _trees(c: Criterion) -> list[ct.Node]:
    return [c.rule] + ([c.applies_if] if c.applies_if is not None else [])


def day_number(value: object) -> float:
    """A date (or ISO text) as the number both engines compare: its proleptic ordinal."""
    day = iso_date(value)
    if day is None:
        raise EvaluationError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    return float(day.toordinal())


def date_text(day: object) -> str:
    """A date as people in Vietnam write it: 15/12/2023."""
    d = iso_date(day)
    return f"{d.day}/{d.month}/{d.year}" if d is not None else str(day)


class _Builder:
    """Compiles the criteria of one campaign, collecting derived quantities and member tests."""

    def __init__(
        self,
        campaign: Campaign,
        params: Mapping[str, ParamValue],
        award_index: Mapping[str, int],
        crit_index: Mapping[str, int],
    ) -> None:
        self.campaign = campaign
        self.params = params
        self.award_index = award_index
        self.crit_index = crit_index
        self.quantities: dict[str, QExpr | QDistinct] = {}
        self.member_tests: list[CNode] = []
        self.inactive_columns: list[tuple[str, str, str]] = []
        self.unit_codes = {u: i for i, u in enumerate(campaign.unit_types())}
        self.facts = {f.id: f for f in campaign.facts}
        # per criterion
        self.observations: list[Observation] = []
        self.zero_guards: list[tuple[str, str]] = []
        self.members_guard = False

    # --- criteria ---------------------------------------------------------------------------
    def criterion(self, c: Criterion) -> CompiledCriterion:
        self.zero_guards = []
        self.members_guard = False
        kind = c.kind
        self.observations = []
        guard_node = self.node(c.applies_if, kind) if c.applies_if is not None else None
        guard_obs = self.observations
        self.observations = []
        rule = self.node(c.rule, kind)
        rule_obs = self.observations
        extra: list[CNode] = [CCmp(col, "!=", 0.0, None, 0.0) for col, _ in self.zero_guards]
        if self.members_guard:
            extra.append(CCmp(MEMBERS_COLUMN, ">", 0.0, None, 0.0))
        guard: CNode | None = guard_node
        if extra:
            guard = CAll(tuple(([guard_node] if guard_node is not None else []) + extra))
        # the rule's observations first, then what only the guard reads
        observations = rule_obs + [o for o in guard_obs if o not in rule_obs]
        return CompiledCriterion(
            id=c.id,
            label=c.label,
            kind=KIND_CODES[c.kind],
            guard=guard,
            rule=rule,
            required=self.render(c.rule),
            applies_if=self.render(c.applies_if) if c.applies_if is not None else None,
            reads=tuple(o.key for o in observations if o.what == "fact"),
            citation=c.citation,
            observations=tuple(observations),
            guard_reads=tuple(o.key for o in guard_obs if o.what == "fact"),
            zero_guards=tuple(dict.fromkeys(self.zero_guards)),
            members_guard=self.members_guard,
        )

    def _observe(self, obs: Observation) -> None:
        if obs not in self.observations:
            self.observations.append(obs)

    def _fact_obs(self, fact: str, scope: str) -> None:
        key = column_key(fact, scope)
        self._observe(Observation(key, "fact", key=key, fact=fact, scope=scope))

    # --- nodes ------------------------------------------------------------------------------
    def node(self, node: ct.Node, kind: str, *, in_members: bool = False) -> CNode:
        if isinstance(node, ct.AllNode):
            return CAll(tuple(self.node(n, kind, in_members=in_members) for n in node.all))
        if isinstance(node, ct.AnyNode):
            return CAny(tuple(self.node(n, kind, in_members=in_members) for n in node.any))
        if isinstance(node, ct.NotNode):
            return CNot(self.node(node.not_, kind, in_members=in_members))
        if isinstance(node, ct.AtLeastNode):
            kids = tuple(self.node(n, kind, in_members=in_members) for n in node.of)
            return CAtLeast(node.at_least, kids)
        if isinstance(node, ct.AttributeTest):
            if node.attribute == "kind":
                return CAttr("kind", frozenset(KIND_CODES[v] for v in node.in_))
            return CAttr(node.attribute, frozenset(self.unit_codes[v] for v in node.in_))
        if isinstance(node, ct.Comparison):
            return self.comparison(node, in_members=in_members)
        if isinstance(node, ct.Computed):
            return self.computed(node, in_members=in_members)
        if isinstance(node, ct.AwardRef):
            target: Literal["award", "seat"] = "seat" if node.outcome == "awarded" else "award"
            j = self.award_index[node.award]
            label = ("unit." if node.of == "unit" else "") + f"{target}.{node.award}"
            if not in_members:
                self._observe(Observation(label, target, index=j, scope=node.of))
            ref = CRef(target, j, node.of)
            if target == "seat":  # a seat: the allocation already leaves out who did not exist
                return ref
            # eligible for an award that does not apply (the candidate did not exist during its
            # span: the output says not_applicable) reads as not met
            key = inactive_key(node.award, node.of)
            if (key, node.award, node.of) not in self.inactive_columns:
                self.inactive_columns.append((key, node.award, node.of))
            return CAll((ref, CCmp(key, "==", 0.0, None, 0.0)))
        if isinstance(node, ct.CriterionRef):
            i = self.crit_index[node.criterion]
            label = ("unit." if node.of == "unit" else "") + f"criterion.{node.criterion}"
            if not in_members:
                self._observe(Observation(label, "criterion", index=i, scope=node.of))
            return CRef("criterion", i, node.of)
        if isinstance(node, ct.MembersNode):
            return self.members(node)
        if isinstance(node, ct.ParameterTest):
            return self.parameter_test(node, kind)
        if isinstance(node, ct.SeriesNode):
            return self.series(node, in_members=in_members)
        assert isinstance(node, ct.DistinctCountNode)
        return self.distinct(node, in_members=in_members)

    def comparison(self, node: ct.Comparison, *, in_members: bool) -> CCmp:
        fact = self.facts[node.fact]
        column = column_key(node.fact, node.of)
        if not in_members:
            self._fact_obs(node.fact, node.of)
        if node.to_fact is not None:
            if not in_members:
                self._fact_obs(node.to_fact, node.of)
            margin = node.margin if node.margin is not None else 0.0
            if node.margin_param is not None:
                margin = float(self.params[node.margin_param])
            return CCmp(column, node.op, None, column_key(node.to_fact, node.of), margin)
        raw = node.value if node.value is not None else self.params[node.param or ""]
        return CCmp(column, node.op, self.constant(fact.type, fact.scale, raw), None, 0.0)

    def constant(self, ftype: str, scale: str | None, raw: object) -> float:
        if ftype == "ordinal":
            assert scale is not None and isinstance(raw, str)
            return float(self.campaign.scale(scale).rank(raw))
        if ftype == "date":
            return day_number(raw)
        assert isinstance(raw, bool | int | float)
        return float(raw)

    def computed(self, node: ct.Computed, *, in_members: bool) -> CCmp:
        key, is_date = self.expression(node.compute, in_members=in_members)
        raw = node.value if node.value is not None else self.params[node.param or ""]
        constant = day_number(raw) if is_date else float(raw)
        if not in_members:
            self._observe(Observation(key, "quantity", key=key))
        return CCmp(key, node.op, constant, None, 0.0)

    def expression(self, expr: ct.Expr, *, in_members: bool) -> tuple[str, bool]:
        """The derived column key of an expression (registered in ``quantities``) and whether
        it is a date."""
        compiled, is_date = self._expr(expr, in_members=in_members)
        key = compiled.key
        if compiled.op != "column":
            self.quantities.setdefault(key, compiled)
        return key, is_date

    def _expr(self, expr: ct.Expr, *, in_members: bool) -> tuple[QExpr, bool]:
        if isinstance(expr, ct.FactOperand):
            if not in_members:
                self._fact_obs(expr.fact, expr.of)
            column = column_key(expr.fact, expr.of)
            return QExpr("column", column, column=column), self.facts[expr.fact].type == "date"
        if isinstance(expr, ct.ParamOperand):
            value = self.params[expr.param]
            p = self.campaign.parameter(expr.param)
            if p.type == "date":
                return QExpr("const", date_text(value), value=day_number(value)), True
            assert isinstance(value, int | float)
            return QExpr("const", _num(value), value=float(value)), False
        if isinstance(expr, ct.ConstOperand):
            if isinstance(expr.value, str):
                return QExpr("const", date_text(expr.value), value=day_number(expr.value)), True
            return QExpr("const", _num(expr.value), value=float(expr.value)), False
        kids = [self._expr(e, in_members=in_members) for e in ct.expr_children(expr)]
        parts = tuple(k for k, _ in kids)
        for part in parts:  # every sub-expression is a derived column of its own
            if part.op != "column" and part.op != "const":
                self.quantities.setdefault(part.key, part)
        names = [p.key for p in parts]
        if isinstance(expr, ct.SumExpr):
            return QExpr("sum", "(" + " + ".join(names) + ")", parts=parts), False
        if isinstance(expr, ct.ProductExpr):
            return QExpr("product", "(" + " × ".join(names) + ")", parts=parts), False
        if isinstance(expr, ct.DifferenceExpr):
            return QExpr("difference", f"({names[0]} − {names[1]})", parts=parts), False
        if isinstance(expr, ct.MonthsBetween):
            return QExpr("months", f"months({names[0]} → {names[1]})", parts=parts), False
        if isinstance(expr, ct.DaysBetween):
            return QExpr("days", f"days({names[0]} → {names[1]})", parts=parts), False
        assert isinstance(expr, ct.RatioExpr)
        zero = expr.if_zero
        if expr.if_zero_param is not None:
            zero = "not_applicable" if self.params[expr.if_zero_param] else "unknown"
        if zero == "not_applicable":
            den = parts[1]
            if den.op == "const":
                den_key = None
            else:
                den_key = den.key
                if den.op != "column":
                    self.quantities.setdefault(den.key, den)
            if den_key is not None and not in_members:
                self.zero_guards.append((den_key, den.key))
        return QExpr("ratio", f"({names[0]} ÷ {names[1]})", parts=parts), False

    def members(self, node: ct.MembersNode) -> CMembers:
        test = self.node(node.members, "individual", in_members=True)
        index = len(self.member_tests)
        self.member_tests.append(test)
        raw = node.value if node.value is not None else self.params[node.param or ""]
        assert isinstance(raw, int | float)
        if node.if_no_members == "not_applicable":
            self.members_guard = True
        label = f"members[{self.render(node.members)}]"
        self._observe(Observation(label, "members", index=index))
        return CMembers(index, test, node.measure, node.op, float(raw), node.if_no_members)

    def window(self, node: ct.SeriesNode | ct.DistinctCountNode) -> tuple[int, ...]:
        if node.years is not None:
            return tuple(sorted(node.years))
        assert node.consecutive is not None
        end = node.up_to
        if end is None:
            value = self.params[node.up_to_param or ""]
            assert isinstance(value, int)
            end = value
        return tuple(range(end - node.consecutive + 1, end + 1))

    def series(self, node: ct.SeriesNode, *, in_members: bool) -> CNode:
        fact = self.facts[node.series]
        years = self.window(node)
        raw = node.value if node.value is not None else self.params[node.param or ""]
        constant = self.constant(fact.value_type, fact.scale, raw)
        columns = tuple((y, series_key(node.series, y, node.of)) for y in years)
        if not in_members:
            label = column_key(node.series, node.of)
            self._observe(Observation(label, "series", fact=node.series, columns=columns))
        leaves = tuple(CCmp(col, node.op, constant, None, 0.0) for _, col in columns)
        return leaves[0] if len(leaves) == 1 else CAll(leaves)

    def parameter_test(self, node: ct.ParameterTest, kind: str) -> CAttr:
        """A parameter test is the same for every candidate: folded into a constant, written as
        the candidate's kind being its own kind (always met) or the other (never met), which
        both engines evaluate as any attribute test, always known."""
        holds = parameter_test_holds(self.campaign, node, self.params)
        own = KIND_CODES[kind]
        return CAttr("kind", frozenset([own if holds else 1 - own]))

    def distinct(self, node: ct.DistinctCountNode, *, in_members: bool) -> CRange:
        years = self.window(node)
        columns = tuple(series_key(node.count_distinct, y, node.of) for y in years)
        excluding: tuple[str, ...] = ()
        name = column_key(node.count_distinct, node.of)
        if node.excluding is not None:
            excluding = tuple(series_key(node.excluding, y, node.of) for y in years)
            name += " − " + column_key(node.excluding, node.of)
        key = f"distinct({name}, {years[0]}–{years[-1]})"
        self.quantities.setdefault(key, QDistinct(key, columns, excluding))
        raw = node.value if node.value is not None else self.params[node.param or ""]
        assert isinstance(raw, int | float)
        if not in_members:
            self._observe(Observation(key, "distinct", key=key))
        return CRange(key, node.op, float(raw))

    # --- the required text --------------------------------------------------------------
    def render(self, node: ct.Node) -> str:
        return render(self.campaign, node, self.params)


def parameter_test_holds(
    campaign: Campaign, node: ct.ParameterTest, params: Mapping[str, ParamValue]
) -> bool:
    """Whether this run's value of the parameter passes the test (ordinal levels by rank,
    dates by day, numbers as numbers, booleans and rounding rules by equality)."""
    p = campaign.parameter(node.parameter)
    current = params[node.parameter]
    left: float | str | bool
    right: float | str | bool
    if p.type == "ordinal":
        assert p.scale is not None and isinstance(current, str) and isinstance(node.value, str)
        scale = campaign.scale(p.scale)
        left, right = float(scale.rank(current)), float(scale.rank(node.value))
    elif p.type == "date":
        left, right = day_number(current), day_number(node.value)
    elif p.type in ("integer", "number"):
        assert isinstance(current, int | float) and isinstance(node.value, int | float)
        left, right = float(current), float(node.value)
    else:
        left, right = current, node.value
    if node.op in ("==", "!="):
        return (left == right) == (node.op == "==")
    assert isinstance(left, float) and isinstance(right, float)
    return {">=": left >= right, ">": left > right, "<=": left <= right, "<": left < right}[node.op]


def render(campaign: Campaign, node: ct.Node, params: Mapping[str, ParamValue]) -> str:
    """A criteria tree as one line of text, parameters replaced by their values."""
    facts = {f.id: f for f in campaign.facts}

    def operand(value: object, param: str | None, fact: Fact | None) -> str:
        raw = value if value is not None else params[param or ""]
        if isinstance(raw, bool):
            return str(raw).lower()
        is_date = (fact is not None and fact.value_type == "date") or (
            param is not None and campaign.parameter(param).type == "date"
        )
        if is_date or (isinstance(raw, str) and fact is None and iso_date(raw) is not None):
            return date_text(raw)
        return _num(raw)

    def unit_of(fact: Fact | None) -> str:
        return f" {fact.unit}" if fact is not None and fact.unit else ""

    def window(n: ct.SeriesNode | ct.DistinctCountNode) -> str:
        if n.years is not None:
            years = sorted(n.years)
            if len(years) == 1:
                return f"in {years[0]}"
            return "in each of " + ", ".join(str(y) for y in years)
        end = n.up_to if n.up_to is not None else params[n.up_to_param or ""]
        assert isinstance(end, int) and n.consecutive is not None
        if n.consecutive == 1:
            return f"in {end}"
        return f"in each of the {n.consecutive} years {end - n.consecutive + 1}–{end}"

    def leaf(e: ct.FactOperand | ct.ParamOperand | ct.ConstOperand) -> str:
        if isinstance(e, ct.FactOperand):
            return column_key(e.fact, e.of)
        if isinstance(e, ct.ParamOperand):
            return operand(None, e.param, None)
        return operand(e.value, None, None)

    def expr(e: ct.Expr) -> str:
        return ct.expression_text(e, leaf)

    def go(n: ct.Node) -> str:
        if isinstance(n, ct.AllNode):
            return "all(" + "; ".join(go(k) for k in n.all) + ")"
        if isinstance(n, ct.AnyNode):
            return "any(" + "; ".join(go(k) for k in n.any) + ")"
        if isinstance(n, ct.NotNode):
            return "not(" + go(n.not_) + ")"
        if isinstance(n, ct.AtLeastNode):
            return f"at least {n.at_least} of (" + "; ".join(go(k) for k in n.of) + ")"
        if isinstance(n, ct.AttributeTest):
            return f"{n.attribute} ∈ {{{', '.join(n.in_)}}}"
        if isinstance(n, ct.AwardRef):
            who = "unit's " if n.of == "unit" else ""
            what = "awarded" if n.outcome == "awarded" else "eligible for"
            return f"{who}{what} {n.award}".replace("unit's eligible", "unit eligible").replace(
                "unit's awarded", "unit awarded"
            )
        if isinstance(n, ct.CriterionRef):
            return ("unit meets " if n.of == "unit" else "meets ") + n.criterion
        if isinstance(n, ct.MembersNode):
            op = ct.OP_WORDS[n.op]
            shown = operand(n.value, n.param, None)
            measure = "share of members" if n.measure == "share" else "members"
            pct = " %" if n.measure == "share" else ""
            return f"{measure} with [{go(n.members)}] {op} {shown}{pct}"
        if isinstance(n, ct.SeriesNode):
            f = facts.get(n.series)
            lhs = column_key(n.series, n.of)
            shown = operand(n.value, n.param, f)
            return f"{lhs} {ct.OP_WORDS[n.op]} {shown}{unit_of(f)} {window(n)}"
        if isinstance(n, ct.DistinctCountNode):
            lhs = column_key(n.count_distinct, n.of)
            shown = operand(n.value, n.param, None)
            span = window(n).replace("in each of the", "over the").replace("in each of", "over")
            if n.excluding is not None:
                lhs += " not in " + column_key(n.excluding, n.of)
            return f"distinct {lhs} {span} {ct.OP_WORDS[n.op]} {shown}"
        if isinstance(n, ct.ParameterTest):
            now = params[n.parameter]
            now_text = str(now).lower() if isinstance(now, bool) else operand(now, None, None)
            return (
                f"parameter {n.parameter} {ct.OP_WORDS[n.op]} {operand(n.value, None, None)} "
                f"(its value: {now_text})"
            )
        if isinstance(n, ct.Computed):
            shown = operand(n.value, n.param, None)
            unit = f" {n.unit}" if n.unit else ""
            return f"{expr(n.compute)} {ct.OP_WORDS[n.op]} {shown}{unit}"
        assert isinstance(n, ct.Comparison)
        f = facts.get(n.fact)
        lhs = column_key(n.fact, n.of)
        op = ct.OP_WORDS[n.op]
        if n.to_fact is not None:
            rhs = column_key(n.to_fact, n.of)
            margin: float | None = n.margin if n.margin is not None else None
            if n.margin_param is not None:
                margin = float(params[n.margin_param])
            days = " days" if f is not None and f.type == "date" and margin else ""
            return f"{lhs} {op} {rhs}" + (f" + {_num(margin)}{days}" if margin else "")
        return f"{lhs} {op} {operand(n.value, n.param, f)}{unit_of(f)}"

    return go(node)


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
