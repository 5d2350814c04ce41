"""The published JSON Schema of the output document holds for every shipped sample's output,
and for outputs that use every allocation key (provisional seats, threats, shares, caps,
groups by cluster)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CITE, GOOD, person, unit

from emulation_rules import Registry, evaluate
from emulation_rules.inputs.schema import input_schema
from emulation_rules.outputs.schema import output_schema
from emulation_rules.plan.loader import campaign_from_mapping, load_campaign

ROOT = Path(__file__).resolve().parents[2]
TIEN_GIANG = ROOT / "plugins/tien_giang/src/emulation_rules_tien_giang"


def _check(document: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_every_shipped_sample_output_fits_the_schema(registry: Registry) -> None:
    checked = []
    for entry in registry.entries:
        if not entry.campaign.awards or entry.sample is None:
            continue
        result = evaluate(entry.campaign, entry.sample_document(), registry=registry)
        # the JSON text, as `evaluate --format json` prints it
        document = json.loads(result.to_json())
        _check(document, output_schema())
        _check(document, output_schema(entry.campaign))
        checked.append(entry.campaign.id)
    assert sorted(checked) == [
        "an_giang.papi_2021",
        "binh_dinh.par_2021_2025",
        "thuan_bac.par_2023",
        "tien_giang.par_2023",
        "vn_law.danh_hieu_2024",
    ]


def test_the_scores_example_and_a_provisional_flag_fit_the_schema(registry: Registry) -> None:
    campaign = registry.campaign("tien_giang.par_2023")
    example = json.loads((TIEN_GIANG / "example_scores_2023.json").read_text(encoding="utf-8"))
    document = evaluate(campaign, example, registry=registry).to_dict()
    flags = [a for a in document["allocations"] if a["award"] == "co_thi_dua"]
    assert any(a["provisional"] and a["threats"] for a in flags)
    assert any("scores" in c for c in document["candidates"])
    _check(document, output_schema(campaign))


def test_a_share_a_cap_and_clusters_fit_the_schema(plan_dict: dict[str, Any]) -> None:
    plan_dict["parameters"] += [
        {"id": "share", "label": "Tỷ lệ", "type": "number", "value": 50, "citation": CITE},
        {"id": "round", "label": "Làm tròn", "type": "rounding", "value": "up", "citation": CITE},
        {"id": "per_unit", "label": "Mỗi đơn vị", "type": "integer", "value": 1, "citation": CITE},
    ]
    plan_dict["candidate_attributes"] = [
        {"id": "cluster", "label": "Cụm", "kinds": ["collective"], "citation": CITE}
    ]
    collectives, people = plan_dict["awards"]
    collectives["groups"] = {"by": ["unit_type", "cluster"], "citation": CITE}
    del people["quota_param"]
    people["quota_share"] = {
        "percent_param": "share",
        "of": "eligible",
        "rounding_param": "round",
        "citation": CITE,
    }
    people["cap"] = {"by": "unit_id", "count_param": "per_unit", "citation": CITE}
    campaign = campaign_from_mapping(plan_dict)
    cands = [
        {**unit("a", **GOOD), "attributes": {"cluster": "Cụm 1"}},
        {**unit("b", "huyen", **{**GOOD, "initiatives": 3}), "attributes": {"cluster": "Cụm 2"}},
        person("a1", "a", excellent=True, initiatives=4),
        person("a2", "a", excellent=True, initiatives=4),
        person("b1", "b", excellent=True),
    ]
    document = evaluate(campaign, {"candidates": cands}).to_dict()
    people_doc = next(a for a in document["allocations"] if a["award"] == "bk_cn")
    assert people_doc["quota_share"]["seats_max"] == 2 and people_doc["cap"]["count"] == 1
    assert {a.get("group") for a in document["allocations"]} == {"so/Cụm 1", "huyen/Cụm 2", None}
    _check(document, output_schema(campaign))
    _check({"candidates": cands}, input_schema(campaign))


def test_the_schema_refuses_what_the_document_never_holds(registry: Registry) -> None:
    campaign = registry.campaign("an_giang.papi_2021")
    document = evaluate(campaign, registry.entry(campaign.id).sample_document()).to_dict()
    document["allocations"][0]["status"] = "proposed"  # not a key of the document
    with pytest.raises(AssertionError):
        _check(document, output_schema())
    document = evaluate(campaign, registry.entry(campaign.id).sample_document()).to_dict()
    document["allocations"][0]["award"] = "bang_khen_giai_doan"  # not an award of this plan
    _check(document, output_schema())
    with pytest.raises(AssertionError):
        _check(document, output_schema(campaign))


def test_tien_giang_inputs_give_a_cluster_exactly_where_the_schema_says(
    registry: Registry,
) -> None:
    campaign = registry.campaign("tien_giang.par_2023")
    schema = input_schema(campaign)
    for name in ("sample_2020.json", "example_scores_2023.json"):
        _check(json.loads((TIEN_GIANG / name).read_text(encoding="utf-8")), schema)
    district = {
        "id": "h",
        "name": "UBND huyện Cái Bè",
        "kind": "collective",
        "unit_type": "ubnd_huyen",
    }
    with pytest.raises(AssertionError):  # a district without its cluster
        _check({"candidates": [district]}, schema)
    department = {
        "id": "s",
        "name": "Sở Tài chính",
        "kind": "collective",
        "unit_type": "so_ban_nganh",
        "attributes": {"cluster": "Cụm 1"},
    }
    with pytest.raises(AssertionError):  # a department giving one
        _check({"candidates": [department]}, schema)


def test_report_mode_not_applicable_and_provenance_fit_the_schema(registry: Registry) -> None:
    """What the input side added to the document: ``rejected`` (report mode only), the
    eligibility ``not_applicable`` (a candidate that did not exist), ``provenance``."""
    campaign = registry.campaign("tien_giang.par_2023")
    sample = registry.entry(campaign.id).sample_document()
    candidates = [dict(c) for c in sample["candidates"]]
    candidates[0]["facts"] = {
        "appraised_total": {"value": 99.95, "year": 2023, "source": "QĐ", "published": "2024-02-15"}
    }
    candidates[1]["active_until"] = "2022-12-31"  # gone before the 2023 campaign
    candidates[2]["attributes"] = {"cluster": "Cụm 1"}  # a department giving a cluster: refused
    document = json.loads(
        evaluate(
            campaign, {"as_of": "2024-01-31", "candidates": candidates}, on_invalid="report"
        ).to_json()
    )
    first, gone = document["candidates"][0], document["candidates"][1]
    assert first["provenance"]["appraised_total"]["not_yet_published"] is True
    assert set(gone["awards"].values()) == {"not_applicable"}
    assert [r["id"] for r in document["rejected"]] == [candidates[2]["id"]]
    _check(document, output_schema())
    _check(document, output_schema(campaign))
    _check({"as_of": "2024-01-31", "candidates": candidates[:2]}, input_schema(campaign))
    for bad in (
        {**document, "rejected": [{"id": "x", "name": None, "where": "w", "problems": []}]},
        {**document, "candidates": [{**first, "awards": {"co_thi_dua": "excluded"}}]},
        {**document, "candidates": [{**first, "provenance": {"appraised_total": {}}}]},
    ):
        with pytest.raises(AssertionError):
            _check(bad, output_schema(campaign))


def test_the_criteria_languages_outputs_fit_the_schema() -> None:
    """The national rules written as a plan (dates, series by year, distinct ids, members,
    sources with a web address) and the Why plugin (an explanation) give outputs the published
    schema accepts, lean and verbose: citations' ``url`` (in the lean form's ``citations``
    table), criteria's ``explanation`` and ``reasons``, object-valued ``observed``."""
    engine_tests = ROOT / "tests/engine"
    seen: dict[str, int] = {
        "url": 0,
        "table_url": 0,
        "explanation": 0,
        "reasons": 0,
        "series": 0,
        "distinct": 0,
        "members": 0,
    }
    for plan, sample in (
        ("plans/national_law.yaml", "plans/national_law_sample.json"),
        ("why/plan.yaml", "why/sample.json"),
    ):
        campaign = load_campaign(engine_tests / plan)
        result = evaluate(campaign, json.loads((engine_tests / sample).read_text(encoding="utf-8")))
        document = json.loads(result.to_json(verbose_citations=True))
        lean = json.loads(result.to_json())
        for form in (document, lean):
            _check(form, output_schema())
            _check(form, output_schema(campaign))
        seen["table_url"] += sum(c["url"] is not None for c in lean["citations"].values())
        for cand, lean_cand in zip(document["candidates"], lean["candidates"], strict=True):
            for crit, lean_crit in zip(cand["criteria"], lean_cand["criteria"], strict=True):
                assert lean["citations"][lean_crit["citation"]] == crit["citation"]
                assert {k: v for k, v in lean_crit.items() if k != "citation"} == {
                    k: v for k, v in crit.items() if k != "citation"
                }
                seen["url"] += crit["citation"]["url"] is not None
                seen["explanation"] += "explanation" in crit
                seen["reasons"] += "reasons" in crit
                assert ("explanation" in crit) == ("reasons" in crit)
                for value in crit["observed"].values():
                    if isinstance(value, dict):
                        key = next(iter(value), "")
                        kind = "series" if key.isdigit() else key.replace("met", "members")
                        seen[kind] = seen.get(kind, 0) + 1
    assert all(v > 0 for v in seen.values()), seen
    broken = json.loads(json.dumps(document))
    broken["candidates"][0]["criteria"][0]["observed"]["x"] = {"2023": [1]}
    with pytest.raises(AssertionError):
        _check(broken, output_schema())
    explained = next(
        (i, j)
        for i, c in enumerate(lean["candidates"])
        for j, v in enumerate(c["criteria"])
        if "reasons" in v
    )
    for bad_reason in ({"code": "zero_unknown"}, {"code": "no_such_reason"}):
        broken = json.loads(json.dumps(lean))
        broken["candidates"][explained[0]]["criteria"][explained[1]]["reasons"] = [bad_reason]
        with pytest.raises(AssertionError):
            _check(broken, output_schema())
