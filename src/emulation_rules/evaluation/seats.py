"""Seats: whether a candidate holds a seat of an award's allocation, for criteria that read it
("được tặng": awarded, not merely eligible).

This is the one narrow place where the criteria read the allocation: :func:`seat_reader` gives
the engines a callback that allocates the awards decided so far
(:func:`~emulation_rules.evaluation.allocation.allocate.allocate_with_bounds`, the allocation
every output shows) and reads the outcome for one award as three values, over every completion
of the missing facts:

* ``MET`` — the candidate is in the award's ``awarded`` list: seated under **every** completion
  (a firm seat; the allocation proves it against every competitor's best case and every
  earlier award's outcome);
* ``NOT_MET`` — no completion seats it or ties it at the cut-off: ineligible, the award not
  applicable to it (it did not exist), or out of reach even in its best case (seated for sure
  by an award allocated before, or ranked too low whatever the missing facts turn out to be);
* ``UNKNOWN`` — anything else: ``provisional`` (seated on today's facts, a completion may take
  the seat), ``possible`` (not seated now, a completion may seat it), ``tied_at_cutoff`` and
  ``pending`` (the emulation council decides a tie, so the seat is not known until it does),
  and a candidate that may be tied for an award allocated before (it would be pending here).

Only ``MET`` reads as "awarded"; a missing fact never makes a seat firm, and a candidate that
could still receive the seat is never read as not awarded.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from emulation_rules.engine.columnar import (
    AWARD_NOT_APPLICABLE,
    ELIGIBLE,
    MET,
    NOT_MET,
    OTHER_KIND,
    UNDETERMINED,
    UNKNOWN,
    ColumnarVerdicts,
    Int8Array,
    SeatReader,
)
from emulation_rules.engine.compiler import CompiledPlan
from emulation_rules.engine.fact_table import BoolArray, FactTable
from emulation_rules.evaluation.allocation.allocate import SeatBounds, allocate_with_bounds
from emulation_rules.inputs.validated import Records


def seat_reader(
    plan: CompiledPlan,
    table: FactTable,
    records: Records,
    inactive: Mapping[int, BoolArray] | None = None,
) -> SeatReader:
    """The callback the engines call for a criterion reading an allocation.

    ``inactive`` maps an award's index to the rows it does not apply to (the candidate did not
    exist during its span): they take no part in its allocation, as in the result's."""
    gone = inactive or {}

    def read(j: int, eligibility: Mapping[int, Int8Array]) -> Int8Array:
        n = len(table)
        codes = []
        for k in range(len(plan.awards)):
            c = eligibility.get(k)
            if c is None:  # not decided yet: nobody takes part (never read: 'after' comes first)
                c = np.full(n, OTHER_KIND, dtype=np.int8)
            elif k in gone:
                c = c.copy()
                c[gone[k] & (c != OTHER_KIND)] = AWARD_NOT_APPLICABLE
            codes.append(c)
        verdicts = ColumnarVerdicts((), tuple(codes))
        _, bounds = allocate_with_bounds(plan, table, verdicts, records)
        return seat_codes(plan, bounds, j, codes[j])

    return read


def seat_codes(
    plan: CompiledPlan, bounds: Mapping[str, SeatBounds], j: int, eligibility: Int8Array
) -> Int8Array:
    """MET / NOT_MET / UNKNOWN per row for award ``j`` (OTHER_KIND for the other kind), from
    the allocation's bounds and the award's eligibility codes."""
    award = plan.awards[j]
    own = bounds[award.id]
    out = np.where(eligibility == OTHER_KIND, OTHER_KIND, NOT_MET).astype(np.int8)
    competing = (eligibility == ELIGIBLE) | (eligibility == UNDETERMINED)
    maybe = own.maybe.copy()
    for earlier in award.after:  # a candidate maybe tied there would be pending here
        other = bounds[earlier]
        maybe |= other.maybe & ~other.firm
    out[competing & maybe] = UNKNOWN
    out[competing & own.firm] = MET
    return out
