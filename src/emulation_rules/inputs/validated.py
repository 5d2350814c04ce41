"""Input after validation: the fact table, the candidates as columns, the provenance of values,
the active periods, and the candidates refused (``on_invalid="report"``).

Nothing here holds a Python object per candidate: :attr:`ValidatedInput.candidates` is a
sequence that builds a :class:`~emulation_rules.inputs.envelope.CandidateIn` when one is asked
for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.engine.fact_table import FactTable
from emulation_rules.errors import Problem
from emulation_rules.inputs.envelope import CandidateIn
from emulation_rules.inputs.provenance import FactProvenance, known_on
from emulation_rules.inputs.scores import ScoreEntry

Days = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class Records:
    """The candidates' own fields, as columns (row ``i`` is row ``i`` of the fact table)."""

    ids: tuple[str, ...]
    names: Sequence[str]
    kinds: Sequence[str]
    unit_types: Sequence[str | None]
    unit_ids: Sequence[str | None]
    scores: Mapping[int, Mapping[str, ScoreEntry]] = attrs.Factory(dict)
    #: first and last day each candidate existed (``date.toordinal()``; 0: not given)
    active_from: Days | None = None
    active_until: Days | None = None
    #: the plan's candidate attributes (a cluster …): attribute id -> value per row (None:
    #: not given, as the plan allows)
    attributes: Mapping[str, Sequence[str | None]] = attrs.Factory(dict)

    def __len__(self) -> int:
        return len(self.ids)


class CandidateSequence(Sequence[CandidateIn]):
    """The validated candidates, each built as a :class:`CandidateIn` only when read."""

    def __init__(self, records: Records) -> None:
        self._r = records

    def __len__(self) -> int:
        return len(self._r.ids)

    @overload
    def __getitem__(self, i: int) -> CandidateIn: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[CandidateIn]: ...
    def __getitem__(self, i: int | slice) -> CandidateIn | Sequence[CandidateIn]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        r = self._r
        if i < 0:
            i += len(r.ids)
        af = int(r.active_from[i]) if r.active_from is not None else 0
        au = int(r.active_until[i]) if r.active_until is not None else 0
        return CandidateIn.model_construct(
            id=r.ids[i],
            name=r.names[i],
            kind=r.kinds[i],  # type: ignore[arg-type]
            unit_type=r.unit_types[i],
            unit_id=r.unit_ids[i],
            active_from=dt.date.fromordinal(af) if af else None,
            active_until=dt.date.fromordinal(au) if au else None,
            facts={},
            scores=dict(r.scores[i]) if i in r.scores else None,
            attributes={k: v for k, col in r.attributes.items() if (v := col[i]) is not None}
            or None,
        )

    def __iter__(self) -> Iterator[CandidateIn]:
        for i in range(len(self)):
            yield self[i]


@attrs.frozen
class Rejected:
    """A candidate refused under ``on_invalid="report"``, with every problem it has."""

    id: str | None
    name: str | None
    where: str
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "where": self.where,
            "problems": [p.to_dict() for p in self.problems],
        }


@attrs.frozen(eq=False)
class ValidatedInput:
    """Candidates after validation: the fact table both engines read, the candidates' fields,
    the provenance of fact values, and (``on_invalid="report"``) the candidates refused."""

    table: FactTable
    records: Records
    provenance: Mapping[str, FactProvenance] = attrs.Factory(dict)
    rejected: tuple[Rejected, ...] = ()
    #: "refuse" (bad input raised) or "report" (refused candidates listed in ``rejected``)
    on_invalid: str = "refuse"
    _memo: dict[str, Any] = attrs.field(factory=dict, repr=False, alias="_memo")

    @property
    def candidates(self) -> CandidateSequence:
        return CandidateSequence(self.records)

    def table_on(self, day: dt.date) -> FactTable:
        """The fact table as known on ``day``: a value published after it is unknown (every
        year of a series published after it, too)."""
        if not self.provenance:
            return self.table
        known = dict(self.table.known)
        values = dict(self.table.values)
        id_sets = dict(self.table.id_sets)
        changed = False
        for fact_id, prov in self.provenance.items():
            ok = known_on(prov, day)
            if ok.all():
                continue
            changed = True
            unit = self.unit_rows()
            on_unit = np.where(unit >= 0, ok[np.maximum(unit, 0)], True)
            for key in [*known, *id_sets]:  # the fact's own and its unit's, every year
                if key.removeprefix("unit.").partition("@")[0] != fact_id:
                    continue
                mask = on_unit if key.startswith("unit.") else ok
                if key in id_sets:
                    sets = id_sets[key]
                    id_sets[key] = tuple(v if mask[i] else None for i, v in enumerate(sets))
                else:
                    known[key] = known[key] & mask
                    values[key] = np.where(known[key], values[key], 0.0)
        if not changed:
            return self.table
        return attrs.evolve(self.table, values=values, known=known, id_sets=id_sets)

    def unit_rows(self) -> npt.NDArray[np.int64]:
        """Each individual's unit row (-1: a collective, or a unit not in the input)."""
        if "unit_rows" in self._memo:
            rows: npt.NDArray[np.int64] = self._memo["unit_rows"]
            return rows
        index = {cid: i for i, cid in enumerate(self.records.ids)}
        self._memo["unit_rows"] = np.fromiter(
            (
                index.get(u, -1) if k == "individual" and u is not None else -1
                for k, u in zip(self.records.kinds, self.records.unit_ids, strict=True)
            ),
            dtype=np.int64,
            count=len(self.records),
        )
        return self.unit_rows()

    def unpublished_on(self, day: dt.date) -> dict[tuple[int, str], str]:
        """(row, fact) -> publication date, for values not yet published on ``day``."""
        out: dict[tuple[int, str], str] = {}
        for fact_id, prov in self.provenance.items():
            late = ~known_on(prov, day)
            for i in np.flatnonzero(late).tolist():
                out[(i, fact_id)] = dt.date.fromordinal(int(prov.published[i])).isoformat()
        return out
