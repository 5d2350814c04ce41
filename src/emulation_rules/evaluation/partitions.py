"""``evaluate_partitions``: a run cut into input partitions, decided partition by partition and
allocated once — the boundary a national run is spread over (``docs/engine.md``, "Past one
machine").

A candidate's verdicts and eligibility depend on no other candidate but its unit and its unit's
members (member aggregates, a unit's facts and eligibility). So every partition holds whole
units — a collective with the individuals whose ``unit_id`` names it — and is validated and
decided on its own (the *map*: the columnar evaluator, and durable-rules with the agreement
check under ``engine="both"``); the partitions' arrays are then put end to end, in partition
order, and allocated once (the *reduce*: quotas, ranking, groups and ties are over everyone).
The result is the one :func:`~emulation_rules.evaluation.evaluate.evaluate` gives on the
partitions' candidates put end to end, byte for byte in every writer.

Refused, each problem naming its candidate and partition, all at once: a candidate id in two
partitions, and an individual whose unit is in another partition (its unit's facts and its
unit's members' counts would be decided without it). A plan whose criteria read an allocation
(``{award: X, outcome: awarded}``) needs the allocation before the verdicts, so it has no such
boundary: :class:`~emulation_rules.errors.EvaluationError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.engine.columnar import ColumnarVerdicts, evaluate_columns, prepare_table
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.errors import EvaluationError, InputError, Problem
from emulation_rules.evaluation.allocation.allocate import allocate
from emulation_rules.evaluation.evaluate import (
    Engine,
    _check_agreement,
    _compiled,
    _not_applicable_when_inactive,
    _require_criteria,
    default_registry,
    finish_result,
    inactive_awards,
    resolve_as_of,
)
from emulation_rules.evaluation.result import Result
from emulation_rules.inputs.candidates import (
    CandidateIn,
    InputDocument,
    read_document,
    validate_input,
)
from emulation_rules.inputs.provenance import FactProvenance
from emulation_rules.inputs.validate import OnInvalid, validate_raw
from emulation_rules.inputs.validated import Records, ValidatedInput
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign
from emulation_rules.plugins.registry import Registry

Partition = Sequence[CandidateIn | Mapping[str, Any]] | InputDocument | Mapping[str, Any]
_T = TypeVar("_T")


def evaluate_partitions(
    campaign: Campaign | str,
    partitions: Iterable[Partition | ValidatedInput],
    *,
    as_of: dt.date | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    engine: Engine = "both",
    registry: Registry | None = None,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> Result:
    """Evaluate candidates given in partitions, each holding whole units, and allocate once.

    Each partition is what :func:`~emulation_rules.evaluation.evaluate.evaluate` accepts (a list
    of candidates, an input document) or input already validated (``load_input``'s). The other
    arguments mean what they mean there; ``as_of`` defaults to the documents' ``as_of`` (they
    must agree), else the campaign's last day. Empty partitions are passed over.
    """
    reg = registry
    if isinstance(campaign, str):
        reg = reg or default_registry()
        campaign = reg.campaign(campaign)
    _require_criteria(campaign)
    if engine not in ("both", "columnar"):
        raise EvaluationError(f"engine must be 'both' or 'columnar', not {engine!r}")
    parts: list[ValidatedInput] = []
    numbers: list[int] = []  # each kept partition's number (from 1), empty ones passed over
    days: set[dt.date] = set()
    problems: list[Problem] = []
    for k, part in enumerate(partitions):
        try:
            validated, day = _validate(campaign, part, on_invalid, limits)
        except InputError as exc:
            problems.extend(_in_partition(p, k) for p in exc.problems)
            continue
        if day is not None:
            days.add(day)
        if validated is not None and (len(validated.records) or validated.rejected):
            parts.append(_label_rejected(validated, k))
            numbers.append(k + 1)
    if problems:
        raise InputError(problems)
    if not parts:
        raise InputError("no candidates in any partition")
    problems = _boundary_problems(parts, numbers)
    if problems:
        raise InputError(problems)
    if as_of is None and len(days) > 1:
        shown = ", ".join(sorted(d.isoformat() for d in days))
        raise EvaluationError(f"the partitions' documents give different as_of dates: {shown}")
    day = resolve_as_of(campaign, as_of if as_of is not None else next(iter(days), None))
    plan, rete = _compiled(campaign, day, overrides, with_rete=engine == "both")
    if plan.needs_seats():
        raise EvaluationError(
            f"{campaign.id} has criteria that read an award's allocation (outcome: awarded): "
            "its verdicts need the allocation over every partition first, so it cannot be "
            "decided partition by partition; evaluate it in one run"
        )
    tables: list[FactTable] = []
    decided: list[ColumnarVerdicts] = []
    for validated in parts:  # the map: each partition on its own
        inactive = inactive_awards(campaign, plan, validated)
        by_award = {plan.awards[j].id: mask for j, mask in inactive.items()}
        table = prepare_table(plan, validated.table_on(day), by_award)
        verdicts = evaluate_columns(plan, table)
        if rete is not None:
            _check_agreement(plan, table.ids, verdicts, rete.decide(table))
        tables.append(table)
        decided.append(_not_applicable_when_inactive(verdicts, inactive))
    # the reduce: the arrays end to end, allocated once
    validated = concat_validated(parts)
    table = concat_tables(tables)
    verdicts = concat_verdicts(decided)
    allocations = allocate(plan, table, verdicts, validated.records)
    return finish_result(
        campaign, plan, validated, table, verdicts, allocations, engine=engine, registry=reg
    )


def _validate(
    campaign: Campaign,
    part: Partition | ValidatedInput,
    on_invalid: OnInvalid,
    limits: Limits | None,
) -> tuple[ValidatedInput | None, dt.date | None]:
    """The partition validated (None if it is empty) and its document's as_of."""
    if isinstance(part, ValidatedInput):
        return part, None
    if isinstance(part, Mapping):
        day, raw = read_document(campaign, part)
        if raw.n == 0:
            return None, day
        return validate_raw(campaign, raw, on_invalid=on_invalid, limits=limits), day
    rows: list[CandidateIn | Mapping[str, Any]]
    if isinstance(part, InputDocument):
        day, rows = part.as_of, list(part.candidates)
    else:
        day, rows = None, list(part)
    if not rows:
        return None, day
    return validate_input(campaign, rows, on_invalid=on_invalid, limits=limits), day


