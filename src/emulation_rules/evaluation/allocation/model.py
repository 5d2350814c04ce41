"""The allocation of one award (in one group): immutable, with a fixed JSON shape.

Where a candidate stands is one of these lists, which do not overlap:

* ``awarded`` — seated under **every** completion of the missing facts (a firm seat);
* ``provisional`` — seated on the facts known now, but some completion takes the seat away;
  ``threats`` says by whom or by what;
* ``tied_at_cutoff`` — equal on every ranking key across the cut-off: the council decides;
* ``reserve`` — eligible and ranked, below the seats;
* ``unranked`` — eligible, a ranking fact missing, no seat certain;
* ``undetermined`` — eligibility unknown (a fact is missing);
* ``pending`` — eligible, but tied for an award allocated before this one.

``possible`` overlaps them: every candidate not seated now that some completion would seat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

#: the words for where a candidate stands in an allocation, in every output format, by precedence
STATUSES = (
    "awarded",
    "provisional",
    "tied_at_cutoff",
    "possible",
    "reserve",
    "unranked",
    "undetermined",
    "pending",
)


@attrs.frozen
class Threats:
    """Why a provisional seat is not firm."""

    contenders: tuple[str, ...] = ()
    """candidates who could rank at or above it once their missing facts are known (strongest
    first, then by id)"""
    earlier_awards: tuple[str, ...] = ()
    """awards allocated before this one that the seat holder may still receive"""
    fewer_seats: bool = False
    """the quota is a share of a count that may turn out smaller"""

    def to_dict(self) -> dict[str, Any]:
        return {
            "contenders": list(self.contenders),
            "earlier_awards": list(self.earlier_awards),
            "fewer_seats": self.fewer_seats,
        }


@attrs.frozen
class ShareInfo:
    """A quota written as a share: the rule and the seats it gives now and at the extremes."""

    percent: int | float
    of: str
    award: str | None
    rounding: str
    base: int
    seats_min: int
    seats_max: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": self.percent,
            "of": self.of,
            "award": self.award,
            "rounding": self.rounding,
            "base": self.base,
            "seats_min": self.seats_min,
            "seats_max": self.seats_max,
        }


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
    provisional: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    ranks: Mapping[str, int] = attrs.field(factory=dict)
    threats: Mapping[str, Threats] = attrs.field(factory=dict)
    waits_on: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """candidate -> the earlier awards its place here depends on (it may receive or lose them)"""
    group_values: Mapping[str, str | None] | None = None
    share: ShareInfo | None = None
    cap: tuple[str, int] | None = None
    _status_index: dict[str, str] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def status(self, candidate_id: str) -> str | None:
        """Where the candidate stands (a word of :data:`STATUSES`), or None if not listed."""
        index = self._status_index
        if not index:  # built on first use; later words of STATUSES yield to earlier ones
            for word in reversed(STATUSES):
                for cid in getattr(self, word):
                    index[cid] = word
        return index.get(candidate_id)

    def listed(self) -> tuple[str, ...]:
        """Every candidate the allocation lists, once each, in the order of :data:`STATUSES`
        (the awarded first, then the provisional, …) and, within a word, as listed there."""
        seen: dict[str, None] = {}
        for word in STATUSES:
            for cid in getattr(self, word):
                seen.setdefault(cid, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "award": self.award,
            "kind": self.kind,
            "quota": self.quota,
            "awarded": list(self.awarded),
            "provisional": list(self.provisional),
            "possible": list(self.possible),
            "reserve": list(self.reserve),
            "tied_at_cutoff": list(self.tied_at_cutoff),
            "seats_undecided": self.seats_undecided,
            "unranked": list(self.unranked),
            "undetermined": list(self.undetermined),
            "pending": list(self.pending),
            "ranks": dict(self.ranks),
            "threats": {cid: t.to_dict() for cid, t in self.threats.items()},
            "quota_share": self.share.to_dict() if self.share else None,
            "cap": {"by": self.cap[0], "count": self.cap[1]} if self.cap else None,
        }
        if self.group is not None:
            out["group"] = self.group
            out["group_values"] = dict(self.group_values or {})
        return out
