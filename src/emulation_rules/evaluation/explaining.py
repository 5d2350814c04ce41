"""What a verdict rests on (``observed``) and, where the values alone do not say it, why
(``explanation``), for one candidate and one criterion.

The explanations are short English sentences naming facts by their ids, in the style of the
other output; they are written here, in one place, so that a message catalogue can take them
over.
"""

from __future__ import annotations

from typing import Any

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
from emulation_rules.engine.fact_table import FactTable, QExpr, display_value

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
            lo = float(table.values[f"{o.key}.lo"][i])
            complete = bool(table.known[f"{o.key}.hi"][i])
            out[o.label] = {"distinct": int(lo), "every_year_known": complete}
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


def explain_verdict(
    plan: CompiledPlan, table: FactTable, verdicts: ColumnarVerdicts, k: int, i: int
) -> str | None:
    """One or more sentences on why criterion ``k`` has its verdict for row ``i``, or None."""
    crit = plan.criteria[k]
    code = int(verdicts.criteria[k][i])
    parts: list[str] = []
    for den, text in crit.zero_guards:
        if bool(table.known[den][i]) and float(table.values[den][i]) == 0.0:
            parts.append(
                f"{text} = 0, so the ratio has no value; the plan says the criterion does not "
                "apply then (not_applicable)"
            )
    guarded = {den for den, _ in crit.zero_guards}
    for o in crit.observations:
        q = plan.quantities.get(o.key) if o.what == "quantity" else None
        for part in _parts(q) if isinstance(q, QExpr) else []:
            if part.op != "ratio" or part.parts[1].key in guarded:
                continue
            if _zero_denominator(part, table, i):
                text = (
                    f"the denominator of {part.key} is 0, so the ratio has no value; the plan "
                    "says the comparison is unknown then"
                )
                if text not in parts:
                    parts.append(text)
    for node in _members_nodes(crit.rule):
        counts = verdicts.members.get(node.index)
        if counts is None:
            continue
        met, unknown, members = (int(a[i]) for a in counts)
        if members == 0:
            said = {
                "unknown": "unknown",
                "not_met": "not met",
                "not_applicable": "not applicable",
            }[node.no_members]
            parts.append(
                f"no member of this collective is in the input, so the member {node.measure} "
                f"has no value; the plan reads that as {said}"
            )
        elif unknown and code == UNKNOWN:
            if node.measure == "share":
                lo, hi = 100.0 * met / members, 100.0 * (met + unknown) / members
                span = f"the share lies between {_pct(lo)} and {_pct(hi)} %"
            else:
                span = f"the count lies between {met} and {met + unknown}"
            parts.append(
                f"{met} of {members} members meet the test and {unknown} cannot be decided yet: "
                f"{span}"
            )
    guards = verdicts.guards[k] if k < len(verdicts.guards) else None
    if guards is not None and int(guards[i]) == UNKNOWN and code in (MET, UNKNOWN):
        missing = [col for col in crit.guard_reads if not bool(table.known[col][i])]
        missing += [text for den, text in crit.zero_guards if not bool(table.known[den][i])]
        which = f" (missing: {', '.join(dict.fromkeys(missing))})" if missing else ""
        if code == MET:
            parts.append(
                f"applies_if cannot be decided yet{which}; the rule is met, so the criterion is "
                "met whichever way it turns out (met if it holds, not applicable if not)"
            )
        else:
            parts.append(
                f"applies_if cannot be decided yet{which} and the rule is not met or not "
                "decided either: the verdict waits for it"
            )
    if code == NOT_APPLICABLE and not parts and crit.members_guard:
        parts.append("no member of this collective is in the input: the criterion does not apply")
    return "; ".join(parts) if parts else None


def _parts(q: QExpr) -> list[QExpr]:
    out: list[QExpr] = []
    stack = [q]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.parts)
    return out


def _pct(value: float) -> str:
    return f"{round(value, 2):g}"


def _zero_denominator(q: QExpr, table: FactTable, i: int) -> bool:
    den = q.parts[1]
    if den.op == "const":
        return den.value == 0.0
    key = den.column if den.op == "column" else den.key
    assert key is not None
    return bool(table.known[key][i]) and float(table.values[key][i]) == 0.0