def _in_partition(problem: Problem, k: int) -> Problem:
    return Problem(
        f"partition {k + 1}: {problem.where}" if problem.where else f"partition {k + 1}",
        problem.field,
        problem.rule,
        problem.value,
        candidate=problem.candidate,
        row=problem.row,
        cell=problem.cell,
    )


def _label_rejected(validated: ValidatedInput, k: int) -> ValidatedInput:
    if not validated.rejected:
        return validated
    rejected = tuple(
        attrs.evolve(
            r,
            where=f"partition {k + 1}: {r.where}",
            problems=tuple(_in_partition(p, k) for p in r.problems),
        )
        for r in validated.rejected
    )
    return attrs.evolve(validated, rejected=rejected)


def _boundary_problems(parts: Sequence[ValidatedInput], numbers: Sequence[int]) -> list[Problem]:
    """A candidate in two partitions; an individual whose unit is in another partition
    (``numbers``: each part's partition number, as the caller counts them)."""
    home: dict[str, int] = {}
    problems: list[Problem] = []
    for k, part in zip(numbers, parts, strict=True):
        for cid in part.records.ids:
            first = home.setdefault(cid, k)
            if first != k:
                problems.append(
                    Problem(
                        f"candidate {cid!r} (partition {k})",
                        "field 'id'",
                        f"an id appears once over all partitions (also in partition {first})",
                        candidate=cid,
                    )
                )
    for k, part in zip(numbers, parts, strict=True):
        r = part.records
        for cid, kind, unit in zip(r.ids, r.kinds, r.unit_ids, strict=True):
            if kind != "individual" or unit is None:
                continue
            where = home.get(unit)
            if where is not None and where != k:
                problems.append(
                    Problem(
                        f"candidate {cid!r} (partition {k})",
                        "field 'unit_id'",
                        f"a unit's members are in its partition (unit {unit!r} is in partition "
                        f"{where})",
                        candidate=cid,
                    )
                )
    return problems


# --- putting the partitions' arrays end to end ---------------------------------------------------
def _offsets(lengths: Sequence[int]) -> list[int]:
    return [int(x) for x in np.concatenate(([0], np.cumsum(lengths)[:-1]))] if lengths else []


