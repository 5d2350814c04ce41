"""The columnar fact table both engines read: one numpy column per fact, plus a known-mask.

Values are normalised once: booleans to 0/1, ordinal levels to their rank in the scale, numbers
to float64. A missing fact has ``known = False`` (its value slot is 0 and is never read as data).
Individuals' ``of: unit`` facts are copied from their unit's row under the key ``unit.<fact>``.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from emulation_rules.plan.campaign import Campaign, Fact

KIND_CODES = {"collective": 0, "individual": 1}
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int32]


#: Differences between two facts are rounded to this many decimals before they are compared,
#: so that 4.06 - 3.56 is 0.5 (in binary floating point it is 0.4999999999999996).
DIFFERENCE_DECIMALS = 9


def column_key(fact: str, scope: str = "self") -> str:
    """The column name of a fact read from the candidate itself or from its unit."""
    return fact if scope == "self" else f"unit.{fact}"


@attrs.frozen(eq=False)
class FactTable:
    """Candidates as columns. Build it with :func:`emulation_rules.candidates.validate_input`
    or, for bulk runs on data that is already clean, :meth:`from_columns`."""

    ids: tuple[str, ...]
    kind: IntArray
    attributes: Mapping[str, IntArray]
    values: Mapping[str, FloatArray]
    known: Mapping[str, BoolArray]

    def __len__(self) -> int:
        return len(self.ids)

    def difference(self, column: str, other: str) -> tuple[FloatArray, BoolArray]:
        """``column - other`` rounded to :data:`DIFFERENCE_DECIMALS`, and where both are known.

        Both engines compare ``fact OP to_fact + margin`` as ``difference OP margin`` on these
        values, so a published gain of exactly 0.50 is 0.5, never 0.4999999999999996.
        """
        known = self.known[column] & self.known[other]
        diff = np.round(self.values[column] - self.values[other], DIFFERENCE_DECIMALS)
        return np.where(known, diff, 0.0), known

    @classmethod
    def from_columns(
        cls,
        campaign: Campaign,
        *,
        ids: tuple[str, ...],
        kind: IntArray,
        unit_type: IntArray,
        values: Mapping[str, FloatArray],
        known: Mapping[str, BoolArray] | None = None,
        unit_unit_type: IntArray | None = None,
    ) -> FactTable:
        """A table from prepared columns (ranks for ordinals, 0/1 for booleans, NaN = missing).

        Columns are checked for length and for values outside each fact's declared range.
        """
        n = len(ids)
        known_cols: dict[str, BoolArray] = {}
        value_cols: dict[str, FloatArray] = {}
        for key, col in values.items():
            arr = np.asarray(col, dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"column '{key}' has {arr.shape[0]} rows, expected {n}")
            k = np.asarray(known[key], dtype=bool) if known and key in known else ~np.isnan(arr)
            fact = campaign.fact(key.removeprefix("unit."))
            lo, hi = numeric_bounds(campaign, fact)
            bad = k & ((arr < lo) | (arr > hi))
            if bad.any():
                row = int(np.argmax(bad))
                raise ValueError(
                    f"row {row} ({ids[row]}): fact '{key}' = {arr[row]} is outside {lo}..{hi}"
                )
            value_cols[key] = np.where(k, arr, 0.0)
            known_cols[key] = k
        attrs_cols = {"unit_type": np.asarray(unit_type, dtype=np.int32)}
        attrs_cols["unit.unit_type"] = (
            np.asarray(unit_unit_type, dtype=np.int32)
            if unit_unit_type is not None
            else np.full(n, -1, dtype=np.int32)
        )
        return cls(ids, np.asarray(kind, dtype=np.int32), attrs_cols, value_cols, known_cols)


def numeric_bounds(campaign: Campaign, fact: Fact) -> tuple[float, float]:
    """The range a normalised value of ``fact`` must lie in."""
    if fact.type == "boolean":
        return 0.0, 1.0
    if fact.type == "ordinal":
        assert fact.scale is not None
        return 0.0, float(len(campaign.scale(fact.scale).levels) - 1)
    lo = fact.minimum if fact.minimum is not None else -np.inf
    hi = fact.maximum if fact.maximum is not None else np.inf
    return float(lo), float(hi)


def display_value(campaign: Campaign, fact: Fact, value: float, known: bool) -> object:
    """A normalised value back in the form the plan writes it (label, bool, int, float)."""
    if not known:
        return None
    if fact.type == "boolean":
        return bool(value)
    if fact.type == "ordinal":
        assert fact.scale is not None
        return campaign.scale(fact.scale).levels[int(value)]
    if fact.type == "integer":
        return int(value)
    return float(value)
