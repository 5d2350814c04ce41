"""The campaign model: a plan as validated, immutable, cited data.

A plugin writes its campaign as YAML; :func:`emulation_rules.plan.loader.load_campaign` turns it
into a :class:`Campaign`. Every criterion, award, quota, parameter, scale and period carries a
:class:`Citation` to a legal document of :attr:`Campaign.sources`; a value the plan does not state
is a :class:`Parameter` whose citation has ``interpretation: true`` and a note saying why.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self, TypeVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from emulation_rules.limits import Limits, current_limits
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.citations import (
    DOTTED_ID_PATTERN,
    ID_PATTERN,
    Citation,
    ContentArea,
    Frozen,
    Jurisdiction,
    Participant,
    Period,
    Source,
)
from emulation_rules.plan.criteria import Node
from emulation_rules.plan.facts import (
    ROUNDING_RULES,
    Fact,
    FactType,
    Kind,
    Parameter,
    ParamType,
    ParamValue,
    Scale,
    iso_date,
    value_fits,
)
from emulation_rules.plan.forms import CATALOGUE, FormOfAward, LocalForm
from emulation_rules.plan.problems import CrossReferenceError
from emulation_rules.plan.references import cycle_text, cycles, dependency_graph
from emulation_rules.plan.scoreboard import Scoreboard, ScoreItem, scoreboard_problems
from emulation_rules.plan.targets import Measure, Target

__all__ = [
    "BUILTIN_ATTRIBUTES",
    "DOTTED_ID_PATTERN",
    "ID_PATTERN",
    "ROUNDING_RULES",
    "Award",
    "BuildsOn",
    "Campaign",
    "CandidateAttribute",
    "Citation",
    "ContentArea",
    "Criterion",
    "Fact",
    "FactType",
    "GroupCap",
    "Grouping",
    "Jurisdiction",
    "Kind",
    "Measure",
    "ParamType",
    "ParamValue",
    "Parameter",
    "Participant",
    "Period",
    "RankKey",
    "Ranking",
    "Scale",
    "ScoreItem",
    "Scoreboard",
    "ShareQuota",
    "Source",
    "Target",
    "criterion_problems",
    "deep_criteria_locations",
    "deep_criteria_problems",
    "depth_problem",
    "value_fits",
]


class Criterion(Frozen):
    """One criterion (tiêu chí) of the plan: a rule for one kind of candidate, cited."""

    id: str = Field(pattern=DOTTED_ID_PATTERN)
    label: str
    kind: Kind
    applies_if: Node | None = Field(
        None, description="guard: where it does not hold the verdict is not_applicable"
    )
    rule: Node
    citation: Citation

    @field_validator("rule", "applies_if", mode="before")
    @classmethod
    def _not_too_deep(cls, raw: object, info: ValidationInfo) -> object:
        """Refuse a tree nested beyond ``Limits.max_criteria_depth`` before validating it."""
        limits = (info.context or {}).get("limits") if isinstance(info.context, dict) else None
        problem = depth_problem(
            str(info.data.get("id", "?")), str(info.field_name), raw, limits or current_limits()
        )
        if problem is not None:
            raise ValueError(problem)
        return raw


def depth_problem(criterion: str, field: str, raw: object, limits: Limits) -> str | None:
    """Why a raw criteria tree is too deep to accept (None when it is not), naming the criterion
    and the limit. Measured without recursion (:func:`criteria.tree_depth`)."""
    problem = _depth_text(field, raw, limits)
    return None if problem is None else f"criterion '{criterion}': {problem}"


def _depth_text(field: str, raw: object, limits: Limits) -> str | None:
    depth = ct.tree_depth(raw)
    if depth <= limits.max_criteria_depth:
        return None
    return (
        f"its {field} is nested {depth} levels deep, beyond the limit "
        f"max_criteria_depth = {limits.max_criteria_depth} (raise it with "
        f"EMULATION_RULES_LIMITS=max_criteria_depth=N if the plan really needs it)"
    )


def deep_criteria_locations(
    raw: object, limits: Limits | None = None
) -> list[tuple[tuple[int | str, ...], str]]:
    """Every criterion of a raw campaign mapping nested too deeply, as (key path of the tree,
    problem), found without recursion: the loader calls it before anything walks the document
    recursively, and places each problem at its criterion."""
    out: list[tuple[tuple[int | str, ...], str]] = []
    criteria = raw.get("criteria") if isinstance(raw, dict) else None
    if not isinstance(criteria, list):
        return out
    lim = limits or current_limits()
    for i, c in enumerate(criteria):
        if not isinstance(c, dict):
            continue
        for field in ("rule", "applies_if"):
            problem = _depth_text(field, c.get(field), lim)
            if problem is not None:
                out.append((("criteria", i, field), problem))
    return out


def deep_criteria_problems(raw: object, limits: Limits | None = None) -> list[str]:
    """:func:`deep_criteria_locations` as messages naming each criterion."""
    criteria = raw.get("criteria") if isinstance(raw, dict) else None
    out: list[str] = []
    for loc, problem in deep_criteria_locations(raw, limits):
        assert isinstance(criteria, list)
        c = criteria[int(loc[1])]
        cid = c.get("id") if isinstance(c.get("id"), str) else f"criteria[{loc[1]}]"
        out.append(f"criterion '{cid}': {problem}")
    return out


class RankKey(Frozen):
    fact: str
    order: Literal["desc", "asc"] = "desc"


class Ranking(Frozen):
    """How the eligible are ordered for a quota; ties at the cut-off are reported, never broken."""

    keys: tuple[RankKey, ...] = Field(min_length=1)
    citation: Citation


#: attributes every candidate has, usable in ``groups.by`` and ``cap.by``: its unit type (an
#: individual's is its unit's) and its unit (an individual's ``unit_id``; a collective is its own)
BUILTIN_ATTRIBUTES = ("unit_type", "unit_id")


class CandidateAttribute(Frozen):
    """A label a candidate gives besides its facts, to group it: an emulation cluster or block
    (cụm, khối thi đua). Not a fact: it is never unknown. A candidate of the listed kinds and
    unit types must give it (the input is refused otherwise); no other candidate may."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    kinds: tuple[Kind, ...] = Field(min_length=1, description="who gives it")
    unit_types: tuple[str, ...] = Field(
        (), description="only candidates of these unit types give it; empty: every unit type"
    )
    values: tuple[str, ...] | None = Field(
        None, description="the values it may take; null: any non-empty text"
    )
    citation: Citation

    @model_validator(mode="after")
    def _not_builtin(self) -> Self:
        if self.id in (*BUILTIN_ATTRIBUTES, "id", "name", "kind"):
            raise ValueError(f"'{self.id}' is a field every candidate has, not an attribute")
        if self.values is not None and (
            not self.values or len(set(self.values)) != len(self.values)
        ):
            raise ValueError(f"attribute '{self.id}': 'values' is empty or repeats a value")
        return self

    def carried_by(self, kind: str, unit_type: str | None) -> bool:
        return kind in self.kinds and (not self.unit_types or unit_type in self.unit_types)


