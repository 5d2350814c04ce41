"""Derived quantities: their range from the facts' declared ranges, what ``check`` says of a
comparison the range decides, and what the input schema shows."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from emulation_rules.authoring.checks import check_campaign
from emulation_rules.inputs.schema import input_schema
from emulation_rules.plan import criteria as ct
from emulation_rules.plan.loader import campaign_from_mapping, load_campaign
from emulation_rules.plan.ranges import expression_range

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from vocabulary import CITE, base_plan

EXPR: TypeAdapter[Any] = TypeAdapter(ct.Expr)
ENGINE_TESTS = Path(__file__).parents[1] / "engine"


def plan() -> Any:
    p = base_plan()
    p["criteria"] = [
        {
            "id": "c",
            "label": "c",
            "kind": "collective",
            "rule": {"fact": "cb1", "op": "==", "value": True},
            "citation": CITE,
        }
    ]
    p["awards"] = [
        {
            "id": "a",
            "label": "a",
            "form": "bang_khen",
            "authority": "x",
            "kind": "collective",
            "requires": ["c"],
            "citation": CITE,
        }
    ]
    return campaign_from_mapping(p)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"sum": [{"fact": "cn1"}, {"fact": "cn2"}]}, (0, 200)),  # both 0..100
        ({"difference": [{"fact": "cn1"}, {"fact": "cn2"}]}, (-100, 100)),
        ({"product": [{"fact": "cn1"}, {"value": -2}]}, (-200, 0)),
        ({"product": [{"fact": "cn1"}, {"param": "p_num"}]}, (0, 5000)),  # p_num = 50
        ({"ratio": [{"fact": "cn1"}, {"fact": "cden"}], "if_zero": "unknown"}, (0, math.inf)),
        ({"ratio": [{"fact": "cn1"}, {"value": 4}], "if_zero": "unknown"}, (0, 25)),
        ({"days_between": [{"fact": "cd"}, {"param": "p_date"}]}, (-math.inf, math.inf)),
    ],
)
def test_the_range_of_an_expression(expr: Any, expected: tuple[float, float]) -> None:
    campaign = plan()
    facts = {f.id: f for f in campaign.facts}
    params = {p.id: p for p in campaign.parameters}
    assert expression_range(facts, params, EXPR.validate_python(expr)) == expected


def test_check_reports_a_computed_comparison_its_range_decides() -> None:
    p = base_plan()
    never = {"compute": {"sum": [{"fact": "cn1"}, {"fact": "cn2"}]}, "op": ">", "value": 200}
    always = {
        "compute": {"ratio": [{"fact": "cn1"}, {"value": 4}], "if_zero": "unknown"},
        "op": "<=",
        "value": 25,
    }
    p["criteria"] = [
        {"id": "c.never", "label": "x", "kind": "collective", "rule": never, "citation": CITE},
        {"id": "c.always", "label": "x", "kind": "collective", "rule": always, "citation": CITE},
    ]
    p["awards"] = [
        {
            "id": "a",
            "label": "a",
            "form": "bang_khen",
            "authority": "x",
            "kind": "collective",
            "requires": ["c.never", "c.always"],
            "citation": CITE,
        }
    ]
    found = {
        (x.element, x.severity): x.message
        for x in check_campaign(campaign_from_mapping(p))
        if x.check == "quantities"
    }
    assert found[("criterion:c.never", "error")].startswith(
        "can never be met: (cn1 + cn2) ranges over [0, 200]"
    )
    assert (
        "is met whenever its facts are known: (cn1 ÷ 4) ranges over [0, 25]"
        in found[("criterion:c.always", "warning")]
    )


def test_the_schema_shows_derived_quantities_and_every_reader() -> None:
    campaign = load_campaign(ENGINE_TESTS / "why" / "plan.yaml")
    schema = input_schema(campaign)
    collective = schema["properties"]["candidates"]["items"]["oneOf"][0]["properties"]["facts"]
    total = collective["properties"]["dossiers_total"]
    assert total["x-derived"] == [
        {
            "criterion": "tap_the.ho_so_dung_han",
            "quantity": "((dossiers_on_time ÷ dossiers_total) × 100)",
            "unit": "%",
            "minimum": 0.0,
            "maximum": None,
        }
    ]
    # the value's own schema (the first of the value and the value with its provenance)
    assert collective["properties"]["report_submitted_on"]["anyOf"][0]["format"] == "date"
    national = input_schema(load_campaign(ENGINE_TESTS / "plans" / "national_law.yaml"))
    people = national["properties"]["candidates"]["items"]["oneOf"][1]["properties"]["facts"]
    readers = people["properties"]["task_results"]["x-criteria"]
    assert "ttldxs.hoan_thanh_100 (read of the members of a collective)" in readers
    assert people["properties"]["initiatives"]["x-years"] == [2019, 2024]
    json.dumps(national)  # the schema is JSON
