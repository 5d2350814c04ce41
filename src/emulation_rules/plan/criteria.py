"""The criteria language: a typed tree, never a string evaluated as code.

A node is one of

* ``{all: [node, ...]}`` — every child holds (Kleene AND: one ``not_met`` decides, else one
  ``unknown`` makes the whole ``unknown``);
* ``{any: [node, ...]}`` — at least one child holds (Kleene OR);
* ``{not: node}``;
* ``{at_least: k, of: [node, ...]}`` — at least ``k`` children hold: met when ``k`` children are
  met, not met when fewer than ``k`` can still be met, unknown otherwise ("đạt ít nhất 5/7 tiêu
  chí");
* a comparison of a fact with a literal, a named parameter, or another fact (plus a margin):
  ``{fact: sipas, op: ">=", param: sipas_threshold}``,
  ``{fact: ddci_grade, op: ">=", value: "Tốt"}`` (ordinal facts compare by rank in their scale),
  ``{fact: score, op: ">", to_fact: score_previous_year}``,
  ``{fact: score, op: ">=", to_fact: score_previous_year, margin_param: gain}``,
  ``{fact: report_date, op: "<=", value: 2023-12-15}`` (a date fact, ISO dates);
  ``of: unit`` reads the fact of the unit an individual works in instead of its own;
* a computed quantity compared like a fact: ``{compute: EXPR, op: ">=", value: 98}`` where EXPR
  is a typed arithmetic tree (``ratio``, ``sum``, ``difference``, ``product``,
  ``months_between``, ``days_between`` over ``{fact: F}``, ``{param: P}`` and ``{value: c}``);
  a ratio says what a zero denominator gives (``if_zero`` or a boolean ``if_zero_param``);
* an attribute test on the candidate itself, which is always known:
  ``{attribute: unit_type, in: [so_ban_nganh, ubnd_huyen]}`` (attributes: ``kind``,
  ``unit_type``, ``unit.unit_type``);
* another award's outcome: ``{award: lao_dong_tien_tien}`` (the candidate is eligible for it),
  ``{award: X, outcome: awarded}`` (it holds a seat of X's allocation, "được tặng"),
  ``{award: X, of: unit}`` (the individual's unit is eligible);
* another criterion's verdict: ``{criterion: C}`` (met; not applicable counts as not met);
* a member aggregate of a collective: ``{members: NODE, measure: share, op: ">=", value: 70}`` —
  the count or the share (in percent) of its members (the individuals whose ``unit_id`` is the
  collective) for whom NODE is met;
* a yearly series: ``{series: F, op: "==", value: true, consecutive: 3, up_to: 2024}`` (the test
  holds in each of the 3 years up to 2024) or ``years: [2022, 2023]`` (in each of the years);
  ``{count_distinct: F, consecutive: 2, up_to: 2024, op: ">=", value: 2}`` counts the distinct
  ids of an ``ids`` series over the window (an initiative counts only once); with
  ``excluding: G`` the ids an ``ids`` series ``G`` lists in the window do not count (an
  initiative already used for another title or award);
* a parameter test: ``{parameter: P, op: "==", value: true}`` — this run's value of parameter
  ``P`` against a literal; always known and the same for every candidate, it lets a named,
  overridable parameter switch a condition on or off (as a guard: off gives not_applicable).

Every model here is frozen and refuses unknown keys. :func:`tree_depth` measures a raw tree
without recursion, so a plan nested a thousand levels deep is refused with a message instead of
exhausting the interpreter's stack (``Limits.max_criteria_depth``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

import attrs
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

Op = Literal[">=", ">", "<=", "<", "==", "!="]
Scope = Literal["self", "unit"]
Attribute = Literal["kind", "unit_type", "unit.unit_type"]
Literal_ = bool | int | float | str
CarrierKind = Literal["collective", "individual"]

OP_WORDS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


def _iso_dates(value: Any) -> Any:
    """A YAML date literal (``2023-12-15``) is kept as its ISO text, the form JSON carries."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AllNode(_Node):
    all: tuple[Node, ...] = Field(min_length=1)


