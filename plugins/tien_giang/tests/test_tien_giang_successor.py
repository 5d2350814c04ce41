"""Who carries the plan on: the new tỉnh Đồng Tháp from 1/7/2025 (Nghị quyết 202/2025/QH15), when
Tiền Giang and Đồng Tháp became one province; Tiền Giang itself before that.

``carried_on_by`` is not part of the YAML case kit, so it is checked here on the bundled sample.
(The file name carries the plugin's slug: pytest imports test modules by base name.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from emulation_rules import evaluate
from emulation_rules.registry import load_registry

CAMPAIGN = "tien_giang.par_2023"
SAMPLE = Path(__file__).parents[1] / "src" / "emulation_rules_tien_giang" / "sample_2020.json"


def _sample() -> dict[str, object]:
    data: dict[str, object] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return data


def test_sample_as_of_its_review_is_carried_on_by_tien_giang_itself() -> None:
    out = evaluate(CAMPAIGN, _sample()).to_dict()
    assert out["as_of"] == "2024-01-31"
    assert out["carried_on_by"] is None


@pytest.mark.parametrize("day", [dt.date(2023, 2, 24), dt.date(2023, 12, 31), dt.date(2025, 6, 30)])
def test_before_the_reorganisation_nobody_else_carries_it_on(day: dt.date) -> None:
    assert evaluate(CAMPAIGN, _sample(), as_of=day).to_dict()["carried_on_by"] is None


@pytest.mark.parametrize("day", [dt.date(2025, 7, 1), dt.date(2026, 1, 15)])
def test_from_1_july_2025_dong_thap_carries_it_on(day: dt.date) -> None:
    carried = evaluate(CAMPAIGN, _sample(), as_of=day).to_dict()["carried_on_by"]
    assert carried["id"] == "dong_thap"
    assert carried["name"] == "tỉnh Đồng Tháp"
    assert carried["since"] == "2025-07-01"
    assert carried["citation"]["document"] == "Nghị quyết 202/2025/QH15"
    assert carried["citation"]["interpretation"] is True


def test_the_jurisdiction_ends_the_day_before_its_successor() -> None:
    campaign = load_registry().campaign(CAMPAIGN)
    jurisdiction = campaign.jurisdiction
    assert jurisdiction.valid_until == dt.date(2025, 6, 30)
    assert jurisdiction.carried_on_by(dt.date(2025, 6, 30)) is None
    successor = jurisdiction.carried_on_by(dt.date(2025, 7, 1))
    assert successor is not None and successor.id == "dong_thap"


def test_the_outcome_does_not_change_with_the_successor() -> None:
    before = evaluate(CAMPAIGN, _sample(), as_of=dt.date(2024, 1, 31))
    after = evaluate(CAMPAIGN, _sample(), as_of=dt.date(2025, 7, 1))
    assert [a.to_dict() for a in before.allocations] == [a.to_dict() for a in after.allocations]
