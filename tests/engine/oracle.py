"""An independent three-valued evaluator of campaign criteria, for the property tests.

It reads the plan's models (not the compiled tree) and the candidates' raw facts (not the fact
table), one candidate at a time, in plain Python: a third implementation against which both
engines are checked. It covers every node of the criteria language except an allocation's seat
(``outcome: awarded``), which is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import Campaign, Criterion

T, F, U = "T", "F", None  # three values: met, not met, unknown
DECIMALS = 9


def _op(op: str, a: float, b: float) -> bool:
    return {
        ">=": a >= b,
        ">": a > b,
        "<=": a <= b,
        "<": a < b,
        "==": a == b,
        "!=": a != b,
    }[op]


def _day(value: Any) -> float:
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return float(dt.date.fromisoformat(str(value)).toordinal())


def _months(a: float, b: float) -> float:
    da, db = dt.date.fromordinal(int(a)), dt.date.fromordinal(int(b))
    months = (db.year * 12 + db.month) - (da.year * 12 + da.month)
    if months > 0 and db.day < da.day:
        months -= 1
    elif months < 0 and db.day > da.day:
        months += 1
    return float(months)


class Oracle:
    def __init__(
        self, campaign: Campaign, params: Mapping[str, Any], candidates: list[dict[str, Any]]
    ):
        self.campaign = campaign
        self.params = params
        self.cands = {c["id"]: c for c in candidates}
        self.order = [c["id"] for c in candidates]
        self.facts = {f.id: f for f in campaign.facts}
        self.verdicts: dict[str, dict[str, str]] = {cid: {} for cid in self.order}
        self.sure: dict[str, dict[str, bool]] = {cid: {} for cid in self.order}
        self.awards: dict[str, dict[str, str]] = {cid: {} for cid in self.order}

    # --- values --------------------------------------------------------------------------------
    def carrier(self, cid: str, scope: str) -> dict[str, Any] | None:
        c = self.cands[cid]
        if scope == "unit":
            return self.cands.get(c.get("unit_id") or "")
        return c

    def value(self, cid: str, fact: str, scope: str) -> float | None:
        who = self.carrier(cid, scope)
        if who is None:
            return None
        raw = who.get("facts", {}).get(fact)
        return self.encode(fact, raw)

    def encode(self, fact: str, raw: Any) -> float | None:
        if raw is None:
            return None
        f = self.facts[fact]
        vtype = f.value_type
        if vtype == "boolean":
            return 1.0 if raw else 0.0
        if vtype == "ordinal":
            assert f.scale is not None
            return float(self.campaign.scale(f.scale).levels.index(raw))
        if vtype == "date":
            return _day(raw)
        return float(raw)

    def constant(self, fact: str | None, value: Any, param: str | None) -> float:
        raw = value if value is not None else self.params[param or ""]
        if fact is not None:
            f = self.facts[fact]
            if f.value_type == "ordinal":
                assert f.scale is not None
                return float(self.campaign.scale(f.scale).levels.index(raw))
            if f.value_type == "date":
                return _day(raw)
        if isinstance(raw, bool):
            return 1.0 if raw else 0.0
        return float(raw)

    # --- arithmetic ----------------------------------------------------------------------------
    def expr(self, cid: str, e: ct.Expr) -> tuple[float | None, bool]:
        """(value or None when unknown/undefined, is a date)."""
        if isinstance(e, ct.FactOperand):
            return self.value(cid, e.fact, e.of), self.facts[e.fact].type == "date"
        if isinstance(e, ct.ParamOperand):
            p = self.campaign.parameter(e.param)
            raw = self.params[e.param]
            return (_day(raw), True) if p.type == "date" else (float(raw), False)
        if isinstance(e, ct.ConstOperand):
            if isinstance(e.value, str):
                return _day(e.value), True
            return float(e.value), False
        kids = [self.expr(cid, k)[0] for k in ct.expr_children(e)]
        if any(k is None for k in kids):
            return None, False
        vals = [float(k) for k in kids if k is not None]
        if isinstance(e, ct.SumExpr):
            out = sum(vals[1:], vals[0])
        elif isinstance(e, ct.ProductExpr):
            out = vals[0]
            for v in vals[1:]:
                out = out * v
        elif isinstance(e, ct.DifferenceExpr):
            out = vals[0] - vals[1]
        elif isinstance(e, ct.DaysBetween):
            out = vals[1] - vals[0]
        elif isinstance(e, ct.MonthsBetween):
            out = _months(vals[0], vals[1])
        else:
            assert isinstance(e, ct.RatioExpr)
            if vals[1] == 0.0:
                return None, False
            out = vals[0] / vals[1]
        out = round(out, DECIMALS)
        return (out if math.isfinite(out) else None), False

    def zero_conditions(
        self, cid: str, node: ct.Node, in_members: bool = False
    ) -> list[str | None]:
        """For each ratio saying 'not applicable' on zero: T (denominator ≠ 0), F, or U."""
        out: list[str | None] = []
        for n in ct.walk(node):
            if isinstance(n, ct.MembersNode):
                continue  # a member test's ratios say unknown (checked at load)
            if isinstance(n, ct.Computed):
                for e in ct.expressions(n.compute):
                    if isinstance(e, ct.RatioExpr):
                        zero = e.if_zero
                        if e.if_zero_param is not None:
                            zero = "not_applicable" if self.params[e.if_zero_param] else "unknown"
                        if zero == "not_applicable":
                            den, _ = self.expr(cid, e.ratio[1])
                            out.append(U if den is None else (F if den == 0.0 else T))
        return out

    # --- nodes ---------------------------------------------------------------------------------
    def node(self, cid: str, n: ct.Node) -> str | None:
        if isinstance(n, ct.AllNode | ct.AnyNode):
            vals = [self.node(cid, k) for k in (n.all if isinstance(n, ct.AllNode) else n.any)]
            if isinstance(n, ct.AllNode):
                return F if F in vals else (U if U in vals else T)
            return T if T in vals else (U if U in vals else F)
        if isinstance(n, ct.NotNode):
            v = self.node(cid, n.not_)
            return {T: F, F: T, U: U}[v]
        if isinstance(n, ct.AtLeastNode):
            vals = [self.node(cid, k) for k in n.of]
            met = vals.count(T)
            possible = met + vals.count(U)
            return T if met >= n.at_least else (F if possible < n.at_least else U)
        if isinstance(n, ct.Comparison):
            a = self.value(cid, n.fact, n.of)
            if n.to_fact is not None:
                b = self.value(cid, n.to_fact, n.of)
                if a is None or b is None:
                    return U
                margin = n.margin if n.margin is not None else 0.0
                if n.margin_param is not None:
                    margin = float(self.params[n.margin_param])
                return T if _op(n.op, round(a - b, DECIMALS), margin) else F
            if a is None:
                return U
            return T if _op(n.op, a, self.constant(n.fact, n.value, n.param)) else F
        if isinstance(n, ct.Computed):
            v, is_date = self.expr(cid, n.compute)
            if v is None:
                return U
            raw = n.value if n.value is not None else self.params[n.param or ""]
            c = _day(raw) if is_date else float(raw)
            return T if _op(n.op, v, c) else F
        if isinstance(n, ct.AttributeTest):
            c = self.cands[cid]
            if n.attribute == "kind":
                value = c["kind"]
            elif n.attribute == "unit_type" and c["kind"] == "collective":
                value = c.get("unit_type")
            else:
                unit = self.carrier(cid, "unit")
                value = unit.get("unit_type") if unit is not None else None
            return T if value in n.in_ else F
        if isinstance(n, ct.AwardRef):
            who = cid if n.of == "self" else self.cands[cid].get("unit_id")
            state = self.awards.get(who or "", {}).get(n.award)
            return {"eligible": T, "ineligible": F, "undetermined": U}.get(state or "", U)
        if isinstance(n, ct.CriterionRef):
            who = cid if n.of == "self" else self.cands[cid].get("unit_id")
            v = self.verdicts.get(who or "", {}).get(n.criterion)
            if v == "met" and not self.sure.get(who or "", {}).get(n.criterion):
                return U  # met only while its guard is undecided: may still be not applicable
            return {"met": T, "not_met": F, "not_applicable": F}.get(v or "", U)
        if isinstance(n, ct.MembersNode):
            return self.members(cid, n)
        if isinstance(n, ct.SeriesNode):
            vals = []
            for year in self.window(n):
                raw_carrier = self.carrier(cid, n.of)
                series = (raw_carrier or {}).get("facts", {}).get(n.series) or {}
                v = self.encode(n.series, series.get(str(year)))
                if v is None:
                    vals.append(U)
                else:
                    vals.append(T if _op(n.op, v, self.constant(n.series, n.value, n.param)) else F)
            return F if F in vals else (U if U in vals else T)
        if isinstance(n, ct.ParameterTest):
            p = self.campaign.parameter(n.parameter)
            now, wanted = self.params[n.parameter], n.value
            if p.type == "date":
                now, wanted = _day(now), _day(wanted)
            elif p.type in ("integer", "number"):
                now, wanted = float(now), float(wanted)
            return T if _op(n.op, now, wanted) else F
        assert isinstance(n, ct.DistinctCountNode)
        carrier = self.carrier(cid, n.of) or {}
        series = carrier.get("facts", {}).get(n.count_distinct) or {}
        used_series = carrier.get("facts", {}).get(n.excluding or "") or {}
        seen: set[str] = set()
        used: set[str] = set()
        complete = True
        used_known = True
        for year in self.window(n):
            ids = series.get(str(year))
            if ids is None:
                complete = False
            else:
                seen |= set(ids)
            if n.excluding is not None:
                gone = used_series.get(str(year))
                if gone is None:
                    used_known = False
                else:
                    used |= set(gone)
        counted = float(len(seen - used))
        lo = counted if used_known else 0.0
        hi = counted if complete else math.inf
        return self.interval(
            lo, hi, n.op, float(n.value if n.value is not None else self.params[n.param or ""])
        )

    def window(self, n: ct.SeriesNode | ct.DistinctCountNode) -> list[int]:
        if n.years is not None:
            return sorted(n.years)
        end = n.up_to if n.up_to is not None else int(self.params[n.up_to_param or ""])
        assert n.consecutive is not None
        return list(range(end - n.consecutive + 1, end + 1))

    @staticmethod
    def interval(lo: float, hi: float, op: str, c: float) -> str | None:
        """Every value in [lo, hi] passes: met; none does: not met; else unknown."""
        if op == "==":
            return T if lo == hi == c else (F if c < lo or c > hi else U)
        if op == "!=":
            return F if lo == hi == c else (T if c < lo or c > hi else U)
        ends = (
            [_op(op, lo, c), _op(op, hi, c)]
            if math.isfinite(hi)
            else [_op(op, lo, c), op in (">=", ">")]
        )
        return T if all(ends) else (F if not any(ends) else U)

    def members(self, cid: str, n: ct.MembersNode) -> str | None:
        members = [m for m in self.order if self.cands[m].get("unit_id") == cid]
        if not members:
            return {"not_met": F}.get(n.if_no_members, U)
        vals = [self.node(m, n.members) for m in members]
        met, unknown = vals.count(T), vals.count(U)
        if n.measure == "count":
            lo, hi = float(met), float(met + unknown)
        else:
            lo = round(100.0 * met / len(members), DECIMALS)
            hi = round(100.0 * (met + unknown) / len(members), DECIMALS)
        c = float(n.value if n.value is not None else self.params[n.param or ""])
        return self.interval(lo, hi, n.op, c)

    # --- criteria and awards -------------------------------------------------------------------
    def criterion(self, cid: str, c: Criterion) -> tuple[str, bool]:
        """(verdict, surely met)."""
        guards: list[str | None] = []
        if c.applies_if is not None:
            guards.append(self.node(cid, c.applies_if))
        for tree in [c.rule] + ([c.applies_if] if c.applies_if is not None else []):
            guards += self.zero_conditions(cid, tree)
        members_na = [
            n
            for n in ct.walk(c.rule)
            if isinstance(n, ct.MembersNode) and n.if_no_members == "not_applicable"
        ]
        if members_na:
            has = any(self.cands[m].get("unit_id") == cid for m in self.order)
            guards.append(T if has else F)
        g = F if F in guards else (U if U in guards else T)
        r = self.node(cid, c.rule)
        if g == F:
            return "not_applicable", False
        if r == T:
            return "met", g == T
        if g == T and r == F:
            return "not_met", False
        return "unknown", False

    def run(self) -> None:
        done_c: set[str] = set()
        done_a: set[str] = set()
        criteria = list(self.campaign.criteria)
        awards = list(self.campaign.awards)
        while len(done_c) < len(criteria) or len(done_a) < len(awards):
            progressed = False
            for c in criteria:
                if c.id in done_c:
                    continue
                refs = [
                    r for t in [c.rule, c.applies_if] if t is not None for r in ct.references(t)
                ]
                ready = all(
                    (r.award in done_a) if isinstance(r, ct.AwardRef) else (r.criterion in done_c)
                    for r in refs
                )
                if not ready:
                    continue
                for cid in self.order:
                    if self.cands[cid]["kind"] == c.kind:
                        v, sure = self.criterion(cid, c)
                        self.verdicts[cid][c.id] = v
                        self.sure[cid][c.id] = sure
                done_c.add(c.id)
                progressed = True
            for a in awards:
                if a.id in done_a or not all(r in done_c for r in a.requires):
                    continue
                for cid in self.order:
                    if self.cands[cid]["kind"] != a.kind:
                        continue
                    vs = [self.verdicts[cid][r] for r in dict.fromkeys(a.requires)]
                    sure = any(self.sure[cid][r] for r in a.requires)
                    if "not_met" in vs:
                        out = "ineligible"
                    elif "unknown" in vs:
                        out = "undetermined"
                    elif sure:
                        out = "eligible"
                    elif "met" in vs:
                        out = "undetermined"
                    else:
                        out = "ineligible"
                    self.awards[cid][a.id] = out
                done_a.add(a.id)
                progressed = True
            if not progressed:
                raise RuntimeError("oracle: the plan's references form a cycle")
