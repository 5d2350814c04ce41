"""Who carries the plan on: tỉnh Khánh Hòa from 1/7/2025 (Nghị quyết 202/2025/QH15), when district
level ended; which commune carries what is unconfirmed and is said so in the successor's note.

``carried_on_by`` is not part of the YAML case kit, so it is checked here on the bundled sample.
(The file name carries the plugin's slug: pytest imports test modules by base name.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from emulation_rules import evaluate

CAMPAIGN = "thuan_bac.par_2023"
SAMPLE = Path(__file__).parents[1] / "src" / "emulation_rules_thuan_bac" / "sample_2023.json"


def _sample() -> dict[str, object]:
    data: dict[str, object] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def test_sample_as_of_2023_is_carried_on_by_the_district_itself() -> None:
    out = evaluate(CAMPAIGN, _sample()).to_dict()
    assert out["as_of"] == "2023-12-15"
    assert out["carried_on_by"] is None


def test_the_day_before_the_reorganisation_is_still_the_district() -> None:
    out = evaluate(CAMPAIGN, _sample(), as_of=dt.date(2025, 6, 30)).to_dict()
    assert out["carried_on_by"] is None


def test_from_1_july_2025_khanh_hoa_carries_it_on() -> None:
    for day in (dt.date(2025, 7, 1), dt.date(2026, 1, 15)):
        carried = evaluate(CAMPAIGN, _sample(), as_of=day).to_dict()["carried_on_by"]
        assert carried["id"] == "khanh_hoa", day
        assert carried["name"] == "tỉnh Khánh Hòa"
        assert carried["since"] == "2025-07-01"
        assert "unconfirmed" in carried["note"]
        assert carried["citation"]["document"] == "Nghị quyết 202/2025/QH15"
        assert carried["citation"]["interpretation"] is True
