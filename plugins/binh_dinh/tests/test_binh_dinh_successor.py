"""Who carries the plan on: tỉnh Gia Lai from 1/7/2025 (Nghị quyết 202/2025/QH15).

``carried_on_by`` is not part of the YAML case kit, so it is checked here on the bundled sample.
(The file name carries the plugin's slug: pytest imports test modules by base name.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from emulation_rules import evaluate

CAMPAIGN = "binh_dinh.par_2021_2025"
SAMPLE = Path(__file__).parents[1] / "src" / "emulation_rules_binh_dinh" / "sample_2021_2025.json"


def _sample() -> dict[str, object]:
    data: dict[str, object] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def test_sample_as_of_2026_is_carried_on_by_gia_lai() -> None:
    result = evaluate(CAMPAIGN, _sample())
    out = result.to_dict()
    assert out["as_of"] == "2026-05-15"
    carried = out["carried_on_by"]
    assert carried["id"] == "gia_lai"
    assert carried["name"] == "tỉnh Gia Lai"
    assert carried["since"] == "2025-07-01"
    assert carried["citation"]["document"] == "Nghị quyết 202/2025/QH15"
    assert carried["citation"]["interpretation"] is True


def test_first_day_of_the_successor_is_carried_on_by_gia_lai() -> None:
    result = evaluate(CAMPAIGN, _sample(), as_of=dt.date(2025, 7, 1))
    assert result.to_dict()["carried_on_by"]["id"] == "gia_lai"


def test_before_the_merger_binh_dinh_carries_its_own_plan() -> None:
    for day in (dt.date(2025, 6, 30), dt.date(2023, 5, 15), dt.date(2021, 1, 1)):
        result = evaluate(CAMPAIGN, _sample(), as_of=day)
        assert result.to_dict()["carried_on_by"] is None, day
