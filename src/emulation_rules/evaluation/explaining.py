"""What a verdict rests on (``observed``) and, where the values alone do not say it, why
(``explanation``), for one candidate and one criterion.

An explanation is kept as data (:class:`Reason` s) and said in a reader's language by
:func:`explanation_text`, through the message catalogue (:mod:`emulation_rules.messages`):
English, naming facts by their ids, for the JSON's ``explanation``; Vietnamese by default in
the table, ``explain``, the letter, the workbook and the service's pages, naming facts by their
labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.engine.columnar import (
    ELIGIBILITY,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    OTHER_KIND,
    UNKNOWN,
    VERDICTS,
    ColumnarVerdicts,
)
from emulation_rules.engine.compiler import CMembers, CNode, CompiledCriterion, CompiledPlan
from emulation_rules.engine.fact_table import FactTable, QExpr, column_text, display_value
from emulation_rules.messages import Messages

SEAT_WORDS = {MET: "awarded", NOT_MET: "not_awarded", UNKNOWN: "undecided"}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def observed_values(
    plan: CompiledPlan,
    table: FactTable,
    verdicts: ColumnarVerdicts,
    crit: CompiledCriterion,
    i: int,
) -> dict[str, Any]:
    """``observed`` of criterion ``crit`` for row ``i``."""
    campaign = plan.campaign
    out: dict[str, Any] = {}
    units = table.units()
    for o in crit.observations:
        if o.what == "fact":
            fact = campaign.fact(o.fact)
            out[o.label] = display_value(
                campaign, fact, float(table.values[o.key][i]), bool(table.known[o.key][i])
            )
        elif o.what == "quantity":
            known = bool(table.known[o.key][i])
            out[o.label] = float(table.values[o.key][i]) if known else None
        elif o.what == "series":
            fact = campaign.fact(o.fact)
            out[o.label] = {
                str(year): display_value(
                    campaign, fact, float(table.values[col][i]), bool(table.known[col][i])
                )
                if col in table.values
                else None
                for year, col in o.columns
            }
        elif o.what == "distinct":
            counted = float(table.values[f"{o.key}.n"][i])
            complete = bool(table.known[f"{o.key}.n"][i])
            out[o.label] = {"distinct": int(counted), "every_year_known": complete}
        elif o.what == "members":
            met, unknown, members = verdicts.members.get(o.index, (None, None, None))
            if met is None or unknown is None or members is None:
                out[o.label] = None
            else:
                out[o.label] = {
                    "met": int(met[i]),
                    "unknown": int(unknown[i]),
                    "members": int(members[i]),
                }
        else:
            row = i if o.scope == "self" else int(units[i])
            if row < 0:
                out[o.label] = None
            elif o.what == "award":
                code = int(verdicts.awards[o.index][row])
                out[o.label] = ELIGIBILITY[code] if code != OTHER_KIND else None
            elif o.what == "seat":
                seat = verdicts.seats.get(o.index)
                out[o.label] = SEAT_WORDS.get(int(seat[row])) if seat is not None else None
            else:
                code = int(verdicts.criteria[o.index][row])
                out[o.label] = VERDICTS[code] if code != OTHER_KIND else None
    return out


def _members_nodes(node: CNode | None) -> list[CMembers]:
    out: list[CMembers] = []
    stack: list[CNode] = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, CMembers):
            out.append(current)
        stack.extend(getattr(current, "children", ()))
        child = getattr(current, "child", None)
        if child is not None:
            stack.append(child)
    return out


@attrs.frozen
class Reason:
    """One reason of a verdict's explanation, as data: ``code`` says which (one of
    :data:`REASONS`), ``values`` fills it in. Each writer says it in its reader's language with
    :func:`explanation_text`; the JSON's ``explanation`` is the English text, its ``reasons``
    the data (so that ``diff``, reading documents, says them in its reader's language too)."""

    code: str
    values: Mapping[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The reason as in the output document: ``{"code", …its values}``."""
        return {"code": self.code} | {
            k: list(v) if isinstance(v, tuple) else v for k, v in self.values.items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason | None:
        """A reason read back from an output document (None when it is not one: a document
        of a later version may know more reasons)."""
        code = data.get("code")
        if not isinstance(code, str) or code not in REASONS:
            return None
        if any(k not in data for k in REASONS[code]):
            return None
        values = {k: data[k] for k in REASONS[code]}
        return cls(code, {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


#: the reasons an explanation may give, and the values each carries
REASONS: Mapping[str, tuple[str, ...]] = {
    # a ratio's denominator is 0 and the plan says the criterion does not apply then
    "zero_not_applicable": ("expression",),
    # a ratio's denominator is 0 and the plan says the comparison is unknown then
    "zero_unknown": ("quantity",),
    # a member aggregate over a collective without members (``reads_as``: the plan's verdict)
    "no_members": ("measure", "reads_as"),
    # a member aggregate whose interval straddles the threshold
    "members_open": ("measure", "met", "unknown", "members", "low", "high"),
    # the guard is undecided but the rule is met: met whichever way the guard turns out
    "guard_open_met": ("missing",),
    # the guard is undecided and the rule not met or undecided: the verdict waits for it
    "guard_open_waits": ("missing",),
    # a criterion that needs members, of a collective that has none
    "no_members_not_applicable": (),
}


def explain_reasons(
    plan: CompiledPlan, table: FactTable, verdicts: ColumnarVerdicts, k: int, i: int
) -> tuple[Reason, ...]:
    """Why criterion ``k`` has its verdict for row ``i``, where the values alone do not say it
    (empty when they do)."""
    crit = plan.criteria[k]
    code = int(verdicts.criteria[k][i])
    parts: list[Reason] = []
    for den, text in crit.zero_guards:
        if bool(table.known[den][i]) and float(table.values[den][i]) == 0.0:
            parts.append(Reason("zero_not_applicable", {"expression": text}))
    guarded = {den for den, _ in crit.zero_guards}
    for o in crit.observations:
        q = plan.quantities.get(o.key) if o.what == "quantity" else None
        for part in _parts(q) if isinstance(q, QExpr) else []:
            if part.op != "ratio" or part.parts[1].key in guarded:
                continue
            if _zero_denominator(part, table, i):
                reason = Reason("zero_unknown", {"quantity": part.key})
                if reason not in parts:
                    parts.append(reason)
    for node in _members_nodes(crit.rule):
        counts = verdicts.members.get(node.index)
        if counts is None:
            continue
        met, unknown, members = (int(a[i]) for a in counts)
        if members == 0:
            parts.append(
                Reason("no_members", {"measure": node.measure, "reads_as": node.no_members})
            )
        elif unknown and code == UNKNOWN:
            if node.measure == "share":
                lo, hi = 100.0 * met / members, 100.0 * (met + unknown) / members
                low: float = round(lo, 2)
                high: float = round(hi, 2)
            else:
                low, high = met, met + unknown
            parts.append(
                Reason(
                    "members_open",
                    {
                        "measure": node.measure,
                        "met": met,
                        "unknown": unknown,
                        "members": members,
                        "low": _number(low),
                        "high": _number(high),
                    },
                )
            )
    guards = verdicts.guards[k] if k < len(verdicts.guards) else None
    if guards is not None and int(guards[i]) == UNKNOWN and code in (MET, UNKNOWN):
        missing = [column_text(col) for col in crit.guard_reads if not bool(table.known[col][i])]
        missing += [text for den, text in crit.zero_guards if not bool(table.known[den][i])]
        which = tuple(dict.fromkeys(missing))
        parts.append(
            Reason("guard_open_met" if code == MET else "guard_open_waits", {"missing": which})
        )
    if code == NOT_APPLICABLE and not parts and crit.members_guard:
        parts.append(Reason("no_members_not_applicable"))
    return tuple(parts)


def explanation_text(
    t: Messages,
    reasons: Sequence[Reason],
    name: Callable[[str], str] | None = None,
) -> str | None:
    """``reasons`` as sentences in ``t``'s language, joined by ``; `` (None when there is none).
    ``name`` says a fact column (a guard's missing fact, ``x[2024]`` for a series' year; a
    denominator) as the reader knows it; by default as the plan names it."""
    said = [_reason_text(t, r, name or str) for r in reasons]
    return "; ".join(said) if said else None


def _reason_text(t: Messages, reason: Reason, name: Callable[[str], str]) -> str:
    v = reason.values
    code = reason.code
    if code == "zero_not_applicable":
        return t._(
            "{expression} = 0, so the ratio has no value; the plan says the criterion does not "
            "apply then (not_applicable)"
        ).format(expression=name(str(v["expression"])))
    if code == "zero_unknown":
        return t._(
            "the denominator of {quantity} is 0, so the ratio has no value; the plan says the "
            "comparison is unknown then"
        ).format(quantity=v["quantity"])
    if code == "no_members":
        verdict = _verdict_words(t)[str(v["reads_as"])]
        if v["measure"] == "share":
            return t._(
                "no member of this collective is in the input, so the member share has no "
                "value; the plan reads that as {verdict}"
            ).format(verdict=verdict)
        return t._(
            "no member of this collective is in the input, so the member count has no value; "
            "the plan reads that as {verdict}"
        ).format(verdict=verdict)
    if code == "members_open":
        numbers = {
            "met": t.number(v["met"]),
            "members": t.number(v["members"]),
            "unknown": t.number(v["unknown"]),
            "low": t.number(v["low"]),
            "high": t.number(v["high"]),
        }
        if v["measure"] == "share":
            return t._(
                "{met} of {members} members meet the test and {unknown} cannot be decided yet: "
                "the share lies between {low} and {high} %"
            ).format(**numbers)
        return t._(
            "{met} of {members} members meet the test and {unknown} cannot be decided yet: "
            "the count lies between {low} and {high}"
        ).format(**numbers)
    if code in ("guard_open_met", "guard_open_waits"):
        missing = ", ".join(name(str(col)) for col in v["missing"])
        if code == "guard_open_met":
            if missing:
                return t._(
                    "applies_if cannot be decided yet (missing: {missing}); the rule is met, so "
                    "the criterion is met whichever way it turns out (met if it holds, not "
                    "applicable if not)"
                ).format(missing=missing)
            return t._(
                "applies_if cannot be decided yet; the rule is met, so the criterion is met "
                "whichever way it turns out (met if it holds, not applicable if not)"
            )
        if missing:
            return t._(
                "applies_if cannot be decided yet (missing: {missing}) and the rule is not met "
                "or not decided either: the verdict waits for it"
            ).format(missing=missing)
        return t._(
            "applies_if cannot be decided yet and the rule is not met or not decided either: "
            "the verdict waits for it"
        )
    assert code == "no_members_not_applicable", code
    return t._("no member of this collective is in the input: the criterion does not apply")


def _verdict_words(t: Messages) -> dict[str, str]:
    return {
        "unknown": t._p("verdict", "unknown"),
        "not_met": t._p("verdict", "not met"),
        "not_applicable": t._p("verdict", "not applicable"),
    }


def _parts(q: QExpr) -> list[QExpr]:
    out: list[QExpr] = []
    stack = [q]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.parts)
    return out


def _zero_denominator(q: QExpr, table: FactTable, i: int) -> bool:
    den = q.parts[1]
    if den.op == "const":
        return den.value == 0.0
    key = den.column if den.op == "column" else den.key
    assert key is not None
    return bool(table.known[key][i]) and float(table.values[key][i]) == 0.0
