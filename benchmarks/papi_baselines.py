"""Hand-written baselines of ``an_giang.papi_2021``'s rules, for the end-to-end benchmark.

* :func:`polars_pipeline` — the floor of the file paths: what someone would write in Polars for
  this one plan, reading the same file (CSV, Parquet or the JSON document) and writing a CSV of
  the same shape as ``evaluate --format csv`` (the candidate's fields, the nine criteria's
  verdicts, the two awards' eligibility and the rank of the eligible by recognised
  initiatives). Three-valued like the library (a null fact gives ``unknown``, Polars' ``&`` and
  ``|`` are Kleene's), with the unit-type guards as ``not_applicable``; no quota, no cap, no
  provisional seats: the allocation is the library's own work beyond the floor.
* :class:`DurablePapi` — a hand-written durable-rules ruleset of the two awards' eligibility:
  one message per candidate (booleans 0/1, the district's assessment as its rank, a sentinel for
  a missing fact that fails every comparison it is in), three *eligible* rules (departments and
  districts, communes, individuals) and their complement, posted in chunks of 1,000 through
  durable-rules' Python host, one action per message (the ``durable-hand`` style of
  ``baselines.py``). It counts the eligible (candidate, award) pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from papi import LEVELS

REQUIRED_COMPONENTS = 8
MIN_INITIATIVES = 1
GAIN = 0.5
COMMUNE_MIN = 3  # "Hoàn thành xuất sắc nhiệm vụ"

UPPER = (
    "tap_the.ke_hoach_8_chi_so",
    "tap_the.thuc_hien_nhiem_vu",
    "tap_the.bao_cao",
    "tap_the.ky_luat",
    "tap_the.sang_kien",
    "tap_the.chi_so_chu_tri",
)
COMMUNE = "tap_the_xa.danh_gia_cua_huyen"
INDIVIDUAL = ("ca_nhan.tham_gia_tich_cuc", "ca_nhan.sang_kien")


# --- polars -------------------------------------------------------------------------------------
def _read(path: Path) -> Any:
    import polars as pl

    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema_length=10_000)
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    frame = pl.read_json(path).select("candidates").explode("candidates").unnest("candidates")
    return frame.unnest("facts")


def polars_pipeline(path: Path, out: Path) -> int:
    """Read ``path``, decide every criterion and award, write the CSV to ``out``; the number of
    eligible (candidate, award) pairs."""
    import polars as pl

    frame = _read(path)
    level = pl.col("district_assessment").replace_strict(
        {name: i for i, name in enumerate(LEVELS)}, default=None, return_dtype=pl.Int64
    )
    collective = pl.col("kind") == "collective"
    upper = collective & pl.col("unit_type").is_in(["so_ban_nganh", "ubnd_huyen"])
    commune = collective & (pl.col("unit_type") == "ubnd_xa")
    individual = pl.col("kind") == "individual"
    rules = {
        "tap_the.ke_hoach_8_chi_so": pl.col("papi_plan_components") >= REQUIRED_COMPONENTS,
        "tap_the.thuc_hien_nhiem_vu": pl.col("papi_tasks_effective") == True,  # noqa: E712
        "tap_the.bao_cao": pl.col("reports_on_time") == True,  # noqa: E712
        "tap_the.ky_luat": pl.col("discipline_ct26") == True,  # noqa: E712
        "tap_the.sang_kien": pl.col("recognised_initiatives") >= MIN_INITIATIVES,
        "tap_the.chi_so_chu_tri": (  # the library compares differences rounded to 1e-9
            (pl.col("led_component_score") - pl.col("led_component_score_previous")).round(9)
            >= GAIN
        )
        | (pl.col("led_component_in_top_group") == True),  # noqa: E712
        COMMUNE: level >= COMMUNE_MIN,
        "ca_nhan.tham_gia_tich_cuc": pl.col("leads_or_advises_papi") == True,  # noqa: E712
        "ca_nhan.sang_kien": pl.col("recognised_initiatives") >= MIN_INITIATIVES,
    }
    guards = {**dict.fromkeys(UPPER, upper), COMMUNE: commune}

    def verdict(cid: str, rule: Any) -> Any:
        words = (
            pl.when(rule.is_null())
            .then(pl.lit("unknown"))
            .when(rule)
            .then(pl.lit("met"))
            .otherwise(pl.lit("not_met"))
        )
        kind = individual if cid in INDIVIDUAL else collective
        if cid in guards:
            words = pl.when(guards[cid]).then(words).otherwise(pl.lit("not_applicable"))
        return pl.when(kind).then(words).otherwise(pl.lit("")).alias(cid)

    decided = frame.with_columns(verdict(cid, rule) for cid, rule in rules.items())

    def eligibility(name: str, criteria: Sequence[str], kind: Any) -> Any:
        cols = [pl.col(c) for c in criteria]
        any_not_met = pl.any_horizontal(c == "not_met" for c in cols)
        any_unknown = pl.any_horizontal(c == "unknown" for c in cols)
        return (
            pl.when(~kind)
            .then(pl.lit(""))
            .when(any_not_met)
            .then(pl.lit("ineligible"))
            .when(any_unknown)
            .then(pl.lit("undetermined"))
            .otherwise(pl.lit("eligible"))
            .alias(name)
        )

    decided = decided.with_columns(
        eligibility("bang_khen_tap_the", (*UPPER, COMMUNE), collective),
        eligibility("bang_khen_ca_nhan", INDIVIDUAL, individual),
    )
    ranked = decided.with_columns(
        pl.when(pl.col(a) == "eligible")
        .then(pl.col("recognised_initiatives"))
        .otherwise(None)
        .rank("min", descending=True)
        .over(pl.col(a))
        .cast(pl.String)
        .fill_null("")
        .alias(f"{a}.rank")
        for a in ("bang_khen_tap_the", "bang_khen_ca_nhan")
    )
    columns = [
        "id",
        "name",
        "kind",
        "unit_type",
        "unit_id",
        *rules,
        "bang_khen_tap_the",
        "bang_khen_ca_nhan",
        "bang_khen_tap_the.rank",
        "bang_khen_ca_nhan.rank",
    ]
    result = ranked.select(columns)
    result.write_csv(out)
    return int(
        result.select(
            (pl.col("bang_khen_tap_the") == "eligible").sum()
            + (pl.col("bang_khen_ca_nhan") == "eligible").sum()
        ).item()
    )


# --- durable-rules ------------------------------------------------------------------------------
CHUNK = 1000
SID = "papi"
MISSING = -1.0
_FIELDS = {
    "ppc": "papi_plan_components",
    "pte": "papi_tasks_effective",
    "rot": "reports_on_time",
    "dis": "discipline_ct26",
    "ini": "recognised_initiatives",
    "sc": "led_component_score",
    "scp": "led_component_score_previous",
    "top": "led_component_in_top_group",
    "da": "district_assessment",
    "lead": "leads_or_advises_papi",
}
_UNIT_TYPES = {"so_ban_nganh": 0, "ubnd_huyen": 1, "ubnd_xa": 2}


def _rules() -> dict[str, Any]:
    upper_ok = {
        "$and": [
            {"$lte": {"ut": 1}},
            {"$gte": {"ppc": REQUIRED_COMPONENTS}},
            {"pte": 1},
            {"rot": 1},
            {"dis": 1},
            {"$gte": {"ini": MIN_INITIATIVES}},
            {"$or": [{"$gte": {"gain": GAIN}}, {"top": 1}]},
        ]
    }
    commune_ok = {"$and": [{"ut": 2}, {"$gte": {"da": COMMUNE_MIN}}]}
    individual_ok = {"$and": [{"ut": 3}, {"lead": 1}, {"$gte": {"ini": MIN_INITIATIVES}}]}
    other = {
        "$or": [
            {
                "$and": [
                    {"$lte": {"ut": 1}},
                    {
                        "$or": [
                            {"$lt": {"ppc": REQUIRED_COMPONENTS}},
                            {"$neq": {"pte": 1}},
                            {"$neq": {"rot": 1}},
                            {"$neq": {"dis": 1}},
                            {"$lt": {"ini": MIN_INITIATIVES}},
                            {"$and": [{"$lt": {"gain": GAIN}}, {"$neq": {"top": 1}}]},
                        ]
                    },
                ]
            },
            {"$and": [{"ut": 2}, {"$lt": {"da": COMMUNE_MIN}}]},
            {
                "$and": [
                    {"ut": 3},
                    {"$or": [{"$neq": {"lead": 1}}, {"$lt": {"ini": MIN_INITIATIVES}}]},
                ]
            },
        ]
    }
    return {"upper": upper_ok, "commune": commune_ok, "individual": individual_ok, "other": other}


class DurablePapi:
    """The hand-written ruleset on a private synchronous durable-rules host."""

    def __init__(self) -> None:
        import durable.engine as durable_engine

        class _SyncHost(durable_engine.Host):  # type: ignore[misc]
            def _run(self) -> None:
                return None

        self.eligible = 0
        self.handled = 0
        definition = {
            "papi_hand": {
                name: {
                    "all": [{"m": cond}],
                    "run": self._on_eligible if name != "other" else self._on_other,
                }
                for name, cond in _rules().items()
            }
        }
        self._host = _SyncHost()
        self._host.set_rulesets(definition)

    def _on_eligible(self, c: Any) -> None:
        self.eligible += 1
        self.handled += 1

    def _on_other(self, c: Any) -> None:
        self.handled += 1

    @staticmethod
    def messages(candidates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        ranks = {name: float(i) for i, name in enumerate(LEVELS)}
        out = []
        items = list(_FIELDS.items())
        for c in candidates:
            facts = c["facts"]
            msg: dict[str, Any] = {
                "ut": _UNIT_TYPES[c["unit_type"]] if c["kind"] == "collective" else 3
            }
            for field, fid in items:
                v = facts.get(fid)
                if v is None:
                    msg[field] = MISSING
                elif fid == "district_assessment":
                    msg[field] = ranks[v]
                else:
                    msg[field] = float(v)
            # the gain as published: the difference rounded to 1e-9, as the plan compares it
            # (5.2 - 4.7 is 0.5, not 0.49999999999999956); a sentinel failing ">= 0.5" if missing
            sc, scp = facts.get("led_component_score"), facts.get("led_component_score_previous")
            msg["gain"] = MISSING if sc is None or scp is None else round(sc - scp, 9)
            out.append(msg)
        return out

    def run(self, candidates: Sequence[dict[str, Any]]) -> int:
        """Post every candidate; the number of eligible (candidate, award) pairs."""
        from baselines import fnv1a32

        self.eligible = self.handled = 0
        messages = self.messages(candidates)
        for start in range(0, len(messages), CHUNK):
            chunk = messages[start : start + CHUNK]
            seen = {fnv1a32(SID)}
            for k, msg in enumerate(chunk):
                mid = candidates[start + k]["id"]
                while (h := fnv1a32(mid)) in seen:  # a hash collision would drop a message
                    mid += "'"
                seen.add(h)
                msg["id"], msg["sid"] = mid, SID
            self._host.post_batch("papi_hand", chunk)
            self._host.delete_state("papi_hand", SID)
        if self.handled != len(messages):
            raise RuntimeError(f"durable-rules handled {self.handled} of {len(messages)} messages")
        return self.eligible
