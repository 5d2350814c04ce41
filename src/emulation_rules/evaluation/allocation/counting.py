"""Counting competitors at or above a position, and the two seat conditions.

Walking the ranking tier by tier against a quota ``q`` and a cap ``c`` per unit (a unit being
any value of the cap's attribute) seats a candidate exactly when, counting the candidates at or
above it (itself and its equals included)::

    at_or_above(own unit) <= c   and   sum over units u of min(at_or_above(u), c) <= q

(the *seat* condition), and seats it or leaves it tied at the cut-off for the council exactly
when, counting those strictly above it::

    strictly_above(own unit) < c   and   sum over units u of min(strictly_above(u), c) < q

(the *take* condition: a tied candidate waits for the council, so a later award does not rank
it either). Without a cap the sums are plain counts. Both conditions only get harder as
competitors are added, which is what lets the allocation bound every completion of the missing
facts by its best and its worst case.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from emulation_rules.engine.fact_table import BoolArray

#: integer arrays of any width: rank codes, units, counts, row numbers
Ints = npt.NDArray[np.signedinteger[Any]]


def counts(
    point_codes: Ints,
    point_units: Ints,
    query_codes: Ints,
    query_units: Ints,
    *,
    strict: bool,
    cap: int | None,
) -> tuple[Ints, Ints]:
    """For each query: ``(sum over units of min(n_u, cap), n of the query's own unit)``, where
    ``n_u`` counts the points of unit u whose code is ``<=`` the query's (``<`` if ``strict``).
    Without a cap the sum is the plain count and the own-unit count is not computed (zeros)."""
    side: Literal["left", "right"] = "left" if strict else "right"
    if cap is None:
        total = np.searchsorted(np.sort(point_codes), query_codes, side=side).astype(np.int64)
        return total, np.zeros(len(query_codes), dtype=np.int64)
    # min(n_u, cap) counts the points of unit u whose code is within the query's and whose place
    # among their unit's points, in code order, is below the cap: the points at or below a code
    # are a prefix of that order, equals included. So the capped sum is a plain count over the
    # points placed below the cap, and the own-unit count a search among the unit's own points.
    _, unit_of = np.unique(np.concatenate([point_units, query_units]), return_inverse=True)
    codes, code_of = np.unique(np.concatenate([point_codes, query_codes]), return_inverse=True)
    n_points = len(point_codes)
    width = len(codes) + 1  # a unit's keys are unit * width + code: ordered by unit, then code
    keys = unit_of.astype(np.int64) * width + code_of
    point_keys = np.sort(keys[:n_points])
    query_keys = keys[n_points:]
    unit_start = np.searchsorted(point_keys, query_keys - code_of[n_points:], side="left")
    own = np.searchsorted(point_keys, query_keys, side=side) - unit_start
    first_of_unit = np.searchsorted(point_keys, point_keys - point_keys % width, side="left")
    place = np.arange(n_points) - first_of_unit
    capped = np.sort(point_keys[place < cap] % width)
    total = np.searchsorted(capped, code_of[n_points:], side=side)
    return total.astype(np.int64), own.astype(np.int64)


def seat_holds(total: Ints, own: Ints, quota: int, cap: int | None) -> BoolArray:
    """The seat condition on counts at or above (the candidate itself included)."""
    ok = total <= quota
    if cap is not None:
        ok &= own <= cap
    return ok


def take_holds(total: Ints, own: Ints, quota: int, cap: int | None) -> BoolArray:
    """The take condition (seated, or tied at the cut-off) on counts strictly above."""
    ok = total < quota
    if cap is not None:
        ok &= own < cap
    return ok


def add_self(total: Ints, own: Ints, add: BoolArray, cap: int | None) -> None:
    """Count the candidate itself where ``add`` (in place): one more in its own unit."""
    if cap is None:
        total += add
        return
    total += add & (own < cap)
    own += add


def remove_self(total: Ints, own: Ints, remove: BoolArray, cap: int | None) -> None:
    """Stop counting the candidate itself where ``remove`` (in place)."""
    if cap is None:
        total -= remove
        return
    total -= remove & (own <= cap)
    own -= remove
