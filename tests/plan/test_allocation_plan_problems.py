"""Plan problems of the allocation's fields (candidate attributes, shares, groups, caps) are
placed like every other: file, key path, line, element, "did you mean" (issue 13 item 2 with
issue 8 item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CITE

from emulation_rules import load_campaign
from emulation_rules.plan.campaign import BUILTIN_ATTRIBUTES
from emulation_rules.plan.loader import campaign_from_mapping
from emulation_rules.plan.problems import BUILT_IN_NAMES, PlanProblems

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
TIEN_GIANG = PLUGINS / "tien_giang/src/emulation_rules_tien_giang/par_2023.yaml"
AN_GIANG = PLUGINS / "an_giang/src/emulation_rules_an_giang/papi_2021.yaml"


def edited(tmp_path: Path, source: Path, *edits: tuple[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def problems_of(path: Path) -> PlanProblems:
    with pytest.raises(PlanProblems) as info:
        load_campaign(path)
    return info.value


def test_an_undeclared_group_attribute_is_placed_with_did_you_mean(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        TIEN_GIANG,
        ("by: [unit_type, cluster]", "by: [unit_type, clustr]"),
        ("    unit_types: [ubnd_huyen]", "    unit_types: [ubnd_huyenn]"),
    )
    lines = str(problems_of(path)).splitlines()
    by = line_of(path, "clustr")
    assert lines == [
        f"{path}: candidate_attributes[0].unit_types[0] (line {line_of(path, 'ubnd_huyenn')}), "
        "attribute 'cluster': unit type 'ubnd_huyenn' is not a participant (did you mean "
        "'ubnd_huyen'?)",
        # both awards share the YAML anchor of the groups: the line is the anchor's
        f"{path}: awards[0].groups.by[1] (line {by}), award 'co_thi_dua': groups.by names "
        "'clustr', neither unit_type, unit_id nor a declared candidate attribute (did you mean "
        "'cluster'?)",
        f"{path}: awards[1].groups.by[1] (line {by}), award 'bang_khen': groups.by names "
        "'clustr', neither unit_type, unit_id nor a declared candidate attribute (did you mean "
        "'cluster'?)",
    ]


def test_a_cap_names_its_attribute_and_parameter_with_did_you_mean(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        AN_GIANG,
        ("count_param: max_individuals_per_unit", "count_param: max_individual_per_unit"),
        ("by: unit_id", "by: unit_idd"),
    )
    problems = problems_of(path).problems
    assert [(p.where, p.element, p.suggestion) for p in problems] == [
        (
            f"awards[1].cap.by (line {line_of(path, 'unit_idd')})",
            "award 'bang_khen_ca_nhan'",
            " (did you mean 'unit_id'?)",  # a built-in attribute is a name to suggest too
        ),
        (
            f"awards[1].cap.count_param (line {line_of(path, 'max_individual_per_unit')})",
            "award 'bang_khen_ca_nhan'",
            " (did you mean 'max_individuals_per_unit' or 'quota_individuals'?)",
        ),
    ]


def test_a_broken_attribute_is_named_and_the_rest_still_cross_checked(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        TIEN_GIANG,
        ("  - id: cluster\n", "  - id: cluster\n    lable: x\n"),
        ("by: [unit_type, cluster]", "by: [unit_typ, cluster]"),
    )
    error = problems_of(path)
    lines = str(error).splitlines()
    assert lines[0] == (
        f"{path}: candidate_attributes[0].lable (line {line_of(path, 'lable')}), attribute "
        "'cluster': Extra inputs are not permitted (did you mean 'label'?)"
    )
    # the groups naming the (set aside) attribute are not reported; the typo beside it is
    assert [p.suggestion for p in error.problems[1:]] == [
        " (did you mean 'unit_type' or 'unit_id'?)"
    ] * 2
    assert all("'unit_typ'" in line for line in lines[1:])
    assert not any("checked once the problems above are fixed" in line for line in lines)


def test_an_attribute_id_used_twice_is_placed_at_the_attribute(tmp_path: Path) -> None:
    again = (
        "  - id: cluster\n"
        '    label: "Cụm thi đua (lần hai)"\n'
        "    kinds: [collective]\n"
        "    citation: {source: cv5942, clause: x, interpretation: true, note: x}\n"
    )
    path = edited(tmp_path, TIEN_GIANG, ("\ncontent_areas:", f"{again}\ncontent_areas:"))
    (problem,) = problems_of(path).problems
    assert (problem.loc, problem.element, problem.message) == (
        ("candidate_attributes", 1),
        "attribute 'cluster'",
        "is used twice",
    )
    assert problem.line == line_of(path, "lần hai") - 1


def test_a_share_parameter_of_the_wrong_kind_is_placed_at_its_value(
    plan_dict: dict[str, Any],
) -> None:
    plan_dict["parameters"] += [
        {"id": "share", "label": "Tỷ lệ", "type": "boolean", "value": True, "citation": CITE},
        {"id": "round", "label": "Làm tròn", "type": "integer", "value": 1, "citation": CITE},
    ]
    award = plan_dict["awards"][1]
    del award["quota_param"]
    award["quota_share"] = {
        "percent_param": "share",
        "of": "eligible",
        "rounding_param": "round",
        "citation": CITE,
    }
    with pytest.raises(PlanProblems) as info:
        campaign_from_mapping(plan_dict, origin="built")
    assert [(p.loc, p.element, p.message) for p in info.value.problems] == [
        (
            ("awards", 1, "quota_share", "percent_param"),
            "award 'bk_cn'",
            "share parameter 'share' is not a number",
        ),
        (
            ("awards", 1, "quota_share", "rounding_param"),
            "award 'bk_cn'",
            "rounding parameter 'round' is not of type rounding",
        ),
    ]


def test_the_built_in_attribute_names_are_the_campaigns() -> None:
    assert BUILT_IN_NAMES["candidate_attributes"] == BUILTIN_ATTRIBUTES
