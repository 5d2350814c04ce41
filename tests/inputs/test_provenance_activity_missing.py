"""Where a fact comes from (year, source, publication date, scale), who existed when, and what
to collect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CITE, GOOD, mini_plan, person, unit

from emulation_rules import Campaign, InputError, evaluate
from emulation_rules.cli import main
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.plan.loader import campaign_from_mapping


@pytest.fixture
def dated() -> Campaign:
    plan = mini_plan()
    plan["facts"][0]["year"] = 2023  # PAR INDEX: the plan reads the 2023 figure
    plan["facts"][1]["publication_scales"] = [
        {"id": "thang_10", "label": "thang điểm 10", "factor": 10}
    ]
    return campaign_from_mapping(plan)


def par(value: float, **provenance: Any) -> dict[str, Any]:
    return {"value": value, **provenance}


def test_a_value_carries_its_provenance_into_the_explanation(dated: Campaign) -> None:
    candidates = [
        unit(
            "u1",
            **{
                **GOOD,
                "par": par(
                    94.05,
                    year=2023,
                    source="QĐ 1/QĐ-BNV",
                    published="2024-04-12",
                    url="https://example.gov.vn",
                ),
            },
        )
    ]
    result = evaluate(dated, candidates, as_of="2024-12-31")
    c = result.candidate("u1")
    assert c.provenance == {
        "par": {
            "year": 2023,
            "source": "QĐ 1/QĐ-BNV",
            "published": "2024-04-12",
            "url": "https://example.gov.vn",
        }
    }
    assert c.to_dict()["provenance"]["par"]["year"] == 2023
    text = render_explanation(result, c, lang="en")
    label = dated.fact("par").label
    assert f"from: {label}: figure of 2023; QĐ 1/QĐ-BNV; published 2024-04-12" in text
    vietnamese = render_explanation(result, c)
    assert f"nguồn: {label}: số liệu năm 2023; QĐ 1/QĐ-BNV; công bố ngày 12/4/2024" in vietnamese


def test_a_figure_of_another_year_is_refused(dated: Campaign) -> None:
    with pytest.raises(InputError) as caught:
        evaluate(dated, [unit("u1", **{**GOOD, "par": par(94.05, year=2020)})])
    problem = caught.value.problems[0]
    assert problem.candidate == "u1" and problem.field == "fact 'par'"
    assert problem.rule == "the figure is of 2020, but the plan reads the figure of 2023"


def test_a_value_published_after_as_of_is_unknown(dated: Campaign) -> None:
    cands = [unit("u1", **{**GOOD, "par": par(80.0, published="2024-04-12")})]
    before = evaluate(dated, cands, as_of="2024-03-01").candidate("u1")
    after = evaluate(dated, cands, as_of="2024-05-01").candidate("u1")
    assert before.criteria[0].verdict == "unknown" and before.criteria[0].observed["par"] is None
    assert before.awards["bk_tt"] == "undetermined"
    assert before.provenance == {"par": {"published": "2024-04-12", "not_yet_published": True}}
    assert after.criteria[0].verdict == "not_met" and after.awards["bk_tt"] == "ineligible"


def test_an_individual_reading_its_unit_sees_what_was_published(dated: Campaign) -> None:
    cands = [
        unit("u1", **{**GOOD, "par": par(95.0, published="2024-04-12")}),
        person("p1", "u1", excellent=True),
    ]
    early = evaluate(dated, cands, as_of="2024-03-01").candidate("p1")
    assert early.criteria[0].verdict == "unknown"
    assert early.provenance == {"unit.par": {"published": "2024-04-12", "not_yet_published": True}}
    assert evaluate(dated, cands, as_of="2024-06-01").candidate("p1").criteria[0].verdict == "met"


def test_a_publication_scale_converts_explicitly(dated: Campaign) -> None:
    cands = [unit("u1", **{**GOOD, "sipas": par(8.23, scale="thang_10")})]
    c = evaluate(dated, cands).candidate("u1")
    assert c.criteria[1].observed == {"sipas": 82.3}
    assert c.provenance == {
        "sipas": {
            "scale": {"id": "thang_10", "label": "thang điểm 10", "factor": 10.0},
            "published_value": 8.23,
        }
    }
    with pytest.raises(InputError, match=r"outside 0\.\.100"):
        evaluate(dated, [unit("u1", **{**GOOD, "sipas": par(10.5, scale="thang_10")})])
    with pytest.raises(InputError, match="publication scales"):
        evaluate(dated, [unit("u1", **{**GOOD, "par": par(9.0, scale="thang_10")})])


def test_provenance_columns_in_csv(dated: Campaign, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,name,kind,unit_type,par,par.year,par.published,sipas,sipas.scale\n"
        'u1,Sở A,collective,so,"94,05",2023,12/4/2024,"8,23",thang_10\n',
        encoding="utf-8",
    )
    from emulation_rules.inputs.files import load_input

    _, validated = load_input(dated, path)
    prov = validated.provenance
    assert prov["par"].shown[0] == {"year": 2023, "published": "2024-04-12"}
    assert float(validated.table.values["sipas"][0]) == 82.3


# --- who existed when -------------------------------------------------------------------------
@pytest.fixture
def yearly() -> Campaign:
    plan = mini_plan()
    plan["parameters"].append(
        {
            "id": "judge_partial",
            "label": "Xét đơn vị hoạt động không trọn kỳ",
            "type": "boolean",
            "value": False,
            "citation": {**CITE, "interpretation": True, "note": "Assumed."},
        }
    )
    plan["awards"][0]["span"] = {"start": "2024-01-01", "end": "2024-12-31"}
    plan["awards"][0]["partial_span_param"] = "judge_partial"
    return campaign_from_mapping(plan)


def test_an_award_for_a_time_the_unit_did_not_exist_is_not_applicable(yearly: Campaign) -> None:
    cands = [
        {**unit("new", **GOOD), "active_from": "2025-03-01"},
        {**unit("gone", **GOOD), "active_until": "2023-06-30"},
        {**unit("half", **GOOD), "active_from": "2024-07-01"},
        unit("always", **GOOD),
    ]
    result = evaluate(yearly, cands)
    states = {c.id: c.awards["bk_tt"] for c in result.candidates}
    assert states == {
        "new": "not_applicable",
        "gone": "not_applicable",
        "half": "not_applicable",
        "always": "eligible",
    }
    assert result.allocation("bk_tt").awarded == ("always",)
    text = render_explanation(result, result.candidate("new"), lang="en")
    assert "(bk_tt): not applicable — did not exist during 2024-01-01 – 2024-12-31" in text
    # the plan's parameter decides a unit that existed for part of the span
    judged = evaluate(yearly, cands, overrides={"judge_partial": True})
    assert judged.candidate("half").awards["bk_tt"] == "eligible"
    assert judged.candidate("new").awards["bk_tt"] == "not_applicable"


def test_active_dates_are_checked(yearly: Campaign) -> None:
    with pytest.raises(InputError) as caught:
        evaluate(
            yearly,
            [
                {**unit("x", **GOOD), "active_from": "2024-05-01", "active_until": "2024-01-01"},
                {**unit("y", **GOOD), "active_from": "01/05/2024"},
            ],
        )
    rules = [p.rule for p in caught.value.problems]
    assert rules[0] == "is before 'active_from'"
    assert rules[1].startswith("a date is written YYYY-MM-DD")


def test_partial_span_param_must_be_a_boolean_parameter() -> None:
    plan = mini_plan()
    plan["awards"][0]["partial_span_param"] = "quota_c"
    with pytest.raises(Exception, match="is not a boolean parameter"):
        campaign_from_mapping(plan)


# --- what to collect --------------------------------------------------------------------------
def test_missing_lists_facts_per_candidate_and_per_fact(mini: Campaign) -> None:
    cands = [
        unit("u1", sipas=92.0, ddci_assessed=False, initiatives=1),  # par missing
        unit("u2", ddci_assessed=True, initiatives=1),  # par, sipas, ddci missing
        unit("u3", **GOOD),
        person("p1", "u2"),  # unit's par and own 'excellent' missing
    ]
    report = evaluate(mini, cands).missing()
    assert [c.id for c in report.candidates] == ["u1", "u2", "p1"]
    u2 = report.candidates[1]
    assert [f.fact for f in u2.facts] == ["ddci", "par", "sipas"]
    assert u2.awards == ("bk_tt",)
    p1 = {f.fact: f for f in report.candidates[2].facts}
    assert set(p1) == {"unit.par", "excellent"}
    assert report.by_fact["par"] == ("u1", "u2")
    assert report.to_dict()["facts"][0]["fact"] == "ddci"


def test_missing_command(tmp_path: Path) -> None:
    doc = {
        "candidates": [
            {"id": "x1", "name": "UBND xã A", "kind": "collective", "unit_type": "ubnd_xa"},
            {
                "id": "x2",
                "name": "UBND xã B",
                "kind": "collective",
                "unit_type": "ubnd_xa",
                "facts": {"district_assessment": "Hoàn thành xuất sắc nhiệm vụ"},
            },
        ]
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["missing", "an_giang.papi_2021", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    label = "Bằng khen của Chủ tịch UBND tỉnh An Giang (tập thể)"
    assert f"x1 — UBND xã A (undetermined: {label})" in result.stdout
    assert "district_assessment (1): x1" in result.stdout
    result = CliRunner().invoke(
        main, ["missing", "an_giang.papi_2021", str(path), "--format", "json"]
    )
    data = json.loads(result.stdout)
    assert data["candidates"][0]["missing"][0]["fact"] == "district_assessment"
