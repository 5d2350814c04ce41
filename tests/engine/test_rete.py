"""Regression tests for every durable-rules trap of shared/research/durable-rules.md."""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from typing import Any

import numpy as np
import pytest
from conftest import GOOD, person, unit
from hypothesis import given, settings
from hypothesis import strategies as st

import emulation_rules
from emulation_rules import Campaign, EngineDisagreement, EngineError, evaluate, validate_input
from emulation_rules.engine.columnar import evaluate_columns
from emulation_rules.engine.compiler import compile_plan
from emulation_rules.engine.rete import (
    BATCH,
    ReteEngine,
    build_ruleset,
    fnv1a32,
    message_ids,
)
from emulation_rules.plan.loader import campaign_from_mapping

AS_OF = dt.date(2024, 6, 1)


def engine_for(campaign: Campaign, **kwargs: Any) -> tuple[Any, ReteEngine]:
    plan = compile_plan(campaign, AS_OF)
    return plan, ReteEngine(plan, **kwargs)


def test_only_the_wrapper_imports_durable() -> None:
    import pathlib

    src = pathlib.Path(emulation_rules.__file__).parent
    importers = sorted(
        p.name
        for p in src.rglob("*.py")
        if "import durable" in p.read_text(encoding="utf-8")
        or "durable_rules_engine" in p.read_text(encoding="utf-8").replace("durable-rules", "")
    )
    assert importers == ["rete.py"]


def test_private_hosts_do_not_collide(mini: Campaign) -> None:
    """Trap 1 and 2: two engines for one campaign, and a changed plan, never share a ruleset."""
    _, first = engine_for(mini)
    _, second = engine_for(mini)
    assert first.name != second.name
    assert "durable.lang" not in sys.modules  # the module-global host is never used
    what_if = compile_plan(mini, AS_OF, {"par_min": 50})
    third = ReteEngine(what_if)
    table = validate_input(mini, [unit("u", **{**GOOD, "par": 60.0})]).table
    assert first.decide(table)[0].tolist() == [1]
    assert third.decide(table)[0].tolist() == [0]


def test_no_background_thread_and_every_verdict_present(mini: Campaign) -> None:
    """Trap 3: dispatch is synchronous: verdicts are all there when decide returns."""
    before = threading.active_count()
    _, engine = engine_for(mini)
    table = validate_input(mini, [unit(f"u{i}", **GOOD) for i in range(2500)]).table
    out = engine.decide(table)
    assert threading.active_count() == before
    assert (out[0] == 0).all()


def test_every_message_is_handled_even_with_everything_missing(mini: Campaign) -> None:
    """Trap 4: the last rule of each award matches every message."""
    _, engine = engine_for(mini)
    table = validate_input(mini, [unit("empty"), unit("h", "huyen")]).table
    assert engine.decide(table)[0].tolist() == [2, 2]


def test_colliding_ids_keep_their_own_verdicts(mini: Campaign) -> None:
    """Trap 5: unit-69288 and unit-471090 share a 32-bit FNV-1a hash."""
    assert fnv1a32("unit-69288") == fnv1a32("unit-471090")
    cands = [unit("unit-69288", **GOOD), unit("unit-471090", **{**GOOD, "par": 10.0})]
    result = evaluate(mini, cands)
    assert result.candidate("unit-69288").awards["bk_tt"] == "eligible"
    assert result.candidate("unit-471090").awards["bk_tt"] == "ineligible"


def test_message_ids_have_distinct_hashes() -> None:
    ids = message_ids(BATCH * 5)
    assert len({fnv1a32(i) for i in ids}) == len(ids)
    taken = {fnv1a32("m0")}
    assert "m0" not in message_ids(10, taken)


def test_more_than_1024_candidates(mini: Campaign) -> None:
    """Trap 6: one session per batch, deleted after it; 3,000 candidates all get verdicts."""
    cands = [unit(f"u{i}", **{**GOOD, "par": 85.0 + i % 10}) for i in range(3000)]
    result = evaluate(mini, cands)
    states = [c.awards["bk_tt"] for c in result.candidates]
    assert states.count("eligible") == 1500
    assert states.count("ineligible") == 1500


def test_strings_never_reach_the_engine_as_numbers(mini: Campaign) -> None:
    """Trap 7: '95' for a number is refused before any engine sees it."""
    from emulation_rules import InputError

    with pytest.raises(InputError, match="par"):
        evaluate(mini, [unit("u", **{**GOOD, "par": "95"})])
    with pytest.raises(InputError, match="par"):
        evaluate(mini, [unit("u", **{**GOOD, "par": True})])


def test_an_action_that_raises_fails_the_run(mini: Campaign) -> None:
    """Trap 8: durable-rules would store the exception in the state and carry on."""

    def boom(_: Any) -> None:
        raise RuntimeError("action failed")

    _, engine = engine_for(mini, action_hook=boom)
    table = validate_input(mini, [unit("u", **GOOD)]).table
    with pytest.raises(EngineError, match="action failed"):
        engine.decide(table)


