"""Deep and wide trees: the compile is linear (issue 10 item 6), a tree nested beyond
``Limits.max_criteria_depth`` is refused at load naming the criterion (issue 10 item 8, never a
RecursionError), a plan beyond durable-rules' limits is refused with a message (and reported by
``check``), and an error inside durable-rules names the candidate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from vocabulary import CITE, base_plan

from emulation_rules import EngineError, PlanError, evaluate
from emulation_rules.authoring.checks import check_campaign
from emulation_rules.cli import main
from emulation_rules.engine import rete
from emulation_rules.engine.compiler import compile_plan
from emulation_rules.engine.network import MAX_AT_LEAST, build_network
from emulation_rules.plan.loader import campaign_from_mapping, load_campaign

AS_OF = dt.date(2024, 12, 31)
LEAF = {"fact": "cn1", "op": ">=", "value": 50}


def plan_with(rule: Any, *, cid: str = "c.deep") -> dict[str, Any]:
    plan = base_plan()
    plan["criteria"] = [
        {"id": cid, "label": cid, "kind": "collective", "rule": rule, "citation": CITE}
    ]
    plan["awards"] = [
        {
            "id": "a",
            "label": "a",
            "form": "bang_khen",
            "authority": "x",
            "kind": "collective",
            "requires": [cid],
            "citation": CITE,
        }
    ]
    return plan


def one_child(depth: int) -> Any:
    node: Any = LEAF
    for level in range(depth - 1):
        node = {"all" if level % 2 else "any": [node]}
    return node


def two_children(depth: int) -> Any:
    node: Any = LEAF
    for level in range(depth - 1):
        other = {"fact": "cn2", "op": "<", "value": level}
        node = {"all" if level % 2 else "any": [other, node]}
    return node


def network_size(rule: Any) -> tuple[int, int]:
    network = build_network(compile_plan(campaign_from_mapping(plan_with(rule)), AS_OF))
    atoms = sum(len(t) for d in network.decisions for _, _, t in d.rules)
    return len(network.definition), atoms


def test_item6_deep_one_child_nesting_compiles_to_a_network_that_grows_linearly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 10 item 6: depth 20 took 17 s and depth 50 never finished (each level recomputed
    its child's unknown condition twice). Nesting of one child collapses; alternating
    all/any of two children gives one decision per level."""
    monkeypatch.setenv("EMULATION_RULES_LIMITS", "max_criteria_depth=64")
    assert network_size(one_child(50)) == network_size(one_child(2))
    sizes = {d: network_size(two_children(d)) for d in (10, 20, 30, 50)}
    # every ten levels add the same number of rules and atoms: linear, a few per level
    assert sizes[20][0] - sizes[10][0] == sizes[30][0] - sizes[20][0] <= 80
    assert sizes[50][0] - sizes[30][0] == 2 * (sizes[30][0] - sizes[20][0])
    assert sizes[20][1] - sizes[10][1] == sizes[30][1] - sizes[20][1]
    campaign = campaign_from_mapping(plan_with(two_children(50)))
    result = evaluate(
        campaign,
        [
            {
                "id": "u",
                "name": "u",
                "kind": "collective",
                "unit_type": "so",
                "facts": {"cn1": 60.0, "cn2": 100.0},
            }
        ],
        as_of=AS_OF,
    )
    assert result.candidate("u").criteria[0].verdict in ("met", "not_met")


def test_item8_a_tree_nested_1000_deep_is_refused_naming_the_criterion() -> None:
    node: Any = LEAF
    for _ in range(1000):
        node = {"all": [node]}
    with pytest.raises(PlanError) as info:
        campaign_from_mapping(plan_with(node, cid="tap_the.sau"))
    message = str(info.value)
    assert "criterion 'tap_the.sau'" in message
    assert "nested 1001 levels deep, beyond the limit max_criteria_depth = 32" in message


def test_the_depth_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    campaign_from_mapping(plan_with(one_child(30)))
    with pytest.raises(PlanError, match="max_criteria_depth = 32"):
        campaign_from_mapping(plan_with(one_child(40)))
    monkeypatch.setenv("EMULATION_RULES_LIMITS", "max_criteria_depth=40")
    campaign_from_mapping(plan_with(one_child(40)))


@pytest.mark.parametrize("depth", [40, 1000])
def test_item8_a_deep_yaml_plan_is_one_error_line_from_the_cli(tmp_path: Path, depth: int) -> None:
    import yaml

    path = tmp_path / "deep.yaml"
    plan = plan_with(one_child(5))
    body = yaml.safe_dump({k: v for k, v in plan.items() if k != "criteria"}, allow_unicode=True)
    flow = "{all: [" * depth + "{fact: cn1, op: '>=', value: 50}" + "]}" * depth
    criteria = (
        "criteria:\n- id: c.deep\n  label: c.deep\n  kind: collective\n"
        f"  citation: {{source: kh, clause: x}}\n  rule: {flow}\n"
    )
    path.write_text(body + criteria, encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_campaign(path)
    assert "RecursionError" not in str(info.value)
    outcome = CliRunner().invoke(main, ["show", str(path)])
    assert outcome.exit_code == 2
    assert "error: " in outcome.output
    assert "Traceback" not in outcome.output


def test_a_wide_all_is_split_into_decisions_durable_rules_can_take() -> None:
    rule = {"all": [{"fact": "cn1", "op": ">=", "value": v} for v in range(80)]}
    campaign = campaign_from_mapping(plan_with(rule))
    network = build_network(compile_plan(campaign, AS_OF))
    assert len(network.decisions) > 2
    unit = {"id": "u", "name": "u", "kind": "collective", "unit_type": "so", "facts": {"cn1": 79.0}}
    assert evaluate(campaign, [unit], as_of=AS_OF).candidate("u").awards["a"] == "eligible"


def test_item17_a_plan_beyond_durable_rules_is_refused_naming_the_criterion_and_engine() -> None:
    leaves = [{"fact": "cn1", "op": ">=", "value": v} for v in range(MAX_AT_LEAST + 1)]
    campaign = campaign_from_mapping(plan_with({"at_least": 3, "of": leaves}, cid="c.wide"))
    unit = {"id": "u", "name": "u", "kind": "collective", "unit_type": "so", "facts": {"cn1": 5.0}}
    with pytest.raises(EngineError, match=r"criterion 'c\.wide'.*engine='columnar'"):
        evaluate(campaign, [unit], as_of=AS_OF)
    assert (
        evaluate(campaign, [unit], as_of=AS_OF, engine="columnar").candidate("u").awards["a"]
        == "eligible"
    )
    problems = [p for p in check_campaign(campaign) if p.check == "engine_limits"]
    assert [p.severity for p in problems] == ["error"]
    assert "beyond what durable-rules can take" in problems[0].message


def test_an_error_inside_durable_rules_names_the_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    campaign = campaign_from_mapping(
        plan_with({"any": [LEAF, {"fact": "cb1", "op": "==", "value": True}]})
    )
    original = rete.dre.assert_events

    def refuse_row_one(handle: Any, text: str) -> Any:
        if '"c":1,' in text:
            raise rete.dre.error("Could not assert events, error code: 303")
        return original(handle, text)

    monkeypatch.setattr(rete.dre, "assert_events", refuse_row_one)
    units = [
        {
            "id": f"don-vi-{k}",
            "name": "u",
            "kind": "collective",
            "unit_type": "so",
            "facts": {"cn1": 60.0},
        }
        for k in range(3)
    ]
    with pytest.raises(EngineError, match=r"candidate 'don-vi-1'.*error code: 303"):
        evaluate(campaign, units, as_of=AS_OF)