class AnyNode(_Node):
    any: tuple[Node, ...] = Field(min_length=1)


class NotNode(_Node):
    not_: Node = Field(alias="not")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class AtLeastNode(_Node):
    """``k`` of ``n``: met when ``k`` children are met, not met when fewer than ``k`` can still
    be met (met + unknown < k), unknown otherwise."""

    at_least: int = Field(ge=1)
    of: tuple[Node, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _k_fits(self) -> AtLeastNode:
        if self.at_least > len(self.of):
            raise ValueError(
                f"'at_least: {self.at_least}' asks for more children than the {len(self.of)} "
                "listed under 'of'"
            )
        return self


class Comparison(_Node):
    """``fact OP operand``, where the operand is a literal, a parameter or another fact."""

    fact: str
    of: Scope = "self"
    op: Op
    value: Literal_ | None = None
    param: str | None = None
    to_fact: str | None = None
    margin: float | None = None
    margin_param: str | None = None

    iso_value = field_validator("value", mode="before")(_iso_dates)

    @model_validator(mode="after")
    def _one_operand(self) -> Comparison:
        given = [k for k in ("value", "param", "to_fact") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "a comparison needs exactly one of 'value', 'param' or 'to_fact'"
                f" (got {', '.join(given) or 'none'})"
            )
        if (self.margin is not None or self.margin_param is not None) and self.to_fact is None:
            raise ValueError("'margin' and 'margin_param' only go with 'to_fact'")
        if self.margin is not None and self.margin_param is not None:
            raise ValueError("give 'margin' or 'margin_param', not both")
        return self


class AttributeTest(_Node):
    """The candidate's own attribute is one of the listed values (always known)."""

    attribute: Attribute
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# --- arithmetic: typed expression trees ------------------------------------------------------
class FactOperand(_Node):
    """A numeric or date fact's value (of the candidate, or ``of: unit``)."""

    fact: str
    of: Scope = "self"


class ParamOperand(_Node):
    """A numeric or date parameter's value."""

    param: str


class ConstOperand(_Node):
    """A constant: a number, or a date (ISO text or a YAML date)."""

    value: int | float | str

    iso_value = field_validator("value", mode="before")(_iso_dates)

    @field_validator("value")
    @classmethod
    def _not_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("a constant of an arithmetic expression is a number or a date")
        return value


class SumExpr(_Node):
    sum: tuple[Expr, ...] = Field(min_length=2)


class DifferenceExpr(_Node):
    """``first − second`` (of two dates: the number of days between them)."""

    difference: tuple[Expr, Expr]


class ProductExpr(_Node):
    product: tuple[Expr, ...] = Field(min_length=2)


ZeroRule = Literal["not_applicable", "unknown"]


class RatioExpr(_Node):
    """``numerator / denominator``. A zero denominator gives ``if_zero`` (or, where the plan is
    silent, the boolean parameter ``if_zero_param``: true = not_applicable, false = unknown)."""

    ratio: tuple[Expr, Expr]
    if_zero: ZeroRule | None = None
    if_zero_param: str | None = None

    @model_validator(mode="after")
    def _zero_said(self) -> RatioExpr:
        if (self.if_zero is None) == (self.if_zero_param is None):
            raise ValueError(
                "a ratio says what a zero denominator gives: 'if_zero: not_applicable' or "
                "'if_zero: unknown' as the plan says, or 'if_zero_param' naming a boolean "
                "parameter flagged as an interpretation where the plan is silent (give one)"
            )
        return self


class MonthsBetween(_Node):
    """Whole calendar months from the first date to the second (tenure: "dưới 10 tháng")."""

    months_between: tuple[Expr, Expr]


class DaysBetween(_Node):
    """Days from the first date to the second."""

    days_between: tuple[Expr, Expr]


_EXPR_KEYS = {
    "fact": "fact",
    "param": "param",
    "value": "value",
    "sum": "sum",
    "difference": "difference",
    "product": "product",
    "ratio": "ratio",
    "months_between": "months",
    "days_between": "days",
}
_EXPR_CLASSES: tuple[tuple[type[BaseModel], str], ...] = ()


def _expr_tag(raw: Any) -> str | None:
    if isinstance(raw, dict):
        for key, tag in _EXPR_KEYS.items():
            if key in raw:
                return tag
        return None
    for cls, tag in _EXPR_CLASSES:
        if isinstance(raw, cls):
            return tag
    return None


Expr = Annotated[
    Annotated[FactOperand, Tag("fact")]
    | Annotated[ParamOperand, Tag("param")]
    | Annotated[ConstOperand, Tag("value")]
    | Annotated[SumExpr, Tag("sum")]
    | Annotated[DifferenceExpr, Tag("difference")]
    | Annotated[ProductExpr, Tag("product")]
    | Annotated[RatioExpr, Tag("ratio")]
    | Annotated[MonthsBetween, Tag("months")]
    | Annotated[DaysBetween, Tag("days")],
    Discriminator(
        _expr_tag,
        custom_error_type="expression_node",
        custom_error_message=(
            "an arithmetic expression has one of the keys fact, param, value, sum, difference, "
            "product, ratio, months_between, days_between"
        ),
    ),
]
_EXPR_CLASSES = (
    (FactOperand, "fact"),
    (ParamOperand, "param"),
    (ConstOperand, "value"),
    (SumExpr, "sum"),
    (DifferenceExpr, "difference"),
    (ProductExpr, "product"),
    (RatioExpr, "ratio"),
    (MonthsBetween, "months"),
    (DaysBetween, "days"),
)


def _one_of(node: BaseModel, *names: str) -> None:
    given = [k for k in names if getattr(node, k) is not None]
    if len(given) != 1:
        raise ValueError(
            f"needs exactly one of {', '.join(repr(n) for n in names)}"
            f" (got {', '.join(given) or 'none'})"
        )


class Computed(_Node):
    """``EXPR OP operand``: a computed quantity compared with a literal or a parameter."""

    compute: Expr
    op: Op
    value: int | float | str | None = None
    param: str | None = None
    unit: str | None = Field(None, description="the unit of the result, for people (e.g. %)")

    iso_value = field_validator("value", mode="before")(_iso_dates)

    @model_validator(mode="after")
    def _operand(self) -> Computed:
        _one_of(self, "value", "param")
        if isinstance(self.value, bool):
            raise ValueError("a computed quantity is compared with a number or a date")
        return self


# --- outcomes, aggregates and series -----------------------------------------------------------
class AwardRef(_Node):
    """Another award's outcome for the candidate (or, ``of: unit``, for its unit): ``eligible``
    reads its eligibility, ``awarded`` the seat its allocation gives ("được tặng")."""

    award: str
    of: Scope = "self"
    outcome: Literal["eligible", "awarded"] = "eligible"


class CriterionRef(_Node):
    """Another criterion's verdict: met is met, unknown is unknown, not met and not applicable
    are not met."""

    criterion: str
    of: Scope = "self"


NoMembers = Literal["unknown", "not_applicable", "not_met"]


class MembersNode(_Node):
    """The count, or the share in percent, of a collective's members for whom ``members`` is
    met, compared with a literal or a parameter. Members whose test is unknown make the count an
    interval; the verdict is unknown only when that interval straddles the threshold."""

    members: Node
    measure: Literal["count", "share"]
    op: Op
    value: int | float | None = None
    param: str | None = None
    if_no_members: NoMembers = "unknown"

    @model_validator(mode="after")
    def _operand(self) -> MembersNode:
        _one_of(self, "value", "param")
        if isinstance(self.value, bool):
            raise ValueError("a member count or share is compared with a number")
        return self


class _Window(_Node):
    """The years a series node reads: ``years`` listed, or ``consecutive`` years ending at
    ``up_to`` (a year, or the integer parameter ``up_to_param``)."""

    years: tuple[int, ...] | None = Field(None, min_length=1)
    consecutive: int | None = Field(None, ge=1)
    up_to: int | None = None
    up_to_param: str | None = None

    def _check_window(self) -> None:
        if (self.years is None) == (self.consecutive is None):
            raise ValueError("give the years read: 'years: [...]' or 'consecutive: N' with 'up_to'")
        if self.consecutive is not None and (self.up_to is None) == (self.up_to_param is None):
            raise ValueError("'consecutive' needs 'up_to' (a year) or 'up_to_param', not both")
        if self.years is not None and (self.up_to is not None or self.up_to_param is not None):
            raise ValueError("'up_to' and 'up_to_param' go with 'consecutive', not with 'years'")
        if self.years is not None and len(set(self.years)) != len(self.years):
            raise ValueError("'years' repeats a year")


class SeriesNode(_Window):
    """A yearly series' value passes ``op`` / operand in each year of the window (Kleene AND
    over the years: a year not given is unknown)."""

    series: str
    of: Scope = "self"
    op: Op
    value: Literal_ | None = None
    param: str | None = None

    @model_validator(mode="after")
    def _valid(self) -> SeriesNode:
        _one_of(self, "value", "param")
        self._check_window()
        return self


class DistinctCountNode(_Window):
    """The number of distinct ids of an ``ids`` series over the window (an id listed in two
    years counts once), compared with a literal or a parameter. A year not given leaves the
    count open upwards: unknown unless the known years already decide. With ``excluding``, the
    ids another ``ids`` series lists in any year of the window do not count (an initiative
    already used as the basis of another title or award); a year of it not given leaves the
    count open downwards."""

    count_distinct: str
    excluding: str | None = Field(
        None, description="an ids series whose ids, in the window's years, do not count"
    )
    of: Scope = "self"
    op: Op
    value: int | float | None = None
    param: str | None = None

    @model_validator(mode="after")
    def _valid(self) -> DistinctCountNode:
        _one_of(self, "value", "param")
        if isinstance(self.value, bool):
            raise ValueError("a count is compared with a number")
        self._check_window()
        return self


class ParameterTest(_Node):
    """This run's value of a parameter (after overrides) against a literal: always known, the
    same for every candidate. A named, overridable switch: ``applies_if: {parameter:
    draft_rule, op: "==", value: true}`` makes a criterion not applicable unless the user turns
    the parameter on."""

    parameter: str
    op: Op
    value: Literal_

    iso_value = field_validator("value", mode="before")(_iso_dates)


_KEYS = {
    "all": "all",
    "any": "any",
    "not": "not",
    "at_least": "at_least",
    "fact": "cmp",
    "compute": "compute",
    "attribute": "attr",
    "award": "award",
    "criterion": "criterion",
    "members": "members",
    "series": "series",
    "count_distinct": "distinct",
    "parameter": "param_test",
}
_NODE_CLASSES: tuple[tuple[type[BaseModel], str], ...] = (
    (AllNode, "all"),
    (AnyNode, "any"),
    (NotNode, "not"),
    (AtLeastNode, "at_least"),
    (Comparison, "cmp"),
    (Computed, "compute"),
    (AttributeTest, "attr"),
    (AwardRef, "award"),
    (CriterionRef, "criterion"),
    (MembersNode, "members"),
    (SeriesNode, "series"),
    (DistinctCountNode, "distinct"),
    (ParameterTest, "param_test"),
)
#: the discriminator tags of the criteria tree (not keys of the document; error paths skip them)
NODE_TAGS = frozenset(_KEYS.values()) | frozenset(_EXPR_KEYS.values())
#: a node's first key present -> its tag, and an expression's (what ``plan.problems`` reads)
NODE_KEY_TAGS: dict[str, str] = _KEYS
EXPR_TAGS: dict[str, str] = _EXPR_KEYS


def _node_tag(raw: Any) -> str | None:
    if isinstance(raw, dict):
        for key, tag in _KEYS.items():
            if key in raw:
                return tag
        return None
    for cls, tag in _NODE_CLASSES:
        if isinstance(raw, cls):
            return tag
    return None


Node = Annotated[
    Annotated[AllNode, Tag("all")]
    | Annotated[AnyNode, Tag("any")]
    | Annotated[NotNode, Tag("not")]
    | Annotated[AtLeastNode, Tag("at_least")]
    | Annotated[Comparison, Tag("cmp")]
    | Annotated[Computed, Tag("compute")]
    | Annotated[AttributeTest, Tag("attr")]
    | Annotated[AwardRef, Tag("award")]
    | Annotated[CriterionRef, Tag("criterion")]
    | Annotated[MembersNode, Tag("members")]
    | Annotated[SeriesNode, Tag("series")]
    | Annotated[DistinctCountNode, Tag("distinct")]
    | Annotated[ParameterTest, Tag("param_test")],
    Discriminator(
        _node_tag,
        custom_error_type="criteria_node",
        custom_error_message=(
            "a criteria node must have one of the keys all, any, not, at_least, fact, compute, "
            "attribute, award, criterion, members, series, count_distinct, parameter"
        ),
    ),
]

for _model in (
    AllNode,
    AnyNode,
    NotNode,
    AtLeastNode,
    MembersNode,
    SumExpr,
    DifferenceExpr,
    ProductExpr,
    RatioExpr,
    MonthsBetween,
    DaysBetween,
    Computed,
):
    _model.model_rebuild()


# --- walking a tree -------------------------------------------------------------------------
def children(node: Node) -> tuple[Node, ...]:
    """The direct child nodes of a node (a member test included; expressions are not nodes)."""
    if isinstance(node, AllNode):
        return node.all
    if isinstance(node, AnyNode):
        return node.any
    if isinstance(node, NotNode):
        return (node.not_,)
    if isinstance(node, AtLeastNode):
        return node.of
    if isinstance(node, MembersNode):
        return (node.members,)
    return ()


def walk(node: Node) -> list[Node]:
    """Every node of the tree, depth first, the root first (member tests included)."""
    out: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def walk_kinds(node: Node, kind: CarrierKind) -> list[tuple[Node, CarrierKind]]:
    """Every node with the kind of candidate it is evaluated on: a member test is evaluated on
    the collective's individuals."""
    out: list[tuple[Node, CarrierKind]] = []
    stack: list[tuple[Node, CarrierKind]] = [(node, kind)]
    while stack:
        current, k = stack.pop()
        out.append((current, k))
        inner: CarrierKind = "individual" if isinstance(current, MembersNode) else k
        stack.extend((child, inner) for child in reversed(children(current)))
    return out


def comparisons(node: Node) -> list[Comparison]:
    """Every comparison in the tree, in document order (member tests included)."""
    return [n for n in walk(node) if isinstance(n, Comparison)]


def expressions(expr: Expr) -> list[Expr]:
    """Every node of an arithmetic expression, the root first."""
    out: list[Expr] = []
    stack: list[Expr] = [expr]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(expr_children(current)))
    return out


