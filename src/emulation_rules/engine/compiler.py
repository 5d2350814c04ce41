"""The criteria compiler: a campaign plus resolved parameters become a :class:`CompiledPlan`.

Parameters are resolved for one ``as_of`` date and one set of overrides, and folded into the
compiled tree as constants; ordinal values become ranks. Both engines read the same compiled
tree: :mod:`emulation_rules.columnar` evaluates it over numpy columns and
:mod:`emulation_rules.rete` turns it into a durable-rules ruleset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from emulation_rules.engine.fact_table import KIND_CODES, column_key
from emulation_rules.errors import EvaluationError, OverrideError, shorten
from emulation_rules.limits import Limits
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import (
    Award,
    Campaign,
    Citation,
    Criterion,
    Parameter,
    ParamValue,
    value_fits,
)
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


CNode = CAll | CAny | CNot | CCmp | CAttr


@attrs.frozen
class CompiledCriterion:
    id: str
    label: str
    kind: int
    guard: CNode | None
    rule: CNode
    required: str
    applies_if: str | None
    reads: tuple[str, ...]
    citation: Citation


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
    if isinstance(value, str):
        value = nfc(value)
    if not isinstance(value, str) or param.type == "ordinal":
        if param.type == "number" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
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
    criteria = tuple(_compile_criterion(campaign, c, params) for c in campaign.criteria)
    index = {c.id: i for i, c in enumerate(campaign.criteria)}
    awards = []
    for a in campaign.awards:
        quota = params[a.quota_param] if a.quota_param else None
        awards.append(
            CompiledAward(
                id=a.id,
                label=a.label,
                kind=KIND_CODES[a.kind],
                criteria=tuple(index[c] for c in a.requires),
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
    return CompiledPlan(campaign, as_of, params, criteria, _ordered_awards(campaign, awards))


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


def _compile_criterion(
    campaign: Campaign, c: Criterion, params: Mapping[str, ParamValue]
) -> CompiledCriterion:
    guard = _compile(campaign, c.applies_if, params) if c.applies_if is not None else None
    rule = _compile(campaign, c.rule, params)
    reads: list[str] = []
    for node in ct.comparisons(c.rule):
        for key in (column_key(node.fact, node.of),) + (
            (column_key(node.to_fact, node.of),) if node.to_fact else ()
        ):
            if key not in reads:
                reads.append(key)
    required = render(campaign, c.rule, params)
    applies_if = render(campaign, c.applies_if, params) if c.applies_if is not None else None
    return CompiledCriterion(
        id=c.id,
        label=c.label,
        kind=KIND_CODES[c.kind],
        guard=guard,
        rule=rule,
        required=required,
        applies_if=applies_if,
        reads=tuple(reads),
        citation=c.citation,
    )


def _compile(campaign: Campaign, node: ct.Node, params: Mapping[str, ParamValue]) -> CNode:
    if isinstance(node, ct.AllNode):
        return CAll(tuple(_compile(campaign, n, params) for n in node.all))
    if isinstance(node, ct.AnyNode):
        return CAny(tuple(_compile(campaign, n, params) for n in node.any))
    if isinstance(node, ct.NotNode):
        return CNot(_compile(campaign, node.not_, params))
    if isinstance(node, ct.AttributeTest):
        if node.attribute == "kind":
            return CAttr("kind", frozenset(KIND_CODES[v] for v in node.in_))
        codes = {u: i for i, u in enumerate(campaign.unit_types())}
        return CAttr(node.attribute, frozenset(codes[v] for v in node.in_))
    fact = campaign.fact(node.fact)
    column = column_key(node.fact, node.of)
    if node.to_fact is not None:
        margin = node.margin if node.margin is not None else 0.0
        if node.margin_param is not None:
            margin = float(params[node.margin_param])
        return CCmp(column, node.op, None, column_key(node.to_fact, node.of), margin)
    raw = node.value if node.value is not None else params[node.param or ""]
    if fact.type == "ordinal":
        assert fact.scale is not None and isinstance(raw, str)
        constant = float(campaign.scale(fact.scale).rank(raw))
    else:
        constant = float(raw)
    return CCmp(column, node.op, constant, None, 0.0)


def render(campaign: Campaign, node: ct.Node, params: Mapping[str, ParamValue]) -> str:
    """A criteria tree as one line of text, parameters replaced by their values."""
    if isinstance(node, ct.AllNode):
        return "all(" + "; ".join(render(campaign, n, params) for n in node.all) + ")"
    if isinstance(node, ct.AnyNode):
        return "any(" + "; ".join(render(campaign, n, params) for n in node.any) + ")"
    if isinstance(node, ct.NotNode):
        return "not(" + render(campaign, node.not_, params) + ")"
    if isinstance(node, ct.AttributeTest):
        return f"{node.attribute} ∈ {{{', '.join(node.in_)}}}"
    lhs = column_key(node.fact, node.of)
    op = ct.OP_WORDS[node.op]
    if node.to_fact is not None:
        rhs = column_key(node.to_fact, node.of)
        margin = node.margin if node.margin is not None else None
        if node.margin_param is not None:
            margin = float(params[node.margin_param])
        return f"{lhs} {op} {rhs}" + (f" + {_num(margin)}" if margin else "")
    value = node.value if node.value is not None else params[node.param or ""]
    unit = campaign.fact(node.fact).unit
    shown = str(value).lower() if isinstance(value, bool) else _num(value)
    return f"{lhs} {op} {shown}" + (f" {unit}" if unit else "")


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
