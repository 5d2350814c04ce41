"""``emulation-rules check``: one test per check, on variations of the synthetic test plan."""

from __future__ import annotations

import copy
import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import CITE, GOOD, mini_plan, unit

from emulation_rules import Campaign, PlanError, RegistryError, hookimpl, load_registry
from emulation_rules.authoring.checks import Problem, check_campaign, check_registry
from emulation_rules.cli import main
from emulation_rules.plan.campaign import Citation
from emulation_rules.plan.loader import campaign_from_mapping

Plan = dict[str, Any]


def build(change: Callable[[Plan], None] | None = None) -> Campaign:
    """The test plan, changed, validated as a plugin's YAML would be."""
    plan = copy.deepcopy(mini_plan())
    if change is not None:
        change(plan)
    return campaign_from_mapping(plan)


def lines(campaign: Campaign) -> list[str]:
    return [str(p) for p in check_campaign(campaign)]


def errors(campaign: Campaign) -> list[str]:
    return [str(p) for p in check_campaign(campaign) if p.is_error]


def criterion(plan: Plan, cid: str) -> dict[str, Any]:
    return next(c for c in plan["criteria"] if c["id"] == cid)


def add_criterion(plan: Plan, cid: str, rule: dict[str, Any], **extra: Any) -> None:
    plan["criteria"].append(
        {"id": cid, "label": cid, "kind": "collective", "rule": rule, "citation": CITE, **extra}
    )
    plan["awards"][0]["requires"].append(cid)


P = "testland testland.mini_2024"


# --- the baseline -----------------------------------------------------------------------------
def test_the_test_plan_is_clean_and_an_giang_has_no_error(registry: Any) -> None:
    assert lines(build()) == []
    an_giang = check_campaign(registry.campaign("an_giang.papi_2021"), plugin="an_giang")
    assert [str(p) for p in an_giang if p.is_error] == []


def test_problem_line() -> None:
    problem = Problem("an_giang", "an_giang.papi_2021", "criterion:x", "warning", "why")
    assert str(problem) == "an_giang an_giang.papi_2021 criterion:x: warning: why"
    assert not problem.is_error


# --- citations --------------------------------------------------------------------------------
def test_citations() -> None:
    def change(plan: Plan) -> None:
        plan["parameters"][0]["citation"] = {"source": "kh", "quote": "TODO: trích dẫn"}
        plan["sources"]["kh"]["number"] = "TODO/KH-UBND"

    assert lines(build(change)) == [
        f"{P} source:kh: warning: still holds a placeholder (TODO): write the document's "
        "number, issuer and title as printed",
        f"{P} parameter:par_min: warning: citation still holds a placeholder (TODO): cite the "
        "plan's clause or quote its words",
    ]


def test_blank_citations_are_refused_when_the_plan_loads() -> None:
    def blank_clause(plan: Plan) -> None:
        criterion(plan, "c.par")["citation"] = {"source": "kh", "clause": "   "}

    def blank_note(plan: Plan) -> None:
        criterion(plan, "c.sipas")["citation"] = {
            "source": "kh",
            "clause": "Mục II",
            "interpretation": True,
            "note": " ",
        }

    with pytest.raises(PlanError, match="needs a 'clause' or a 'quote'"):
        build(blank_clause)
    with pytest.raises(PlanError, match="needs a 'note'"):
        build(blank_note)


def test_citations_of_a_campaign_built_without_validation() -> None:
    """The model refuses these when a plan loads; a campaign built in Python with
    model_construct skips it, and check reports them through the same channel, once."""
    campaign = build()
    bare = Citation.model_construct(source="kh", clause=None, quote=None, interpretation=True)
    elsewhere = Citation.model_construct(source="nope", clause="Mục I")
    criteria = list(campaign.criteria)
    criteria[0] = criteria[0].model_copy(update={"citation": bare})
    criteria[1] = criteria[1].model_copy(update={"citation": elsewhere})
    found = lines(campaign.model_copy(update={"criteria": tuple(criteria)}))
    assert found == [
        f"{P} criterion:c.par: error: citation has neither a clause nor a quote",
        f"{P} criterion:c.par: error: citation is an interpretation without a note saying what "
        "the plan leaves open",
        f"{P} criterion:c.sipas: error: citation names source 'nope', not in sources",
    ]


