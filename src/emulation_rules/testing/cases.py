"""YAML test cases for campaigns: the format, loading (strict) and checking.

A case file (``test_*.yaml``) holds a list of cases::

    - name: commune below the required assessment is not met
      campaign: an_giang.papi_2021
      as_of: 2022-05-20                # optional; default: the input's, else the period's end
      overrides: {quota_collectives: 3}  # optional
      input:                            # or  input_file: ../src/.../sample.json  (relative)
        candidates:
          - {id: x1, name: "UBND xã A", kind: collective, unit_type: ubnd_xa,
             facts: {district_assessment: "Hoàn thành tốt nhiệm vụ"}}
      expect:
        criteria:    {x1: {tap_the_xa.danh_gia_cua_huyen: not_met}}
        awards:      {x1: {bang_khen_tap_the: ineligible}}
        carried_on_by: null              # or the successor's id, e.g. gia_lai
        allocations:
          - {award: bang_khen_tap_the, awarded: [], tied_at_cutoff: []}
          # also: provisional, possible, reserve, seats_undecided, unranked, undetermined,
          # pending, ranks {id: rank}, threats {id: {contenders, earlier_awards, fewer_seats}},
          # depends_on {id: {facts, awards}}, group (to pick one group's allocation)
    - name: a percentage above 100 is refused
      campaign: ...
      input: {...}
      expect_error: "above"             # the error message must contain this text

Only the keys written under ``expect`` are checked. Unknown keys and wrong types are refused
with the file, the case and the key.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.evaluate import evaluate
from emulation_rules.evaluation.result import Result
from emulation_rules.plan.citing import citation_line
from emulation_rules.plugins.registry import Registry, load_registry

Verdict = Literal["met", "not_met", "unknown", "not_applicable"]
Eligibility = Literal["eligible", "ineligible", "undetermined"]


class CaseFormatError(Exception):
    """A case file breaks the case schema; the message names the file, the case and the key."""


class ExpectedThreats(BaseModel):
    """Only the keys written are checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    contenders: list[str] | None = None
    earlier_awards: list[str] | None = None
    fewer_seats: bool | None = None