def test_disagreement_between_engines_names_the_candidates(
    mini: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trap 9 (explanations come from the columnar side): the two must agree."""
    original = ReteEngine.decide

    def flipped(self: ReteEngine, table: Any, **kwargs: Any) -> list[Any]:
        out = original(self, table, **kwargs)
        out[0] = np.where(out[0] == 0, 1, out[0]).astype(np.int8)
        return out

    monkeypatch.setattr(ReteEngine, "decide", flipped)
    evaluate_module_cache = sys.modules["emulation_rules.evaluation.evaluate"]
    monkeypatch.setattr(evaluate_module_cache, "_PLANS", type(evaluate_module_cache._PLANS)())
    with pytest.raises(EngineDisagreement, match=r"u-good on bk_tt: columnar=eligible"):
        evaluate(mini, [unit("u-good", **GOOD)])


def test_an_and_of_ors_no_longer_expands(plan_dict: dict[str, Any]) -> None:
    """Trap 10: the old DNF compile refused this tree (4,096 terms); chaining compiles it into
    one decision per `any` and evaluates it with both engines."""
    plan_dict["criteria"][0]["rule"] = {
        "all": [
            {
                "any": [
                    {"fact": "par", "op": ">=", "value": v},
                    {"fact": "sipas", "op": ">=", "value": v},
                ]
            }
            for v in range(12)
        ]
    }
    campaign = campaign_from_mapping(plan_dict)
    rules, _ = build_ruleset(compile_plan(campaign, AS_OF))
    assert len(rules) < 150
    assert all("$or" not in json.dumps(rule) for rule in rules.values())
    result = evaluate(campaign, [unit("u", **GOOD), unit("v", **{**GOOD, "par": 5.0})])
    assert result.candidate("u").awards["bk_tt"] == "eligible"


def test_real_plan_compiles_to_a_small_ruleset(registry: Any) -> None:
    campaign = registry.campaign("an_giang.papi_2021")
    rules, _ = build_ruleset(compile_plan(campaign, dt.date(2022, 5, 20)))
    assert all("$or" not in json.dumps(rule) for rule in rules.values())
    assert len(rules) < 100


facts = st.fixed_dictionaries(
    {},
    optional={
        "par": st.sampled_from([0.0, 85.0, 89.99, 90.0, 95.0, 120.0]),
        "sipas": st.sampled_from([50.0, 84.9, 85.0, 90.0, 100.0]),
        "ddci": st.sampled_from(["Yếu", "Khá", "Tốt", "Rất tốt"]),
        "ddci_assessed": st.booleans(),
        "score": st.sampled_from([0.0, 5.0, 5.5, 6.0, 10.0]),
        "score_prev": st.sampled_from([0.0, 5.0, 5.5]),
        "initiatives": st.integers(0, 4),
    },
)


@settings(max_examples=60, deadline=None)
@given(
    units=st.lists(st.tuples(st.sampled_from(["so", "huyen"]), facts), min_size=1, max_size=12),
    people=st.lists(
        st.tuples(
            st.integers(0, 11),
            st.fixed_dictionaries(
                {}, optional={"excellent": st.booleans(), "initiatives": st.integers(0, 3)}
            ),
        ),
        max_size=12,
    ),
)
def test_both_engines_agree_on_random_input(units: list[Any], people: list[Any]) -> None:
    """Property: for any mix of values and missing facts the columnar evaluator and the
    durable-rules ruleset decide every award of every candidate the same way."""
    plan, engine = _shared_engine()
    cands = [unit(f"u{i}", ut, **f) for i, (ut, f) in enumerate(units)]
    cands += [person(f"p{k}", f"u{i % len(units)}", **f) for k, (i, f) in enumerate(people)]
    table = validate_input(plan.campaign, cands).table
    columnar = evaluate_columns(plan, table)
    decided = engine.decide(table)
    for j in range(len(plan.awards)):
        assert decided[j].tolist() == columnar.awards[j].tolist()
        kinds = table.kind == plan.awards[j].kind
        assert (decided[j][kinds] >= 0).all() and (decided[j][~kinds] == -1).all()


_SHARED: list[tuple[Any, ReteEngine]] = []


def _shared_engine() -> tuple[Any, ReteEngine]:
    from conftest import mini_plan

    if not _SHARED:
        plan = compile_plan(campaign_from_mapping(mini_plan()), AS_OF)
        _SHARED.append((plan, ReteEngine(plan)))
    return _SHARED[0]


def test_concurrent_evaluations_keep_their_own_verdicts(mini: Campaign) -> None:
    """Threads share one cached engine; its lock serialises the batches, none is lost."""
    from concurrent.futures import ThreadPoolExecutor

    def run(k: int) -> list[str]:
        cands = [unit(f"t{k}-{i}", **{**GOOD, "par": 85.0 + (i + k) % 10}) for i in range(1500)]
        return [c.awards["bk_tt"] for c in evaluate(mini, cands).candidates]

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(run, range(4)))
    for k, states in enumerate(outcomes):
        expected = ["eligible" if (i + k) % 10 >= 5 else "ineligible" for i in range(1500)]
        assert states == expected
