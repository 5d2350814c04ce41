"""A plan's rules in plain Vietnamese, for the legal officer who checks the encoding.

A criteria tree becomes nested :class:`Phrase` objects the explorer page shows as nested lists:
``all`` reads "Đáp ứng tất cả các điều kiện sau", ``any`` "Đáp ứng ít nhất một trong các điều
kiện sau", ``not`` "Không thuộc trường hợp sau"; a comparison names the fact by its label in the
plan, the comparison in words and the value in Vietnamese notation (``99,95``), and says which
named parameter gives the value; an attribute test names the participants by their labels.
A node this module does not know (a construct added to the criteria language later) is shown as
the engine's one-line rendering, never left out.

Numbers and dates are written as Vietnamese documents write them: ``99,95``, ``1.000``,
``21/6/2021``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from emulation_rules.engine.compiler import render
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Fact, ParamValue
from emulation_rules.plan.facts import iso_date

KIND_WORDS = {"collective": "tập thể", "individual": "cá nhân"}
ORDER_WORDS = {"desc": "từ cao xuống thấp", "asc": "từ thấp lên cao"}
#: comparison -> (words for numbers, words for ordinal levels)
OP_WORDS = {
    ">=": ("từ {v} trở lên", "từ mức «{v}» trở lên"),
    ">": ("lớn hơn {v}", "cao hơn mức «{v}»"),
    "<=": ("không quá {v}", "không cao hơn mức «{v}»"),
    "<": ("nhỏ hơn {v}", "thấp hơn mức «{v}»"),
    "==": ("bằng {v}", "đúng mức «{v}»"),
    "!=": ("khác {v}", "khác mức «{v}»"),
}
#: comparison of two facts (with an optional margin)
PAIR_WORDS = {
    ">=": "không thấp hơn",
    ">": "cao hơn",
    "<=": "không cao hơn",
    "<": "thấp hơn",
    "==": "bằng",
    "!=": "khác",
}


@attrs.frozen
class Phrase:
    """One line of a rule in words, with the lines under it (the children of all/any/not).

    ``parameters`` names the parameters the line's value comes from (linked on the page);
    ``code`` marks a line given as the engine's rendering (a construct not worded here).
    """

    text: str
    children: tuple[Phrase, ...] = ()
    parameters: tuple[str, ...] = ()
    code: bool = False


def vn_number(value: float | int) -> str:
    """``99.95`` -> ``99,95``; ``1000`` -> ``1.000``; integers without decimals."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    whole, _, decimals = repr(float(value)).partition(".")
    if "e" in decimals or "e" in whole:
        return str(value).replace(".", ",")
    sign = "-" if whole.startswith("-") else ""
    digits = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return f"{sign}{digits},{decimals}"


def vn_date(day: dt.date | None) -> str:
    """``2021-06-21`` -> ``21/6/2021``; None -> ``không rõ ngày``."""
    if day is None:
        return "không rõ ngày"
    return f"{day.day}/{day.month}/{day.year}"


def vn_value(value: ParamValue | None, unit: str | None = None) -> str:
    """A parameter's or a fact's value as a document writes it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return vn_number(value) + (f" {unit}" if unit else "")
    day = iso_date(value)  # a date fact or parameter: as a document writes it
    if day is not None:
        return vn_date(day)
    return f"«{value}»"


def rule_phrase(
    campaign: Campaign, node: ct.Node, params: Mapping[str, ParamValue], kind: str
) -> Phrase:
    """A criteria tree in words, parameters shown with the values in ``params``."""
    labels = {p.unit_type: p.label for p in campaign.participants}
    if isinstance(node, ct.AllNode):
        return Phrase(
            "Đáp ứng tất cả các điều kiện sau:",
            tuple(rule_phrase(campaign, n, params, kind) for n in node.all),
        )
    if isinstance(node, ct.AnyNode):
        return Phrase(
            "Đáp ứng ít nhất một trong các điều kiện sau:",
            tuple(rule_phrase(campaign, n, params, kind) for n in node.any),
        )
    if isinstance(node, ct.NotNode):
        return Phrase(
            "Không thuộc trường hợp sau:", (rule_phrase(campaign, node.not_, params, kind),)
        )
    if isinstance(node, ct.AttributeTest):
        if node.attribute == "kind":
            return Phrase("Là " + " hoặc ".join(KIND_WORDS.get(v, v) for v in node.in_))
        names = "; ".join(labels.get(v, v) for v in node.in_)
        if node.attribute == "unit.unit_type":
            return Phrase(f"Đơn vị công tác thuộc: {names}")
        return Phrase(f"Thuộc: {names}")
    if isinstance(node, ct.Comparison):
        return _comparison(campaign, node, params, kind)
    return Phrase(render(campaign, node, params), code=True)


def _fact_name(campaign: Campaign, fact_id: str, of: str, kind: str) -> str:
    label = campaign.fact(fact_id).label
    if of == "unit" and kind == "individual":
        return f"{label} (của đơn vị nơi cá nhân công tác)"
    return label


def _comparison(
    campaign: Campaign, node: ct.Comparison, params: Mapping[str, ParamValue], kind: str
) -> Phrase:
    fact: Fact = campaign.fact(node.fact)
    name = _fact_name(campaign, node.fact, node.of, kind)
    if node.to_fact is not None:
        other = _fact_name(campaign, node.to_fact, node.of, kind)
        text = f"{name} {PAIR_WORDS[node.op]} {other}"
        margin = node.margin
        used: tuple[str, ...] = ()
        if node.margin_param is not None:
            raw = params.get(node.margin_param)
            margin = float(raw) if isinstance(raw, int | float) else None
            used = (node.margin_param,)
        if margin:
            text += f" cộng {vn_number(margin)}" + (f" {fact.unit}" if fact.unit else "")
        return Phrase(text, parameters=used)
    value = node.value if node.value is not None else params.get(node.param or "")
    used = (node.param,) if node.param is not None else ()
    if fact.type == "boolean" and isinstance(value, bool) and node.op in ("==", "!="):
        holds = value if node.op == "==" else not value
        return Phrase(f"{name}: {'có' if holds else 'không'}", parameters=used)
    numbers, levels = OP_WORDS[node.op]
    if fact.type == "ordinal":
        return Phrase(f"{name}: {levels.format(v=value)}", parameters=used)
    shown = vn_value(value, fact.unit)
    return Phrase(f"{name}: {numbers.format(v=shown)}", parameters=used)


def guard_phrase(
    campaign: Campaign, node: ct.Node | None, params: Mapping[str, ParamValue], kind: str
) -> Phrase | None:
    """A criterion's guard (``applies_if``) in words: who the criterion applies to."""
    if node is None:
        return None
    return rule_phrase(campaign, node, params, kind)