# --- usage ------------------------------------------------------------------------------------
def test_unused_parameters_facts_and_scales_are_warned_about() -> None:
    def change(plan: Plan) -> None:
        plan["parameters"].append(
            {"id": "spare", "label": "Dự phòng", "type": "integer", "value": 1, "citation": CITE}
        )
        plan["facts"].append(
            {"id": "staff", "label": "Biên chế", "type": "integer", "kinds": ["collective"]}
        )
        plan["scales"].append(
            {"id": "stars", "label": "Sao", "levels": ["1 sao", "2 sao"], "citation": CITE}
        )

    assert lines(build(change)) == [
        f"{P} parameter:spare: warning: no criterion, margin or quota uses it: overriding it "
        "changes nothing",
        f"{P} fact:staff: warning: no criterion or ranking reads it: the input may carry it but "
        "it decides nothing",
        f"{P} scale:stars: warning: no fact or parameter is measured on it",
    ]


def test_facts_read_by_a_ranking_or_a_guard_and_margin_parameters_count_as_used() -> None:
    campaign = build()
    assert "ddci_assessed" in str(campaign.criterion("c.ddci").applies_if)  # a guard read
    assert campaign.award("bk_cn").ranking is not None  # initiatives: also ranked
    assert [p for p in check_campaign(campaign) if p.check == "usage"] == []


# --- references -------------------------------------------------------------------------------
def test_undeclared_facts_and_parameters() -> None:
    def change(plan: Plan) -> None:
        criterion(plan, "c.par")["rule"]["fact"] = "par_index"

    with pytest.raises(PlanError, match="reads undeclared fact 'par_index'"):
        build(change)
    # built without validation, the same rule reaches the author through check
    campaign = build()
    rule = campaign.criteria[0].rule.model_copy(update={"fact": "par_index"})
    sipas = campaign.criteria[1].rule.model_copy(update={"param": "sipas_threshold"})
    criteria = (
        campaign.criteria[0].model_copy(update={"rule": rule}),
        campaign.criteria[1].model_copy(update={"rule": sipas}),
        *campaign.criteria[2:],
    )
    assert errors(campaign.model_copy(update={"criteria": criteria})) == [
        f"{P} criterion:c.par: error: reads undeclared fact 'par_index'",
        f"{P} criterion:c.sipas: error: parameter 'sipas_threshold' is not declared",
    ]


# --- ordinal scales ---------------------------------------------------------------------------
def test_ordinal_scales() -> None:
    campaign = build()
    scales = (campaign.scales[0].model_copy(update={"levels": ("Tốt",)}),)
    facts = tuple(
        f.model_copy(update={"scale": "xep_loai"}) if f.id == "ddci" else f for f in campaign.facts
    )
    params = tuple(
        p.model_copy(update={"value": "Giỏi"}) if p.id == "ddci_min" else p
        for p in campaign.parameters
    )
    broken = campaign.model_copy(update={"scales": scales, "facts": facts, "parameters": params})
    found = [line for line in errors(broken) if "criterion:" not in line]
    assert found == [
        f"{P} scale:grade: error: an ordinal scale needs at least two levels",
        f"{P} fact:ddci: error: names scale 'xep_loai', which is not declared",
        f"{P} parameter:ddci_min: error: value 'Giỏi' is not a level of scale 'grade' (Tốt)",
    ]
    no_scale = tuple(
        p.model_copy(update={"scale": None}) if p.id == "ddci_min" else p
        for p in campaign.parameters
    )
    assert f"{P} parameter:ddci_min: error: is ordinal but names no scale" in errors(
        campaign.model_copy(update={"parameters": no_scale})
    )


