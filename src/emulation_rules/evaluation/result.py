"""The result of an evaluation: immutable, explainable, with a fixed JSON shape.

``Result.to_dict()`` gives the output document of ``design.md``::

    {"campaign", "as_of", "fingerprint", "engine", "parameters", "carried_on_by",
     "citations": {CRITERION_ID: {"document", "date", "issuer", "clause", "quote",
                                  "interpretation", "unconfirmed", "note"}},
     "candidates": [{"id", "name", "kind", "unit_type", "unit_id",
                     "criteria": [{"id", "label", "verdict", "observed", "required",
                                   "citation": CRITERION_ID, "explanation"?, "reasons"?}],
                     "awards": {AWARD_ID: "eligible" | "ineligible" | "undetermined"
                                          | "not_applicable"},
                     ["provenance"]}],
     "allocations": [{"award", "kind", "quota", "awarded", "provisional", "possible",
                      "reserve", "tied_at_cutoff", "seats_undecided", "unranked",
                      "undetermined", "pending", "ranks", "threats", "depends_on",
                      "quota_share", "cap", ["group", "group_values"]}],
     ["rejected": [{"id", "name", "where", "problems"}]]}

Lean by default: every citation once, in ``citations``, which each verdict names by its
criterion id; ``to_dict(verbose_citations=True)`` puts each citation inline instead (the
earlier form, kept for one release). ``docs/data-model.md`` §3 and the JSON Schema of
``outputs.schema`` describe every key; ``rejected`` is there only with
``on_invalid="report"``; ``explanation`` (and its data, ``reasons``) only when there is
something to say.

Candidates keep the input order; every list inside is in a fixed order, so the same plan, input
and options give byte-identical JSON.

``observed`` holds what a verdict rests on: every fact the rule and the guard read (the guard's
last), a computed quantity under its formula, a yearly series by year, a member aggregate's
counts (``{"met", "unknown", "members"}``), another award's eligibility or seat, another
criterion's verdict. ``explanation`` (present only when there is something to say) tells in a
sentence why a verdict is what it is where the values alone do not: a guard not yet decidable,
a zero denominator, a collective without members, a count that is still an interval — in
English, for programs; ``reasons`` holds the same as data (``{"code", …}``, see
``evaluation.explaining.REASONS``), from which every human-facing writer says it in its reader's
language.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, BinaryIO, overload

import attrs

from emulation_rules.engine.columnar import ELIGIBILITY, OTHER_KIND, VERDICTS, ColumnarVerdicts
from emulation_rules.engine.compiler import CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.evaluation.allocation.depends import missing_facts as facts_deciding_place
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.diff import ResultDiff, diff_documents
from emulation_rules.evaluation.document import write_json
from emulation_rules.evaluation.explaining import (
    Reason,
    explain_reasons,
    explanation_text,
    observed_values,
)
from emulation_rules.evaluation.missing import MissingReport, missing_facts
from emulation_rules.inputs.candidates import CandidateIn
from emulation_rules.inputs.scores import score_points
from emulation_rules.inputs.validated import Rejected, ValidatedInput
from emulation_rules.messages import messages
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plan.citing import citation_dict


@attrs.frozen
class CriterionVerdict:
    """One criterion's verdict for one candidate: ``met``, ``not_met``, ``unknown`` (a fact it
    reads is missing) or ``not_applicable`` (its guard excludes the candidate), with the values
    it read (``observed``, fact id -> value or None), what it requires, and its citation."""

    id: str
    label: str
    verdict: str
    observed: Mapping[str, Any]
    required: str
    citation: Mapping[str, Any]
    #: why, in English (the JSON's), where the values alone do not say it
    explanation: str | None = None
    #: the same as data, for a writer to say it in its reader's language
    #: (:func:`~emulation_rules.evaluation.explaining.explanation_text`)
    reasons: tuple[Reason, ...] = ()

    def to_dict(self, *, verbose_citations: bool = True) -> dict[str, Any]:
        """The verdict as in the output document: its citation inline, or (lean form) the id
        of its entry in the document's ``citations`` table, which is the criterion's id; its
        ``explanation`` (English) and its ``reasons`` (data) when it has one."""
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "verdict": self.verdict,
            "observed": dict(self.observed),
            "required": self.required,
            "citation": dict(self.citation) if verbose_citations else self.id,
        }
        if self.explanation is not None:
            out["explanation"] = self.explanation
        if self.reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
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


@attrs.frozen(repr=False)
class CandidateResult:
    """One candidate's outcome: every criterion of its kind (in plan order) and its eligibility
    for every award of its kind (``eligible``, ``ineligible``, ``undetermined`` or
    ``not_applicable``: it did not exist during the award's span)."""

    id: str
    name: str
    kind: str
    unit_type: str | None
    unit_id: str | None
    criteria: tuple[CriterionVerdict, ...]
    awards: Mapping[str, str]
    scores: tuple[ScoreLine, ...] | None = None
    #: where observed values come from (fact column -> year, source, published, url, scale),
    #: for values that carry it; ``not_yet_published`` marks one hidden by the as_of date
    provenance: Mapping[str, Mapping[str, Any]] | None = None

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{n} {v}" for v in VERDICTS if (n := sum(c.verdict == v for c in self.criteria))
        )
        awards = ", ".join(f"{k}: {v}" for k, v in self.awards.items())
        return f"<CandidateResult {self.id} ({self.kind}): criteria {counts or 'none'}; {awards}>"

    def blocking(self) -> tuple[CriterionVerdict, ...]:
        """The criteria that keep this candidate from being eligible (not met or unknown)."""
        return tuple(c for c in self.criteria if c.verdict in ("not_met", "unknown"))

    def to_dict(self, *, verbose_citations: bool = True) -> dict[str, Any]:
        """This candidate as in the output document. On its own it keeps each citation inline;
        :meth:`Result.to_dict` gives the lean form (``verbose_citations=False``), where each
        verdict names its entry in the document's ``citations`` table."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "unit_type": self.unit_type,
            "unit_id": self.unit_id,
            "criteria": [c.to_dict(verbose_citations=verbose_citations) for c in self.criteria],
            "awards": dict(self.awards),
        }
        if self.scores is not None:
            out["scores"] = [s.to_dict() for s in self.scores]
        if self.provenance:
            out["provenance"] = {k: dict(v) for k, v in self.provenance.items()}
        return out


class CandidateViews(Sequence[CandidateResult]):
    """Every candidate's outcome, in input order, each built from the result's arrays only when
    it is read (nothing is kept: a national run holds no object per candidate)."""

    def __init__(self, result: Result) -> None:
        self._result = result

    def __len__(self) -> int:
        return len(self._result.table)

    @overload
    def __getitem__(self, i: int) -> CandidateResult: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[CandidateResult, ...]: ...
    def __getitem__(self, i: int | slice) -> CandidateResult | tuple[CandidateResult, ...]:
        if isinstance(i, slice):
            return tuple(self._result._candidate(k) for k in range(*i.indices(len(self))))
        n = len(self)
        if not -n <= i < n:
            raise IndexError("candidate index out of range")
        return self._result._candidate(i % n)

    def __iter__(self) -> Iterator[CandidateResult]:
        for i in range(len(self)):
            yield self._result._candidate(i)

    def __repr__(self) -> str:
        return f"<{len(self)} candidate outcome(s), built when read>"


class NoSuchAllocation(KeyError):
    """The result has no allocation of that award (or group); the message says which exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@attrs.frozen(eq=False, repr=False)
