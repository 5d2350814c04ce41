"""The forms of award of the law (a cited catalogue, local forms a plan declares), sources with
a web address or without a number, and the fact and parameter types added for the language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import GOOD, unit

from emulation_rules import PlanError, evaluate
from emulation_rules.engine.compiler import resolve_parameters
from emulation_rules.outputs.campaign import render_campaign
from emulation_rules.plan.citing import citation_dict, citation_line
from emulation_rules.plan.forms import CATALOGUE, SOURCES, form_problems
from emulation_rules.plan.loader import campaign_from_mapping


def test_the_catalogue_cites_only_sources_it_holds() -> None:
    assert form_problems() == []
    for form in CATALOGUE.values():
        assert {p.regime for p in form.provisions} == {"A", "B"}, form.id
        for p in form.provisions:
            assert p.confirmed or p.note, f"{form.id}: an unconfirmed provision says why"
    # the forms of the shipped plans are in it
    assert {"bang_khen", "co_thi_dua", "giay_khen"} <= set(CATALOGUE)
    # pages read online carry their address and say they have no number
    page = SOURCES["langson_cstdcs"]
    assert page.number is None and page.url and page.document() == "Trang tin (không số)"


def test_an_award_names_a_form_of_the_law_or_one_the_plan_declares(
    plan_dict: dict[str, Any],
) -> None:
    plan_dict["awards"][0]["form"] = "huy_chuong_vang"
    with pytest.raises(PlanError, match="form 'huy_chuong_vang' is neither a form of the law"):
        campaign_from_mapping(plan_dict)
    plan_dict["forms"] = [
        {
            "id": "huy_chuong_vang",
            "label": "Huy chương vàng phong trào (hình thức của tỉnh)",
            "category": "commendation",
            "recipients": ["collective"],
            "citation": {"source": "kh", "clause": "Mục VI"},
        }
    ]
    campaign = campaign_from_mapping(plan_dict)
    assert "declared by the plan" in render_campaign(campaign, dt.date(2024, 6, 1), lang="en")
    shown = render_campaign(campaign, dt.date(2024, 6, 1))
    assert (
        "hình thức: Huy chương vàng phong trào (hình thức của tỉnh) (hình thức khen thưởng, do kế "
        "hoạch quy định) · Kế hoạch 1/KH-TEST, 10/1/2024, UBND tỉnh Thử Nghiệm — Mục VI"
    ) in shown


def test_a_title_for_individuals_is_not_given_to_a_collective(plan_dict: dict[str, Any]) -> None:
    plan_dict["awards"][0]["form"] = "chien_si_thi_dua_co_so"
    with pytest.raises(PlanError, match=r"Chiến sĩ thi đua cơ sở\) is not given to collectives"):
        campaign_from_mapping(plan_dict)


def test_a_plan_may_not_redeclare_a_form_of_the_law(plan_dict: dict[str, Any]) -> None:
    plan_dict["forms"] = [
        {
            "id": "giay_khen",
            "label": "Giấy khen",
            "category": "commendation",
            "recipients": ["individual"],
            "citation": {"source": "kh", "clause": "x"},
        }
    ]
    with pytest.raises(PlanError, match="form 'giay_khen': is a form of the law's catalogue"):
        campaign_from_mapping(plan_dict)


def test_a_source_without_a_number_says_so_and_may_carry_its_address(
    plan_dict: dict[str, Any],
) -> None:
    plan_dict["sources"]["page"] = {
        "kind": "Trang tin",
        "number": None,
        "date": None,
        "date_note": "not recorded",
        "issuer": "Báo Lao Động",
    }
    with pytest.raises(PlanError, match="a source without a number says why in 'number_note'"):
        campaign_from_mapping(plan_dict)
    plan_dict["sources"]["page"]["number_note"] = "a press report, not a numbered document"
    plan_dict["sources"]["page"]["url"] = "https://news.laodong.vn/bai-viet.ldo"
    plan_dict["criteria"][0]["citation"] = {"source": "page", "quote": "dưới 06 tháng"}
    campaign = campaign_from_mapping(plan_dict)
    cite = citation_dict(campaign, campaign.criteria[0].citation)
    assert cite["document"] == "Trang tin (không số)"
    assert cite["url"] == "https://news.laodong.vn/bai-viet.ldo"
    assert citation_line(cite) == (
        "Trang tin (không số), date unknown, Báo Lao Động (https://news.laodong.vn/bai-viet.ldo)"
        " — “dưới 06 tháng”"
    )
    shown = render_campaign(campaign, dt.date(2024, 6, 1))
    assert "Trang tin (không số)" in shown and "https://news.laodong.vn/bai-viet.ldo" in shown
    result = evaluate(campaign, [unit("u", **GOOD)])
    assert (
        result.candidate("u").criteria[0].citation["url"] == "https://news.laodong.vn/bai-viet.ldo"
    )


@pytest.mark.parametrize("url", ["ftp://x.vn/a", "thuvienphapluat.vn/a", "https://a b"])
def test_a_web_address_is_http_or_https(plan_dict: dict[str, Any], url: str) -> None:
    plan_dict["sources"]["kh"]["url"] = url
    with pytest.raises(PlanError, match=r"sources\.kh\.url"):
        campaign_from_mapping(plan_dict)


def test_an_empty_number_is_refused(plan_dict: dict[str, Any]) -> None:
    plan_dict["sources"]["kh"]["number"] = "  "
    with pytest.raises(PlanError, match="a source's number is text or null"):
        campaign_from_mapping(plan_dict)


@pytest.mark.parametrize(
    ("fact", "message"),
    [
        ({"type": "series", "element": "boolean"}, "names its 'element' type, 'first_year'"),
        ({"type": "number", "element": "boolean"}, "are for series facts only"),
        ({"type": "series", "element": "ids", "first_year": 2024, "last_year": 2020}, "before"),
        ({"type": "date", "minimum": 1}, "a date fact has no minimum or maximum"),
        ({"type": "series", "element": "ordinal", "first_year": 2020, "last_year": 2024}, "scale"),
    ],
)
def test_fact_types_are_consistent(
    plan_dict: dict[str, Any], fact: dict[str, Any], message: str
) -> None:
    plan_dict["facts"].append({"id": "x", "label": "x", "kinds": ["collective"], **fact})
    with pytest.raises(PlanError, match=message):
        campaign_from_mapping(plan_dict)


def test_a_date_parameter_keeps_iso_text_and_takes_an_override(plan_dict: dict[str, Any]) -> None:
    plan_dict["parameters"].append(
        {
            "id": "deadline",
            "label": "Hạn",
            "type": "date",
            "value": dt.date(2024, 12, 15),  # as YAML reads 2024-12-15
            "citation": {"source": "kh", "clause": "x"},
        }
    )
    campaign = campaign_from_mapping(plan_dict)
    assert campaign.parameter("deadline").value == "2024-12-15"
    day = dt.date(2024, 6, 1)
    assert resolve_parameters(campaign, day, {"deadline": " 2024-12-20 "})["deadline"] == (
        "2024-12-20"
    )
    from emulation_rules import OverrideError

    with pytest.raises(OverrideError, match="is not a valid date"):
        resolve_parameters(campaign, day, {"deadline": "20/12/2024"})
