"""Plans as data: citations, interpretations, cross-references, YAML errors, NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from emulation_rules import PlanError, load_campaign
from emulation_rules.plan.loader import campaign_from_mapping


def write(tmp_path: Path, plan: dict[str, Any]) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_mini_plan_loads(plan_dict: dict[str, Any], tmp_path: Path) -> None:
    campaign = load_campaign(write(tmp_path, plan_dict))
    assert campaign.id == "testland.mini_2024"
    assert campaign.scale("grade").rank("Tốt") == 3


def test_a_citation_needs_a_clause_or_a_quote(plan_dict: dict[str, Any], tmp_path: Path) -> None:
    plan_dict["criteria"][1]["citation"] = {"source": "kh"}
    with pytest.raises(PlanError, match=r"criteria\[1\]\.citation.*clause.*quote"):
        load_campaign(write(tmp_path, plan_dict))


def test_an_interpretation_needs_a_note(plan_dict: dict[str, Any], tmp_path: Path) -> None:
    plan_dict["parameters"][0]["citation"] = {"source": "kh", "clause": "x", "interpretation": True}
    with pytest.raises(PlanError, match=r"parameters\[0\]\.citation.*note"):
        load_campaign(write(tmp_path, plan_dict))


def test_yaml_errors_name_the_file_the_key_and_the_line(
    plan_dict: dict[str, Any], tmp_path: Path
) -> None:
    plan_dict["criteria"][0]["rule"]["op"] = "=>"
    path = write(tmp_path, plan_dict)
    with pytest.raises(PlanError) as info:
        load_campaign(path)
    message = str(info.value)
    assert str(path) in message
    assert "criteria[0].rule.op" in message
    assert "(line " in message


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_campaign(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p["criteria"][0]["rule"].update(fact="nope"), "undeclared fact 'nope'"),
        (lambda p: p["criteria"][0]["rule"].update(param="nope"), "parameter 'nope'"),
        (lambda p: p["awards"][0]["requires"].append("c.nope"), "unknown criterion 'c.nope'"),
        (lambda p: p["awards"][0]["requires"].append("i.excellent"), "is for individuals"),
        (lambda p: p["parameters"][2].update(value="Giỏi"), "not a valid ordinal"),
        (
            lambda p: p["criteria"][0].update(citation={"source": "nope", "clause": "x"}),
            "source 'nope'",
        ),
        (lambda p: p["criteria"].append(dict(p["criteria"][0])), "used twice"),
        (lambda p: p["criteria"][0]["rule"].update(value=3), "exactly one of"),
        (lambda p: p["awards"][0].update(ranking=None), "needs a 'ranking'"),
        (lambda p: p["criteria"][4]["rule"].update(of="self"), "not carried by individuals"),
        (
            lambda p: p["criteria"][3].update(applies_if={"attribute": "unit_type", "in": ["xa"]}),
            "not a participant",
        ),
        (lambda p: p["criteria"][0].update(rule={"every": []}), "one of the keys"),
    ],
)
def test_cross_references_are_checked(plan_dict: dict[str, Any], edit: Any, message: str) -> None:
    edit(plan_dict)
    with pytest.raises(PlanError, match=message):
        campaign_from_mapping(plan_dict)


def test_labels_are_nfc_normalised(plan_dict: dict[str, Any]) -> None:
    decomposed = unicodedata.normalize("NFD", "Chuyên đề thi đua thử nghiệm")
    plan_dict["title"] = decomposed
    plan_dict["scales"][0]["levels"] = [
        unicodedata.normalize("NFD", s) for s in plan_dict["scales"][0]["levels"]
    ]
    campaign = campaign_from_mapping(plan_dict)
    assert campaign.title == unicodedata.normalize("NFC", decomposed)
    assert "Tốt" in campaign.scale("grade").levels


def test_models_are_immutable(plan_dict: dict[str, Any]) -> None:
    campaign = campaign_from_mapping(plan_dict)
    with pytest.raises(Exception, match="frozen"):
        campaign.title = "x"  # type: ignore[misc]


def test_every_citation_of_the_real_plan_is_complete(registry: Any) -> None:
    campaign = registry.campaign("an_giang.papi_2021")
    pairs = campaign.citations()
    assert len(pairs) > 15
    for where, citation in pairs:
        assert citation.clause or citation.quote, where
        if citation.interpretation:
            assert citation.note, where
    for award in campaign.awards:
        assert award.ranking is not None and award.ranking.citation.interpretation
