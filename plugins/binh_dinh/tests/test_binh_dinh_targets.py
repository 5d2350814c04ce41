"""Bình Định's index targets: the province's rank kept or improved each year (illustrative
figures; see the README)."""

from __future__ import annotations

import json
from pathlib import Path

from emulation_rules import load_registry
from emulation_rules.evaluation.targets import evaluate_targets

MEASURES = (
    Path(__file__).parents[1] / "src" / "emulation_rules_binh_dinh" / "measures_illustrative.json"
)


def test_rank_targets_per_year() -> None:
    campaign = load_registry(plugins=["binh_dinh"]).campaign("binh_dinh.par_2021_2025")
    report = evaluate_targets(campaign, json.loads(MEASURES.read_text(encoding="utf-8")))
    got = {(r.target, r.year): r.verdict for r in report.rows}
    assert got[("hang_par_index", 2021)] == "met"  # 17 after 21
    assert got[("hang_par_index", 2022)] == "met"  # kept 17
    assert got[("hang_sipas", 2021)] == "not_met"  # 20 after 18
    assert got[("hang_papi", 2023)] == "unknown"  # 2023 PAPI rank not given
    assert got[("hang_papi", 2024)] == "unknown"  # ... so 2024 has nothing to compare with
    assert got[("hang_sipas", 2025)] == "unknown"  # not published by as_of
    assert {r.year for r in report.rows} == {2021, 2022, 2023, 2024, 2025}
