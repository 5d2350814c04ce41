"""The range of a computed quantity, from the declared ranges of the facts it reads.

Interval arithmetic over the arithmetic nodes of the criteria language: a fact ranges over its
declared ``minimum``–``maximum`` (unbounded where it declares none), a parameter over every value
it takes (dated values included), a constant is a point. ``emulation-rules check`` uses it to
report a computed comparison that can never be met (or is always met where its facts are known),
and the input schema (``emulation-rules schema``) shows each derived quantity with its unit and
range beside the facts it reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import attrs

from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Criterion, Parameter

INF = math.inf


@attrs.frozen
class Derived:
    """A computed quantity of a criterion: its text, unit, range and the facts it reads."""

    criterion: str
    quantity: str
    unit: str | None
    low: float
    high: float
    facts: tuple[str, ...]

    def to_schema(self) -> dict[str, object]:
        return {
            "criterion": self.criterion,
            "quantity": self.quantity,
            "unit": self.unit,
            "minimum": self.low if math.isfinite(self.low) else None,
            "maximum": self.high if math.isfinite(self.high) else None,
        }


def _param_values(p: Parameter) -> list[float]:
    raw = [p.value] if p.value is not None else list((p.values or {}).values())
    return [float(v) for v in raw if isinstance(v, int | float) and not isinstance(v, bool)]


def _mul(a: float, b: float) -> float:
    if (a == 0 and math.isinf(b)) or (b == 0 and math.isinf(a)):
        return 0.0
    return a * b


def expression_range(
    facts: Mapping[str, object], params: Mapping[str, Parameter], expr: ct.Expr
) -> tuple[float, float]:
    """(low, high) of an expression; (-inf, inf) where nothing bounds it (dates included)."""
    if isinstance(expr, ct.FactOperand):
        f = facts.get(expr.fact)
        lo = getattr(f, "minimum", None)
        hi = getattr(f, "maximum", None)
        if getattr(f, "type", None) == "date":
            return -INF, INF
        return (lo if lo is not None else -INF), (hi if hi is not None else INF)
    if isinstance(expr, ct.ParamOperand):
        p = params.get(expr.param)
        values = _param_values(p) if p is not None and p.type != "date" else []
        return (min(values), max(values)) if values else (-INF, INF)
    if isinstance(expr, ct.ConstOperand):
        if isinstance(expr.value, str):
            return -INF, INF
        return float(expr.value), float(expr.value)
    if isinstance(expr, ct.MonthsBetween | ct.DaysBetween):
        return -INF, INF
    parts = [expression_range(facts, params, e) for e in ct.expr_children(expr)]
    if isinstance(expr, ct.SumExpr):
        return sum(p[0] for p in parts), sum(p[1] for p in parts)
    if isinstance(expr, ct.DifferenceExpr):
        (a_lo, a_hi), (b_lo, b_hi) = parts
        return a_lo - b_hi, a_hi - b_lo
    if isinstance(expr, ct.ProductExpr):
        lo, hi = parts[0]
        for p_lo, p_hi in parts[1:]:
            corners = [_mul(x, y) for x in (lo, hi) for y in (p_lo, p_hi)]
            lo, hi = min(corners), max(corners)
        return lo, hi
    assert isinstance(expr, ct.RatioExpr)
    (n_lo, n_hi), (d_lo, d_hi) = parts
    if n_lo >= 0 and d_lo > 0:  # both positive: smallest over the largest denominator
        return (n_lo / d_hi if math.isfinite(d_hi) else 0.0), n_hi / d_lo
    if n_lo >= 0 and d_lo >= 0:  # a zero denominator gives no value, otherwise non-negative
        return 0.0, INF
    finite = all(math.isfinite(x) for x in (n_lo, n_hi, d_lo, d_hi))
    if finite and (d_lo > 0 or d_hi < 0):
        corners = [x / y for x in (n_lo, n_hi) for y in (d_lo, d_hi)]
        return min(corners), max(corners)
    return -INF, INF


def derived_quantities(campaign: Campaign) -> Iterator[Derived]:
    """Every computed quantity of the campaign's criteria, with its range."""
    facts = {f.id: f for f in campaign.facts}
    params = {p.id: p for p in campaign.parameters}
    for c in campaign.criteria:
        yield from _criterion_quantities(c, facts, params)


def _criterion_quantities(
    c: Criterion, facts: Mapping[str, object], params: Mapping[str, Parameter]
) -> Iterator[Derived]:
    for tree in [c.rule] + ([c.applies_if] if c.applies_if is not None else []):
        for node in ct.walk(tree):
            if not isinstance(node, ct.Computed):
                continue
            lo, hi = expression_range(facts, params, node.compute)
            reads = tuple(
                dict.fromkeys(
                    e.fact for e in ct.expressions(node.compute) if isinstance(e, ct.FactOperand)
                )
            )
            yield Derived(c.id, quantity_text(node.compute), node.unit, lo, hi, reads)


def quantity_text(expr: ct.Expr) -> str:
    """An expression as the compiled quantity's name (without parameter values)."""

    def leaf(e: ct.FactOperand | ct.ParamOperand | ct.ConstOperand) -> str:
        if isinstance(e, ct.FactOperand):
            return e.fact if e.of == "self" else f"unit.{e.fact}"
        return e.param if isinstance(e, ct.ParamOperand) else str(e.value)

    return ct.expression_text(expr, leaf)