class ShareQuota(Frozen):
    """A quota written as a share of a count (``không quá 15% số …``), rounded by a rule.

    ``of``: ``eligible`` (the candidates eligible for this award, in the group), ``candidates``
    (every candidate of the award's kind in the group) or ``award`` (the recipients of another
    award of the same kind, in the group: ``award`` names it; it is allocated first).
    """

    percent_param: str = Field(description="number parameter: the share, in percent (0 to 100)")
    of: Literal["eligible", "candidates", "award"]
    award: str | None = Field(None, description="with of: award, the award whose holders count")
    rounding_param: str = Field(description="a parameter of type 'rounding'")
    applies_param: str | None = Field(
        None,
        description="boolean parameter: false leaves the award without a quota (every "
        "eligible candidate is awarded); for a share a plan or province may set or not",
    )
    citation: Citation

    @model_validator(mode="after")
    def _award_iff_of_award(self) -> Self:
        if (self.of == "award") != (self.award is not None):
            raise ValueError("a share 'of: award' names its 'award'; only that one does")
        return self


class Grouping(Frozen):
    """Allocate the quota within each group of candidates sharing the values of ``by``."""

    by: tuple[str, ...] = Field(
        min_length=1, description="unit_type, unit_id or a declared candidate attribute"
    )
    citation: Citation


class GroupCap(Frozen):
    """At most ``count_param`` awardees sharing one value of ``by`` (``mỗi đơn vị không quá 02
    cá nhân``), within the award's quota."""

    by: str = Field(description="unit_type, unit_id or a declared candidate attribute")
    count_param: str = Field(description="integer parameter")
    citation: Citation


class Span(Frozen):
    """The days an award recognises (both included)."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"span ends ({self.end}) before it starts ({self.start})")
        return self


class Award(Frozen):
    """An award of the plan: a form of award (a title — danh hiệu thi đua — or a commendation —
    hình thức khen thưởng, see :mod:`emulation_rules.plan.forms`) for one kind of recipient."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    form: str = Field(
        pattern=ID_PATTERN,
        description="a form of the law's catalogue (plan.forms.CATALOGUE) or of the campaign's",
    )
    authority: str
    kind: Kind
    requires: tuple[str, ...] = Field(
        min_length=1, description="criteria ids, all required; not_applicable ones are neutral"
    )
    quota_param: str | None = Field(None, description="integer parameter; none = no quota")
    quota_share: ShareQuota | None = Field(None, description="a quota written as a share")
    per_group: Literal["unit_type"] | None = Field(
        None, description="apply the quota within each unit type (short for groups.by)"
    )
    groups: Grouping | None = Field(None, description="apply the quota within each group")
    cap: GroupCap | None = Field(None, description="at most N awardees per value of an attribute")
    after: tuple[str, ...] = Field(
        (), description="awards allocated first; their recipients are not ranked here again"
    )
    ranking: Ranking | None = None
    span: Span | None = Field(
        None,
        description="the time the award recognises (a yearly award: its year); default: the "
        "campaign's period. A candidate that did not exist during it is not applicable",
    )
    partial_span_param: str | None = Field(
        None,
        description="boolean parameter deciding a candidate that existed for part of the span "
        "only: true judges it on its facts, false makes the award not applicable to it",
    )
    citation: Citation

    @model_validator(mode="after")
    def _ranked_if_quota(self) -> Self:
        if self.quota_param is not None and self.quota_share is not None:
            raise ValueError(f"award '{self.id}': give 'quota_param' or 'quota_share', not both")
        if self.per_group is not None and self.groups is not None:
            raise ValueError(f"award '{self.id}': give 'per_group' or 'groups', not both")
        if self.ranking is None and (self.has_quota or self.cap is not None):
            what = "a quota" if self.has_quota else "a cap"
            raise ValueError(f"award '{self.id}' has {what}, so it needs a 'ranking'")
        return self

    @property
    def has_quota(self) -> bool:
        return self.quota_param is not None or self.quota_share is not None

    def group_by(self) -> tuple[str, ...]:
        """The attributes whose values split the candidates into groups (none: one group)."""
        if self.groups is not None:
            return self.groups.by
        return ("unit_type",) if self.per_group == "unit_type" else ()

    def depends_on(self) -> tuple[str, ...]:
        """Awards allocated before this one: ``after``, and the award a share is taken of."""
        extra = (self.quota_share.award,) if self.quota_share and self.quota_share.award else ()
        return tuple(dict.fromkeys((*self.after, *extra)))


