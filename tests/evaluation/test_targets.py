"""Targets (chỉ tiêu): ratio, rank and threshold attainment per plan year, three-valued."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CITE, mini_plan

from emulation_rules import EvaluationError, InputError, load_campaign
from emulation_rules.cli import main
from emulation_rules.evaluation.targets import evaluate_targets
from emulation_rules.plan.loader import campaign_from_mapping

EXAMPLE = Path(__file__).parents[2] / "examples" / "cchc_2021"


def plan_with_targets() -> Any:
    plan = copy.deepcopy(mini_plan())
    plan["period"]["end"] = "2025-12-31"
    plan["measures"] = [
        {"id": "rank", "label": "Thứ hạng", "type": "integer", "minimum": 1, "maximum": 63},
        {"id": "done", "label": "Số đã làm", "type": "integer", "minimum": 0},
        {"id": "total", "label": "Tổng số", "type": "integer", "minimum": 0},
        {"id": "par", "label": "PAR INDEX", "type": "number", "minimum": 0, "maximum": 120},
    ]
    plan["targets"] = [
        {
            "id": "keep",
            "label": "Giữ hạng",
            "kind": "rank",
            "rank": "rank",
            "direction": "keep_or_improve",
            "citation": CITE,
        },
        {
            "id": "better",
            "label": "Tăng hạng",
            "kind": "rank",
            "rank": "rank",
            "direction": "improve",
            "citation": CITE,
        },
        {
            "id": "all_done",
            "label": "100%",
            "kind": "ratio",
            "numerator": "done",
            "denominator": "total",
            "target": 100,
            "citation": CITE,
        },
        {
            "id": "par_90",
            "label": "PAR ≥ 90",
            "kind": "threshold",
            "value": "par",
            "target": 90,
            "citation": CITE,
        },
    ]
    return campaign_from_mapping(plan)


def verdicts(report: Any) -> dict[tuple[str, int], str]:
    return {(r.target, r.year): r.verdict for r in report.rows}


def test_rank_ratio_and_threshold_per_year() -> None:
    doc = {
        "years": {
            "2023": {"rank": 20},
            "2024": {"rank": 20, "done": 10, "total": 10, "par": 91.5},
            "2025": {"rank": 18, "done": 9, "total": 10, "par": 89.0},
        }
    }
    got = verdicts(evaluate_targets(plan_with_targets(), doc))
    assert got[("keep", 2024)] == "met" and got[("better", 2024)] == "not_met"
    assert got[("keep", 2025)] == "met" and got[("better", 2025)] == "met"
    assert got[("all_done", 2024)] == "met" and got[("all_done", 2025)] == "not_met"
    assert got[("par_90", 2024)] == "met" and got[("par_90", 2025)] == "not_met"


def test_missing_figures_are_unknown_and_zero_denominator_not_applicable() -> None:
    doc = {"years": {"2024": {"rank": 5, "done": 0, "total": 0}}}
    got = verdicts(evaluate_targets(plan_with_targets(), doc, as_of=dt.date(2024, 12, 31)))
    assert got[("keep", 2024)] == "unknown"  # 2023's rank is missing
    assert got[("all_done", 2024)] == "not_applicable"
    assert got[("par_90", 2024)] == "unknown"
    assert ("keep", 2025) not in got  # after as_of


def test_bad_measures_are_refused() -> None:
    campaign = plan_with_targets()
    with pytest.raises(InputError, match=r"years\['2024'\]: measure 'rank'"):
        evaluate_targets(campaign, {"years": {"2024": {"rank": 64}}})
    with pytest.raises(InputError, match="'speed' is not a measure"):
        evaluate_targets(campaign, {"years": {"2024": {"speed": 1}}})
    with pytest.raises(InputError, match="four digits"):
        evaluate_targets(campaign, {"years": {"24": {}}})
    with pytest.raises(InputError, match="'years'"):
        evaluate_targets(campaign, {"candidates": []})
    with pytest.raises(EvaluationError, match="before"):
        evaluate_targets(campaign, {"years": {"2024": {}}}, as_of=dt.date(2020, 1, 1))


def test_a_target_reads_declared_measures_only() -> None:
    plan = copy.deepcopy(mini_plan())
    plan["targets"] = [
        {
            "id": "t",
            "label": "t",
            "kind": "threshold",
            "value": "nope",
            "target": 1,
            "citation": CITE,
        }
    ]
    with pytest.raises(Exception, match="undeclared measure 'nope'"):
        campaign_from_mapping(plan)


def test_the_seed_004_example_plan_by_path() -> None:
    campaign = load_campaign(EXAMPLE / "plan.yaml")
    assert campaign.criteria == () and len(campaign.targets) == 9
    for where, citation in campaign.citations():
        assert citation.clause or citation.quote, where
    result = CliRunner().invoke(
        main,
        ["targets", str(EXAMPLE / "plan.yaml"), str(EXAMPLE / "measures.json"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    got = {r["target"]: r["verdict"] for r in report["targets"]}
    assert got == {
        "giu_hang_pci": "met",
        "giu_hang_papi": "not_met",
        "cai_thien_hang_par_index": "met",
        "cai_thien_hang_sipas": "not_met",
        "cai_thien_hang_ict_index": "unknown",
        "vbqppl_dung_quy_dinh": "met",
        "vbqppl_cong_khai": "not_met",
        "xu_ly_van_ban_sai_pham": "not_applicable",
        "cong_khai_tthc": "unknown",
    }
    table = CliRunner().invoke(
        main, ["targets", str(EXAMPLE / "plan.yaml"), str(EXAMPLE / "measures.json")]
    )
    assert "giu_hang_pci" in table.output and "không áp dụng" in table.output


def test_targets_cli_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"years": {"2021": {"pci_rank": 0}}}', encoding="utf-8")
    result = CliRunner().invoke(main, ["targets", str(EXAMPLE / "plan.yaml"), str(bad)])
    assert result.exit_code == 2
    assert "measure 'pci_rank'" in result.stderr


def test_evaluating_a_work_plan_without_criteria_is_refused() -> None:
    from emulation_rules import evaluate

    campaign = load_campaign(EXAMPLE / "plan.yaml")
    with pytest.raises(EvaluationError, match="no criteria"):
        evaluate(campaign, [{"id": "x", "name": "x", "kind": "collective", "unit_type": "x"}])
