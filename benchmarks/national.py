"""A national-size run of the Law's yearly titles (the vn_law plugin, ``vn_law.danh_hieu_2024``).

Every agency of the country decides the same titles each year; this measures one year for the
whole civil service at once: ``--officials`` individuals (default 2,000,000) in units of
``--per-unit`` (default 10, so 200,000 units), seeded synthetic facts with a few missing, one
evaluation per engine. Each engine runs in its own subprocess, so its peak RSS is its own::

    python benchmarks/national.py                                  # 2M officials, both engines
    python benchmarks/national.py --officials 20000 --engines columnar

For each engine it prints the time to build the candidate mappings, the time of
``evaluate(...)`` (validation, fact table, verdicts, allocation of the six awards; with
``engine="both"`` durable-rules too and the agreement check), candidates per second, the
counts of eligible / undetermined per award, and the process's peak RSS; the ``both`` run is
also given as a ratio of the ``columnar`` run measured in the same invocation. The figures are
written to ``benchmarks/results/national.json`` (gitignored). It is not part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

CAMPAIGN = "vn_law.danh_hieu_2024"
AS_OF = "2025-01-10"
LEVELS = [
    "Không hoàn thành nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành xuất sắc nhiệm vụ",
]
RESULTS = Path(__file__).parent / "results" / "national.json"


def candidates(officials: int, per_unit: int, seed: int) -> list[dict[str, Any]]:
    """Units and their officials with plausible yearly facts; about 2 % of some facts missing."""
    rng = np.random.default_rng(seed)
    units = -(-officials // per_unit)
    out: list[dict[str, Any]] = []
    unit_rating = rng.choice(4, size=(units, 3), p=[0.01, 0.09, 0.55, 0.35])
    for u in range(units):
        r = unit_rating[u]
        out.append(
            {
                "id": f"u{u}",
                "name": f"Đơn vị {u}",
                "kind": "collective",
                "unit_type": "tap_the",
                "facts": {
                    "ket_qua_nhiem_vu": {str(2022 + y): LEVELS[r[y]] for y in range(3)},
                    "phong_trao_thi_dua": {"2024": True},
                    "noi_bo_doan_ket": {"2024": True},
                    "dang_bi_xem_xet": False,
                },
            }
        )
    rating = rng.choice(4, size=(officials, 3), p=[0.01, 0.09, 0.6, 0.3])
    missing = rng.random((officials, 4)) < 0.02
    discipline = rng.random(officials) < 0.01
    started = rng.integers(0, 12_000, size=officials)  # days before 1/1/2025
    initiatives = rng.integers(0, 3, size=(officials, 2))
    titles = rng.random((officials, 2)) < 0.2
    votes = rng.integers(50, 101, size=officials)
    day0 = np.datetime64("2025-01-01")
    for i in range(officials):
        r = rating[i]
        series = {str(2022 + y): LEVELS[r[y]] for y in range(3)}
        if missing[i, 0]:
            del series["2024"]
        facts: dict[str, Any] = {
            "ket_qua_nhiem_vu": series,
            "hinh_thuc_ky_luat": {"2024": "Khiển trách" if discipline[i] else "Không bị kỷ luật"},
            "dang_bi_xem_xet": False,
            "tu_luc_doan_ket": {"2024": True},
            "sang_kien": {
                "2023": [f"SK-{i}-23-{k}" for k in range(initiatives[i, 0])],
                "2024": [f"SK-{i}-24-{k}" for k in range(initiatives[i, 1])],
            },
            "sang_kien_da_su_dung": {"2023": [], "2024": []},
            "sang_kien_cap_tinh": {"2022": [], "2023": [], "2024": []},
            "danh_hieu_cstdcs": {"2022": bool(titles[i, 0]), "2023": bool(titles[i, 1])},
            "phieu_binh_xet_2024": int(votes[i]),
        }
        if not missing[i, 1]:
            facts["ngay_bat_dau_lam_viec"] = str(day0 - int(started[i]))
        if missing[i, 2]:
            del facts["sang_kien_da_su_dung"]
        if missing[i, 3]:
            del facts["dang_bi_xem_xet"]
        out.append(
            {
                "id": f"p{i}",
                "name": f"Cán bộ {i}",
                "kind": "individual",
                "unit_id": f"u{i // per_unit}",
                "facts": facts,
            }
        )
    return out


def one(engine: str, officials: int, per_unit: int, seed: int) -> dict[str, Any]:
    """One measurement in this process: build the input, evaluate once, count."""
    import emulation_rules as er

    registry = er.load_registry(plugins=["vn_law"])
    campaign = registry.campaign(CAMPAIGN)
    # warm-up on a small input, so that imports and the Rete network's first build are not timed
    er.evaluate(campaign, candidates(200, per_unit, seed + 1), engine=engine, as_of=AS_OF)
    t0 = time.perf_counter()
    data = candidates(officials, per_unit, seed)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = er.evaluate(campaign, data, engine=engine, as_of=AS_OF)
    seconds = time.perf_counter() - t0
    counts: dict[str, dict[str, int]] = {}
    for c in result.candidates:
        for award, status in c.awards.items():
            per = counts.setdefault(award, {})
            per[status] = per.get(status, 0) + 1
    return {
        "engine": engine,
        "officials": officials,
        "units": len(data) - officials,
        "build_s": built,
        "evaluate_s": seconds,
        "candidates_per_s": len(data) / seconds,
        "awards": {k: dict(sorted(v.items())) for k, v in sorted(counts.items())},
        "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=2_000_000)
    parser.add_argument("--per-unit", type=int, default=10)
    parser.add_argument("--engines", default="columnar,both")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.officials, args.per_unit, args.seed)))
        return 0
    rows: list[dict[str, Any]] = []
    status = 0
    for engine in args.engines.split(","):
        cmd = [sys.executable, __file__, "--one", engine, "--officials", str(args.officials)]
        cmd += ["--per-unit", str(args.per_unit), "--seed", str(args.seed)]
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            print(f"{engine}: failed after {wall:.0f} s:\n{done.stderr[-2000:]}", file=sys.stderr)
            status = 1
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["process_wall_s"] = wall
        rows.append(row)
        print(
            f"{engine:9} {row['officials']:>10,} officials {row['units']:>8,} units  "
            f"build {row['build_s']:8.1f} s  evaluate {row['evaluate_s']:8.1f} s  "
            f"{row['candidates_per_s']:>9,.0f} cand/s  "
            f"peak RSS {row['maxrss_bytes'] / 2**30:5.2f} GiB"
        )
    by = {r["engine"]: r for r in rows}
    if "both" in by and "columnar" in by:
        ratio = by["both"]["evaluate_s"] / by["columnar"]["evaluate_s"]
        print(f"both / columnar evaluate time: {ratio:.2f}×")
        if by["both"]["awards"] != by["columnar"]["awards"]:
            print("the two engines' counts differ", file=sys.stderr)
            status = 1
    for row in rows[:1]:
        for award, per in row["awards"].items():
            print(f"  {award}: {per}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
