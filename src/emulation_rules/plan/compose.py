"""Composing national rules into a plan that builds on them (``builds_on``).

A provincial award may require a national title or condition: Bình Định's Bằng khen for an
individual also needs the Law's Bằng khen conditions of the year assessed. The plan says so as
data — ``builds_on: [{id: luat_2024, plugin: vn_law, year: 2024, awards: [bang_khen_ca_nhan]}]``
and a criterion ``{award: luat_2024__bang_khen_ca_nhan}`` — and :func:`compose` brings the named
awards of the national campaign in, with everything they read:

* the awards and criteria they reach (requirements, awards and criteria read, awards allocated
  before them, the award a share is taken of), renamed ``<id>__<award>`` and
  ``<id>.<criterion>``; an award without a ``span`` of its own keeps the national campaign's
  period (the year it recognises), not the plan's;
* the parameters they name, renamed ``<id>__<parameter>`` (a what-if run overrides them under
  that name); the sources they cite, renamed ``<plugin>.<key>``;
* the facts, scales, candidate attributes and local forms they read, under their own ids: the
  input gives a national fact once, whichever plan reads it. A plan (or a second national
  campaign) declaring the same id must declare it alike — except a yearly series, whose years
  are joined (2021–2023 and 2022–2024 give 2021–2024), and a scale's citation (the same levels
  cited from the 2003 and the 2022 Law: the plan's own, else the first entry's, stays).

Which campaign: the registry gives, for each entry, the campaign of ``plugin`` whose period
covers the whole ``year`` — so the law's regime (A to 31/12/2023, B from 1/1/2024) follows the
plan's dates. The composed campaign is validated whole, like any plan; every problem is reported
at once, naming the plan and the entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from emulation_rules.errors import PlanError
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.campaign import BUILTIN_ATTRIBUTES, Award, BuildsOn, Campaign, Criterion
from emulation_rules.plan.problems import CrossReferenceError

#: keys of a criteria tree (and of its arithmetic) whose value names a parameter
_PARAM_KEYS = ("param", "up_to_param", "margin_param", "if_zero_param", "parameter")


def covers_year(campaign: Campaign, year: int) -> bool:
    """Whether the campaign's period covers the whole ``year``."""
    return campaign.period.start <= dt.date(year, 1, 1) and campaign.period.end >= dt.date(
        year, 12, 31
    )


class _Closure:
    """Everything the named awards of a national campaign read, in the campaign's order."""

    def __init__(self, base: Campaign, awards: tuple[str, ...]) -> None:
        self.base = base
        self.awards: set[str] = set()
        self.criteria: set[str] = set()
        self.params: set[str] = set()
        self.facts: set[str] = set()
        self.attributes: set[str] = set()
        self.forms: set[str] = set()
        todo_awards = list(awards)
        todo_criteria: list[str] = []
        by_award = {a.id: a for a in base.awards}
        by_criterion = {c.id: c for c in base.criteria}
        while todo_awards or todo_criteria:
            if todo_awards:
                aid = todo_awards.pop()
                if aid in self.awards:
                    continue
                self.awards.add(aid)
                a = by_award[aid]
                todo_criteria += list(a.requires)
                todo_awards += list(a.depends_on())
                self._award_reads(a)
                continue
            cid = todo_criteria.pop()
            if cid in self.criteria:
                continue
            self.criteria.add(cid)
            c = by_criterion[cid]
            for tree in _trees(c):
                for ref in ct.references(tree):
                    if isinstance(ref, ct.AwardRef):
                        todo_awards.append(ref.award)
                    else:
                        todo_criteria.append(ref.criterion)
                self.params |= set(ct.params_used(tree))
                self.facts |= {r.fact for r in ct.fact_reads(tree, c.kind)}
        scales = {base.fact(f).scale for f in self.facts if base.fact(f).scale}
        scales |= {base.parameter(p).scale for p in self.params if base.parameter(p).scale}
        self.scales: set[str] = {s for s in scales if s is not None}

    def _award_reads(self, a: Award) -> None:
        names = [a.quota_param, a.partial_span_param]
        if a.quota_share is not None:
            share = a.quota_share
            names += [share.percent_param, share.rounding_param, share.applies_param]
        if a.cap is not None:
            names.append(a.cap.count_param)
            self.attributes.add(a.cap.by)
        self.params |= {n for n in names if n is not None}
        self.attributes |= set(a.group_by())
        self.attributes -= set(BUILTIN_ATTRIBUTES)
        if a.ranking is not None:
            self.facts |= {k.fact for k in a.ranking.keys}
        if a.form not in {f.id for f in self.base.forms}:
            return
        self.forms.add(a.form)