def _columns(
    maps: Sequence[Mapping[str, _T]], lengths: Sequence[int], fill: Any, join: Any
) -> dict[str, _T]:
    """Key by key, each part's column or ``fill(n)`` where a part has none, joined."""
    keys: list[str] = []
    for m in maps:
        keys.extend(key for key in m if key not in keys)
    return {
        key: join([m[key] if key in m else fill(n) for m, n in zip(maps, lengths, strict=True)])
        for key in keys
    }


def _rows(arrays: Sequence[npt.NDArray[Any] | None], lengths: Sequence[int], dtype: Any) -> Any:
    if all(a is None for a in arrays):
        return None
    return np.concatenate(
        [np.zeros(n, dtype=dtype) if a is None else a for a, n in zip(arrays, lengths, strict=True)]
    )


def _tuples(parts: Sequence[Sequence[_T]]) -> tuple[_T, ...]:
    return tuple(x for part in parts for x in part)


def concat_tables(tables: Sequence[FactTable]) -> FactTable:
    """The tables end to end (a column a table lacks is unknown there; unit rows shifted)."""
    lengths = [len(t) for t in tables]
    offsets = _offsets(lengths)
    units = None
    if any(t.unit_row is not None for t in tables):
        units = np.concatenate(
            [
                np.where(u >= 0, u + off, -1).astype(u.dtype)
                for t, off in zip(tables, offsets, strict=True)
                for u in (t.units(),)
            ]
        )
    return attrs.evolve(
        tables[0],
        ids=_tuples([t.ids for t in tables]),
        kind=np.concatenate([t.kind for t in tables]),
        attributes=_columns(
            [t.attributes for t in tables], lengths, lambda n: np.full(n, -1), np.concatenate
        ),
        values=_columns([t.values for t in tables], lengths, lambda n: np.zeros(n), np.concatenate),
        known=_columns(
            [t.known for t in tables], lengths, lambda n: np.zeros(n, dtype=bool), np.concatenate
        ),
        unit_row=units,
        id_sets=_columns([t.id_sets for t in tables], lengths, lambda n: (None,) * n, _tuples),
    )


def concat_verdicts(parts: Sequence[ColumnarVerdicts]) -> ColumnarVerdicts:
    """The partitions' verdict, eligibility, guard and member-count arrays end to end."""
    first = parts[0]
    guards = tuple(
        None if g is None else np.concatenate([p.guards[i] for p in parts])
        for i, g in enumerate(first.guards)
    )
    return ColumnarVerdicts(
        criteria=tuple(
            np.concatenate([p.criteria[i] for p in parts]) for i in range(len(first.criteria))
        ),
        awards=tuple(
            np.concatenate([p.awards[j] for p in parts]) for j in range(len(first.awards))
        ),
        guards=guards,
        members={
            k: (
                np.concatenate([p.members[k][0] for p in parts]),
                np.concatenate([p.members[k][1] for p in parts]),
                np.concatenate([p.members[k][2] for p in parts]),
            )
            for k in first.members
        },
    )


def concat_validated(parts: Sequence[ValidatedInput]) -> ValidatedInput:
    """The validated partitions as one input, candidates in partition order."""
    lengths = [len(p.records) for p in parts]
    offsets = _offsets(lengths)
    recs = [p.records for p in parts]
    records = Records(
        ids=_tuples([r.ids for r in recs]),
        names=[x for r in recs for x in r.names],
        kinds=[x for r in recs for x in r.kinds],
        unit_types=[x for r in recs for x in r.unit_types],
        unit_ids=[x for r in recs for x in r.unit_ids],
        scores={
            i + off: s for r, off in zip(recs, offsets, strict=True) for i, s in r.scores.items()
        },
        active_from=_rows([r.active_from for r in recs], lengths, np.int64),
        active_until=_rows([r.active_until for r in recs], lengths, np.int64),
        attributes=_columns(
            [r.attributes for r in recs],
            lengths,
            lambda n: [None] * n,
            lambda cols: [x for c in cols for x in c],
        ),
    )
    provenance = _columns(
        [p.provenance for p in parts],
        lengths,
        lambda n: FactProvenance(np.zeros(n, dtype=np.int64), {}),
        lambda provs: FactProvenance(
            np.concatenate([p.published for p in provs]),
            {
                i + off: shown
                for p, off in zip(provs, offsets, strict=True)
                for i, shown in p.shown.items()
            },
        ),
    )
    return ValidatedInput(
        concat_tables([p.table for p in parts]),
        records,
        provenance,
        _tuples([p.rejected for p in parts]),
        on_invalid=parts[0].on_invalid,
    )
