"""Synthetic input for ``an_giang.papi_2021`` (the shipped plan), the campaign issue 14 names.

``generate(n)`` gives ``n`` candidates shaped like An Giang's sample: half collectives (10 %
departments, 20 % district committees, 70 % commune committees), half individuals, each working
in one of the collectives; every fact drawn within its declared range, about 10 % of the facts a
candidate's kind reads left out (missing), so ``unknown`` verdicts, ``undetermined``
eligibility and provisional seats all occur. Seeded: the same ``n`` and seed give the same
candidates.

``write(n, directory, formats)`` writes them as the files the benchmarks read: the JSON input
document, a CSV (one column per fact, the ``facts.`` prefix dropped, empty = missing, ``,``
separators, English values), a Parquet file (typed columns, null = missing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

CAMPAIGN = "an_giang.papi_2021"
AS_OF = "2022-05-20"
MISSING = 0.10
UNIT_TYPES = ("so_ban_nganh", "ubnd_huyen", "ubnd_xa")
LEVELS = (
    "Không hoàn thành nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành xuất sắc nhiệm vụ",
)
#: the facts of collectives (commune committees also give district_assessment)
COLLECTIVE_FACTS = (
    "papi_plan_components",
    "papi_tasks_effective",
    "reports_on_time",
    "discipline_ct26",
    "recognised_initiatives",
    "led_component_score",
    "led_component_score_previous",
    "led_component_in_top_group",
)
INDIVIDUAL_FACTS = ("leads_or_advises_papi", "recognised_initiatives")
FACTS = (*COLLECTIVE_FACTS, "district_assessment", "leads_or_advises_papi")


def columns(n: int, seed: int = 2025) -> dict[str, list[Any]]:
    """The candidates as columns of plain values (None = missing or not of this kind)."""
    rng = np.random.default_rng(seed)
    n_coll = (n + 1) // 2
    kind = ["collective"] * n_coll + ["individual"] * (n - n_coll)
    ut = rng.choice(3, size=n_coll, p=[0.1, 0.2, 0.7])
    ids = [f"tt-{i:07d}" for i in range(n_coll)] + [f"cn-{i:07d}" for i in range(n - n_coll)]
    names = [f"Đơn vị {i}" for i in range(n_coll)] + [f"Cán bộ {i}" for i in range(n - n_coll)]
    unit_of = rng.integers(0, max(n_coll, 1), size=n - n_coll)
    out: dict[str, list[Any]] = {
        "id": ids,
        "name": names,
        "kind": kind,
        "unit_type": [UNIT_TYPES[k] for k in ut.tolist()] + [None] * (n - n_coll),
        "unit_id": [None] * n_coll + [ids[k] for k in unit_of.tolist()],
    }
    is_coll = np.arange(n) < n_coll
    commune = np.zeros(n, dtype=bool)
    commune[:n_coll] = ut == 2

    def col(values: np.ndarray, where: np.ndarray, cast: Any) -> list[Any]:
        keep = where & (rng.random(n) >= MISSING)
        return [cast(v) if k else None for v, k in zip(values.tolist(), keep.tolist(), strict=True)]

    # departments and district committees report the six criteria's facts; communes are
    # assessed by their district (and may count initiatives, like everyone)
    upper = is_coll & ~commune
    out["papi_plan_components"] = col(
        np.where(rng.random(n) < 0.85, 8, rng.integers(4, 8, size=n)), upper, int
    )
    for fid, p in (
        ("papi_tasks_effective", 0.9),
        ("reports_on_time", 0.9),
        ("discipline_ct26", 0.95),
        ("led_component_in_top_group", 0.5),
    ):
        out[fid] = col(rng.random(n) < p, upper, bool)
    out["recognised_initiatives"] = col(rng.poisson(1.5, size=n), np.ones(n, dtype=bool), int)
    previous = np.round(rng.uniform(3.0, 7.0, size=n), 2)
    current = np.round(np.clip(previous + rng.normal(0.2, 0.5, size=n), 0, 10), 2)
    out["led_component_score"] = col(current, upper, float)
    out["led_component_score_previous"] = col(previous, upper, float)
    grade = rng.choice(4, size=n, p=[0.05, 0.25, 0.35, 0.35])
    out["district_assessment"] = col(grade, commune, lambda k: LEVELS[k])
    out["leads_or_advises_papi"] = col(rng.random(n) < 0.8, ~is_coll, bool)
    return out


def generate(n: int, seed: int = 2025) -> dict[str, Any]:
    """The input document ``{"as_of", "candidates"}`` of ``n`` synthetic candidates."""
    cols = columns(n, seed)
    candidates = []
    for i in range(n):
        c: dict[str, Any] = {"id": cols["id"][i], "name": cols["name"][i], "kind": cols["kind"][i]}
        if cols["unit_type"][i] is not None:
            c["unit_type"] = cols["unit_type"][i]
        if cols["unit_id"][i] is not None:
            c["unit_id"] = cols["unit_id"][i]
        c["facts"] = {f: cols[f][i] for f in FACTS if cols[f][i] is not None}
        candidates.append(c)
    return {"as_of": AS_OF, "candidates": candidates}


def write(
    n: int, directory: Path, formats: tuple[str, ...] = ("json", "csv", "parquet"), seed: int = 2025
) -> dict[str, Path]:
    """Write the ``n`` candidates as ``papi-<n>.<format>`` files; the paths by format."""
    import orjson
    import polars as pl

    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    cols = columns(n, seed)
    if "json" in formats:
        path = directory / f"papi-{n}.json"
        path.write_bytes(orjson.dumps(generate(n, seed)))
        out["json"] = path
    schema: dict[str, Any] = {
        "id": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "unit_type": pl.String,
        "unit_id": pl.String,
        "papi_plan_components": pl.Int64,
        "papi_tasks_effective": pl.Boolean,
        "reports_on_time": pl.Boolean,
        "discipline_ct26": pl.Boolean,
        "recognised_initiatives": pl.Int64,
        "led_component_score": pl.Float64,
        "led_component_score_previous": pl.Float64,
        "led_component_in_top_group": pl.Boolean,
        "district_assessment": pl.String,
        "leads_or_advises_papi": pl.Boolean,
    }
    frame = pl.DataFrame(cols, schema=schema)
    if "csv" in formats:
        path = directory / f"papi-{n}.csv"
        frame.write_csv(path)
        out["csv"] = path
    if "parquet" in formats:
        path = directory / f"papi-{n}.parquet"
        frame.write_parquet(path)
        out["parquet"] = path
    return out