# --- dates ------------------------------------------------------------------------------------
def test_dated_parameter_values() -> None:
    def change(plan: Plan) -> None:
        plan["parameters"][1]["values"] = {"2024-01-10": 90, "2025-02-01": 85}

    assert lines(build(change)) == [
        f"{P} parameter:sipas_min: warning: the value dated 2025-02-01 takes effect after the "
        "campaign ends (2024-12-31)",
    ]


def test_a_parameter_without_a_value_at_the_start_is_refused_when_the_plan_loads() -> None:
    def change(plan: Plan) -> None:
        plan["parameters"][1]["values"] = {"2024-03-01": 90}

    with pytest.raises(PlanError, match="no value in force when the campaign starts"):
        build(change)


# --- awards -----------------------------------------------------------------------------------
def test_awards_refer_to_existing_criteria_of_their_kind() -> None:
    campaign = build()
    awards = (
        campaign.awards[0].model_copy(update={"requires": ("c.par", "c.parr", "i.excellent")}),
        campaign.awards[1],
    )
    assert errors(campaign.model_copy(update={"awards": awards})) == [
        f"{P} award:bk_tt: error: requires criterion 'c.parr', which does not exist",
        f"{P} award:bk_tt: error: is for collectives but criterion 'i.excellent' is for "
        "individuals",
    ]


def test_awards_quotas_and_after() -> None:
    """Built without validation, so that the test holds whether or not the model also refuses
    these (it refuses an 'after' cycle when a plan loads, and reports it here too)."""
    campaign = build()
    quotas = {"quota_c": -1, "quota_i": 0}
    params = tuple(
        p.model_copy(update={"value": quotas[p.id]}) if p.id in quotas else p
        for p in campaign.parameters
    )
    awards = (
        campaign.awards[0].model_copy(update={"after": ("bk_cn",)}),
        campaign.awards[1].model_copy(update={"after": ("bk_tt",)}),
    )
    found = lines(campaign.model_copy(update={"parameters": params, "awards": awards}))
    assert f"{P} award:bk_tt: error: quota parameter 'quota_c' is negative (-1)" in found
    assert f"{P} award:bk_cn: warning: quota parameter 'quota_i' is 0: nobody" in found
    assert (
        f"{P} award:bk_cn: error: awards name each other in 'after' (bk_cn -> bk_tt -> bk_cn): "
        "none of them can be allocated"
    ) in found


def test_shares_and_caps_that_give_nobody_and_a_cap_some_units_cannot_share() -> None:
    def change(plan: Plan) -> None:
        plan["parameters"] += [
            {"id": "share", "label": "Tỷ lệ", "type": "number", "value": 0, "citation": CITE},
            {
                "id": "round",
                "label": "Làm tròn",
                "type": "rounding",
                "value": "up",
                "citation": CITE,
            },
            {"id": "per", "label": "Mỗi cụm", "type": "integer", "value": 0, "citation": CITE},
        ]
        plan["candidate_attributes"] = [
            {"id": "cluster", "label": "Cụm", "kinds": ["collective"], "unit_types": ["huyen"],
             "citation": CITE}
        ]  # fmt: skip
        collectives = plan["awards"][0]
        del collectives["quota_param"]
        collectives["quota_share"] = {
            "percent_param": "share",
            "of": "eligible",
            "rounding_param": "round",
            "citation": CITE,
        }
        collectives["cap"] = {"by": "cluster", "count_param": "per", "citation": CITE}

    found = lines(build(change))
    assert f"{P} award:bk_tt: warning: share parameter 'share' is 0 %: nobody" in found
    assert f"{P} award:bk_tt: warning: cap parameter 'per' is 0: nobody" in found
    assert (
        f"{P} award:bk_tt: warning: cap by 'cluster', which so do not give: each such candidate "
        "counts as a unit of its own"
    ) in found
    # the share's, the rounding's and the cap's parameters count as used
    assert not [x for x in found if any(f"parameter:{p}:" in x for p in ("share", "round", "per"))]
    assert any("parameter:quota_c:" in x for x in found)  # no longer a quota: unused


