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
import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from emulation_rules.errors import EmulationRulesError, PlanError
from emulation_rules.evaluation.allocation.model import Allocation
from emulation_rules.evaluation.evaluate import evaluate
from emulation_rules.evaluation.result import Result
from emulation_rules.inputs.files import parse_json
from emulation_rules.plan.citing import citation_line
from emulation_rules.plan.yaml_reading import line_of, read_yaml
from emulation_rules.plugins.registry import Registry, load_registry
from emulation_rules.text import nfc_deep

Verdict = Literal["met", "not_met", "unknown", "not_applicable"]
Eligibility = Literal["eligible", "ineligible", "undetermined", "not_applicable"]


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
    """Parse and validate a case file; every problem at once, each naming the file, the case,
    the key and its line (a key written twice in one mapping is one of them)."""
    try:
        document = read_yaml(path, what="case")
    except PlanError as exc:
        raise CaseFormatError(str(exc)) from None
    raw = document.data
    if not isinstance(raw, list) or not raw:
        raise CaseFormatError(f"{path}: a case file is a non-empty list of cases")
    problems = [f"{path}: line {p.line}: {p.message}" for p in document.problems]
    cases = []
    for i, item in enumerate(raw):
        label = item.get("name") if isinstance(item, dict) else None
        line = line_of(document.root, (i,))
        where = f"{path}: case {i + 1}" + (f" ({label!r})" if label else "")
        if not isinstance(item, dict):
            problems.append(f"{where} (line {line}): a case is a mapping of keys")
            continue
        try:
            cases.append(Case.model_validate(nfc_deep(item)))
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                key = ".".join(str(p) for p in loc) or "case"
                at = line_of(document.root, (i, *loc))
                msg = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"{where}: key '{key}' (line {at}): {msg}")
    if problems:
        raise CaseFormatError("\n".join(problems))
    return cases


class CaseFailure(AssertionError):
    """A case's expectation did not hold: the message says where, what and why."""


def case_document(case: Case, path: Path) -> dict[str, Any]:
    """The input document of a case: its ``input``, or the JSON file ``input_file`` names
    (relative to the case file). A file that cannot be read is a :class:`CaseFormatError`."""
    if case.input_file is None:
        return dict(case.input or {})
    source = path.parent / case.input_file
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        message = f"input_file '{case.input_file}': cannot read {source} ({reason})"
        raise CaseFormatError(message) from None
    try:
        document = parse_json(text, str(source))
    except EmulationRulesError as exc:
        raise CaseFormatError(f"input_file '{case.input_file}': {exc}") from None
    if not isinstance(document, dict):
        raise CaseFormatError(f"input_file '{case.input_file}': not an input document (an object)")
    return document


def run_case(case: Case, path: Path, registry: Registry | None = None) -> Result | None:
    """Run one case; raise :class:`CaseFailure` with a readable report if it does not hold."""
    reg = registry or load_registry()
    where = f"{path}: case {case.name!r}"
    try:
        document = case_document(case, path)
    except CaseFormatError as exc:
        raise CaseFailure(f"{where}\n  {exc}") from None
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
    problems = unknown_names(case.expect, result) or _compare(case.expect, result)
    if problems:
        raise CaseFailure(where + "\n" + "\n".join(problems))
    return result


def unknown_names(expect: Expectation, result: Result) -> list[str]:
    """Every name an expectation uses that the campaign or the input does not have, each with
    the names it could have meant: a candidate, a criterion, an award, an allocation's group."""
    campaign = result.campaign
    problems: list[str] = []
    ids = list(result.table.ids)
    known_ids = set(ids)
    criteria = {c.id: c for c in campaign.criteria}
    awards = {a.id: a for a in campaign.awards}
    kinds = dict(zip(ids, (c.kind for c in result.inputs), strict=False))
    for section, names in (("criteria", expect.criteria), ("awards", expect.awards)):
        for cid, wanted in names.items():
            if cid not in known_ids:
                problems.append(
                    f"  {section}: candidate {cid!r} is not in the input{_names(cid, ids)}"
                )
                continue
            for name in wanted:
                if section == "criteria" and name not in criteria:
                    problems.append(
                        f"  candidate {cid!r}: criterion {name!r} is not in {campaign.id}"
                        f"{_names(name, criteria)}"
                    )
                elif section == "criteria" and criteria[name].kind != kinds.get(cid):
                    problems.append(
                        f"  candidate {cid!r}: criterion {name!r} is for {criteria[name].kind}s, "
                        f"and {cid!r} is a {kinds.get(cid)}: it is not evaluated for it"
                    )
                elif section == "awards" and name not in awards:
                    problems.append(
                        f"  candidate {cid!r}: award {name!r} is not in {campaign.id}"
                        f"{_names(name, awards)}"
                    )
                elif section == "awards" and awards[name].kind != kinds.get(cid):
                    problems.append(
                        f"  candidate {cid!r}: award {name!r} is for {awards[name].kind}s, "
                        f"and {cid!r} is a {kinds.get(cid)}"
                    )
    for want in expect.allocations:
        if want.award not in awards:
            problems.append(
                f"  allocation: award {want.award!r} is not in {campaign.id}"
                f"{_names(want.award, awards)}"
            )
            continue
        groups = sorted(str(a.group) for a in result.allocations if a.award == want.award)
        grouped = any(a.group is not None for a in result.allocations if a.award == want.award)
        if want.group is None and grouped:
            problems.append(
                f"  allocation {want.award!r}: the award is allocated per group; say which with "
                f"'group:' (groups in this result: {', '.join(groups)})"
            )
        elif want.group is not None and not grouped:
            problems.append(
                f"  allocation {want.award!r}: the award has no groups, so 'group: "
                f"{want.group}' names none (leave 'group' out)"
            )
        elif want.group is not None and want.group not in groups:
            problems.append(
                f"  allocation {want.award!r}: no group {want.group!r} in this result"
                f"{_names(want.group, groups)}"
            )
        for key in ("awarded", "reserve", "tied_at_cutoff", "unranked", "undetermined", "pending"):
            for cid in getattr(want, key) or []:
                if cid not in known_ids:
                    problems.append(
                        f"  allocation {want.award!r}, {key}: candidate {cid!r} is not in the "
                        f"input{_names(cid, ids)}"
                    )
    return problems


