"""Seats: whether a candidate holds a seat of an award's allocation, for criteria that read it
("được tặng": awarded, not merely eligible).

This is the one narrow place where the criteria read the allocation: :func:`seat_reader` gives
the engines a callback that allocates the awards decided so far (:func:`allocate`, unchanged)
and reads the outcome for one award as three values, conservatively:

* ``MET`` — the allocation settles it: the candidate is in ``awarded``, no candidate of its group
  could still outrank it (none undetermined, none unranked) and the allocations it follows
  (``after``) are settled (nothing undetermined, unranked, tied or pending there). A tie at the
  cut-off concerns the seats below the candidates seated above it;
* ``NOT_MET`` — ineligible, or settled without a seat (in ``reserve`` below a tie or a full
  quota, with nobody left to outrank; or seated by an award it follows, that award settled);
* ``UNKNOWN`` — anything else. Without a quota, every eligible candidate holds a seat (the
  ranking only orders them).

Only ``MET`` reads as "awarded"; a missing fact never makes a seat firm.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from emulation_rules.engine.columnar import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    NOT_MET,
    OTHER_KIND,
    UNKNOWN,
    Int8Array,
    SeatReader,
)
from emulation_rules.engine.compiler import CompiledPlan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.evaluation.allocation import Allocation, allocate


def seat_reader(plan: CompiledPlan, table: FactTable) -> SeatReader:
    """The callback the engines call for a criterion reading an allocation."""

    def read(j: int, eligibility: Mapping[int, Int8Array]) -> Int8Array:
        n = len(table)
        codes = [
            eligibility.get(k, np.full(n, OTHER_KIND, dtype=np.int8))
            for k in range(len(plan.awards))
        ]
        return seat_codes(plan, table, allocate(plan, table, codes), j, codes[j])

    return read


def _outrankable(alloc: Allocation) -> bool:
    """Someone not ranked yet could take any seat of the group."""
    return bool(alloc.undetermined or alloc.unranked)


def _open(alloc: Allocation) -> bool:
    return bool(
        alloc.undetermined
        or alloc.unranked
        or alloc.tied_at_cutoff
        or alloc.pending
        or alloc.seats_undecided
    )


def _after_closure(plan: CompiledPlan, j: int) -> set[str]:
    by_id = {a.id: a for a in plan.awards}
    todo = list(plan.awards[j].after)
    seen: set[str] = set()
    while todo:
        aid = todo.pop()
        if aid not in seen and aid in by_id:
            seen.add(aid)
            todo.extend(by_id[aid].after)
    return seen


def seat_codes(
    plan: CompiledPlan,
    table: FactTable,
    allocations: tuple[Allocation, ...],
    j: int,
    eligibility: Int8Array,
) -> Int8Array:
    """MET / NOT_MET / UNKNOWN per row for award ``j`` (OTHER_KIND for the other kind)."""
    award = plan.awards[j]
    row = {cid: i for i, cid in enumerate(table.ids)}
    out = np.where(eligibility == OTHER_KIND, OTHER_KIND, UNKNOWN).astype(np.int8)
    out[eligibility == INELIGIBLE] = NOT_MET
    chain = _after_closure(plan, j)
    chain_open = any(_open(a) for a in allocations if a.award in chain)
    own = [a for a in allocations if a.award == award.id]
    placed: set[int] = set()
    for alloc in own:
        listed = [
            *alloc.awarded,
            *alloc.reserve,
            *alloc.tied_at_cutoff,
            *alloc.unranked,
            *alloc.undetermined,
            *alloc.pending,
        ]
        placed |= {row[c] for c in listed}
        if award.quota is None:
            if not chain_open:
                for cid in (*alloc.awarded, *alloc.unranked):
                    out[row[cid]] = MET
            continue
        if chain_open or _outrankable(alloc):
            continue
        for cid in alloc.awarded:
            out[row[cid]] = MET
        for cid in alloc.reserve:
            out[row[cid]] = NOT_MET
    if not chain_open:  # eligible, but seated by an award this one follows: no seat here
        for i in np.flatnonzero(eligibility == ELIGIBLE).tolist():
            if i not in placed:
                out[i] = NOT_MET
    return out