# --- reachability -----------------------------------------------------------------------------
def test_a_criterion_no_award_requires() -> None:
    def change(plan: Plan) -> None:
        add_criterion(plan, "c.extra", {"fact": "par", "op": ">=", "value": 50})
        plan["awards"][0]["requires"].remove("c.extra")

    assert lines(build(change)) == [
        f"{P} criterion:c.extra: warning: no award requires it: its verdict is reported but "
        "decides nothing"
    ]


def test_guards_that_never_hold_or_always_hold() -> None:
    def change(plan: Plan) -> None:
        criterion(plan, "c.par")["applies_if"] = {"attribute": "kind", "in": ["individual"]}
        criterion(plan, "c.progress")["applies_if"] = {
            "attribute": "unit_type",
            "in": ["so", "huyen"],
        }

    assert lines(build(change)) == [
        f"{P} criterion:c.par: error: applies_if can never hold for a collective of this "
        "campaign (kind collective, unit types so, huyen): the criterion is never applicable",
        f"{P} criterion:c.progress: warning: applies_if always holds for a collective of this "
        "campaign: drop it",
    ]


def test_rules_that_can_never_be_met() -> None:
    def change(plan: Plan) -> None:
        # above the fact's maximum (120), with no guard: the award is out of reach too
        criterion(plan, "c.par")["rule"] = {"fact": "par", "op": ">=", "value": 130}
        # the guard and the rule exclude each other
        criterion(plan, "c.progress")["applies_if"] = {"fact": "score", "op": ">=", "value": 8}
        criterion(plan, "c.progress")["rule"] = {"fact": "score", "op": "<", "value": 5}
        # no integer lies strictly between 2 and 3
        add_criterion(
            plan,
            "c.initiatives",
            {
                "all": [
                    {"fact": "initiatives", "op": ">", "value": 2},
                    {"not": {"fact": "initiatives", "op": ">=", "value": 3}},
                ]
            },
        )

    assert errors(build(change)) == [
        f"{P} criterion:c.par: error: can never be met: its rule can never be met (fact 'par' "
        "ranges over [0, 120])",
        f"{P} criterion:c.progress: error: can never be met: its rule cannot be met whenever "
        "its applies_if holds (fact 'score' ranges over [0, 10])",
        f"{P} criterion:c.initiatives: error: can never be met: its rule can never be met (fact "
        "'initiatives' ranges over [0, ∞])",
        f"{P} award:bk_tt: error: can never be eligible: criterion 'c.par' applies to every "
        "candidate and can never be met (its rule can never be met)",
    ]


def test_an_award_whose_criteria_are_all_out_of_reach() -> None:
    def change(plan: Plan) -> None:
        for cid in ("i.unit_par", "i.excellent"):
            criterion(plan, cid)["applies_if"] = {"attribute": "kind", "in": ["collective"]}

    assert errors(build(change))[-1] == (
        f"{P} award:bk_cn: error: can never be eligible: none of its criteria can ever be met "
        "(i.unit_par: its applies_if can never hold; i.excellent: its applies_if can never hold)"
    )


# --- conflicts --------------------------------------------------------------------------------
def conflict_lines(campaign: Campaign) -> list[str]:
    return [str(p) for p in check_campaign(campaign) if p.check == "conflicts"]


def test_contradictory_criteria_of_one_award() -> None:
    def change(plan: Plan) -> None:
        add_criterion(plan, "c.low", {"fact": "par", "op": "<", "value": 80})

    assert conflict_lines(build(change)) == [
        f"{P} award:bk_tt: error: requires 'c.par' and 'c.low', which contradict each other on "
        "fact 'par': ≥ 90 for 'c.par' but < 80 for 'c.low', so no candidate to which both apply "
        "can be eligible (guards are ignored, except that criteria whose guards never hold "
        "together are not compared)"
    ]