def expr_children(expr: Expr) -> tuple[Expr, ...]:
    if isinstance(expr, SumExpr):
        return expr.sum
    if isinstance(expr, ProductExpr):
        return expr.product
    if isinstance(expr, DifferenceExpr):
        return expr.difference
    if isinstance(expr, RatioExpr):
        return expr.ratio
    if isinstance(expr, MonthsBetween):
        return expr.months_between
    if isinstance(expr, DaysBetween):
        return expr.days_between
    return ()


def expression_text(
    expr: Expr, leaf: Callable[[FactOperand | ParamOperand | ConstOperand], str]
) -> str:
    """An arithmetic expression written out (``(a ÷ b)``, ``months(a → b)``), each operand as
    ``leaf`` names it."""
    if isinstance(expr, FactOperand | ParamOperand | ConstOperand):
        return leaf(expr)
    kids = [expression_text(e, leaf) for e in expr_children(expr)]
    if isinstance(expr, SumExpr):
        return "(" + " + ".join(kids) + ")"
    if isinstance(expr, ProductExpr):
        return "(" + " × ".join(kids) + ")"
    if isinstance(expr, DifferenceExpr):
        return f"({kids[0]} − {kids[1]})"
    if isinstance(expr, MonthsBetween):
        return f"months({kids[0]} → {kids[1]})"
    if isinstance(expr, DaysBetween):
        return f"days({kids[0]} → {kids[1]})"
    assert isinstance(expr, RatioExpr)
    return f"({kids[0]} ÷ {kids[1]})"


