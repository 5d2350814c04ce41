"""The result of an evaluation: immutable, explainable, with a fixed JSON shape.

``Result.to_dict()`` gives the output document of ``design.md``::

    {"campaign", "as_of", "fingerprint", "engine", "parameters", "carried_on_by",
     "candidates": [{"id", "name", "kind", "unit_type", "unit_id",
                     "criteria": [{"id", "label", "verdict", "observed", "required", "citation",
                                   "explanation"?}],
                     "awards": {AWARD_ID: "eligible" | "ineligible" | "undetermined"}}],
     "allocations": [{"award", "kind", "quota", "awarded", "reserve", "tied_at_cutoff",
                      "seats_undecided", "unranked", "undetermined"}]}

Candidates keep the input order; every list inside is in a fixed order, so the same plan, input
and options give byte-identical JSON.

``observed`` holds what a verdict rests on: every fact the rule and the guard read (the guard's
last), a computed quantity under its formula, a yearly series by year, a member aggregate's
counts (``{"met", "unknown", "members"}``), another award's eligibility or seat, another
criterion's verdict. ``explanation`` (present only when there is something to say) tells in a
sentence why a verdict is what it is where the values alone do not: a guard not yet decidable,
a zero denominator, a collective without members, a count that is still an interval.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import attrs

from emulation_rules.engine.columnar import ELIGIBILITY, OTHER_KIND, VERDICTS, ColumnarVerdicts
from emulation_rules.engine.compiler import CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.evaluation.allocation import Allocation
from emulation_rules.evaluation.explaining import explain_verdict, observed_values
from emulation_rules.inputs.candidates import CandidateIn
from emulation_rules.inputs.scores import score_points
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.citing import citation_dict


@attrs.frozen
class CriterionVerdict:
    id: str
    label: str
    verdict: str
    observed: Mapping[str, Any]
    required: str
    citation: Mapping[str, Any]
    explanation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "label": self.label,
            "verdict": self.verdict,
            "observed": dict(self.observed),
            "required": self.required,
            "citation": dict(self.citation),
        }
        if self.explanation is not None:
            out["explanation"] = self.explanation
        return out


@attrs.frozen
class ScoreLine:
    """One scoreboard item of one candidate: claimed, appraised, evidenced, earned."""

    item: str
    label: str
    max_points: float
    self_assessed: float | None
    appraised: float | None
    evidence: tuple[str, ...]
    points: float | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "max_points": self.max_points,
            "self_assessed": self.self_assessed,
            "appraised": self.appraised,
            "evidence": list(self.evidence),
            "points": self.points,
            "status": self.status,
        }


@attrs.frozen
class CandidateResult:
    id: str
    name: str
    kind: str
    unit_type: str | None
    unit_id: str | None
    criteria: tuple[CriterionVerdict, ...]
    awards: Mapping[str, str]
    scores: tuple[ScoreLine, ...] | None = None

    def blocking(self) -> tuple[CriterionVerdict, ...]:
        """The criteria that keep this candidate from being eligible (not met or unknown)."""
        return tuple(c for c in self.criteria if c.verdict in ("not_met", "unknown"))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "unit_type": self.unit_type,
            "unit_id": self.unit_id,
            "criteria": [c.to_dict() for c in self.criteria],
            "awards": dict(self.awards),
        }
        if self.scores is not None:
            out["scores"] = [s.to_dict() for s in self.scores]
        return out


@attrs.frozen(eq=False)
class Result:
    """What :func:`emulation_rules.evaluate` returns. Per-candidate views are built on demand."""

    plan: CompiledPlan
    fingerprint: str
    engine: str
    inputs: tuple[CandidateIn, ...]
    table: FactTable
    verdicts: ColumnarVerdicts
    allocations: tuple[Allocation, ...]
    carried_on_by: Mapping[str, Any] | None = None

    @property
    def campaign(self) -> Campaign:
        return self.plan.campaign

    @property
    def as_of(self) -> dt.date:
        return self.plan.as_of

    @cached_property
    def candidates(self) -> tuple[CandidateResult, ...]:
        return tuple(self._candidate(i) for i in range(len(self.table)))

    @cached_property
    def rows(self) -> Mapping[str, int]:
        """Candidate id -> its row in the fact table."""
        return {cid: i for i, cid in enumerate(self.table.ids)}

    def candidate(self, candidate_id: str) -> CandidateResult:
        if candidate_id not in self.rows:
            raise KeyError(f"no candidate '{candidate_id}' in this result")
        return self._candidate(self.rows[candidate_id])

    def allocation(self, award_id: str, group: str | None = None) -> Allocation:
        for a in self.allocations:
            if a.award == award_id and a.group == group:
                return a
        raise KeyError(f"no allocation for award '{award_id}' (group {group})")

    def _candidate(self, i: int) -> CandidateResult:
        campaign = self.plan.campaign
        c = self.inputs[i]
        criteria = []
        for k, crit in enumerate(self.plan.criteria):
            code = int(self.verdicts.criteria[k][i])
            if code == OTHER_KIND:
                continue
            criteria.append(
                CriterionVerdict(
                    crit.id,
                    crit.label,
                    VERDICTS[code],
                    observed_values(self.plan, self.table, self.verdicts, crit, i),
                    crit.required,
                    citation_dict(campaign, crit.citation),
                    explain_verdict(self.plan, self.table, self.verdicts, k, i),
                )
            )
        awards = {
            a.id: ELIGIBILITY[int(self.verdicts.awards[j][i])]
            for j, a in enumerate(self.plan.awards)
            if int(self.verdicts.awards[j][i]) != OTHER_KIND
        }
        return CandidateResult(
            c.id,
            c.name,
            c.kind,
            c.unit_type,
            c.unit_id,
            tuple(criteria),
            awards,
            self._score_lines(c),
        )

    def _score_lines(self, c: CandidateIn) -> tuple[ScoreLine, ...] | None:
        board = self.plan.campaign.scoreboard
        if board is None or c.scores is None:
            return None
        lines = []
        for item in board.items:
            entry = c.scores.get(item.id)
            points, status = score_points(item, entry)
            lines.append(
                ScoreLine(
                    item.id,
                    item.label,
                    item.max_points,
                    entry.self_assessed if entry else None,
                    entry.appraised if entry else None,
                    entry.evidence if entry else (),
                    points,
                    status,
                )
            )
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.plan.campaign.id,
            "as_of": self.plan.as_of.isoformat(),
            "fingerprint": self.fingerprint,
            "engine": self.engine,
            "parameters": {k: self.plan.parameters[k] for k in sorted(self.plan.parameters)},
            "carried_on_by": dict(self.carried_on_by) if self.carried_on_by else None,
            "candidates": [c.to_dict() for c in self.candidates],
            "allocations": [a.to_dict() for a in self.allocations],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"