def test_a_criterion_and_its_negation() -> None:
    def change(plan: Plan) -> None:
        not_par = {"not": {"fact": "par", "op": ">=", "param": "par_min"}}
        add_criterion(plan, "c.not_par", not_par)

    found = conflict_lines(build(change))
    assert len(found) == 1
    assert "requires 'c.par' and 'c.not_par'" in found[0]
    assert "≥ 90 for 'c.par' but < 90 for 'c.not_par'" in found[0]


def test_contradictions_on_an_ordinal_scale_and_among_three_criteria() -> None:
    def change(plan: Plan) -> None:
        add_criterion(plan, "c.ddci_low", {"fact": "ddci", "op": "<", "value": "Khá"})

    assert (
        "'Tốt', 'Rất tốt' for 'c.ddci' but one of 'Yếu', 'Trung bình' for 'c.ddci_low'"
        in (conflict_lines(build(change))[0])
    )

    def three(plan: Plan) -> None:
        add_criterion(plan, "c.a", {"fact": "ddci", "op": "<=", "value": "Trung bình"})
        add_criterion(
            plan,
            "c.b",
            {
                "all": [
                    {"fact": "ddci", "op": ">=", "value": "Trung bình"},
                    {"fact": "ddci", "op": "<=", "value": "Khá"},
                ]
            },
        )
        add_criterion(
            plan,
            "c.c",
            {
                "any": [
                    {"fact": "ddci", "op": "==", "value": "Yếu"},
                    {"fact": "ddci", "op": "==", "value": "Khá"},
                ]
            },
        )
        criterion(plan, "c.ddci").pop("applies_if")
        criterion(plan, "c.ddci")["rule"] = {"fact": "ddci_assessed", "op": "==", "value": True}

    assert conflict_lines(build(three)) == [
        f"{P} award:bk_tt: error: requires 'c.a' (one of 'Yếu', 'Trung bình'), 'c.b' (one of "
        "'Trung bình', 'Khá'), 'c.c' (one of 'Yếu', 'Khá'), which cannot all hold on fact "
        "'ddci': no candidate to which they all apply can be eligible (guards are ignored)"
    ]


def test_no_conflict_where_guards_separate_the_criteria_or_a_dated_value_allows_it() -> None:
    def guarded(plan: Plan) -> None:
        add_criterion(
            plan,
            "c.low",
            {"fact": "par", "op": "<", "value": 80},
            applies_if={"attribute": "unit_type", "in": ["so"]},
        )
        criterion(plan, "c.par")["applies_if"] = {"attribute": "unit_type", "in": ["huyen"]}

    assert conflict_lines(build(guarded)) == []

    def dated(plan: Plan) -> None:  # sipas_min is 90, then 85 from 1/7: 85 <= sipas < 88 fits
        add_criterion(plan, "c.sipas_low", {"fact": "sipas", "op": "<", "value": 88})

    assert conflict_lines(build(dated)) == []

    def fact_to_fact(plan: Plan) -> None:  # comparisons of two facts are not reasoned about
        add_criterion(plan, "c.decline", {"fact": "score", "op": "<", "to_fact": "score_prev"})

    assert conflict_lines(build(fact_to_fact)) == []


def test_two_definitions_with_one_id_and_a_repeated_award() -> None:
    campaign = build()
    twice = campaign.model_copy(update={"awards": (*campaign.awards, campaign.awards[0])})
    assert conflict_lines(twice) == [
        f"{P} award:bk_tt: error: is defined 2 times: which definition applies is ambiguous"
    ]

    def repeated(plan: Plan) -> None:
        again = copy.deepcopy(plan["awards"][0])
        again["id"] = "bk_tt_2"
        plan["awards"].append(again)

    assert conflict_lines(build(repeated)) == [
        f"{P} award:bk_tt_2: warning: repeats award 'bk_tt': the same commendation (bang_khen "
        "of Chủ tịch UBND tỉnh) for the same criteria, so every eligible collective is proposed "
        "twice (unless one lists the other in 'after')"
    ]