class Result:
    """What :func:`emulation_rules.evaluate` returns: the verdict, observed-value and eligibility
    arrays of every candidate (``verdicts``, ``table``) and the allocations. A candidate's view
    (:class:`CandidateResult`) is built from the arrays only when it is read, through
    :attr:`candidates` or :meth:`candidate`; the writers (:meth:`to_json`, the CSV) stream from
    the arrays without building them."""

    plan: CompiledPlan
    fingerprint: str
    engine: str
    inputs: Sequence[CandidateIn]
    table: FactTable
    verdicts: ColumnarVerdicts
    allocations: tuple[Allocation, ...]
    carried_on_by: Mapping[str, Any] | None = None
    validated: ValidatedInput | None = None

    @property
    def rejected(self) -> tuple[Rejected, ...]:
        """Candidates refused with their problems (``on_invalid="report"``; else empty)."""
        return self.validated.rejected if self.validated is not None else ()

    @property
    def campaign(self) -> Campaign:
        return self.plan.campaign

    @property
    def as_of(self) -> dt.date:
        return self.plan.as_of

    @property
    def candidates(self) -> CandidateViews:
        """Every candidate's outcome in input order: a sequence (``len``, index, slice,
        iteration) that builds each :class:`CandidateResult` when it is read."""
        return CandidateViews(self)

    @cached_property
    def rows(self) -> Mapping[str, int]:
        """Candidate id -> its row in the fact table."""
        return {cid: i for i, cid in enumerate(self.table.ids)}

    def candidate(self, candidate_id: str) -> CandidateResult:
        """The outcome of one candidate (a ``KeyError`` if the input had no such id)."""
        if candidate_id not in self.rows:
            raise KeyError(f"no candidate '{candidate_id}' in this result")
        return self._candidate(self.rows[candidate_id])

    def missing(self) -> MissingReport:
        """What to collect: per undetermined candidate the facts still missing (most verdicts
        first), and per fact the candidates that lack it."""
        names = (
            self.validated.records.names
            if self.validated is not None
            else [c.name for c in self.inputs]
        )
        return missing_facts(self.plan, self.table, self.verdicts, names)

    def allocation(self, award_id: str, group: str | None = None) -> Allocation:
        """The allocation of one award (of one group, for an award allocated per group); a
        :class:`NoSuchAllocation` (a ``KeyError``) names the awards or groups there are."""
        for a in self.allocations:
            if a.award == award_id and a.group == group:
                return a
        groups = sorted(str(a.group) for a in self.allocations if a.award == award_id)
        if not groups:
            known = ", ".join(sorted({a.award for a in self.allocations})) or "none"
            raise NoSuchAllocation(f"no allocation for award '{award_id}' (awards: {known})")
        if group is None:
            raise NoSuchAllocation(
                f"award '{award_id}' is allocated per group: name one, as in "
                f"result.allocation('{award_id}', '{groups[0]}') (groups: {', '.join(groups)})"
            )
        raise NoSuchAllocation(
            f"no group '{group}' in the allocation of award '{award_id}' "
            f"(groups: {', '.join(groups)})"
        )

    def __repr__(self) -> str:
        return (
            f"<Result {self.plan.campaign.id} as of {self.plan.as_of.isoformat()}: "
            f"{len(self.inputs)} candidate(s), {len(self.allocations)} allocation(s), "
            f"engine {self.engine}>"
        )

    def depends_on(self, allocation: Allocation) -> dict[str, dict[str, list[str]]]:
        """For every candidate ``possible`` in the allocation or contending for a provisional
        seat: the missing facts (``facts``) and the earlier awards (``awards``) its place
        depends on. Sorted by candidate id."""
        concerned = set(allocation.possible)
        for threats in allocation.threats.values():
            concerned.update(threats.contenders)
        out: dict[str, dict[str, list[str]]] = {}
        for cid in sorted(concerned):
            out[cid] = {
                "facts": facts_deciding_place(
                    self.plan, self.table, self.verdicts, allocation.award, self.rows[cid]
                ),
                "awards": list(allocation.waits_on.get(cid, ())),
            }
        return out

    def _verdict(self, k: int, i: int) -> CriterionVerdict:
        """Criterion ``k``'s verdict for row ``i`` (a row of the criterion's kind)."""
        crit = self.plan.criteria[k]
        code = int(self.verdicts.criteria[k][i])
        reasons = explain_reasons(self.plan, self.table, self.verdicts, k, i)
        return CriterionVerdict(
            crit.id,
            crit.label,
            VERDICTS[code],
            observed_values(self.plan, self.table, self.verdicts, crit, i),
            crit.required,
            citation_dict(self.plan.campaign, crit.citation),
            explanation_text(messages("en"), reasons),
            reasons,
        )

    def _candidate(self, i: int) -> CandidateResult:
        c = self.inputs[i]
        criteria = [
            self._verdict(k, i)
            for k in range(len(self.plan.criteria))
            if int(self.verdicts.criteria[k][i]) != OTHER_KIND
        ]
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
            self._provenance(i, criteria),
        )

    def _provenance(
        self, i: int, criteria: Sequence[CriterionVerdict]
    ) -> dict[str, dict[str, Any]] | None:
        v = self.validated
        if v is None or not v.provenance:
            return None
        out: dict[str, dict[str, Any]] = {}
        unit_row: int | None = None
        for crit in criteria:
            for col in crit.observed:
                fact = col.removeprefix("unit.")
                prov = v.provenance.get(fact)
                if prov is None or col in out:
                    continue
                row = i
                if col != fact:
                    if unit_row is None:
                        unit_row = int(v.unit_rows()[i])
                    row = unit_row
                if row < 0:
                    continue
                info = dict(prov.shown.get(row, {}))
                day = int(prov.published[row])
                if day and day > self.as_of.toordinal():
                    info["not_yet_published"] = True
                if info:
                    out[col] = info
        return out or None

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

    def citations(self) -> dict[str, dict[str, Any]]:
        """The citation of every criterion of the plan, by criterion id (plan order): the
        ``citations`` table of the lean output document."""
        campaign = self.plan.campaign
        return {c.id: citation_dict(campaign, c.citation) for c in self.plan.criteria}

    def to_dict(self, *, verbose_citations: bool = False) -> dict[str, Any]:
        """The output document (``docs/data-model.md``), as plain data.

        Lean by default: the citations are given once, in the top-level ``citations`` table
        (criterion id -> citation), and each verdict's ``citation`` is that id.
        ``verbose_citations=True`` gives the earlier form, each verdict with its citation inline
        and no table (kept for one release, for consumers that read it)."""
        lean = not verbose_citations
        return {
            "campaign": self.plan.campaign.id,
            "as_of": self.plan.as_of.isoformat(),
            "fingerprint": self.fingerprint,
            "engine": self.engine,
            "parameters": {k: self.plan.parameters[k] for k in sorted(self.plan.parameters)},
            "carried_on_by": dict(self.carried_on_by) if self.carried_on_by else None,
            **({"citations": self.citations()} if lean else {}),
            "candidates": [c.to_dict(verbose_citations=verbose_citations) for c in self.candidates],
            "allocations": [
                {**a.to_dict(), "depends_on": self.depends_on(a)} for a in self.allocations
            ],
            **(
                {"rejected": [r.to_dict() for r in self.rejected]}
                if self.validated is not None and self.validated.on_invalid == "report"
                else {}
            ),
        }

    def to_json(self, *, indent: int | None = 2, verbose_citations: bool = False) -> str:
        """The output document as JSON text (UTF-8 characters kept, a final newline); lean
        unless ``verbose_citations`` (see :meth:`to_dict`). With the default ``indent`` it is
        written from the arrays (:meth:`write_json`), without building the document."""
        if indent == 2:
            buffer = io.BytesIO()
            self.write_json(buffer, verbose_citations=verbose_citations)
            return buffer.getvalue().decode("utf-8")
        document = self.to_dict(verbose_citations=verbose_citations)
        return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"

    def write_json(self, stream: BinaryIO, *, verbose_citations: bool = False) -> None:
        """Write the text of :meth:`to_json` (indent 2), UTF-8, to a binary ``stream``, a few
        thousand candidates at a time, from the arrays: memory does not grow with the number
        of candidates."""
        write_json(self, stream, verbose_citations=verbose_citations)

    def diff(self, other: Result) -> ResultDiff:
        """What changed from this result to ``other`` (a what-if against this baseline, or a
        later ``as_of``): who changed eligibility or place, and the criteria, facts and
        parameters behind each change. See :mod:`emulation_rules.evaluation.diff`."""
        return diff_documents(self.to_dict(), other.to_dict())
