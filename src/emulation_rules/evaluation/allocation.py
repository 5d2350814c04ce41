"""Allocation: rank the eligible of each award by the plan's key, apply the quota, keep a reserve,
and report a tie at the cut-off for the emulation council (Hội đồng Thi đua – Khen thưởng) to
decide. Nothing is decided by input order: candidates equal on every ranking key form one group,
listed by id for display only, and a group that straddles the cut-off is reported as tied.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from emulation_rules.engine.columnar import ELIGIBLE, UNDETERMINED, Int8Array
from emulation_rules.engine.compiler import CompiledAward, CompiledPlan
from emulation_rules.engine.fact_table import FactTable


@attrs.frozen
class Allocation:
    """One award's allocation (per group when the award's quota applies within groups)."""

    award: str
    kind: str
    group: str | None
    quota: int | None
    awarded: tuple[str, ...]
    reserve: tuple[str, ...]
    tied_at_cutoff: tuple[str, ...]
    seats_undecided: int
    unranked: tuple[str, ...]
    undetermined: tuple[str, ...]
    pending: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "award": self.award,
            "kind": self.kind,
            "quota": self.quota,
            "awarded": list(self.awarded),
            "reserve": list(self.reserve),
            "tied_at_cutoff": list(self.tied_at_cutoff),
            "seats_undecided": self.seats_undecided,
            "unranked": list(self.unranked),
            "undetermined": list(self.undetermined),
            "pending": list(self.pending),
        }
        if self.group is not None:
            out["group"] = self.group
        return out


def allocate(
    plan: CompiledPlan, table: FactTable, eligibility: Sequence[Int8Array]
) -> tuple[Allocation, ...]:
    """Allocate every award of the plan, in the order that respects ``after``."""
    awarded_rows: dict[str, set[int]] = {}
    tied_rows: dict[str, set[int]] = {}
    out: list[Allocation] = []
    unit_types = plan.campaign.unit_types()
    row_of = {cid: i for i, cid in enumerate(table.ids)}
    codes = table.attributes["unit_type"]
    for j, award in enumerate(plan.awards):
        # recipients of an earlier award are not ranked again, nor are candidates tied for its
        # last seats: they wait for the council's decision there (listed as `pending` here)
        earlier = [(awarded_rows[a], tied_rows[a]) for a in award.after]
        excluded = set().union(*(done | tied for done, tied in earlier))
        waiting = set().union(*(tied for _, tied in earlier))
        elig = np.flatnonzero(eligibility[j] == ELIGIBLE).tolist()
        undet = np.flatnonzero(eligibility[j] == UNDETERMINED).tolist()
        group_of: list[tuple[str | None, int | None]] = (
            list(zip(unit_types, range(len(unit_types)), strict=True))
            if award.per_group == "unit_type"
            else [(None, None)]
        )
        awarded_rows[award.id], tied_rows[award.id] = set(), set()
        for group, code in group_of:

            def in_group(i: int, code: int | None = code) -> bool:
                return code is None or int(codes[i]) == code

            alloc = _allocate_group(
                award,
                group,
                [i for i in elig if in_group(i) and i not in excluded],
                [i for i in undet if in_group(i) and i not in excluded],
                [i for i in elig if in_group(i) and i in waiting],
                table,
            )
            awarded_rows[award.id] |= {row_of[cid] for cid in alloc.awarded}
            tied_rows[award.id] |= {row_of[cid] for cid in alloc.tied_at_cutoff}
            out.append(alloc)
    return tuple(out)


def _allocate_group(
    award: CompiledAward,
    group: str | None,
    rows: list[int],
    undetermined: list[int],
    pending: list[int],
    table: FactTable,
) -> Allocation:
    ids = table.ids
    kind = award.award.kind
    ranked: list[tuple[tuple[float, ...], str]] = []
    unranked: list[str] = []
    for i in rows:
        parts: list[float] = []
        for column, desc in award.ranking:
            if not table.known[column][i]:
                break
            value = float(table.values[column][i])
            parts.append(-value if desc else value)
        else:
            ranked.append((tuple(parts), ids[i]))
            continue
        unranked.append(ids[i])
    ranked.sort()
    undet_ids = tuple(sorted(ids[i] for i in undetermined))
    pending_ids = tuple(sorted(ids[i] for i in pending))
    if award.quota is None:
        return Allocation(
            award.id,
            kind,
            group,
            None,
            tuple(cid for _, cid in ranked),
            (),
            (),
            0,
            tuple(sorted(unranked)),
            undet_ids,
            pending_ids,
        )
    # group candidates equal on every key; walk the groups against the quota
    tiers: list[list[str]] = []
    last: tuple[float, ...] | None = None
    for key, cid in ranked:
        if key != last:
            tiers.append([])
            last = key
        tiers[-1].append(cid)
    awarded: list[str] = []
    reserve: list[str] = []
    tied: list[str] = []
    seats = award.quota
    for tier in tiers:
        if tied or seats == 0:
            reserve.extend(tier)
        elif len(tier) <= seats:
            awarded.extend(tier)
            seats -= len(tier)
        else:
            tied.extend(tier)
    # seats left free while an eligible candidate could not be ranked are not decided either
    undecided = seats if tied else min(seats, len(unranked))
    return Allocation(
        award.id,
        kind,
        group,
        award.quota,
        tuple(awarded),
        tuple(reserve),
        tuple(tied),
        undecided,
        tuple(sorted(unranked)),
        undet_ids,
        pending_ids,
    )