def _trees(c: Criterion) -> list[ct.Node]:
    return [c.rule] + ([c.applies_if] if c.applies_if is not None else [])


class _Renamer:
    """The new names of one ``builds_on`` entry's awards, criteria, parameters and sources."""

    def __init__(self, entry: BuildsOn) -> None:
        self.entry = entry

    def award(self, name: str) -> str:
        return f"{self.entry.id}__{name}"

    def criterion(self, name: str) -> str:
        return f"{self.entry.id}.{name}"

    def param(self, name: str) -> str:
        return f"{self.entry.id}__{name}"

    def source(self, key: str) -> str:
        return f"{self.entry.plugin}.{key}"

    def citation(self, cite: Mapping[str, Any]) -> dict[str, Any]:
        return {**cite, "source": self.source(cite["source"])}

    def tree(self, node: Any) -> Any:
        """A dumped criteria tree with its award, criterion and parameter names renamed."""
        if isinstance(node, list | tuple):  # a dumped model holds its children in tuples
            return [self.tree(n) for n in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "award" and isinstance(value, str):
                out[key] = self.award(value)
            elif key == "criterion" and isinstance(value, str):
                out[key] = self.criterion(value)
            elif key in _PARAM_KEYS and isinstance(value, str):
                out[key] = self.param(value)
            else:
                out[key] = self.tree(value)
        return out


def _dump(model: Any) -> dict[str, Any]:
    data = model.model_dump(mode="python", by_alias=True)
    assert isinstance(data, dict)
    return data


def _criterion(c: Criterion, r: _Renamer) -> dict[str, Any]:
    data = _dump(c)
    data["id"] = r.criterion(c.id)
    data["rule"] = r.tree(data["rule"])
    if data.get("applies_if") is not None:
        data["applies_if"] = r.tree(data["applies_if"])
    data["citation"] = r.citation(data["citation"])
    return data


def _award(a: Award, r: _Renamer, base: Campaign) -> dict[str, Any]:
    data = _dump(a)
    data["id"] = r.award(a.id)
    data["requires"] = [r.criterion(c) for c in a.requires]
    data["after"] = [r.award(b) for b in a.after]
    data["citation"] = r.citation(data["citation"])
    for key in ("quota_param", "partial_span_param"):
        if data.get(key) is not None:
            data[key] = r.param(data[key])
    share = data.get("quota_share")
    if share is not None:
        for key in ("percent_param", "rounding_param", "applies_param"):
            if share.get(key) is not None:
                share[key] = r.param(share[key])
        if share.get("award") is not None:
            share["award"] = r.award(share["award"])
        share["citation"] = r.citation(share["citation"])
    if data.get("cap") is not None:
        data["cap"]["count_param"] = r.param(data["cap"]["count_param"])
        data["cap"]["citation"] = r.citation(data["cap"]["citation"])
    for key in ("ranking", "groups"):
        if data.get(key) is not None:
            data[key]["citation"] = r.citation(data[key]["citation"])
    if data.get("span") is None:  # the year the national award recognises, not the plan's
        data["span"] = {"start": base.period.start, "end": base.period.end}
    return data


def _merge(
    into: dict[str, dict[str, Any]], item: dict[str, Any], what: str, origin: str
) -> str | None:
    """Add ``item`` under its id, or check it equals the one there (a series' years joined);
    the problem if they differ."""
    key = item["id"]
    have = into.get(key)
    if have is None:
        into[key] = item
        return None
    if have == item:
        return None
    if what == "scale" and {k: v for k, v in have.items() if k != "citation"} == {
        k: v for k, v in item.items() if k != "citation"
    }:
        return None  # the same levels, cited from another instrument: the first citation stays
    if what == "fact" and have.get("type") == "series" == item.get("type"):
        rest = ("first_year", "last_year")
        if {k: v for k, v in have.items() if k not in rest} == {
            k: v for k, v in item.items() if k not in rest
        }:
            have["first_year"] = min(have["first_year"], item["first_year"])
            have["last_year"] = max(have["last_year"], item["last_year"])
            return None
    differ = sorted(k for k in set(have) | set(item) if have.get(k) != item.get(k))
    return (
        f"{what} '{key}' of {origin} is declared differently here ({', '.join(differ)} "
        "differ): declare it as the national rules do, or not at all"
    )


def compose(campaign: Campaign, bases: Mapping[str, Campaign]) -> Campaign:
    """``campaign`` with the national rules of each ``builds_on`` entry brought in from
    ``bases`` (entry id -> the national campaign chosen for it). Raises :class:`PlanError`
    with every problem, naming the plan and the entry."""
    if not campaign.builds_on:
        return campaign
    data = _dump(campaign)
    problems: list[str] = []
    sources: dict[str, Any] = dict(data["sources"])
    groups: dict[str, dict[str, dict[str, Any]]] = {
        name: {item["id"]: item for item in data[name]}
        for name in ("scales", "facts", "candidate_attributes", "forms")
    }
    criteria = list(data["criteria"])
    awards = list(data["awards"])
    parameters = list(data["parameters"])
    entries = []
    for b in campaign.builds_on:
        base = bases.get(b.id)
        origin = f"builds_on '{b.id}'"
        if base is None:
            problems.append(f"{origin}: no campaign of plugin '{b.plugin}' was given for it")
            entries.append(_dump(b))
            continue
        origin = f"{base.id} ({origin})"
        missing = [a for a in b.awards if a not in {x.id for x in base.awards}]
        if missing:
            known = ", ".join(a.id for a in base.awards)
            problems.append(
                f"builds_on '{b.id}': {base.id} has no award {', '.join(repr(m) for m in missing)}"
                f" (its awards: {known})"
            )
            entries.append(_dump(b))
            continue
        if base.builds_on:
            problems.append(
                f"builds_on '{b.id}': {base.id} builds on other rules itself; compose one level"
            )
            entries.append(_dump(b))
            continue
        closure = _Closure(base, b.awards)
        r = _Renamer(b)
        used_sources: set[str] = set()
        for c in base.criteria:
            if c.id in closure.criteria:
                criteria.append(_criterion(c, r))
                used_sources.add(c.citation.source)
        for a in base.awards:
            if a.id in closure.awards:
                awards.append(_award(a, r, base))
                used_sources |= {
                    part.citation.source
                    for part in (a, a.ranking, a.quota_share, a.cap, a.groups)
                    if part is not None
                }
        for p in base.parameters:
            if p.id in closure.params:
                item = _dump(p)
                item["id"] = r.param(p.id)
                item["citation"] = r.citation(item["citation"])
                parameters.append(item)
                used_sources.add(p.citation.source)
        for name, ids, models in (
            ("scales", closure.scales, base.scales),
            ("facts", closure.facts, base.facts),
            ("candidate_attributes", closure.attributes, base.candidate_attributes),
            ("forms", closure.forms, base.forms),
        ):
            for model in models:
                if model.id not in ids:
                    continue
                item = _dump(model)
                if "citation" in item:
                    item["citation"] = r.citation(item["citation"])
                    used_sources.add(model.citation.source)  # type: ignore[union-attr]
                what = name.rstrip("s").replace("candidate_attribute", "attribute")
                problem = _merge(groups[name], item, what, origin)
                if problem is not None:
                    problems.append(problem)
        for key in sorted(used_sources):
            new_key = r.source(key)
            src = _dump(base.sources[key])
            if new_key in sources and _dump_source(sources[new_key]) != src:
                problems.append(
                    f"source '{new_key}' of {origin} is declared differently by another entry "
                    "or by the plan"
                )
            sources[new_key] = src
        entries.append({**_dump(b), "campaign": base.id})
    if problems:
        raise PlanError(_message(campaign, problems))
    data.update(
        sources=sources,
        criteria=criteria,
        awards=awards,
        parameters=parameters,
        builds_on=entries,
        **{name: list(items.values()) for name, items in groups.items()},
    )
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        lines: list[str] = []
        for err in exc.errors():
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, CrossReferenceError):
                lines += cause.problems
                continue
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"{where}: {err['msg']}" if where else str(err["msg"]))
        raise PlanError(_message(campaign, lines)) from None


def _dump_source(src: Any) -> Any:
    return _dump(src) if hasattr(src, "model_dump") else src


def _message(campaign: Campaign, problems: list[str]) -> str:
    head = f"campaign '{campaign.id}': the national rules it builds on do not compose in"
    return head + ":\n" + "\n".join(f"  {p}" for p in dict.fromkeys(problems))