def _names(name: str, known: Any, shown: int = 10) -> str:
    """`` (did you mean 'x'?)``, else `` (known: a, b, …)``."""
    names = sorted(str(k) for k in known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if not names:
        return " (there are none)"
    more = f", … {len(names) - shown} more" if len(names) > shown else ""
    return f" (known: {', '.join(names[:shown])}{more})"


def _compare(expect: Expectation, result: Result) -> list[str]:
    problems: list[str] = []
    if "carried_on_by" in expect.model_fields_set:
        got_successor = result.carried_on_by["id"] if result.carried_on_by else None
        if got_successor != expect.carried_on_by:
            problems.append(
                f"  carried_on_by: expected {expect.carried_on_by}, got {got_successor}"
            )
    for cid, wanted in expect.criteria.items():
        got = {v.id: v for v in result.candidate(cid).criteria}
        for crit, verdict in wanted.items():
            v = got[crit]
            if v.verdict != verdict:
                problems.append(
                    f"  candidate {cid!r}, criterion {crit!r}: expected {verdict}, got "
                    f"{v.verdict}\n    observed {dict(v.observed)}; required {v.required}\n"
                    f"    source: {citation_line(v.citation)}"
                )
    for cid, wanted_awards in expect.awards.items():
        got_awards = result.candidate(cid).awards
        for award, state in wanted_awards.items():
            if got_awards.get(award) != state:
                problems.append(
                    f"  candidate {cid!r}, award {award!r}: expected {state}, got "
                    f"{got_awards.get(award, 'not evaluated')}"
                )
    for want in expect.allocations:
        alloc = next(
            a for a in result.allocations if a.award == want.award and a.group == want.group
        )
        label = _allocation_label(want)
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
                problems.append(f"  allocation {label}, {key}: expected {expected}, got {actual}")
        if want.ranks is not None and dict(alloc.ranks) != want.ranks:
            problems.append(
                f"  allocation {label}, ranks: expected {want.ranks}, got {dict(alloc.ranks)}"
            )
        problems += _compare_threats(want, alloc)
        problems += _compare_depends(want, result, alloc)
    return problems


def _allocation_label(want: ExpectedAllocation) -> str:
    return repr(want.award) + (f" (group {want.group!r})" if want.group else "")


def _compare_threats(want: ExpectedAllocation, alloc: Allocation) -> list[str]:
    problems: list[str] = []
    label = _allocation_label(want)
    for cid, expected in (want.threats or {}).items():
        got = alloc.threats.get(cid)
        if got is None:
            problems.append(f"  allocation {label}, threats: {cid!r} is not provisional")
            continue
        for key in ("contenders", "earlier_awards", "fewer_seats"):
            wanted = getattr(expected, key)
            actual = getattr(got, key)
            actual = list(actual) if isinstance(actual, tuple) else actual
            if wanted is not None and actual != wanted:
                problems.append(
                    f"  allocation {label}, threats of {cid!r}, {key}: expected {wanted}, "
                    f"got {actual}"
                )
    return problems


def _compare_depends(want: ExpectedAllocation, result: Result, alloc: Allocation) -> list[str]:
    if not want.depends_on:
        return []
    problems: list[str] = []
    label = _allocation_label(want)
    got_all = result.depends_on(alloc)
    for cid, expected in want.depends_on.items():
        got = got_all.get(cid)
        if got is None:
            problems.append(
                f"  allocation {label}, depends_on: {cid!r} is neither possible nor a contender"
            )
            continue
        for key in ("facts", "awards"):
            wanted = getattr(expected, key)
            if wanted is not None and got[key] != wanted:
                problems.append(
                    f"  allocation {label}, depends_on {cid!r}, {key}: expected {wanted}, "
                    f"got {got[key]}"
                )
    return problems
