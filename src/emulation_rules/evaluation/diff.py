"""What changed between two results of one campaign: a what-if against its baseline, or the
same input evaluated on two ``as_of`` dates.

:func:`diff_documents` compares two output documents (``Result.to_dict()``, lean or with inline
citations, as read back from JSON files); :meth:`Result.diff` compares two results. For every
candidate whose eligibility or place in an allocation changed, the diff says how (eligibility,
allocation status, rank, group before and after) and why, as far as the two documents show it:

* the criteria whose verdict changed, each with the values it read and what it required before
  and after (a changed ``required`` is a changed threshold: a parameter; a changed value is a
  changed or newly known fact), and its explanation where the document has one (a guard not
  yet decided, a member count still open…);
* the facts the candidate's criteria read whose value changed even though no verdict did;
* the quota of its allocation when that changed;
* otherwise the change came from other candidates (``others``): someone moved above or below.

The run-level changes come first: ``as_of``, the rules fingerprint, every parameter whose value
changed, candidates only in one document. Candidates are listed in the order of the later
document (then those it lost); everything else in plan order, so the diff is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.allocation.model import STATUSES
from emulation_rules.evaluation.explaining import Reason


class DiffError(EmulationRulesError):
    """The two documents cannot be compared (not result documents, or two campaigns)."""


@attrs.frozen
class CriterionChange:
    """One criterion of one candidate whose verdict, values read or requirement changed."""

    id: str
    label: str
    verdict_before: str | None
    verdict_after: str | None
    observed_before: Mapping[str, Any]
    observed_after: Mapping[str, Any]
    required_before: str | None
    required_after: str | None
    #: why the verdict is what it is (English, the documents'), before and after
    explanation_before: str | None = None
    explanation_after: str | None = None
    #: the later verdict's explanation as data (the document's ``reasons``)
    reasons_after: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "verdict": [self.verdict_before, self.verdict_after],
            "observed": [dict(self.observed_before), dict(self.observed_after)],
            "required": [self.required_before, self.required_after],
            "explanation": [self.explanation_before, self.explanation_after],
        }


@attrs.frozen
class PlaceChange:
    """One award of one candidate: eligibility and place in the allocation, before and after."""

    award: str
    eligibility_before: str | None
    eligibility_after: str | None
    status_before: str | None
    status_after: str | None
    rank_before: int | None
    rank_after: int | None
    group_before: str | None
    group_after: str | None
    quota_before: int | None
    quota_after: int | None

    @property
    def quota_changed(self) -> bool:
        return self.quota_before != self.quota_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "award": self.award,
            "eligibility": [self.eligibility_before, self.eligibility_after],
            "status": [self.status_before, self.status_after],
            "rank": [self.rank_before, self.rank_after],
            "group": [self.group_before, self.group_after],
            "quota": [self.quota_before, self.quota_after],
        }


@attrs.frozen
class CandidateChange:
    """A candidate whose eligibility or place changed, with what made the change."""

    id: str
    name: str
    kind: str
    awards: tuple[PlaceChange, ...]
    criteria: tuple[CriterionChange, ...]
    #: values read by the candidate's criteria that changed without changing a verdict
    facts: Mapping[str, tuple[Any, Any]]
    #: why, in codes: ``criteria``, ``facts``, ``quota``, ``others``, ``added``, ``removed``
    because: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "awards": [a.to_dict() for a in self.awards],
            "criteria": [c.to_dict() for c in self.criteria],
            "facts": {k: list(v) for k, v in self.facts.items()},
            "because": list(self.because),
        }


@attrs.frozen
class ResultDiff:
    """What changed from one result (``before``) to another (``after``) of one campaign."""

    campaign: str
    as_of: tuple[str, str]
    fingerprint: tuple[str, str]
    parameters: Mapping[str, tuple[Any, Any]]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    candidates: tuple[CandidateChange, ...]

    @property
    def changed(self) -> bool:
        """Whether any candidate's eligibility or place changed."""
        return bool(self.candidates)

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON data: pairs are ``[before, after]``."""
        return {
            "campaign": self.campaign,
            "as_of": list(self.as_of),
            "fingerprint": list(self.fingerprint),
            "parameters": {k: list(v) for k, v in self.parameters.items()},
            "added": list(self.added),
            "removed": list(self.removed),
            "candidates": [c.to_dict() for c in self.candidates],
        }


_REQUIRED_KEYS = ("campaign", "as_of", "fingerprint", "parameters", "candidates", "allocations")


def check_document(document: Any, label: str) -> Mapping[str, Any]:
    """``document`` if it has the shape of an output document, else a :class:`DiffError`
    naming ``label`` and what is missing."""
    if not isinstance(document, Mapping):
        raise DiffError(f"{label}: not a result document (a JSON object from evaluate)")
    missing = [k for k in _REQUIRED_KEYS if k not in document]
    if missing:
        raise DiffError(
            f"{label}: not a result document of `evaluate --format json` "
            f"(no {', '.join(repr(k) for k in missing)})"
        )
    if not isinstance(document["candidates"], list) or not isinstance(
        document["allocations"], list
    ):
        raise DiffError(f"{label}: 'candidates' and 'allocations' must be lists")
    for i, c in enumerate(document["candidates"]):
        if not isinstance(c, Mapping) or not isinstance(c.get("id"), str):
            raise DiffError(f"{label}: candidates[{i}] has no id")
        if not isinstance(c.get("criteria", []), list) or not isinstance(
            c.get("awards", {}), Mapping
        ):
            raise DiffError(f"{label}: candidates[{i}] ('{c['id']}'): malformed criteria/awards")
    for i, a in enumerate(document["allocations"]):
        if not isinstance(a, Mapping) or not isinstance(a.get("award"), str):
            raise DiffError(f"{label}: allocations[{i}] has no award")
    return document


@attrs.frozen
class _Seat:
    status: str
    rank: int | None
    group: str | None
    quota: int | None


def _places(document: Mapping[str, Any]) -> dict[tuple[str, str], _Seat]:
    """(award, candidate) -> where it stands, by the precedence of the status words."""
    out: dict[tuple[str, str], _Seat] = {}
    for alloc in document["allocations"]:
        ranks = alloc.get("ranks") or {}
        for word in STATUSES:
            for cid in alloc.get(word) or ():
                key = (alloc["award"], cid)
                if key not in out:
                    rank = ranks.get(cid)
                    out[key] = _Seat(
                        word,
                        rank if isinstance(rank, int) else None,
                        alloc.get("group"),
                        alloc.get("quota"),
                    )
    return out


def _quotas(document: Mapping[str, Any]) -> dict[tuple[str, str | None], int | None]:
    return {(a["award"], a.get("group")): a.get("quota") for a in document["allocations"]}


def diff_documents(before: Mapping[str, Any], after: Mapping[str, Any]) -> ResultDiff:
    """What changed from ``before`` to ``after`` (two output documents of one campaign)."""
    before = check_document(before, "before")
    after = check_document(after, "after")
    if before["campaign"] != after["campaign"]:
        raise DiffError(
            f"the two results are of different campaigns ('{before['campaign']}' and "
            f"'{after['campaign']}'): compare two results of one campaign"
        )
    p0, p1 = before["parameters"] or {}, after["parameters"] or {}
    parameters = {
        k: (p0.get(k), p1.get(k))
        for k in sorted(set(p0) | set(p1))
        if p0.get(k) != p1.get(k) or (k in p0) != (k in p1)
    }
    c0 = {c["id"]: c for c in before["candidates"]}
    c1 = {c["id"]: c for c in after["candidates"]}
    places0, places1 = _places(before), _places(after)
    quotas0, quotas1 = _quotas(before), _quotas(after)
    added = tuple(cid for cid in c1 if cid not in c0)
    removed = tuple(cid for cid in c0 if cid not in c1)
    changes: list[CandidateChange] = []
    order = [*c1, *removed]
    for cid in order:
        old, new = c0.get(cid), c1.get(cid)
        change = _candidate_change(cid, old, new, places0, places1, quotas0, quotas1)
        if change is not None:
            changes.append(change)
    return ResultDiff(
        campaign=str(after["campaign"]),
        as_of=(str(before["as_of"]), str(after["as_of"])),
        fingerprint=(str(before["fingerprint"]), str(after["fingerprint"])),
        parameters=parameters,
        added=added,
        removed=removed,
        candidates=tuple(changes),
    )


def _candidate_change(
    cid: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    places0: Mapping[tuple[str, str], _Seat],
    places1: Mapping[tuple[str, str], _Seat],
    quotas0: Mapping[tuple[str, str | None], int | None],
    quotas1: Mapping[tuple[str, str | None], int | None],
) -> CandidateChange | None:
    some = new if new is not None else old
    assert some is not None
    a0: Mapping[str, str] = (old or {}).get("awards") or {}
    a1: Mapping[str, str] = (new or {}).get("awards") or {}
    awards: list[PlaceChange] = []
    for award in [*a1, *(a for a in a0 if a not in a1)]:
        s0, s1 = places0.get((award, cid)), places1.get((award, cid))
        e0, e1 = a0.get(award), a1.get(award)
        if (
            e0 == e1
            and (s0.status if s0 else None) == (s1.status if s1 else None)
            and (s0.rank if s0 else None) == (s1.rank if s1 else None)
            and (s0.group if s0 else None) == (s1.group if s1 else None)
        ):
            continue
        g0 = s0.group if s0 else None
        g1 = s1.group if s1 else None
        awards.append(
            PlaceChange(
                award,
                e0,
                e1,
                s0.status if s0 else None,
                s1.status if s1 else None,
                s0.rank if s0 else None,
                s1.rank if s1 else None,
                g0,
                g1,
                quotas0.get((award, g0)) if s0 else None,
                quotas1.get((award, g1)) if s1 else None,
            )
        )
    if not awards:
        return None
    v0 = {v["id"]: v for v in (old or {}).get("criteria") or ()}
    v1 = {v["id"]: v for v in (new or {}).get("criteria") or ()}
    criteria: list[CriterionChange] = []
    facts: dict[str, tuple[Any, Any]] = {}
    for crit in [*v1, *(k for k in v0 if k not in v1)]:
        b, a = v0.get(crit, {}), v1.get(crit, {})
        ob, oa = b.get("observed") or {}, a.get("observed") or {}
        if b.get("verdict") != a.get("verdict"):
            criteria.append(
                CriterionChange(
                    crit,
                    str(a.get("label", b.get("label", crit))),
                    b.get("verdict"),
                    a.get("verdict"),
                    ob,
                    oa,
                    b.get("required"),
                    a.get("required"),
                    _text(b.get("explanation")),
                    _text(a.get("explanation")),
                    _reasons(a.get("reasons")),
                )
            )
            continue
        for col in [*oa, *(k for k in ob if k not in oa)]:
            if ob.get(col) != oa.get(col) and col not in facts:
                facts[col] = (ob.get(col), oa.get(col))
    because: list[str] = []
    if old is None:
        because.append("added")
    elif new is None:
        because.append("removed")
    if criteria:
        because.append("criteria")
    if facts:
        because.append("facts")
    if any(p.quota_changed for p in awards):
        because.append("quota")
    if not because:
        because.append("others")
    return CandidateChange(
        cid,
        str(some.get("name", "")),
        str(some.get("kind", "")),
        tuple(awards),
        tuple(criteria),
        facts,
        tuple(because),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _reasons(value: Any) -> tuple[Reason, ...]:
    """A verdict's ``reasons`` as read from a document; any entry that is not one is left out
    (its English ``explanation`` still says it)."""
    if not isinstance(value, list):
        return ()
    found = (Reason.from_dict(r) for r in value if isinstance(r, Mapping))
    return tuple(r for r in found if r is not None)
