"""Hand-written baselines for the synthetic campaign's award eligibility.

Each computes the set of *eligible* candidates only: every criterion met (or, for the guarded one,
not applicable). A missing fact can never make a criterion met, which is all of the library's
three-valued logic that matters for that set, so the baselines need no ``unknown`` state:

* durable-rules: a missing fact is sent as a sentinel that fails every comparison it is in;
* numpy: NaN compares false;
* polars: a null propagates (Kleene ``&`` / ``|``) and a null result is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import durable.engine as durable_engine
import numpy as np
import numpy.typing as npt
from synthetic import (
    DDCI_LEVELS,
    DDCI_MIN_RANK,
    GUARDED_UNIT_TYPES,
    INITIATIVES_MIN,
    ON_TIME_MIN,
    ONLINE_MIN,
    PAR_MIN,
    SCORE_MARGIN,
    SIPAS_MIN,
    UNIT_TYPES,
    Columns,
)

BoolArray = npt.NDArray[np.bool_]

# --- durable-rules ------------------------------------------------------------------------------
CHUNK = 1000
SID = "bench"
_RULESET = "bench_eligibility"

# message field -> fact id; a missing fact becomes MISSING (fails every ">=" and "== 1" here),
# except the right-hand side of the "improved by a margin" comparison, which becomes MISSING_RHS
_FIELDS = {
    "par": "par_index",
    "sip": "sipas",
    "rep": "reports_on_time",
    "dis": "discipline_ok",
    "ddc": "ddci_grade",
    "ini": "recognised_initiatives",
    "top": "in_top_group",
    "sc": "component_score",
    "scp": "component_score_previous",
    "onl": "online_dossier_rate",
    "otr": "on_time_dossier_rate",
    "pub": "publishes_procedures",
}
MISSING = -1.0
MISSING_RHS = 1.0e9
_UNGUARDED = [UNIT_TYPES.index(u) for u in UNIT_TYPES if u not in GUARDED_UNIT_TYPES]
_SCORE_RHS = {"$add": {"$l": {"$m": "scp"}, "$r": SCORE_MARGIN}}


def _eligible_condition() -> dict[str, Any]:
    return {
        "$and": [
            {"$gte": {"par": PAR_MIN}},
            {"$gte": {"sip": SIPAS_MIN}},
            {"rep": 1},
            {"dis": 1},
            {"$gte": {"ddc": DDCI_MIN_RANK}},
            {"$or": [{"$gte": {"ini": INITIATIVES_MIN}}, {"top": 1}]},
            {"$gte": {"sc": _SCORE_RHS}},
            {"$or": [*({"ut": u} for u in _UNGUARDED), {"$gte": {"onl": ONLINE_MIN}}]},
            {"$gte": {"otr": ON_TIME_MIN}},
            {"pub": 1},
        ]
    }


def _complement_condition() -> dict[str, Any]:
    return {
        "$or": [
            {"$lt": {"par": PAR_MIN}},
            {"$lt": {"sip": SIPAS_MIN}},
            {"$neq": {"rep": 1}},
            {"$neq": {"dis": 1}},
            {"$lt": {"ddc": DDCI_MIN_RANK}},
            {"$and": [{"$lt": {"ini": INITIATIVES_MIN}}, {"$neq": {"top": 1}}]},
            {"$lt": {"sc": _SCORE_RHS}},
            {"$and": [*({"$neq": {"ut": u}} for u in _UNGUARDED), {"$lt": {"onl": ONLINE_MIN}}]},
            {"$lt": {"otr": ON_TIME_MIN}},
            {"$neq": {"pub": 1}},
        ]
    }


class _SyncHost(durable_engine.Host):  # type: ignore[misc]
    """No timer threads: actions run inside ``post_batch``."""

    def _run(self) -> None:
        return None


def fnv1a32(text: str) -> int:
    """durable-rules compares message ids by this 32-bit hash only."""
    h = 0x811C9DC5
    for byte in text.encode():
        h ^= byte
        h = (h * 16777619) & 0xFFFFFFFF
    return h


class DurableBaseline:
    """One eligible rule and its complement, on a private synchronous host.

    ``cap=None`` (``durable-hand``): every matched message fires its own action.

    ``cap=k`` (``durable-hand-cap``): both rules carry durable-rules' ``"cap": k``, so one action
    receives up to ``k`` of the messages its rule matched, as a list ``c.m`` of ``Content``
    objects (``._d`` is the message dict), and counts them by iterating that list. Both rules
    contain ``$or``s, which durable-rules expands into one network branch per disjunct; under a
    ``cap`` a message that satisfies several branches is handed to the action once per branch
    (23,244 deliveries for 10,000 messages on this data), so the capped actions count distinct
    message ids within the chunk. ``deliveries`` records how many ``Content`` objects arrived.
    """

    def __init__(self, cap: int | None = None) -> None:
        self.eligible = 0
        self.handled = 0
        self.actions = 0
        self.deliveries = 0
        self.cap = cap
        self._chunk_eligible: set[str] = set()
        self._chunk_other: set[str] = set()
        eligible: dict[str, Any] = {"all": [{"m": _eligible_condition()}]}
        other: dict[str, Any] = {"all": [{"m": _complement_condition()}]}
        if cap is None:
            eligible["run"], other["run"] = self._on_eligible, self._on_other
        else:
            eligible["cap"] = other["cap"] = cap
            eligible["run"], other["run"] = self._on_eligible_capped, self._on_other_capped
        self._ruleset = _RULESET if cap is None else f"{_RULESET}_cap"
        definition = {self._ruleset: {"eligible": eligible, "not_eligible": other}}
        self._host = _SyncHost()
        # registration deletes "run" from the definition: it is built afresh here, never shared
        # (and never deep-copied, which would copy the bound methods' instance with them)
        self._host.set_rulesets(definition)

    def _on_eligible(self, c: Any) -> None:
        self.actions += 1
        self.deliveries += 1
        self.eligible += 1
        self.handled += 1

    def _on_other(self, c: Any) -> None:
        self.actions += 1
        self.deliveries += 1
        self.handled += 1

    def _take(self, c: Any, ids: set[str]) -> int:
        """Add the ids of one capped action's messages to ``ids``; return how many were new."""
        matched = c.m if isinstance(c.m, list) else [c.m]  # durable-rules 2.0.28: a list
        before = len(ids)
        for content in matched:
            ids.add(content._d["id"])
        self.actions += 1
        self.deliveries += len(matched)
        return len(ids) - before

    def _on_eligible_capped(self, c: Any) -> None:
        new = self._take(c, self._chunk_eligible)
        self.eligible += new
        self.handled += new

    def _on_other_capped(self, c: Any) -> None:
        self.handled += self._take(c, self._chunk_other)

    @staticmethod
    def messages(candidates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Flat messages: booleans 0/1, the ordinal as its rank, sentinels for missing facts."""
        ranks = {level: float(i) for i, level in enumerate(DDCI_LEVELS)}
        codes = {u: i for i, u in enumerate(UNIT_TYPES)}
        out: list[dict[str, Any]] = []
        items = list(_FIELDS.items())
        for c in candidates:
            facts = c["facts"]
            msg: dict[str, Any] = {"ut": codes[c["unit_type"]]}
            for field, fid in items:
                v = facts.get(fid)
                if v is None:
                    msg[field] = MISSING_RHS if field == "scp" else MISSING
                elif fid == "ddci_grade":
                    msg[field] = ranks[v]
                else:
                    msg[field] = float(v)
            out.append(msg)
        return out

    def run(self, candidates: Sequence[dict[str, Any]]) -> int:
        """Post every candidate in chunks of ``CHUNK``; return the number eligible."""
        self.eligible = 0
        self.handled = 0
        self.actions = 0
        self.deliveries = 0
        messages = self.messages(candidates)
        for start in range(0, len(messages), CHUNK):
            chunk = messages[start : start + CHUNK]
            seen: set[int] = {fnv1a32(SID)}
            for k, msg in enumerate(chunk):
                mid = candidates[start + k]["id"]
                while (h := fnv1a32(mid)) in seen:  # a hash collision would drop a message
                    mid += "'"
                seen.add(h)
                msg["id"] = mid
                msg["sid"] = SID
            self._chunk_eligible.clear()
            self._chunk_other.clear()
            self._host.post_batch(self._ruleset, chunk)
            self._host.delete_state(self._ruleset, SID)
            if self._chunk_eligible & self._chunk_other:  # the two rules are complements
                raise RuntimeError("a message was handled as eligible and as not eligible")
        if self.handled != len(messages):
            raise RuntimeError(f"durable-rules handled {self.handled} of {len(messages)} messages")
        return self.eligible


# --- numpy --------------------------------------------------------------------------------------
def numpy_eligible(cols: Columns) -> BoolArray:
    """Eligibility on NaN-for-missing columns: NaN compares false, so missing is never met."""
    v = cols.values
    guarded = np.isin(cols.unit_type, [UNIT_TYPES.index(u) for u in GUARDED_UNIT_TYPES])
    with np.errstate(invalid="ignore"):
        eligible: BoolArray = (
            (v["par_index"] >= PAR_MIN)
            & (v["sipas"] >= SIPAS_MIN)
            & (v["reports_on_time"] == 1.0)
            & (v["discipline_ok"] == 1.0)
            & (v["ddci_grade"] >= DDCI_MIN_RANK)
            & ((v["recognised_initiatives"] >= INITIATIVES_MIN) | (v["in_top_group"] == 1.0))
            & (v["component_score"] >= v["component_score_previous"] + SCORE_MARGIN)
            & (~guarded | (v["online_dossier_rate"] >= ONLINE_MIN))
            & (v["on_time_dossier_rate"] >= ON_TIME_MIN)
            & (v["publishes_procedures"] == 1.0)
        )
    return eligible


# --- polars -------------------------------------------------------------------------------------
def polars_frame(cols: Columns) -> Any:
    """A polars frame of the columns, NaN turned into null (built outside the timed part)."""
    import polars as pl

    data: dict[str, Any] = {"unit_type": cols.unit_type}
    data.update(cols.values)
    return pl.from_dict(data).fill_nan(None)


def polars_eligible_count(frame: Any) -> int:
    import polars as pl

    guarded = pl.col("unit_type").is_in([UNIT_TYPES.index(u) for u in GUARDED_UNIT_TYPES])
    expr = (
        (pl.col("par_index") >= PAR_MIN)
        & (pl.col("sipas") >= SIPAS_MIN)
        & (pl.col("reports_on_time") == 1.0)
        & (pl.col("discipline_ok") == 1.0)
        & (pl.col("ddci_grade") >= DDCI_MIN_RANK)
        & ((pl.col("recognised_initiatives") >= INITIATIVES_MIN) | (pl.col("in_top_group") == 1.0))
        & (pl.col("component_score") >= pl.col("component_score_previous") + SCORE_MARGIN)
        & (~guarded | (pl.col("online_dossier_rate") >= ONLINE_MIN))
        & (pl.col("on_time_dossier_rate") >= ON_TIME_MIN)
        & (pl.col("publishes_procedures") == 1.0)
    )
    return int(frame.select(expr.fill_null(False).sum()).item())
