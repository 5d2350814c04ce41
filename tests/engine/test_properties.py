"""Properties of the criteria language over random plans and random partial inputs.

* every node of the language, nested at random: the columnar evaluator, the durable-rules network
  and an independent evaluator (``oracle.py``, plain Python over the plan's models and the raw
  facts) give the same verdict for every criterion and the same eligibility for every award;
* unknown is not false: completing the missing facts at random never turns a ``met`` into
  anything but ``met`` or ``not_applicable`` (a guard decided), a ``not_met`` into anything
  else, an ``eligible`` or ``ineligible`` into anything else;
* numbers at their extremes (0, 1e-9, 1e15, 1e20, -0.0, subnormals, the declared minimum and
  maximum) reach durable-rules exactly: both engines agree, nothing crashes.

``make test`` runs a small budget; ``EMULATION_RULES_FUZZ_EXAMPLES=2000`` runs a large one.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import Oracle
from vocabulary import CITE, GRADES, YEARS, base_plan

from emulation_rules import evaluate
from emulation_rules.engine.columnar import VERDICTS
from emulation_rules.engine.compiler import resolve_parameters
from emulation_rules.plan.loader import campaign_from_mapping

EXAMPLES = int(os.environ.get("EMULATION_RULES_FUZZ_EXAMPLES", "0")) or None
SETTINGS = settings(
    max_examples=EXAMPLES or 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
AS_OF = dt.date(2024, 12, 31)


OPS = st.sampled_from([">=", ">", "<=", "<", "==", "!="])
NUMBERS = st.sampled_from([0, 25.5, 50, 75, 100])
DATES = st.sampled_from(["2024-01-01", "2024-06-30", "2024-07-01", "2025-01-01"])


def collective_leaf() -> st.SearchStrategy[dict[str, Any]]:
    expr_leaf = st.sampled_from([{"fact": "cn1"}, {"fact": "cn2"}, {"fact": "cden"}, {"value": 2}])
    compute = st.one_of(
        st.builds(
            lambda a, b, z: {"ratio": [a, b], "if_zero": z},
            expr_leaf,
            expr_leaf,
            st.sampled_from(["unknown", "not_applicable"]),
        ),
        st.builds(lambda a, b: {"ratio": [a, b], "if_zero_param": "p_zero"}, expr_leaf, expr_leaf),
        st.builds(lambda a, b: {"sum": [a, b]}, expr_leaf, expr_leaf),
        st.builds(lambda a, b: {"difference": [a, b]}, expr_leaf, expr_leaf),
        st.builds(lambda a: {"product": [a, {"value": 0.5}]}, expr_leaf),
        st.just({"days_between": [{"fact": "cd"}, {"param": "p_date"}]}),
    )
    return st.one_of(
        st.builds(
            lambda op, v: {"fact": "cb1", "op": op, "value": v},
            st.sampled_from(["==", "!="]),
            st.booleans(),
        ),
        st.builds(lambda v: {"fact": "cb2", "op": "==", "value": v}, st.booleans()),
        st.builds(lambda op, v: {"fact": "cn1", "op": op, "value": v}, OPS, NUMBERS),
        st.builds(lambda op: {"fact": "cn2", "op": op, "param": "p_num"}, OPS),
        st.builds(
            lambda op, m: {"fact": "cn1", "op": op, "to_fact": "cn2", "margin": m},
            OPS,
            st.sampled_from([0, 0.5, -1]),
        ),
        st.builds(lambda op, g: {"fact": "cg", "op": op, "value": g}, OPS, st.sampled_from(GRADES)),
        st.builds(lambda op, d: {"fact": "cd", "op": op, "value": d}, OPS, DATES),
        st.builds(lambda op: {"fact": "cd", "op": op, "param": "p_date"}, OPS),
        st.builds(lambda e, op, v: {"compute": e, "op": op, "value": v}, compute, OPS, NUMBERS),
        st.builds(
            lambda ts: {"attribute": "unit_type", "in": ts},
            st.sampled_from([["so"], ["huyen"], ["so", "huyen"]]),
        ),
        st.builds(
            lambda op, v: {"parameter": "p_zero", "op": op, "value": v},
            st.sampled_from(["==", "!="]),
            st.booleans(),
        ),
        st.builds(lambda op, v: {"parameter": "p_num", "op": op, "value": v}, OPS, NUMBERS),
    )


def individual_leaf(refs: bool) -> st.SearchStrategy[dict[str, Any]]:
    window = st.one_of(
        st.builds(
            lambda ys: {"years": ys},
            st.lists(st.sampled_from(YEARS), min_size=1, max_size=3, unique=True),
        ),
        st.builds(
            lambda k, y: {"consecutive": k, "up_to": y},
            st.integers(1, 3),
            st.sampled_from([2022, 2023, 2024]),
        ),
        st.builds(lambda k: {"consecutive": k, "up_to_param": "p_year"}, st.integers(1, 3)),
    )
    leaves = [
        st.builds(lambda v: {"fact": "ib", "op": "==", "value": v}, st.booleans()),
        st.builds(lambda op, v: {"fact": "in1", "op": op, "value": v}, OPS, NUMBERS),
        st.builds(lambda op, g: {"fact": "ig", "op": op, "value": g}, OPS, st.sampled_from(GRADES)),
        st.builds(lambda op, d: {"fact": "idate", "op": op, "value": d}, OPS, DATES),
        st.builds(lambda op, v: {"fact": "cn1", "of": "unit", "op": op, "value": v}, OPS, NUMBERS),
        st.builds(
            lambda op, k: {
                "compute": {"months_between": [{"fact": "idate"}, {"param": "p_date"}]},
                "op": op,
                "value": k,
            },
            OPS,
            st.sampled_from([0, 6, 10, 12]),
        ),
        st.builds(
            lambda w, v: {"series": "iser", "op": "==", "value": v, **w}, window, st.booleans()
        ),
        st.builds(
            lambda w, op, g: {"series": "iord", "op": op, "value": g, **w},
            window,
            OPS,
            st.sampled_from(GRADES),
        ),
        st.builds(
            lambda w, op, k: {"count_distinct": "iids", "op": op, "value": k, **w},
            window,
            OPS,
            st.integers(0, 3),
        ),
        st.builds(
            lambda w, op, k: {
                "count_distinct": "iids",
                "excluding": "iused",
                "op": op,
                "value": k,
                **w,
            },
            window,
            OPS,
            st.integers(0, 3),
        ),
        st.builds(
            lambda op, v: {"parameter": "p_date", "op": op, "value": v},
            OPS,
            DATES,
        ),
        st.builds(
            lambda ts: {"attribute": "unit.unit_type", "in": ts},
            st.sampled_from([["so"], ["huyen"]]),
        ),
    ]
    if refs:
        leaves += [
            st.just({"award": "base_i"}),
            st.just({"award": "base_c", "of": "unit"}),
            st.just({"criterion": "base.i0"}),
            st.just({"criterion": "base.c0", "of": "unit"}),
        ]
    return st.one_of(*leaves)


def tree(leaf: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    def extend(kids: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        lists = st.lists(kids, min_size=1, max_size=4)
        return st.one_of(
            st.builds(lambda xs: {"all": xs}, lists),
            st.builds(lambda xs: {"any": xs}, lists),
            st.builds(lambda x: {"not": x}, kids),
            lists.flatmap(
                lambda xs: st.integers(1, len(xs)).map(lambda k: {"at_least": k, "of": xs})
            ),
        )

    return st.recursive(leaf, extend, max_leaves=8)


def members_node(test: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda t, measure, op, v, none: {
            "members": t,
            "measure": measure,
            "op": op,
            "value": v,
            "if_no_members": none,
        },
        test,
        st.sampled_from(["count", "share"]),
        OPS,
        st.sampled_from([0, 1, 2, 50, 70, 100]),
        st.sampled_from(["unknown", "not_met", "not_applicable"]),
    )


@st.composite
def random_plan(draw: st.DrawFn) -> dict[str, Any]:
    plan = base_plan()
    c_tree = tree(collective_leaf())
    i_tree = tree(individual_leaf(refs=False))
    upper_c = tree(st.one_of(collective_leaf(), members_node(tree(individual_leaf(refs=True)))))
    upper_i = tree(individual_leaf(refs=True))
    maybe_guard_c = st.one_of(st.none(), c_tree)
    maybe_guard_i = st.one_of(st.none(), i_tree)

    def crit(cid: str, kind: str, rule: Any, guard: Any) -> dict[str, Any]:
        out = {"id": cid, "label": cid, "kind": kind, "rule": rule, "citation": CITE}
        if guard is not None:
            out["applies_if"] = guard
        return out

    criteria = [
        crit("base.c0", "collective", draw(c_tree), draw(maybe_guard_c)),
        crit("base.c1", "collective", draw(c_tree), draw(maybe_guard_c)),
        crit("base.i0", "individual", draw(i_tree), draw(maybe_guard_i)),
        crit("base.i1", "individual", draw(i_tree), draw(maybe_guard_i)),
        crit("up.c0", "collective", draw(upper_c), draw(maybe_guard_c)),
        crit("up.i0", "individual", draw(upper_i), draw(maybe_guard_i)),
    ]
    plan["criteria"] = criteria

    def award(aid: str, kind: str, requires: list[str]) -> dict[str, Any]:
        return {
            "id": aid,
            "label": aid,
            "form": "bang_khen",
            "authority": "UBND",
            "kind": kind,
            "requires": requires,
            "citation": CITE,
        }

    plan["awards"] = [
        award("base_c", "collective", draw(st.sampled_from([["base.c0"], ["base.c0", "base.c1"]]))),
        award("base_i", "individual", draw(st.sampled_from([["base.i0"], ["base.i0", "base.i1"]]))),
        award("up_c", "collective", ["up.c0"]),
        award("up_i", "individual", draw(st.sampled_from([["up.i0"], ["up.i0", "base.i1"]]))),
    ]
    return plan


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), value)


def _series(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from([str(y) for y in YEARS]), values, max_size=5)


COLLECTIVE_FACTS = {
    "cb1": st.booleans(),
    "cb2": st.booleans(),
    "cn1": st.sampled_from([0.0, 25.5, 49.999999999, 50.0, 50.5, 100.0]),
    "cn2": st.sampled_from([0.0, 25.0, 50.0, 51.0, 100.0]),
    "cden": st.integers(0, 3),
    "cg": st.sampled_from(GRADES),
    "cd": DATES,
}
INDIVIDUAL_FACTS = {
    "ib": st.booleans(),
    "in1": st.sampled_from([0.0, 25.5, 50.0, 75.0, 100.0]),
    "ig": st.sampled_from(GRADES),
    "idate": st.sampled_from(
        ["2023-12-31", "2024-01-01", "2024-06-30", "2024-07-31", "2025-01-01"]
    ),
    "iser": _series(st.booleans()),
    "iord": _series(st.sampled_from(GRADES)),
    "iids": _series(st.lists(st.sampled_from(["a", "b", "c"]), max_size=2)),
    "iused": _series(st.lists(st.sampled_from(["a", "b"]), max_size=1)),
}


@st.composite
def random_input(draw: st.DrawFn) -> list[dict[str, Any]]:
    n_units = draw(st.integers(1, 4))
    out: list[dict[str, Any]] = []
    for u in range(n_units):
        facts = {
            k: v
            for k, v in ((k, draw(_maybe(s))) for k, s in COLLECTIVE_FACTS.items())
            if v is not None
        }
        out.append(
            {
                "id": f"u{u}",
                "name": f"Đơn vị {u}",
                "kind": "collective",
                "unit_type": draw(st.sampled_from(["so", "huyen"])),
                "facts": facts,
            }
        )
    for p in range(draw(st.integers(0, 6))):
        facts = {
            k: v
            for k, v in ((k, draw(_maybe(s))) for k, s in INDIVIDUAL_FACTS.items())
            if v is not None
        }
        out.append(
            {
                "id": f"p{p}",
                "name": f"Cá nhân {p}",
                "kind": "individual",
                "unit_id": f"u{draw(st.integers(0, n_units - 1))}",
                "facts": facts,
            }
        )
    return out


def verdict_maps(result: Any) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    verdicts = {c.id: {v.id: v.verdict for v in c.criteria} for c in result.candidates}
    awards = {c.id: dict(c.awards) for c in result.candidates}
    return verdicts, awards


@SETTINGS
@given(plan=random_plan(), candidates=random_input())
def test_three_implementations_agree_on_every_node(
    plan: dict[str, Any], candidates: list[dict[str, Any]]
) -> None:
    campaign = campaign_from_mapping(plan)
    result = evaluate(campaign, {"as_of": AS_OF.isoformat(), "candidates": candidates})  # both
    oracle = Oracle(campaign, resolve_parameters(campaign, AS_OF, None), candidates)
    oracle.run()
    verdicts, awards = verdict_maps(result)
    assert verdicts == oracle.verdicts
    assert awards == oracle.awards


def _complete(candidates: list[dict[str, Any]], draw: st.DrawFn) -> list[dict[str, Any]]:
    done = copy.deepcopy(candidates)
    for c in done:
        pool = COLLECTIVE_FACTS if c["kind"] == "collective" else INDIVIDUAL_FACTS
        for key, strategy in pool.items():
            if key not in c["facts"]:
                c["facts"][key] = draw(strategy)
            elif key in ("iser", "iord", "iids"):
                for year in YEARS:
                    if str(year) not in c["facts"][key]:
                        inner = {"iser": st.booleans(), "iord": st.sampled_from(GRADES)}.get(
                            key, st.lists(st.sampled_from(["a", "b", "c"]), max_size=2)
                        )
                        c["facts"][key][str(year)] = draw(inner)
    return done


@SETTINGS
@given(plan=random_plan(), candidates=random_input(), data=st.data())
def test_unknown_is_not_false_under_random_completions(
    plan: dict[str, Any], candidates: list[dict[str, Any]], data: st.DataObject
) -> None:
    campaign = campaign_from_mapping(plan)
    partial = verdict_maps(evaluate(campaign, candidates, as_of=AS_OF, engine="columnar"))
    allowed = {
        "met": {"met", "not_applicable"},
        "not_met": {"not_met"},
        "not_applicable": {"not_applicable"},
        "unknown": set(VERDICTS),
    }
    for _ in range(3):
        full = verdict_maps(evaluate(campaign, _complete(candidates, data.draw), as_of=AS_OF))
        for cid, crits in partial[0].items():
            for crit, verdict in crits.items():
                assert full[0][cid][crit] in allowed[verdict], (cid, crit, verdict)
        for cid, awards in partial[1].items():
            for award, state in awards.items():
                if state != "undetermined":
                    assert full[1][cid][award] == state, (cid, award, state)


# --- numbers at their extremes -----------------------------------------------------------------
EXTREMES = [
    0.0,
    -0.0,
    1e-9,
    1e-05,
    0.00001,
    5e-324,
    2.2250738585072014e-308,
    1e15,
    1e20,
    1e300,
    1.7976931348623157e308,
    123456789.123456789,
    0.1 + 0.2,
]


def extreme_plan(threshold: float) -> dict[str, Any]:
    plan = base_plan()
    plan["facts"].append({"id": "big", "label": "big", "type": "number", "kinds": ["collective"]})
    plan["facts"].append(
        {"id": "count", "label": "count", "type": "integer", "kinds": ["collective"], "minimum": 0}
    )
    plan["parameters"].append(
        {"id": "t", "label": "t", "type": "number", "value": threshold, "citation": CITE}
    )
    plan["criteria"] = [
        {
            "id": "x.ge",
            "label": "≥",
            "kind": "collective",
            "rule": {"fact": "big", "op": ">=", "param": "t"},
            "citation": CITE,
        },
        {
            "id": "x.ne",
            "label": "≠",
            "kind": "collective",
            "rule": {"fact": "big", "op": "!=", "value": threshold},
            "citation": CITE,
        },
        {
            "id": "x.diff",
            "label": "Δ",
            "kind": "collective",
            "rule": {"fact": "big", "op": ">", "to_fact": "cn1", "margin": threshold},
            "citation": CITE,
        },
        {
            "id": "x.ratio",
            "label": "÷",
            "kind": "collective",
            "rule": {
                "compute": {"ratio": [{"fact": "big"}, {"fact": "count"}], "if_zero": "unknown"},
                "op": "<",
                "param": "t",
            },
            "citation": CITE,
        },
        {
            "id": "x.date",
            "label": "date",
            "kind": "collective",
            "rule": {"fact": "cd", "op": ">=", "value": "0001-01-01"},
            "citation": CITE,
        },
    ]
    plan["awards"] = [
        {
            "id": f"a_{i}",
            "label": c["id"],
            "form": "bang_khen",
            "authority": "UBND",
            "kind": "collective",
            "requires": [c["id"]],
            "citation": CITE,
        }
        for i, c in enumerate(plan["criteria"])
    ]
    return plan


NUMBER = st.one_of(
    st.sampled_from(EXTREMES),
    st.sampled_from(EXTREMES).map(lambda x: -x),
    st.floats(allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(
    threshold=NUMBER,
    values=st.lists(
        st.tuples(
            _maybe(NUMBER),
            _maybe(st.integers(0, 10**15)),
            _maybe(st.sampled_from(["0001-01-01", "1970-01-01", "9999-12-31"])),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_numbers_at_their_extremes_reach_both_engines(
    threshold: float, values: list[tuple[float | None, int | None, str | None]]
) -> None:
    campaign = campaign_from_mapping(extreme_plan(threshold))
    candidates = []
    for k, (big, count, day) in enumerate(values):
        facts: dict[str, Any] = {"cn1": 50.0}
        if big is not None:
            facts["big"] = big
        if count is not None:
            facts["count"] = count
        if day is not None:
            facts["cd"] = day
        candidates.append(
            {
                "id": f"u{k}",
                "name": f"u{k}",
                "kind": "collective",
                "unit_type": "so",
                "facts": facts,
            }
        )
    result = evaluate(campaign, candidates, as_of=AS_OF)  # both engines; disagreement raises
    oracle = Oracle(campaign, resolve_parameters(campaign, AS_OF, None), candidates)
    oracle.run()
    assert verdict_maps(result)[1] == oracle.awards


@pytest.mark.parametrize("value", [0.00001, 1e20, 1e-9, 1e15, -0.0, 0.0])
def test_issue_9_crash_value_is_decided_by_both_engines(registry: Any, value: float) -> None:
    """`par_index_2021: 0.00001` crashed the process (durable-rules error 204, then SIGSEGV)."""
    facts = {"par_index_2021": value, "sipas_2021": 95.0}
    doc = {
        "candidates": [
            {
                "id": "x",
                "name": "Sở X",
                "kind": "collective",
                "unit_type": "so_ban_nganh",
                "facts": facts,
            }
        ]
    }
    result = evaluate("binh_dinh.par_2021_2025", doc, registry=registry)
    expected = "met" if value >= 90 else "not_met"
    verdict = {v.id: v.verdict for v in result.candidate("x").criteria}
    assert verdict["tap_the.par_index_2021"] == expected