# --- the model's own rules --------------------------------------------------------------------
def test_what_only_the_model_knows_is_reported_too() -> None:
    campaign = build()
    period = campaign.period.model_copy(update={"end": campaign.period.start.replace(year=2023)})
    assert errors(campaign.model_copy(update={"period": period})) == [
        f"{P} period: error: period ends (2023-01-10) before it starts (2024-01-10)"
    ]


# --- the registry and the command -------------------------------------------------------------
def plugin_module(register: Callable[[Any], None]) -> types.ModuleType:
    module = types.ModuleType("testland_plugin")
    module.register_campaigns = hookimpl(register)  # type: ignore[attr-defined]
    return module


def test_check_registry() -> None:
    campaign = build(
        lambda plan: add_criterion(plan, "c.low", {"fact": "par", "op": "<", "value": 80})
    )
    registry = load_registry(
        extra_plugins=[
            ("testland", plugin_module(lambda register: register(campaign))),
            ("empty", plugin_module(lambda register: None)),
        ],
        entry_points=False,
    )
    found = check_registry(registry)
    assert [p.plugin for p in found] == ["empty", "testland"]
    assert str(found[0]) == "empty - plugin: warning: registers no campaign"
    assert [p.element for p in check_registry(registry, "testland")] == ["award:bk_tt"]
    with pytest.raises(RegistryError, match=r"no plugin 'nope' is loaded \(loaded: testland"):
        check_registry(registry, "nope")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def test_command_exit_status_and_lines(tmp_path: Path) -> None:
    result = run("an_giang")
    assert result.exit_code == 0, result.output
    assert "checked 1 campaign(s): 0 error(s)" in result.output

    plan = copy.deepcopy(mini_plan())
    add_criterion(plan, "c.low", {"fact": "par", "op": "<", "value": 80})
    plan["parameters"].append(
        {"id": "spare", "label": "Dự phòng", "type": "integer", "value": 1, "citation": CITE}
    )
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    out = result.output.splitlines()
    assert out[0] == (
        f"file:{path} testland.mini_2024 parameter:spare: warning: no criterion, margin or "
        "quota uses it: overriding it changes nothing"
    )
    assert out[1].startswith(f"file:{path} testland.mini_2024 award:bk_tt: error: requires")
    assert out[2] == "checked 1 campaign(s): 1 error(s), 1 warning(s)"
    assert run(str(path), "--errors-only").output.count("warning:") == 0

    del plan["awards"][0]["requires"][-1]  # warnings only: status 0
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    assert run(str(path)).exit_code == 0

    path.write_text("id: [", encoding="utf-8")  # does not load: an error, status 1
    result = run(str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"{path} - load: error: {path}: not valid YAML")

    result = run("nope")
    assert result.exit_code == 2
    assert result.output.startswith("error: no plugin 'nope' is installed (installed: an_giang")


# --- issue 13 item 4: check covers what ships --------------------------------------------------


def generated(tmp_path: Path, slug: str) -> tuple[Path, types.ModuleType]:
    """A plugin generated by new-plugin, its module imported from its source tree."""
    import importlib
    import sys

    from emulation_rules.authoring.scaffold import new_plugin

    root = tmp_path / slug
    new_plugin(slug, directory=root, name="tỉnh Thử Nghiệm")
    sys.path.insert(0, str(root / "src"))
    try:
        return root, importlib.import_module(f"emulation_rules_{slug}")
    finally:
        sys.path.remove(str(root / "src"))
        sys.modules.pop(f"emulation_rules_{slug}", None)