@attrs.frozen
class FactRead:
    """A fact a tree reads: which, from whom (``scope``), on which kind of candidate the node is
    evaluated (``kind``; the carrier is the unit's collective when ``scope`` is ``unit``)."""

    fact: str
    scope: Scope
    kind: CarrierKind

    @property
    def carrier(self) -> CarrierKind:
        return "collective" if self.scope == "unit" else self.kind


def fact_reads(node: Node, kind: CarrierKind) -> list[FactRead]:
    """Every fact the tree reads, in document order, without repeats."""
    out: list[FactRead] = []
    for n, k in walk_kinds(node, kind):
        found: list[tuple[str, Scope]] = []
        if isinstance(n, Comparison):
            found.append((n.fact, n.of))
            if n.to_fact is not None:
                found.append((n.to_fact, n.of))
        elif isinstance(n, Computed):
            found += [(e.fact, e.of) for e in expressions(n.compute) if isinstance(e, FactOperand)]
        elif isinstance(n, SeriesNode):
            found.append((n.series, n.of))
        elif isinstance(n, DistinctCountNode):
            found.append((n.count_distinct, n.of))
            if n.excluding is not None:
                found.append((n.excluding, n.of))
        for fact, scope in found:
            read = FactRead(fact, scope, k)
            if read not in out:
                out.append(read)
    return out


