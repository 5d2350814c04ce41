"""Scoreboards: self-assessed and appraised points, evidence per item, totals as facts."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from conftest import CITE, mini_plan

from emulation_rules import InputError, evaluate
from emulation_rules.inputs.schema import input_schema
from emulation_rules.plan.loader import campaign_from_mapping


def board_campaign() -> Any:
    plan = copy.deepcopy(mini_plan())
    plan["facts"] += [
        {
            "id": "total",
            "label": "Tổng điểm thẩm định",
            "type": "number",
            "kinds": ["collective"],
            "minimum": 0,
            "maximum": 110,
        },
        {
            "id": "self_total",
            "label": "Tổng điểm tự đánh giá",
            "type": "number",
            "kinds": ["collective"],
            "minimum": 0,
            "maximum": 110,
        },
    ]
    plan["scoreboard"] = {
        "label": "Bảng điểm",
        "kind": "collective",
        "total_fact": "total",
        "self_total_fact": "self_total",
        "citation": CITE,
        "items": [
            {"id": "f1", "label": "Lĩnh vực 1", "max_points": 60, "citation": CITE},
            {"id": "f2", "label": "Lĩnh vực 2", "max_points": 40, "citation": CITE},
            {
                "id": "bonus",
                "label": "Điểm thưởng",
                "max_points": 5,
                "bonus": True,
                "citation": CITE,
            },
        ],
    }
    plan["criteria"] = [
        {
            "id": "c.total",
            "label": "Tổng điểm ≥ 90",
            "kind": "collective",
            "rule": {"fact": "total", "op": ">=", "value": 90},
            "citation": CITE,
        },
        *plan["criteria"][4:],
    ]
    plan["awards"][0]["requires"] = ["c.total"]
    plan["awards"][0]["ranking"]["keys"] = [{"fact": "total"}]
    return campaign_from_mapping(plan)


def scored(cid: str, **items: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": f"Sở {cid}",
        "kind": "collective",
        "unit_type": "so",
        "scores": items,
    }


def entry(self_assessed: float, appraised: float | None, evidence: int = 1) -> dict[str, Any]:
    return {
        "self_assessed": self_assessed,
        "appraised": appraised,
        "evidence": [f"minh-chung-{k}.pdf" for k in range(evidence)],
    }


def test_totals_follow_the_appraisal_and_evidence() -> None:
    campaign = board_campaign()
    result = evaluate(
        campaign,
        [
            scored("a", f1=entry(60, 58), f2=entry(40, 37), bonus=entry(5, 4)),
            scored("b", f1=entry(60, 58), f2=entry(40, 37, evidence=0), bonus=entry(5, 4)),
            scored("c", f1=entry(60, 58), f2=entry(40, None), bonus=entry(5, 4)),
        ],
    )
    a, b, c = (result.candidate(x) for x in "abc")
    assert dict(a.criteria[0].observed) == {"total": 99.0}  # bonus points pass 100 freely
    assert a.awards["bk_tt"] == "eligible"
    assert dict(b.criteria[0].observed) == {"total": 62.0}
    assert b.awards["bk_tt"] == "ineligible"
    assert c.criteria[0].verdict == "unknown" and c.awards["bk_tt"] == "undetermined"
    line = {s.item: s for s in b.scores or ()}["f2"]
    assert (line.self_assessed, line.appraised, line.points) == (40, 37, 0.0)
    assert line.status == "claimed without evidence: no appraised points"
    assert result.to_dict()["candidates"][2]["scores"][1]["status"] == "not yet appraised"
    assert result.allocation("bk_tt").awarded == ("a",)


@pytest.mark.parametrize(
    ("cand", "message"),
    [
        (scored("x", f9=entry(1, 1)), "not an item of the scoreboard"),
        (scored("x", f1=entry(61, 1)), "above the item's 60"),
        (scored("x", f1=entry(10, 70)), "above the item's 60"),
        ({**scored("x", f1=entry(1, 1)), "facts": {"total": 50.0}}, "give one"),
        (scored("x", f1={"self_assessed": -1}), "scores"),
    ],
)
def test_bad_scores_are_refused(cand: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(board_campaign(), [cand])


def test_schema_describes_the_scoreboard() -> None:
    schema = input_schema(board_campaign())
    collective = schema["properties"]["candidates"]["items"]["oneOf"][0]["properties"]
    assert collective["scores"]["properties"]["f1"]["properties"]["appraised"]["maximum"] == 60
    assert "scores" not in schema["properties"]["candidates"]["items"]["oneOf"][1]["properties"]


def test_an_omitted_bonus_item_is_no_bonus_but_an_omitted_field_is_unknown() -> None:
    result = evaluate(
        board_campaign(),
        [
            scored("no_bonus", f1=entry(60, 55), f2=entry(40, 36)),
            scored("no_f2", f1=entry(60, 55), bonus=entry(5, 5)),
        ],
    )
    assert dict(result.candidate("no_bonus").criteria[0].observed) == {"total": 91.0}
    bonus_line = (result.candidate("no_bonus").scores or ())[2]
    assert bonus_line.points == 0.0 and bonus_line.status == "no bonus claimed"
    assert result.candidate("no_f2").criteria[0].verdict == "unknown"


@pytest.mark.parametrize(
    ("cand", "message"),
    [
        (scored("x", f1={"self_assessed": "58", "appraised": 58, "evidence": ["a"]}), "scores"),
        (scored("x", f1={"self_assessed": 58, "appraised": 58, "evidence": ["  "]}), "scores"),
    ],
)
def test_score_entries_are_strict(cand: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(board_campaign(), [cand])


def test_a_computed_total_outside_the_facts_range_is_refused() -> None:
    plan_campaign = board_campaign()
    facts = tuple(
        f.model_copy(update={"maximum": 90.0}) if f.id == "total" else f
        for f in plan_campaign.facts
    )
    squeezed = plan_campaign.model_copy(update={"facts": facts})
    with pytest.raises(InputError, match="outside the range of fact 'total'"):
        evaluate(squeezed, [scored("x", f1=entry(60, 58), f2=entry(40, 37))])


def test_items_that_cannot_fit_the_total_are_refused_at_load() -> None:
    plan = copy.deepcopy(mini_plan())
    plan["facts"].append(
        {
            "id": "total",
            "label": "Tổng",
            "type": "number",
            "kinds": ["collective"],
            "minimum": 0,
            "maximum": 100,
        }
    )
    plan["scoreboard"] = {
        "label": "Bảng điểm",
        "kind": "collective",
        "total_fact": "total",
        "citation": CITE,
        "items": [
            {"id": "f1", "label": "1", "max_points": 60, "citation": CITE},
            {"id": "f2", "label": "2", "max_points": 50, "citation": CITE},
        ],
    }
    with pytest.raises(Exception, match="add up to 110"):
        campaign_from_mapping(plan)