def test_check_validates_the_bundled_sample_and_every_case_input(tmp_path: Path) -> None:
    slug = "testprov_shipped"
    root, module = generated(tmp_path, slug)

    def errors() -> list[str]:
        registry = load_registry(extra_plugins=[(slug, module)], entry_points=False)
        return [str(p) for p in check_registry(registry) if p.is_error]

    assert errors() == []  # the scaffold ships a sample and cases that fit
    cases = root / "tests" / "test_cases.yaml"
    text = cases.read_text(encoding="utf-8")
    text = text.replace("so-tai-chinh: {tap_the.truc_tuyen: unknown}", "so-tai-chinhh: {}")
    text = text.replace("facts: {ty_le_ho_so_truc_tuyen: 74.0}", "facts: {ty_le: 74.0}")
    cases.write_text(text, encoding="utf-8")
    found = errors()
    campaign = f"{slug}.cchc_2025"
    assert len(found) == 2  # the third case expects an error: its input is not checked
    assert found[0].startswith(
        f"{slug} {campaign} case:tests/test_cases.yaml#1: error: 'the sample: Sở Nội vụ is "
    )
    assert found[0].endswith(
        "criteria: candidate 'so-tai-chinhh' is not in the input (did you mean 'so-tai-chinh'?)"
    )
    assert found[1].startswith(f"{slug} {campaign} case:tests/test_cases.yaml#2: error: ")
    assert "its input does not evaluate: candidate 'so-tu-phap'" in found[1]
    assert "ty_le" in found[1]

    sample = root / "src" / f"emulation_rules_{slug}" / "sample.json"
    sample.write_text(sample.read_text(encoding="utf-8").replace("92.5", "192.5"), encoding="utf-8")
    found = errors()
    assert found[0].startswith(
        f"{slug} {campaign} sample: error: sample.json does not evaluate: candidate 'so-noi-vu'"
    )
    assert "192.5" in found[0]


def test_check_reports_a_broken_plugin_and_checks_the_others(tmp_path: Path) -> None:
    def broken(register: Any) -> None:
        raise RuntimeError("the plan file is missing")

    good = build()
    registry = load_registry(
        extra_plugins=[
            ("broken", plugin_module(broken)),
            ("testland", plugin_module(lambda register: register(good))),
        ],
        entry_points=False,
    )
    found = check_registry(registry)
    assert str(found[0]) == (
        "broken - load: error: plugin 'broken' raised in hook 'register_campaigns': "
        "RuntimeError: the plan file is missing"
    )
    assert {p.plugin for p in found[1:]} <= {"testland"}


def test_item8_check_is_under_the_error_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATION_RULES_LIMITS", "max_plan_bytes=lots")
    result = run()
    assert result.exit_code == 2
    assert result.output == (
        "error: EMULATION_RULES_LIMITS: 'max_plan_bytes' needs a positive integer\n"
    )


def test_check_registry_runs_engine_limits_beside_the_shipped_sample(tmp_path: Path) -> None:
    """The language's ``engine_limits`` check runs in the same pass as the shipped sample: a
    plan durable-rules cannot take is an error before ``evaluate``, while its sample (checked
    with the columnar engine) still evaluates."""
    from emulation_rules.engine.network import MAX_AT_LEAST

    leaves = [{"fact": "par", "op": ">=", "value": v} for v in range(MAX_AT_LEAST + 1)]
    campaign = build(lambda plan: add_criterion(plan, "c.wide", {"at_least": 3, "of": leaves}))
    sample = tmp_path / "sample.json"
    sample.write_text(
        json.dumps({"candidates": [unit("u", **GOOD)]}, ensure_ascii=False), encoding="utf-8"
    )
    registry = load_registry(
        extra_plugins=[
            ("testland", plugin_module(lambda register: register(campaign, sample=sample)))
        ],
        entry_points=False,
    )
    found = check_registry(registry)
    assert [(p.check, p.element, p.severity) for p in found if p.is_error] == [
        ("engine_limits", "campaign", "error")
    ]
    assert "beyond what durable-rules can take" in str(found[0]) and "c.wide" in str(found[0])
    assert not [p for p in found if p.element == "sample"]
    sample.write_text('{"candidates": [{"id": "u"}]}', encoding="utf-8")
    assert "sample" in [p.element for p in check_registry(registry)]