def params_used(node: Node) -> list[str]:
    """Every parameter the tree names, in document order, without repeats."""
    out: list[str] = []
    for n in walk(node):
        names: list[str | None] = []
        if isinstance(n, Comparison):
            names += [n.param, n.margin_param]
        elif isinstance(n, Computed):
            names.append(n.param)
            for e in expressions(n.compute):
                if isinstance(e, ParamOperand):
                    names.append(e.param)
                elif isinstance(e, RatioExpr):
                    names.append(e.if_zero_param)
        elif isinstance(n, MembersNode | DistinctCountNode | SeriesNode):
            names += [n.param]
            if not isinstance(n, MembersNode):
                names.append(n.up_to_param)
        elif isinstance(n, ParameterTest):
            names.append(n.parameter)
        for name in names:
            if name is not None and name not in out:
                out.append(name)
    return out


def references(node: Node) -> Iterator[AwardRef | CriterionRef]:
    """The other awards and criteria the tree reads, in document order."""
    for n in walk(node):
        if isinstance(n, AwardRef | CriterionRef):
            yield n


def tree_depth(raw: Any) -> int:
    """How deeply the mappings of a raw (unvalidated) tree nest: a comparison is 1,
    ``{all: [comparison]}`` is 2. Counted without recursion, so any depth can be measured."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(raw, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((v, depth) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list | tuple):
            stack.extend((v, depth) for v in value if isinstance(v, dict | list | tuple))
    return deepest
