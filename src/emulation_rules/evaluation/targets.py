"""Targets (chỉ tiêu): a plan's aims measured against what was achieved, per plan year.

The input document gives the jurisdiction's measures per year::

    {"as_of": "2022-04-30",
     "years": {"2020": {"pci_rank": 30},
               "2021": {"pci_rank": 25, "vbqppl_issued": 48, "vbqppl_compliant": 48}}}

Each target gets, for every plan year up to ``as_of``, a verdict with the same three-valued
logic as criteria: ``met``, ``not_met``, ``unknown`` (a figure is missing — last year's rank
for a rank target included) or ``not_applicable`` (a ratio whose denominator is 0: nothing was
there to measure). A year after ``as_of`` is not reported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import attrs
from pydantic import ConfigDict, Field, ValidationError, create_model

from emulation_rules.errors import EvaluationError, InputError
from emulation_rules.plan.campaign import Campaign, Measure, Target
from emulation_rules.plan.citing import citation_dict
from emulation_rules.plan.digest import rules_fingerprint

_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "==": lambda a, b: a == b,
}


@attrs.frozen
class TargetYear:
    target: str
    label: str
    year: int
    verdict: str
    observed: Mapping[str, Any]
    attained: float | None
    required: str
    citation: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "label": self.label,
            "year": self.year,
            "verdict": self.verdict,
            "observed": dict(self.observed),
            "attained": self.attained,
            "required": self.required,
            "citation": dict(self.citation),
        }


@attrs.frozen
class TargetReport:
    campaign: str
    as_of: dt.date
    fingerprint: str
    rows: tuple[TargetYear, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "as_of": self.as_of.isoformat(),
            "fingerprint": self.fingerprint,
            "targets": [r.to_dict() for r in self.rows],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _measure_model(measures: tuple[Measure, ...]) -> Any:
    fields: dict[str, Any] = {}
    for m in measures:
        kind = int if m.type == "integer" else float
        fields[m.id] = (kind | None, Field(None, ge=m.minimum, le=m.maximum, title=m.label))
    return create_model("Measures", __config__=ConfigDict(extra="forbid", strict=True), **fields)


def parse_measures(
    campaign: Campaign, document: Mapping[str, Any], *, origin: str = "input"
) -> tuple[dt.date | None, dict[int, dict[str, float]]]:
    """Validate a measures document; returns (its as_of, year -> measure values)."""
    if not isinstance(document, Mapping) or "years" not in document:
        raise InputError(f"{origin}: a targets document is a JSON object with 'years'")
    extra = set(document) - {"as_of", "years"}
    if extra:
        raise InputError(f"{origin}: unknown key(s) {', '.join(sorted(extra))}")
    as_of = None
    if document.get("as_of") is not None:
        try:
            as_of = dt.date.fromisoformat(str(document["as_of"]))
        except ValueError:
            raise InputError(f"{origin}: field 'as_of': not a date (YYYY-MM-DD)") from None
    years = document["years"]
    if not isinstance(years, Mapping) or not years:
        raise InputError(f"{origin}: field 'years': a non-empty object keyed by year")
    model = _measure_model(campaign.measures)
    out: dict[int, dict[str, float]] = {}
    for key, values in years.items():
        if not str(key).isdigit() or len(str(key)) != 4:
            raise InputError(f"{origin}: years[{key!r}]: a year is four digits")
        if not isinstance(values, Mapping):
            raise InputError(f"{origin}: years[{key!r}]: an object of measures")
        try:
            parsed = model.model_validate(dict(values)).model_dump(exclude_none=True)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"])
            why = (
                f"'{name}' is not a measure of {campaign.id}"
                if err["type"] == "extra_forbidden"
                else f"{err['msg']} (got {err.get('input')!r})"
            )
            raise InputError(f"{origin}: years[{key!r}]: measure '{name}': {why}") from None
        out[int(key)] = dict(parsed)
    return as_of, out


def evaluate_targets(
    campaign: Campaign,
    document: Mapping[str, Any],
    *,
    as_of: dt.date | None = None,
    origin: str = "input",
) -> TargetReport:
    """Attainment of every target of ``campaign`` for every plan year up to ``as_of``."""
    if not campaign.targets:
        raise EvaluationError(f"{campaign.id} states no targets")
    doc_as_of, years = parse_measures(campaign, document, origin=origin)
    day = as_of or doc_as_of or campaign.period.end
    if day < campaign.period.start:
        raise EvaluationError(
            f"as_of {day.isoformat()} is before {campaign.id} starts "
            f"({campaign.period.start.isoformat()})"
        )
    plan_years = range(campaign.period.start.year, min(campaign.period.end.year, day.year) + 1)
    rows = [_attainment(campaign, t, year, years) for t in campaign.targets for year in plan_years]
    fingerprint = rules_fingerprint(campaign, {}, {"emulation-rules": _version()})
    return TargetReport(campaign.id, day, fingerprint, tuple(rows))


def _version() -> str:
    from emulation_rules.evaluation.evaluate import library_version

    return library_version()


def _attainment(
    campaign: Campaign, t: Target, year: int, years: Mapping[int, Mapping[str, float]]
) -> TargetYear:
    now = years.get(year, {})
    cite = citation_dict(campaign, t.citation)
    if t.kind == "ratio":
        assert t.numerator and t.denominator and t.target is not None
        num, den = now.get(t.numerator), now.get(t.denominator)
        observed = {t.numerator: num, t.denominator: den}
        required = f"{t.numerator} / {t.denominator} ≥ {_num(t.target)} %"
        if num is None or den is None:
            return TargetYear(t.id, t.label, year, "unknown", observed, None, required, cite)
        if den == 0:
            return TargetYear(t.id, t.label, year, "not_applicable", observed, None, required, cite)
        share = round(100.0 * num / den, 6)
        verdict = "met" if share >= t.target else "not_met"
        return TargetYear(t.id, t.label, year, verdict, observed, share, required, cite)
    if t.kind == "rank":
        assert t.rank and t.direction
        rank, before = now.get(t.rank), years.get(year - 1, {}).get(t.rank)
        observed = {f"{t.rank} ({year})": rank, f"{t.rank} ({year - 1})": before}
        op = "<=" if t.direction == "keep_or_improve" else "<"
        required = f"rank {year} {'≤' if op == '<=' else '<'} rank {year - 1} ({t.direction})"
        if rank is None or before is None:
            return TargetYear(t.id, t.label, year, "unknown", observed, None, required, cite)
        verdict = "met" if _OPS[op](rank, before) else "not_met"
        return TargetYear(t.id, t.label, year, verdict, observed, rank, required, cite)
    assert t.value and t.target is not None
    value = now.get(t.value)
    observed = {t.value: value}
    required = f"{t.value} {t.op} {_num(t.target)}"
    if value is None:
        return TargetYear(t.id, t.label, year, "unknown", observed, None, required, cite)
    verdict = "met" if _OPS[t.op](value, t.target) else "not_met"
    return TargetYear(t.id, t.label, year, verdict, observed, value, required, cite)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