class BuildsOn(Frozen):
    """National rules a plan builds on (a provincial Bằng khen that also needs the Law's
    conditions): awards of another plugin's campaign — the one whose period covers ``year``, so
    the law's regime follows the plan's dates — brought into this plan with every criterion,
    award, parameter, fact and scale they read. Their ids here: ``<id>__<award>``,
    ``<id>.<criterion>``, ``<id>__<parameter>``; facts and scales keep theirs (the plan and the
    national rules must then declare them alike). The registry composes them in when it loads
    (:func:`emulation_rules.plan.compose.compose`); a plugin that is not installed is an error
    naming it."""

    id: str = Field(pattern=ID_PATTERN, description="the prefix the imported elements take")
    plugin: str = Field(pattern=ID_PATTERN, description="the plugin that ships the rules")
    year: int = Field(ge=1900, le=2200, description="the year assessed, choosing the campaign")
    awards: tuple[str, ...] = Field(min_length=1, description="the awards this plan reads")
    citation: Citation
    campaign: str | None = Field(
        None, description="set when composed: the id of the campaign the rules came from"
    )

    def award_id(self, award: str) -> str:
        """The id an imported award takes in the plan."""
        return f"{self.id}__{award}"


class Campaign(Frozen):
    """A campaign (phong trào / chuyên đề thi đua) as a plan states it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
    title: str
    jurisdiction: Jurisdiction
    sources: dict[str, Source] = Field(min_length=1)
    legal_basis: tuple[str, ...] = Field(min_length=1, description="keys of sources")
    period: Period
    participants: tuple[Participant, ...] = ()
    candidate_attributes: tuple[CandidateAttribute, ...] = ()
    content_areas: tuple[ContentArea, ...] = ()
    scales: tuple[Scale, ...] = ()
    facts: tuple[Fact, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    awards: tuple[Award, ...] = ()
    measures: tuple[Measure, ...] = ()
    targets: tuple[Target, ...] = ()
    scoreboard: Scoreboard | None = None
    forms: tuple[LocalForm, ...] = Field(
        (), description="forms of award the plan declares beyond the law's catalogue"
    )
    builds_on: tuple[BuildsOn, ...] = Field(
        (), description="national rules brought in from another plugin's campaign"
    )

    def __repr__(self) -> str:
        return (
            f"<Campaign {self.id}: {self.period.start} – {self.period.end}, "
            f"{len(self.criteria)} criteria, {len(self.awards)} awards>"
        )

    __str__ = __repr__

    # --- lookups -------------------------------------------------------------------------
    def fact(self, fact_id: str) -> Fact:
        return _by_id(self.facts, fact_id, "fact", self.id)

    def scale(self, scale_id: str) -> Scale:
        return _by_id(self.scales, scale_id, "scale", self.id)

    def parameter(self, param_id: str) -> Parameter:
        return _by_id(self.parameters, param_id, "parameter", self.id)

    def criterion(self, criterion_id: str) -> Criterion:
        return _by_id(self.criteria, criterion_id, "criterion", self.id)

    def award(self, award_id: str) -> Award:
        return _by_id(self.awards, award_id, "award", self.id)

    def unit_types(self) -> tuple[str, ...]:
        return tuple(p.unit_type for p in self.participants)

    def pending_prefixes(self) -> tuple[str, ...]:
        """The ids of ``builds_on`` entries not composed in yet: references to ``<id>__…``
        awards and ``<id>.…`` criteria wait for the composition."""
        return tuple(b.id for b in self.builds_on if b.campaign is None)

    def attribute(self, attribute_id: str) -> CandidateAttribute:
        for a in self.candidate_attributes:
            if a.id == attribute_id:
                return a
        raise KeyError(f"campaign '{self.id}' has no candidate attribute '{attribute_id}'")

    def facts_for(self, kind: Kind) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if kind in f.kinds)

    def criteria_for(self, kind: Kind) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == kind)

    def citations(self) -> list[tuple[str, Citation]]:
        """Every (element, citation) pair of the campaign, elements named ``kind:id``."""
        out: list[tuple[str, Citation]] = [("period", self.period.citation)]
        if self.jurisdiction.successor:
            out.append(("jurisdiction", self.jurisdiction.successor.citation))
        out += [(f"participant:{p.unit_type}", p.citation) for p in self.participants]
        out += [(f"attribute:{a.id}", a.citation) for a in self.candidate_attributes]
        out += [(f"content_area:{a.id}", a.citation) for a in self.content_areas]
        out += [(f"form:{f.id}", f.citation) for f in self.forms]
        out += [(f"builds_on:{b.id}", b.citation) for b in self.builds_on]
        out += [(f"scale:{s.id}", s.citation) for s in self.scales]
        out += [(f"parameter:{p.id}", p.citation) for p in self.parameters]
        out += [(f"criterion:{c.id}", c.citation) for c in self.criteria]
        for a in self.awards:
            out.append((f"award:{a.id}", a.citation))
            if a.ranking:
                out.append((f"award:{a.id}", a.ranking.citation))
            for part in (a.quota_share, a.groups, a.cap):
                if part is not None:
                    out.append((f"award:{a.id}", part.citation))
        out += [(f"target:{t.id}", t.citation) for t in self.targets]
        if self.scoreboard:
            out.append(("scoreboard", self.scoreboard.citation))
            out += [(f"score_item:{i.id}", i.citation) for i in self.scoreboard.items]
        return out

    # --- cross-references ----------------------------------------------------------------
    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems: list[str] = []
        if not self.targets and not (self.criteria and self.awards and self.participants):
            problems.append(
                "a campaign needs participants, criteria and awards, or targets (a work plan)"
            )
        if self.scoreboard is not None:
            problems += scoreboard_problems(self.scoreboard, self.facts)
        measures = {m.id for m in self.measures}
        for t in self.targets:
            for m in t.measures():
                if m not in measures:
                    problems.append(f"target '{t.id}' reads undeclared measure '{m}'")
        for group, items in (
            ("scale", self.scales),
            ("fact", self.facts),
            ("parameter", self.parameters),
            ("criterion", self.criteria),
            ("award", self.awards),
            ("target", self.targets),
            ("measure", self.measures),
            ("content area", self.content_areas),
            ("form", self.forms),
            ("attribute", self.candidate_attributes),
            ("builds_on", self.builds_on),
        ):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    problems.append(f"{group} id '{item.id}' is used twice")
                seen.add(item.id)
        unit_types = [p.unit_type for p in self.participants]
        if len(set(unit_types)) != len(unit_types):
            problems.append("a participant unit_type is declared twice")
        problems += _after_cycles(self.awards)
        problems += _share_cycles(self.awards)
        for attr in self.candidate_attributes:
            for ut in attr.unit_types:
                if ut not in unit_types:
                    problems.append(f"attribute '{attr.id}': unit type '{ut}' is not a participant")
        for key in self.legal_basis:
            if key not in self.sources:
                problems.append(f"legal_basis names source '{key}', which is not in sources")
        for where, citation in self.citations():
            if citation.source not in self.sources:
                problems.append(f"{where}: citation source '{citation.source}' is not in sources")
        scales = {s.id: s for s in self.scales}
        for f in self.facts:
            if f.scale is not None and f.scale not in scales:
                problems.append(f"fact '{f.id}': scale '{f.scale}' is not declared")
        params = {p.id: p for p in self.parameters}
        for p in self.parameters:
            problems += _check_param_value(p, scales)
            if p.value_on(self.period.start) is None:
                problems.append(
                    f"parameter '{p.id}': no value in force when the campaign starts "
                    f"({self.period.start.isoformat()})"
                )
        facts = {f.id: f for f in self.facts}
        criteria = {c.id: c for c in self.criteria}
        awards = {a.id: a for a in self.awards}
        deferred = self.pending_prefixes()
        for c in self.criteria:
            problems += criterion_problems(
                c,
                facts,
                params,
                scales,
                self.unit_types(),
                criteria=criteria,
                awards=awards,
                deferred=deferred,
            )
        problems += _dependency_cycles(self)
        local_forms = {lf.id: lf for lf in self.forms}
        for lf in self.forms:
            if lf.id in CATALOGUE:
                problems.append(
                    f"form '{lf.id}' is a form of the law's catalogue: name it, don't redeclare it"
                )
        for a in self.awards:
            award_form: FormOfAward | LocalForm | None = local_forms.get(a.form) or CATALOGUE.get(
                a.form
            )
            if award_form is None:
                known = ", ".join(sorted([*CATALOGUE, *local_forms]))
                problems.append(
                    f"award '{a.id}': form '{a.form}' is neither a form of the law nor one the "
                    f"campaign declares under 'forms' (known: {known})"
                )
            elif a.kind not in award_form.recipients:
                problems.append(
                    f"award '{a.id}': form '{a.form}' ({award_form.label}) is not given to "
                    f"{a.kind}s"
                )
            for cid in a.requires:
                if cid not in criteria:
                    problems.append(f"award '{a.id}' requires unknown criterion '{cid}'")
                elif criteria[cid].kind != a.kind:
                    problems.append(
                        f"award '{a.id}' is for {a.kind}s but criterion '{cid}' is for "
                        f"{criteria[cid].kind}s"
                    )
            if a.quota_param is not None:
                qp = params.get(a.quota_param)
                if qp is None:
                    problems.append(f"award '{a.id}': quota parameter '{a.quota_param}' unknown")
                elif qp.type != "integer":
                    problems.append(f"award '{a.id}': quota parameter '{qp.id}' is not an integer")
                elif any(
                    isinstance(v, int) and v < 0
                    for v in ([qp.value] if qp.values is None else list(qp.values.values()))
                ):
                    problems.append(f"award '{a.id}': quota parameter '{qp.id}' is negative")
            problems += _award_allocation_problems(a, params, awards, self.candidate_attributes)
            if a.partial_span_param is not None:
                sp = params.get(a.partial_span_param)
                if sp is None or sp.type != "boolean":
                    problems.append(
                        f"award '{a.id}': partial_span_param '{a.partial_span_param}' is not a "
                        "boolean parameter"
                    )
            for other in a.after:
                if other == a.id:
                    problems.append(f"award '{a.id}': 'after' names the award itself")
                elif other not in awards:
                    problems.append(f"award '{a.id}': 'after' names unknown award '{other}'")
            if a.ranking:
                for rank_key in a.ranking.keys:
                    rank_fact = facts.get(rank_key.fact)
                    if rank_fact is None:
                        problems.append(
                            f"award '{a.id}': ranking fact '{rank_key.fact}' is unknown"
                        )
                    elif a.kind not in rank_fact.kinds:
                        problems.append(
                            f"award '{a.id}': ranking fact '{rank_key.fact}' is not carried by "
                            f"{a.kind}s"
                        )
                    elif rank_fact.type == "series":
                        problems.append(
                            f"award '{a.id}': ranking fact '{rank_key.fact}' is a yearly series; "
                            "rank by a fact of one value"
                        )
        if problems:
            raise CrossReferenceError(problems)
        return self


_T = TypeVar("_T", Fact, Scale, Parameter, Criterion, Award)


def _by_id(items: tuple[_T, ...], wanted: str, what: str, campaign: str) -> _T:
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(f"campaign '{campaign}' has no {what} '{wanted}'")


def _after_cycles(awards: tuple[Award, ...]) -> list[str]:
    """Awards whose 'after' lists lead back to themselves."""
    after = {a.id: set(a.after) for a in awards}
    out = []
    for start in after:
        seen: set[str] = set()
        todo = [x for x in after[start] if x != start]  # naming itself is reported apart
        while todo:
            current = todo.pop()
            if current == start:
                out.append(f"award '{start}': 'after' leads back to itself")
                break
            if current in seen:
                continue
            seen.add(current)
            todo.extend(after.get(current, ()))
    return out


def _share_cycles(awards: tuple[Award, ...]) -> list[str]:
    """Awards that a share's 'award', followed through 'after' and other shares, leads back to
    (cycles of 'after' alone are reported by :func:`_after_cycles`)."""
    deps = {a.id: set(a.depends_on()) for a in awards}
    out = []
    for a in awards:
        if a.quota_share is None or a.quota_share.award is None:
            continue
        seen: set[str] = set()
        todo = [a.quota_share.award]
        while todo:
            current = todo.pop()
            if current == a.id:
                out.append(f"award '{a.id}': its share is taken of an award allocated after it")
                break
            if current in seen:
                continue
            seen.add(current)
            todo.extend(deps.get(current, ()))
    return out


def _award_allocation_problems(
    a: Award,
    params: dict[str, Parameter],
    awards: dict[str, Award],
    attributes: tuple[CandidateAttribute, ...],
) -> list[str]:
    """A share quota, groups and a cap name parameters and attributes that fit."""
    out: list[str] = []
    where = f"award '{a.id}'"
    declared = {attr.id: attr for attr in attributes}

    def attribute_ok(name: str, role: str) -> None:
        if name in BUILTIN_ATTRIBUTES:
            return
        attr = declared.get(name)
        if attr is None:
            out.append(
                f"{where}: {role} names '{name}', neither unit_type, unit_id nor a declared "
                "candidate attribute"
            )
        elif a.kind not in attr.kinds:
            out.append(f"{where}: {role} names attribute '{name}', which {a.kind}s do not give")

    share = a.quota_share
    if share is not None:
        pp = params.get(share.percent_param)
        if pp is None:
            out.append(f"{where}: share parameter '{share.percent_param}' unknown")
        elif pp.type not in ("integer", "number"):
            out.append(f"{where}: share parameter '{pp.id}' is not a number")
        elif any(
            isinstance(v, int | float) and not 0 <= v <= 100
            for v in ([pp.value] if pp.values is None else list(pp.values.values()))
        ):
            out.append(f"{where}: share parameter '{pp.id}' is not a percentage from 0 to 100")
        rp = params.get(share.rounding_param)
        if rp is None:
            out.append(f"{where}: rounding parameter '{share.rounding_param}' unknown")
        elif rp.type != "rounding":
            out.append(f"{where}: rounding parameter '{rp.id}' is not of type rounding")
        if share.applies_param is not None:
            ap = params.get(share.applies_param)
            if ap is None:
                out.append(f"{where}: share switch parameter '{share.applies_param}' unknown")
            elif ap.type != "boolean":
                out.append(f"{where}: share switch parameter '{ap.id}' is not a boolean")
        if share.award is not None:
            other = awards.get(share.award)
            if other is None:
                out.append(f"{where}: share of unknown award '{share.award}'")
            elif other.id == a.id:
                out.append(f"{where}: a share of the award itself")
            elif other.kind != a.kind:
                out.append(f"{where}: share of award '{other.id}', which is for {other.kind}s")
    for name in a.group_by():
        attribute_ok(name, "groups.by")
    if len(set(a.group_by())) != len(a.group_by()):
        out.append(f"{where}: groups.by repeats an attribute")
    if a.cap is not None:
        attribute_ok(a.cap.by, "cap.by")
        cp = params.get(a.cap.count_param)
        if cp is None:
            out.append(f"{where}: cap parameter '{a.cap.count_param}' unknown")
        elif cp.type != "integer":
            out.append(f"{where}: cap parameter '{cp.id}' is not an integer")
        elif any(
            isinstance(v, int) and v < 0
            for v in ([cp.value] if cp.values is None else list(cp.values.values()))
        ):
            out.append(f"{where}: cap parameter '{cp.id}' is negative")
    return out


def _check_param_value(p: Parameter, scales: dict[str, Scale]) -> list[str]:
    values = [p.value] if p.value is not None else list((p.values or {}).values())
    out = []
    for v in values:
        if not value_fits(p.type, v, scales.get(p.scale) if p.scale else None):
            out.append(f"parameter '{p.id}': value {v!r} is not a valid {p.type}")
    if p.scale is not None and p.scale not in scales:
        out.append(f"parameter '{p.id}': scale '{p.scale}' is not declared")
    return out


def _dependency_cycles(campaign: Campaign) -> list[str]:
    graph = dependency_graph(
        [
            (c.id, [c.rule] + ([c.applies_if] if c.applies_if is not None else []))
            for c in campaign.criteria
        ],
        [(a.id, a.requires, a.depends_on()) for a in campaign.awards],
    )
    return [
        f"{cycle_text(cycle)}: the criteria and awards read each other in a cycle, so none of "
        "them can be evaluated first"
        for cycle in cycles(graph)
    ]


def criterion_problems(
    c: Criterion,
    facts: dict[str, Fact],
    params: dict[str, Parameter],
    scales: dict[str, Scale],
    unit_types: tuple[str, ...],
    *,
    criteria: dict[str, Criterion] | None = None,
    awards: dict[str, Award] | None = None,
    deferred: tuple[str, ...] = (),
) -> list[str]:
    """Every reference a criterion makes that is undeclared or does not fit (types, kinds,
    scopes, years). ``criteria`` and ``awards`` enable the checks of references to them;
    references to the awards and criteria of a ``builds_on`` entry not composed in yet (its id
    in ``deferred``) are checked once it is."""
    out: list[str] = []
    where = f"criterion '{c.id}'"
    env = _Env(where, facts, params, scales, criteria, awards, deferred)
    trees = [(c.rule, False)] + ([(c.applies_if, True)] if c.applies_if is not None else [])
    for tree, _guard in trees:
        for node, kind in ct.walk_kinds(tree, c.kind):
            out += _node_problems(env, c, node, kind, unit_types)
    return list(dict.fromkeys(out))


class _Env:
    def __init__(
        self,
        where: str,
        facts: dict[str, Fact],
        params: dict[str, Parameter],
        scales: dict[str, Scale],
        criteria: dict[str, Criterion] | None,
        awards: dict[str, Award] | None,
        deferred: tuple[str, ...] = (),
    ) -> None:
        self.where = where
        self.facts = facts
        self.params = params
        self.scales = scales
        self.criteria = criteria
        self.awards = awards
        self.deferred = deferred

    def waits(self, name: str, separator: str) -> bool:
        """Whether ``name`` belongs to a ``builds_on`` entry not composed in yet."""
        return any(name.startswith(prefix + separator) for prefix in self.deferred)


def _node_problems(
    env: _Env, c: Criterion, node: Node, kind: Kind, unit_types: tuple[str, ...]
) -> list[str]:
    where = env.where
    out: list[str] = []
    if isinstance(node, ct.AttributeTest):
        if node.attribute == "unit.unit_type" and kind != "individual":
            out.append(f"{where}: only an individual's criterion reads 'unit.unit_type'")
        if node.attribute in ("unit_type", "unit.unit_type"):
            for v in node.in_:
                if v not in unit_types:
                    out.append(f"{where}: unit type '{v}' is not a participant")
        if node.attribute == "kind":
            for v in node.in_:
                if v not in ("collective", "individual"):
                    out.append(f"{where}: kind '{v}' is neither collective nor individual")
    elif isinstance(node, ct.Comparison):
        out += _check_comparison(where, kind, node, env.facts, env.params, env.scales)
    elif isinstance(node, ct.Computed):
        out += _check_computed(env, kind, node)
    elif isinstance(node, ct.AwardRef):
        out += _check_award_ref(env, c, kind, node)
    elif isinstance(node, ct.CriterionRef):
        out += _check_criterion_ref(env, c, kind, node)
    elif isinstance(node, ct.MembersNode):
        if kind != "collective":
            out.append(f"{where}: 'members' is read by a collective's criterion only")
        for inner in ct.walk(node.members):
            if isinstance(inner, ct.Computed) and any(
                isinstance(e, ct.RatioExpr) and e.if_zero != "unknown"
                for e in ct.expressions(inner.compute)
            ):
                out.append(
                    f"{where}: a ratio inside 'members' says 'if_zero: unknown' (a member's "
                    "test is met, not met or unknown; not_applicable is for a criterion)"
                )
        out += _check_number_operand(env, "a member " + node.measure, node.value, node.param)
    elif isinstance(node, ct.SeriesNode | ct.DistinctCountNode):
        out += _check_series(env, kind, node)
    elif isinstance(node, ct.ParameterTest):
        out += _check_parameter_test(env, node)
    return out


def _check_parameter_test(env: _Env, node: ct.ParameterTest) -> list[str]:
    where = env.where
    p = env.params.get(node.parameter)
    if p is None:
        return [f"{where}: parameter '{node.parameter}' is not declared"]
    if p.type in ("boolean", "rounding") and node.op not in ("==", "!="):
        return [f"{where}: a {p.type} parameter '{p.id}' is tested with == or != only"]
    scale = env.scales.get(p.scale) if p.scale else None
    if not value_fits(p.type, node.value, scale):
        return [f"{where}: value {node.value!r} does not fit {p.type} parameter '{p.id}'"]
    return []


def _carrier(where: str, kind: Kind, scope: str) -> tuple[Kind | None, list[str]]:
    if scope == "unit":
        if kind != "individual":
            return None, [f"{where}: 'of: unit' is only for individuals' criteria"]
        return "collective", []
    return kind, []


def _check_number_operand(env: _Env, what: str, value: object, param: str | None) -> list[str]:
    if param is None:
        return []
    p = env.params.get(param)
    if p is None:
        return [f"{env.where}: parameter '{param}' is not declared"]
    if p.type not in ("integer", "number"):
        return [
            f"{env.where}: {what} is compared with a number, and parameter '{p.id}' is {p.type}"
        ]
    return []


def _check_award_ref(env: _Env, c: Criterion, kind: Kind, ref: ct.AwardRef) -> list[str]:
    carrier, out = _carrier(env.where, kind, ref.of)
    if env.awards is None or carrier is None:
        return out
    award = env.awards.get(ref.award)
    if award is None and env.waits(ref.award, "__"):
        return out
    if award is None:
        return [*out, f"{env.where}: reads award '{ref.award}', which is not declared"]
    if award.kind != carrier:
        out.append(
            f"{env.where}: award '{award.id}' is for {award.kind}s, but it is read for a "
            f"{carrier}" + (" (the unit)" if ref.of == "unit" else "")
        )
    if c.id in award.requires and ref.of == "self" and kind == c.kind:
        out.append(f"{env.where}: reads award '{award.id}', which requires this criterion")
    return out


def _check_criterion_ref(env: _Env, c: Criterion, kind: Kind, ref: ct.CriterionRef) -> list[str]:
    carrier, out = _carrier(env.where, kind, ref.of)
    if env.criteria is None or carrier is None:
        return out
    other = env.criteria.get(ref.criterion)
    if other is None and env.waits(ref.criterion, "."):
        return out
    if other is None:
        return [*out, f"{env.where}: reads criterion '{ref.criterion}', which is not declared"]
    if other.id == c.id:
        out.append(f"{env.where}: reads its own verdict")
    elif other.kind != carrier:
        out.append(
            f"{env.where}: criterion '{other.id}' is for {other.kind}s, but it is read for a "
            f"{carrier}"
        )
    return out


def _check_series(env: _Env, kind: Kind, node: ct.SeriesNode | ct.DistinctCountNode) -> list[str]:
    where = env.where
    name = node.series if isinstance(node, ct.SeriesNode) else node.count_distinct
    carrier, out = _carrier(where, kind, node.of)
    f = env.facts.get(name)
    if f is None:
        return [*out, f"{where}: reads undeclared fact '{name}'"]
    if f.type != "series":
        return [*out, f"{where}: fact '{f.id}' is a {f.type}, not a yearly series"]
    if carrier is not None and carrier not in f.kinds:
        out.append(f"{where}: fact '{f.id}' is not carried by {carrier}s")
    if isinstance(node, ct.DistinctCountNode):
        if f.element != "ids":
            out.append(f"{where}: 'count_distinct' reads an ids series; '{f.id}' holds {f.element}")
        out += _check_number_operand(env, "a count", node.value, node.param)
        if node.excluding is not None:
            g = env.facts.get(node.excluding)
            if g is None:
                out.append(f"{where}: reads undeclared fact '{node.excluding}'")
            elif g.type != "series" or g.element != "ids":
                out.append(f"{where}: 'excluding' reads an ids series; '{g.id}' is not one")
            else:
                if carrier is not None and carrier not in g.kinds:
                    out.append(f"{where}: fact '{g.id}' is not carried by {carrier}s")
                window = _window_years(env, node) or []
                outside = sorted({y for y in window if y not in g.years()})
                if outside:
                    out.append(
                        f"{where}: series '{g.id}' covers {g.first_year}–{g.last_year}; the "
                        f"window reads {', '.join(str(y) for y in outside)}"
                    )
    else:
        if f.element == "ids":
            out.append(f"{where}: series '{f.id}' holds ids: count them with 'count_distinct'")
        elif f.element == "boolean" and node.op not in ("==", "!="):
            out.append(f"{where}: a boolean series '{f.id}' is compared with == or != only")
        scale = env.scales.get(f.scale) if f.scale else None
        if node.value is not None and not value_fits(f.value_type, node.value, scale):
            out.append(f"{where}: value {node.value!r} does not fit series '{f.id}' ({f.element})")
        if node.param is not None:
            p = env.params.get(node.param)
            if p is None:
                out.append(f"{where}: parameter '{node.param}' is not declared")
            elif not _types_compatible_types(f.value_type, f.scale, p.type, p.scale):
                out.append(f"{where}: parameter '{p.id}' ({p.type}) cannot compare with '{f.id}'")
    years = _window_years(env, node)
    if years is None:
        out.append(f"{where}: parameter '{node.up_to_param}' is not a declared integer parameter")
    else:
        outside = sorted({y for y in years if y not in f.years()})
        if outside:
            out.append(
                f"{where}: series '{f.id}' covers {f.first_year}–{f.last_year}; the window "
                f"reads {', '.join(str(y) for y in outside)}"
            )
    return out


def _window_years(env: _Env, node: ct.SeriesNode | ct.DistinctCountNode) -> list[int] | None:
    """Every year any value of the window's parameter can make it read (None: bad parameter)."""
    if node.years is not None:
        return list(node.years)
    assert node.consecutive is not None
    ends: list[int] = []
    if node.up_to is not None:
        ends = [node.up_to]
    else:
        p = env.params.get(node.up_to_param or "")
        if p is None or p.type != "integer":
            return None
        values = [p.value] if p.value is not None else list((p.values or {}).values())
        ends = [int(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return [end - k for end in ends for k in range(node.consecutive)]


_NUMERIC = ("integer", "number")


def _check_computed(env: _Env, kind: Kind, node: ct.Computed) -> list[str]:
    out: list[str] = []
    result = _expr_type(env, kind, node.compute, out)
    if result is None:
        return out
    where = env.where
    if node.value is not None:
        if result == "date" and iso_date(node.value) is None:
            out.append(f"{where}: a computed date is compared with an ISO date, not {node.value!r}")
        if result == "number" and isinstance(node.value, str):
            out.append(f"{where}: a computed number is compared with a number, not {node.value!r}")
    if node.param is not None:
        p = env.params.get(node.param)
        if p is None:
            out.append(f"{where}: parameter '{node.param}' is not declared")
        elif (p.type == "date") != (result == "date") or p.type not in (*_NUMERIC, "date"):
            out.append(f"{where}: parameter '{p.id}' ({p.type}) cannot compare with a {result}")
    return out


def _expr_type(env: _Env, kind: Kind, expr: ct.Expr, out: list[str]) -> str | None:
    """``number`` or ``date`` (None after reporting a problem into ``out``)."""
    where = env.where
    if isinstance(expr, ct.FactOperand):
        carrier, problems = _carrier(where, kind, expr.of)
        out += problems
        f = env.facts.get(expr.fact)
        if f is None:
            out.append(f"{where}: reads undeclared fact '{expr.fact}'")
            return None
        if carrier is not None and carrier not in f.kinds:
            out.append(f"{where}: fact '{f.id}' is not carried by {carrier}s")
        if f.type not in (*_NUMERIC, "date"):
            out.append(f"{where}: fact '{f.id}' is {f.type}; arithmetic reads numbers and dates")
            return None
        return "date" if f.type == "date" else "number"
    if isinstance(expr, ct.ParamOperand):
        p = env.params.get(expr.param)
        if p is None:
            out.append(f"{where}: parameter '{expr.param}' is not declared")
            return None
        if p.type not in (*_NUMERIC, "date"):
            out.append(f"{where}: parameter '{p.id}' is {p.type}; arithmetic reads numbers, dates")
            return None
        return "date" if p.type == "date" else "number"
    if isinstance(expr, ct.ConstOperand):
        if isinstance(expr.value, str):
            if iso_date(expr.value) is None:
                out.append(f"{where}: constant {expr.value!r} is neither a number nor a date")
                return None
            return "date"
        return "number"
    kids = [_expr_type(env, kind, e, out) for e in ct.expr_children(expr)]
    if any(k is None for k in kids):
        return None
    if isinstance(expr, ct.MonthsBetween | ct.DaysBetween):
        if kids != ["date", "date"]:
            out.append(f"{where}: months_between and days_between read two dates")
            return None
        return "number"
    if isinstance(expr, ct.DifferenceExpr):
        if kids[0] != kids[1]:
            out.append(
                f"{where}: a difference subtracts a number from a number or a date from a date"
            )
            return None
        return "number"
    if "date" in kids:
        out.append(f"{where}: sum, product and ratio read numbers, not dates")
        return None
    if isinstance(expr, ct.RatioExpr) and expr.if_zero_param is not None:
        p = env.params.get(expr.if_zero_param)
        if p is None:
            out.append(f"{where}: parameter '{expr.if_zero_param}' is not declared")
        elif p.type != "boolean":
            out.append(
                f"{where}: if_zero_param '{p.id}' is a boolean parameter (true: not_applicable, "
                f"false: unknown), not {p.type}"
            )
    return "number"


def _check_comparison(
    where: str,
    kind: Kind,
    cmp: ct.Comparison,
    facts: dict[str, Fact],
    params: dict[str, Parameter],
    scales: dict[str, Scale],
) -> list[str]:
    out: list[str] = []
    f = facts.get(cmp.fact)
    if f is None:
        return [f"{where}: reads undeclared fact '{cmp.fact}'"]
    carrier: Kind = kind
    if cmp.of == "unit":
        if kind != "individual":
            return [f"{where}: 'of: unit' is only for individuals' criteria"]
        carrier = "collective"
    if carrier not in f.kinds:
        out.append(f"{where}: fact '{f.id}' is not carried by {carrier}s")
    if f.type == "series":
        return [*out, f"{where}: fact '{f.id}' is a yearly series: read it with a 'series' node"]
    if f.type == "boolean" and cmp.op not in ("==", "!="):
        out.append(f"{where}: a boolean fact '{f.id}' is compared with == or != only")
    scale = scales.get(f.scale) if f.scale else None
    if cmp.value is not None and not value_fits(f.type, cmp.value, scale):
        out.append(f"{where}: value {cmp.value!r} does not fit {f.type} fact '{f.id}'")
    if cmp.param is not None:
        p = params.get(cmp.param)
        if p is None:
            out.append(f"{where}: parameter '{cmp.param}' is not declared")
        elif not _types_compatible(f, p.type, p.scale):
            out.append(f"{where}: parameter '{p.id}' ({p.type}) cannot compare with fact '{f.id}'")
    if cmp.to_fact is not None:
        g = facts.get(cmp.to_fact)
        if g is None:
            out.append(f"{where}: reads undeclared fact '{cmp.to_fact}'")
        elif not _types_compatible(f, g.type, g.scale):
            out.append(f"{where}: facts '{f.id}' and '{g.id}' cannot be compared")
        elif carrier not in g.kinds:
            out.append(f"{where}: fact '{g.id}' is not carried by {carrier}s")
    if cmp.margin_param is not None:
        mp = params.get(cmp.margin_param)
        if mp is None:
            out.append(f"{where}: parameter '{cmp.margin_param}' is not declared")
        elif mp.type not in ("integer", "number"):
            out.append(f"{where}: margin parameter '{mp.id}' is not numeric")
    if (cmp.margin is not None or cmp.margin_param is not None) and f.type not in (
        "integer",
        "number",
        "date",
    ):
        out.append(f"{where}: a margin needs numeric (or date, in days) facts")
    return out


def _types_compatible(f: Fact, other_type: str, other_scale: str | None) -> bool:
    return _types_compatible_types(f.type, f.scale, other_type, other_scale)


def _types_compatible_types(
    ftype: str, fscale: str | None, other_type: str, other_scale: str | None
) -> bool:
    if ftype in _NUMERIC:
        return other_type in _NUMERIC
    if ftype == "ordinal":
        return other_type == "ordinal" and other_scale == fscale
    return other_type == ftype
