"""The scoreboard of example_scores_2023.json, value by value: the appraised and self-assessed
totals computed from ``scores``, and each item's earned points and status.

The YAML case kit checks verdicts and lists, not the totals or the score lines: they are checked
here. Every expected figure is summed by hand in test_scores.yaml's first case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulation_rules import evaluate
from emulation_rules.inputs.candidates import validate_input
from emulation_rules.plugins.registry import load_registry

CAMPAIGN = "tien_giang.par_2023"
EXAMPLE = (
    Path(__file__).parents[1] / "src" / "emulation_rules_tien_giang" / "example_scores_2023.json"
)


@pytest.fixture(scope="module")
def result() -> Any:
    return evaluate(CAMPAIGN, json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _observed(result: Any, cid: str) -> float | None:
    verdict = next(v for v in result.candidate(cid).criteria if v.id == "tong_diem.bang_khen")
    value: float | None = dict(verdict.observed)["appraised_total"]
    return value


@pytest.mark.parametrize(
    ("cid", "appraised", "self_assessed"),
    [
        ("so-noi-vu", 97.0, 101.0),
        ("so-tu-phap", 80.0, 95.5),
        ("so-thong-tin-truyen-thong", None, 100.5),
        ("cuc-thue", 102.0, 104.0),
        ("ubnd-h-cho-gao", 93.0, 101.0),
    ],
)
def test_totals_computed_from_scores(
    result: Any, cid: str, appraised: float | None, self_assessed: float
) -> None:
    assert _observed(result, cid) == appraised
    lines = result.candidate(cid).scores
    assert sum(line.self_assessed for line in lines) == self_assessed


def test_given_totals_are_kept(result: Any) -> None:
    assert _observed(result, "so-tai-chinh") == 96.4
    assert _observed(result, "kho-bac-nha-nuoc") == 99.1
    assert result.candidate("so-tai-chinh").scores is None


def test_self_total_fact_holds_the_self_assessed_sum() -> None:
    campaign = load_registry().campaign(CAMPAIGN)
    assert campaign.scoreboard is not None
    assert campaign.scoreboard.self_total_fact == "self_total"
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    validated = validate_input(campaign, document["candidates"])
    row = validated.table.ids.index("so-tu-phap")
    assert validated.table.values["self_total"][row] == 95.5
    assert validated.table.values["appraised_total"][row] == 80.0


def test_an_item_without_evidence_earns_nothing(result: Any) -> None:
    line = {s.item: s for s in result.candidate("so-tu-phap").scores}["chinh_quyen_so"]
    assert (line.self_assessed, line.appraised, line.evidence, line.points) == (13, 12.5, (), 0.0)
    assert line.status == "claimed without evidence: no appraised points"


def test_an_item_not_yet_appraised_leaves_the_total_unknown(result: Any) -> None:
    lines = {s.item: s for s in result.candidate("so-thong-tin-truyen-thong").scores}
    assert lines["tac_dong"].appraised is None
    assert lines["tac_dong"].points is None
    assert lines["tac_dong"].status == "not yet appraised"
    assert all(s.status == "appraised" for k, s in lines.items() if k != "tac_dong")


def test_the_scoreboard_splits_100_base_points_plus_5_bonus() -> None:
    campaign = load_registry().campaign(CAMPAIGN)
    board = campaign.scoreboard
    assert board is not None
    base = [i.max_points for i in board.items if not i.bonus]
    bonus = [i.max_points for i in board.items if i.bonus]
    assert (len(base), sum(base), bonus) == (8, 100, [5])
    assert [i.id for i in board.items if not i.bonus] == [a.id for a in campaign.content_areas]
    assert all(i.citation.interpretation and i.citation.note for i in board.items)
    assert campaign.fact("appraised_total").maximum == sum(base) + sum(bonus)