class ExpectedDepends(BaseModel):
    """Only the keys written are checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facts: list[str] | None = None
    awards: list[str] | None = None


class ExpectedAllocation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    award: str
    group: str | None = None
    quota: int | None = None
    awarded: list[str] | None = None
    provisional: list[str] | None = None
    possible: list[str] | None = None
    reserve: list[str] | None = None
    tied_at_cutoff: list[str] | None = None
    seats_undecided: int | None = None
    unranked: list[str] | None = None
    undetermined: list[str] | None = None
    pending: list[str] | None = None
    ranks: dict[str, int] | None = None
    threats: dict[str, ExpectedThreats] | None = None
    depends_on: dict[str, ExpectedDepends] | None = None


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: dict[str, dict[str, Verdict]] = Field(default_factory=dict)
    awards: dict[str, dict[str, Eligibility]] = Field(default_factory=dict)
    allocations: list[ExpectedAllocation] = Field(default_factory=list)
    carried_on_by: str | None = Field(
        None, description="successor jurisdiction id recorded in the result; null: none"
    )


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    campaign: str
    as_of: dt.date | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)
    input: dict[str, Any] | None = None
    input_file: str | None = None
    engine: Literal["both", "columnar"] = "both"
    expect: Expectation | None = None
    expect_error: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Case:
        if (self.input is None) == (self.input_file is None):
            raise ValueError("give exactly one of 'input' or 'input_file'")
        if (self.expect is None) == (self.expect_error is None):
            raise ValueError("give exactly one of 'expect' or 'expect_error'")
        return self


def load_cases(path: Path) -> list[Case]:
    """Parse and validate a case file; a problem names the file, the case and the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CaseFormatError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise CaseFormatError(f"{path}: a case file is a non-empty list of cases")
    cases = []
    for i, item in enumerate(raw):
        label = item.get("name") if isinstance(item, dict) else None
        where = f"{path}: case {i + 1}" + (f" ({label!r})" if label else "")
        if not isinstance(item, dict):
            raise CaseFormatError(f"{where}: a case is a mapping of keys")
        try:
            cases.append(Case.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"]) or "case"
            raise CaseFormatError(f"{where}: key '{key}': {err['msg']}") from None
    return cases


class CaseFailure(AssertionError):
    """A case's expectation did not hold: the message says where, what and why."""


def run_case(case: Case, path: Path, registry: Registry | None = None) -> Result | None:
    """Run one case; raise :class:`CaseFailure` with a readable report if it does not hold."""
    reg = registry or load_registry()
    where = f"{path}: case {case.name!r}"
    if case.input_file is not None:
        import json

        document = json.loads((path.parent / case.input_file).read_text(encoding="utf-8"))
    else:
        document = dict(case.input or {})
    try:
        result = evaluate(
            case.campaign,
            document,
            as_of=case.as_of,
            overrides=case.overrides or None,
            engine=case.engine,
            registry=reg,
        )
    except EmulationRulesError as exc:
        if case.expect_error is not None:
            if case.expect_error not in str(exc):
                raise CaseFailure(
                    f"{where}\n  expected an error containing {case.expect_error!r}\n  got: {exc}"
                ) from None
            return None
        raise CaseFailure(f"{where}\n  evaluation failed: {type(exc).__name__}: {exc}") from None
    if case.expect_error is not None:
        raise CaseFailure(
            f"{where}\n  expected an error containing {case.expect_error!r}, but it evaluated"
        )
    assert case.expect is not None
    problems = _compare(case.expect, result)
    if problems:
        raise CaseFailure(where + "\n" + "\n".join(problems))
    return result


def _compare(expect: Expectation, result: Result) -> list[str]:
    problems: list[str] = []
    if "carried_on_by" in expect.model_fields_set:
        got_successor = result.carried_on_by["id"] if result.carried_on_by else None
        if got_successor != expect.carried_on_by:
            problems.append(
                f"  carried_on_by: expected {expect.carried_on_by}, got {got_successor}"
            )
    ids = set(result.table.ids)
    for cid, wanted in expect.criteria.items():
        if cid not in ids:
            problems.append(f"  candidate {cid!r}: not in the input")
            continue
        got = {v.id: v for v in result.candidate(cid).criteria}
        for crit, verdict in wanted.items():
            v = got.get(crit)
            if v is None:
                problems.append(f"  candidate {cid!r}, criterion {crit!r}: not evaluated for it")
            elif v.verdict != verdict:
                problems.append(
                    f"  candidate {cid!r}, criterion {crit!r}: expected {verdict}, got "
                    f"{v.verdict}\n    observed {dict(v.observed)}; required {v.required}\n"
                    f"    source: {citation_line(v.citation)}"
                )
    for cid, wanted_awards in expect.awards.items():
        if cid not in ids:
            problems.append(f"  candidate {cid!r}: not in the input")
            continue
        got_awards = result.candidate(cid).awards
        for award, state in wanted_awards.items():
            if got_awards.get(award) != state:
                problems.append(
                    f"  candidate {cid!r}, award {award!r}: expected {state}, got "
                    f"{got_awards.get(award, 'not evaluated')}"
                )
    for want in expect.allocations:
        try:
            alloc = result.allocation(want.award, want.group)
        except KeyError:
            problems.append(f"  allocation {want.award!r} (group {want.group}): none")
            continue
        for key in (
            "quota",
            "awarded",
            "provisional",
            "possible",
            "reserve",
            "tied_at_cutoff",
            "seats_undecided",
            "unranked",
            "undetermined",
            "pending",
        ):
            expected = getattr(want, key)
            if expected is None:
                continue
            actual = getattr(alloc, key)
            actual = list(actual) if isinstance(actual, tuple) else actual
            if actual != expected:
                problems.append(
                    f"  allocation {want.award!r}, {key}: expected {expected}, got {actual}"
                )
        if want.ranks is not None and dict(alloc.ranks) != want.ranks:
            problems.append(
                f"  allocation {want.award!r}, ranks: expected {want.ranks}, "
                f"got {dict(alloc.ranks)}"
            )
        problems += _compare_threats(want, alloc)
        problems += _compare_depends(want, result, alloc)
    return problems


def _compare_threats(want: ExpectedAllocation, alloc: Allocation) -> list[str]:
    problems: list[str] = []
    for cid, expected in (want.threats or {}).items():
        got = alloc.threats.get(cid)
        if got is None:
            problems.append(f"  allocation {want.award!r}, threats: {cid!r} is not provisional")
            continue
        for key in ("contenders", "earlier_awards", "fewer_seats"):
            wanted = getattr(expected, key)
            actual = getattr(got, key)
            actual = list(actual) if isinstance(actual, tuple) else actual
            if wanted is not None and actual != wanted:
                problems.append(
                    f"  allocation {want.award!r}, threats of {cid!r}, {key}: expected {wanted}, "
                    f"got {actual}"
                )
    return problems


def _compare_depends(want: ExpectedAllocation, result: Result, alloc: Allocation) -> list[str]:
    if not want.depends_on:
        return []
    problems: list[str] = []
    got_all = result.depends_on(alloc)
    for cid, expected in want.depends_on.items():
        got = got_all.get(cid)
        if got is None:
            problems.append(
                f"  allocation {want.award!r}, depends_on: {cid!r} is neither possible nor a "
                "contender"
            )
            continue
        for key in ("facts", "awards"):
            wanted = getattr(expected, key)
            if wanted is not None and got[key] != wanted:
                problems.append(
                    f"  allocation {want.award!r}, depends_on {cid!r}, {key}: expected {wanted}, "
                    f"got {got[key]}"
                )
    return problems
