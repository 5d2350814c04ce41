"""Each construct of the criteria language on both engines (``evaluate(engine="both")`` fails on
any disagreement): its three-valued verdicts, its explanation, its checks at load."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from vocabulary import CITE, base_plan

from emulation_rules import Campaign, InputError, PlanError, evaluate
from emulation_rules.plan.loader import campaign_from_mapping

AS_OF = dt.date(2024, 12, 31)


def crit(cid: str, kind: str, rule: Any, guard: Any = None) -> dict[str, Any]:
    out = {"id": cid, "label": cid, "kind": kind, "rule": rule, "citation": CITE}
    if guard is not None:
        out["applies_if"] = guard
    return out


def award(aid: str, kind: str, requires: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "label": aid,
        "form": "bang_khen",
        "authority": "UBND",
        "kind": kind,
        "requires": requires,
        "citation": CITE,
        **extra,
    }


def campaign(*criteria: dict[str, Any], awards: list[dict[str, Any]] | None = None) -> Campaign:
    plan = base_plan()
    plan["criteria"] = list(criteria)
    plan["awards"] = awards or [
        award(f"a_{c['kind']}", c["kind"], [x["id"] for x in criteria if x["kind"] == c["kind"]])
        for c in {c["kind"]: c for c in criteria}.values()
    ]
    return campaign_from_mapping(plan)


def unit(cid: str, unit_type: str = "so", **facts: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid, "kind": "collective", "unit_type": unit_type, "facts": facts}


def person(cid: str, unit_id: str, **facts: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid, "kind": "individual", "unit_id": unit_id, "facts": facts}


def run(c: Campaign, *candidates: dict[str, Any]) -> Any:
    return evaluate(c, list(candidates), as_of=AS_OF)  # both engines; disagreement raises


def verdict(result: Any, cid: str, criterion: str) -> str:
    return next(v.verdict for v in result.candidate(cid).criteria if v.id == criterion)


def line(result: Any, cid: str, criterion: str) -> Any:
    return next(v for v in result.candidate(cid).criteria if v.id == criterion)


# --- k of n -------------------------------------------------------------------------------------
FIVE_OF_SEVEN = {
    "at_least": 5,
    "of": [
        {"fact": "cb1", "op": "==", "value": True},
        {"fact": "cb2", "op": "==", "value": True},
        {"fact": "cn1", "op": ">=", "value": 50},
        {"fact": "cn2", "op": ">=", "value": 50},
        {"fact": "cg", "op": ">=", "value": "Tốt"},
        {"fact": "cden", "op": ">=", "value": 1},
        {"fact": "cd", "op": "<", "value": "2024-12-15"},
    ],
}
ALL_MET = {
    "cb1": True,
    "cb2": True,
    "cn1": 60.0,
    "cn2": 70.0,
    "cg": "Tốt",
    "cden": 2,
    "cd": "2024-12-01",
}


@pytest.mark.parametrize(
    ("drop", "fail", "expected"),
    [
        ((), (), "met"),  # 7 met
        (("cb1", "cb2"), (), "met"),  # 5 met, 2 unknown
        (("cb1", "cb2", "cn1"), (), "unknown"),  # 4 met, 3 unknown: could still reach 5
        ((), ("cb1", "cb2"), "met"),  # 5 met, 2 not met
        ((), ("cb1", "cb2", "cn1"), "not_met"),  # 4 met, 3 not met
        (("cb1",), ("cb2", "cn1"), "unknown"),  # 4 met, 1 unknown, 2 not met: 5 possible
        (("cb1", "cb2"), ("cn1",), "unknown"),  # 4 met, 2 unknown, 1 not met
        (("cb1",), ("cb2", "cn1", "cn2"), "not_met"),  # 3 met + 1 unknown < 5
    ],
)
def test_five_of_seven(drop: tuple[str, ...], fail: tuple[str, ...], expected: str) -> None:
    failing = {"cb1": False, "cb2": False, "cn1": 10.0, "cn2": 10.0}
    facts = {k: (failing[k] if k in fail else v) for k, v in ALL_MET.items() if k not in drop}
    result = run(campaign(crit("c.k", "collective", FIVE_OF_SEVEN)), unit("u", **facts))
    assert verdict(result, "u", "c.k") == expected


def test_at_least_more_than_its_children_is_refused() -> None:
    with pytest.raises(PlanError, match="'at_least: 3' asks for more children than the 2"):
        campaign(
            crit(
                "c.k",
                "collective",
                {"at_least": 3, "of": [{"fact": "cb1", "op": "==", "value": True}] * 2},
            )
        )


def test_ten_of_fifteen_and_nesting() -> None:
    leaves = [{"fact": "cn1", "op": ">=", "value": v} for v in range(0, 75, 5)]  # 15 leaves
    rule = {"all": [{"at_least": 10, "of": leaves}, {"not": {"at_least": 2, "of": leaves[:3]}}]}
    c = campaign(crit("c.k", "collective", rule))
    result = run(c, unit("a", cn1=45.0), unit("b", cn1=50.0), unit("c", cn1=5.0), unit("d"))
    # 45: 10 of 15 met, and the first 3 (0, 5, 10) all met -> the not fails
    assert [verdict(result, x, "c.k") for x in "abcd"] == [
        "not_met",
        "not_met",
        "not_met",
        "unknown",
    ]
    rule2 = {"at_least": 10, "of": leaves}
    result = run(
        campaign(crit("c.k", "collective", rule2)), unit("a", cn1=45.0), unit("b", cn1=40.0)
    )
    assert [verdict(result, x, "c.k") for x in "ab"] == ["met", "not_met"]


# --- arithmetic ---------------------------------------------------------------------------------
def ratio_rule(zero: dict[str, Any], op: str = ">=", value: float = 98) -> dict[str, Any]:
    return {
        "compute": {
            "product": [{"ratio": [{"fact": "cn1"}, {"fact": "cden"}], **zero}, {"value": 100}]
        },
        "op": op,
        "value": value,
        "unit": "%",
    }


def test_a_ratio_is_computed_rounded_and_explained() -> None:
    # 49 / 50 * 100 is 98.00000000000001 in binary floating point: rounded to 98 it meets "≥ 98"
    c = campaign(crit("c.r", "collective", ratio_rule({"if_zero": "unknown"})))
    result = run(c, unit("a", cn1=49.0, cden=50), unit("b", cn1=48.0, cden=50), unit("c", cn1=49.0))
    assert [verdict(result, x, "c.r") for x in "abc"] == ["met", "not_met", "unknown"]
    observed = line(result, "a", "c.r").observed
    assert observed == {"cn1": 49.0, "cden": 50, "((cn1 ÷ cden) × 100)": 98.0}
    assert line(result, "a", "c.r").required == "((cn1 ÷ cden) × 100) ≥ 98 %"


@pytest.mark.parametrize(
    ("zero", "expected", "says"),
    [
        ({"if_zero": "unknown"}, "unknown", "the comparison is unknown"),
        ({"if_zero": "not_applicable"}, "not_applicable", "does not apply"),
        ({"if_zero_param": "p_zero"}, "not_applicable", "does not apply"),  # p_zero = true
    ],
)
def test_a_zero_denominator_gives_what_the_plan_says(
    zero: dict[str, Any], expected: str, says: str
) -> None:
    c = campaign(crit("c.r", "collective", ratio_rule(zero)))
    result = run(c, unit("z", cn1=0.0, cden=0))
    assert verdict(result, "z", "c.r") == expected
    assert says in (line(result, "z", "c.r").explanation or "")


def test_if_zero_param_false_gives_unknown() -> None:
    plan = base_plan()
    plan["parameters"][3]["value"] = False  # p_zero
    plan["criteria"] = [crit("c.r", "collective", ratio_rule({"if_zero_param": "p_zero"}))]
    plan["awards"] = [award("a", "collective", ["c.r"])]
    result = run(campaign_from_mapping(plan), unit("z", cn1=1.0, cden=0))
    assert verdict(result, "z", "c.r") == "unknown"


def test_a_ratio_must_say_what_a_zero_denominator_gives() -> None:
    rule = {"compute": {"ratio": [{"fact": "cn1"}, {"fact": "cden"}]}, "op": ">=", "value": 1}
    with pytest.raises(PlanError, match="a ratio says what a zero denominator gives"):
        campaign(crit("c.r", "collective", rule))
    rule = {
        "compute": {"ratio": [{"fact": "cn1"}, {"fact": "cden"}], "if_zero_param": "p_num"},
        "op": ">=",
        "value": 1,
    }
    with pytest.raises(PlanError, match="if_zero_param 'p_num' is a boolean parameter"):
        campaign(crit("c.r", "collective", rule))


@pytest.mark.parametrize(
    ("expr", "value", "expected"),
    [
        ({"sum": [{"fact": "cn1"}, {"fact": "cn2"}]}, 100, "met"),  # 60 + 40
        ({"difference": [{"fact": "cn1"}, {"fact": "cn2"}]}, 20, "met"),
        ({"product": [{"fact": "cn1"}, {"value": 0.5}]}, 30, "met"),
        ({"difference": [{"fact": "cn2"}, {"param": "p_num"}]}, 0, "not_met"),  # 40 - 50
        ({"days_between": [{"fact": "cd"}, {"param": "p_date"}]}, 29, "met"),  # 1/6 -> 30/6
    ],
)
def test_sums_differences_products_and_days(expr: Any, value: float, expected: str) -> None:
    c = campaign(crit("c.x", "collective", {"compute": expr, "op": ">=", "value": value}))
    result = run(c, unit("a", cn1=60.0, cn2=40.0, cd="2024-06-01"))
    assert verdict(result, "a", "c.x") == expected


def test_arithmetic_types_are_checked_at_load() -> None:
    bad = {"compute": {"sum": [{"fact": "cd"}, {"fact": "cn1"}]}, "op": ">=", "value": 1}
    with pytest.raises(PlanError, match="sum, product and ratio read numbers, not dates"):
        campaign(crit("c.x", "collective", bad))
    bad = {"compute": {"fact": "cg"}, "op": ">=", "value": 1}
    with pytest.raises(PlanError, match="arithmetic reads numbers and dates"):
        campaign(crit("c.x", "collective", bad))
    bad = {"compute": {"difference": [{"fact": "cd"}, {"param": "p_num"}]}, "op": ">=", "value": 1}
    with pytest.raises(PlanError, match="a difference subtracts"):
        campaign(crit("c.x", "collective", bad))


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            {"fact": "cd", "op": "<", "value": "2024-12-15"},
            ["met", "not_met", "not_met", "unknown"],
        ),
        (
            {"fact": "cd", "op": "<", "value": dt.date(2024, 12, 15)},
            ["met", "not_met", "not_met", "unknown"],
        ),
        (
            {"fact": "cd", "op": "<=", "param": "p_date"},
            ["not_met", "not_met", "not_met", "unknown"],
        ),
        ({"fact": "cd", "op": ">=", "value": "2024-12-15"}, ["not_met", "met", "met", "unknown"]),
    ],
)
def test_date_facts_compare_with_literals_and_parameters(rule: Any, expected: list[str]) -> None:
    c = campaign(crit("c.d", "collective", rule))
    result = run(
        c,
        unit("a", cd="2024-12-14"),
        unit("b", cd="2024-12-15"),
        unit("c", cd="2025-01-01"),
        unit("d"),
    )
    assert [verdict(result, x, "c.d") for x in "abcd"] == expected
    assert line(result, "a", "c.d").observed == {"cd": "2024-12-14"}


def test_months_of_tenure() -> None:
    rule = {
        "compute": {"months_between": [{"fact": "idate"}, {"param": "p_date"}]},  # to 30/6/2024
        "op": ">=",
        "value": 6,
        "unit": "tháng",
    }
    c = campaign(crit("i.t", "individual", rule))
    result = run(
        c,
        unit("u"),
        person("a", "u", idate="2023-12-30"),  # 6 months
        person("b", "u", idate="2023-12-31"),  # 5 months and 30 days
        person("c", "u", idate="2024-06-30"),  # 0
        person("d", "u"),
    )
    assert [verdict(result, x, "i.t") for x in "abcd"] == ["met", "not_met", "not_met", "unknown"]
    assert line(result, "a", "i.t").required == "months(idate → 30/6/2024) ≥ 6 tháng"


@pytest.mark.parametrize("bad", ["15/12/2024", "2024-02-30", "2024-12-15T00:00:00", 1702598400])
def test_a_date_fact_is_strict_iso(bad: Any) -> None:
    c = campaign(crit("c.d", "collective", {"fact": "cd", "op": "<", "value": "2024-12-15"}))
    with pytest.raises(InputError, match="fact 'cd'"):
        run(c, unit("a", cd=bad))


def test_a_date_literal_must_be_a_date() -> None:
    with pytest.raises(PlanError, match="does not fit date fact 'cd'"):
        campaign(crit("c.d", "collective", {"fact": "cd", "op": "<", "value": "15/12/2024"}))


# --- another award, another criterion ------------------------------------------------------------
def test_an_award_requiring_another_awards_eligibility() -> None:
    c = campaign(
        crit("i.base", "individual", {"fact": "ib", "op": "==", "value": True}),
        crit("i.needs", "individual", {"award": "base"}),
        crit("i.more", "individual", {"fact": "in1", "op": ">=", "value": 50}),
        awards=[
            award("base", "individual", ["i.base"]),
            award("top", "individual", ["i.needs", "i.more"]),
        ],
    )
    result = run(
        c,
        unit("u"),
        person("a", "u", ib=True, in1=60.0),
        person("b", "u", ib=False, in1=60.0),
        person("c", "u", in1=60.0),
    )
    assert [result.candidate(x).awards["top"] for x in "abc"] == [
        "eligible",
        "ineligible",
        "undetermined",
    ]
    assert line(result, "c", "i.needs").observed == {"award.base": "undetermined"}


def test_an_individual_gated_by_its_units_award_and_criterion() -> None:
    c = campaign(
        crit("c.flag", "collective", {"fact": "cb1", "op": "==", "value": True}),
        crit("i.unit_award", "individual", {"award": "flag", "of": "unit"}),
        crit("i.unit_crit", "individual", {"criterion": "c.flag", "of": "unit"}),
        awards=[
            award("flag", "collective", ["c.flag"]),
            award("person", "individual", ["i.unit_award", "i.unit_crit"]),
        ],
    )
    result = run(
        c,
        unit("u1", cb1=True),
        unit("u2", cb1=False),
        unit("u3"),
        person("a", "u1"),
        person("b", "u2"),
        person("c", "u3"),
    )
    assert [result.candidate(x).awards["person"] for x in "abc"] == [
        "eligible",
        "ineligible",
        "undetermined",
    ]


def test_a_criterion_read_as_a_condition_counts_not_applicable_as_not_met() -> None:
    c = campaign(
        crit(
            "c.g",
            "collective",
            {"fact": "cn1", "op": ">=", "value": 50},
            guard={"attribute": "unit_type", "in": ["huyen"]},
        ),
        crit("c.ref", "collective", {"criterion": "c.g"}),
    )
    result = run(c, unit("s", "so", cn1=90.0), unit("h", "huyen", cn1=90.0))
    assert verdict(result, "s", "c.g") == "not_applicable"
    assert verdict(result, "s", "c.ref") == "not_met"
    assert verdict(result, "h", "c.ref") == "met"


def test_a_cycle_between_criteria_and_awards_is_refused_at_load() -> None:
    with pytest.raises(PlanError, match=r"criterion 'c\.a' -> award 'b' -> criterion 'c\.b'"):
        campaign(
            crit("c.a", "collective", {"award": "b"}),
            crit("c.b", "collective", {"award": "a"}),
            awards=[award("a", "collective", ["c.a"]), award("b", "collective", ["c.b"])],
        )


def test_references_to_unknown_or_misfit_outcomes_are_refused() -> None:
    with pytest.raises(PlanError, match="reads award 'nope', which is not declared"):
        campaign(crit("c.a", "collective", {"award": "nope"}))
    with pytest.raises(PlanError, match="'of: unit' is only for individuals' criteria"):
        campaign(crit("c.a", "collective", {"criterion": "c.a", "of": "unit"}))
    with pytest.raises(PlanError, match="is for individuals, but it is read for a collective"):
        campaign(
            crit("c.a", "collective", {"award": "p"}),
            crit("i.a", "individual", {"fact": "ib", "op": "==", "value": True}),
            awards=[award("p", "individual", ["i.a"]), award("q", "collective", ["c.a"])],
        )


# --- member aggregates -----------------------------------------------------------------------
MEMBER_LDTT = {
    "members": {"fact": "ib", "op": "==", "value": True},
    "measure": "share",
    "op": ">=",
    "value": 70,
}


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([True] * 7 + [False] * 3, "met"),  # 70 %
        ([True] * 6 + [False] * 4, "not_met"),  # 60 %
        ([True] * 6 + [None] + [False] * 3, "unknown"),  # 60 to 70 %
        ([True] * 7 + [None] * 3, "met"),  # at least 70 % whatever the unknown turn out
        ([True] * 5 + [None] + [False] * 4, "not_met"),  # at most 60 %
    ],
)
def test_a_share_of_members(members: list[bool | None], expected: str) -> None:
    c = campaign(crit("c.m", "collective", MEMBER_LDTT))
    people = [
        person(f"p{k}", "u", **({"ib": v} if v is not None else {})) for k, v in enumerate(members)
    ]
    result = run(c, unit("u"), unit("other"), *people)
    assert verdict(result, "u", "c.m") == expected
    observed = line(result, "u", "c.m").observed
    (counts,) = observed.values()
    assert counts == {
        "met": members.count(True),
        "unknown": members.count(None),
        "members": len(members),
    }
    if expected == "unknown":
        assert "the share lies between 60 and 70 %" in (line(result, "u", "c.m").explanation or "")


@pytest.mark.parametrize(
    ("no_members", "expected"),
    [("unknown", "unknown"), ("not_met", "not_met"), ("not_applicable", "not_applicable")],
)
def test_a_collective_without_members(no_members: str, expected: str) -> None:
    rule = {**MEMBER_LDTT, "if_no_members": no_members}
    result = run(campaign(crit("c.m", "collective", rule)), unit("u"))
    assert verdict(result, "u", "c.m") == expected
    assert "no member of this collective is in the input" in (
        line(result, "u", "c.m").explanation or ""
    )


def test_a_count_of_members_eligible_for_an_award_and_none_disciplined() -> None:
    c = campaign(
        crit("i.ok", "individual", {"fact": "ib", "op": "==", "value": True}),
        crit(
            "c.one",
            "collective",
            {"members": {"award": "ind"}, "measure": "count", "op": ">=", "value": 1},
        ),
        crit(
            "c.none",
            "collective",
            {
                "members": {"fact": "ig", "op": ">=", "value": "Khá"},
                "measure": "count",
                "op": "==",
                "value": 0,
            },
        ),
        awards=[
            award("ind", "individual", ["i.ok"]),
            award("col", "collective", ["c.one", "c.none"]),
        ],
    )
    result = run(
        c,
        unit("u1"),
        unit("u2"),
        person("a", "u1", ib=True, ig="Yếu"),
        person("b", "u1", ib=False, ig="Trung bình"),
        person("c", "u2", ib=False),
        person("d", "u2", ib=False, ig="Tốt"),
    )
    assert verdict(result, "u1", "c.one") == "met"
    assert verdict(result, "u1", "c.none") == "met"
    assert verdict(result, "u2", "c.one") == "not_met"
    assert verdict(result, "u2", "c.none") == "not_met"  # d is Tốt: at least one


def test_members_are_read_by_collectives_only() -> None:
    with pytest.raises(PlanError, match="'members' is read by a collective's criterion only"):
        campaign(crit("i.m", "individual", MEMBER_LDTT))


# --- yearly series and distinct ids ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("years", "rule_extra", "expected"),
    [
        ({"2022": True, "2023": True, "2024": True}, {"consecutive": 3, "up_to": 2024}, "met"),
        ({"2022": True, "2023": False, "2024": True}, {"consecutive": 3, "up_to": 2024}, "not_met"),
        ({"2023": True, "2024": True}, {"consecutive": 3, "up_to": 2024}, "unknown"),
        ({"2023": True, "2024": True}, {"consecutive": 2, "up_to": 2024}, "met"),
        ({"2022": True, "2023": True}, {"consecutive": 2, "up_to_param": "p_year"}, "met"),
        ({"2020": True, "2024": True}, {"years": [2020, 2024]}, "met"),
    ],
)
def test_a_title_held_in_consecutive_years(
    years: dict[str, bool], rule_extra: dict[str, Any], expected: str
) -> None:
    rule = {"series": "iser", "op": "==", "value": True, **rule_extra}
    result = run(campaign(crit("i.s", "individual", rule)), unit("u"), person("p", "u", iser=years))
    assert verdict(result, "p", "i.s") == expected


def test_an_ordinal_series_and_its_observed_years() -> None:
    rule = {"series": "iord", "op": ">=", "value": "Tốt", "consecutive": 2, "up_to": 2024}
    result = run(
        campaign(crit("i.s", "individual", rule)),
        unit("u"),
        person("p", "u", iord={"2023": "Rất tốt", "2024": "Tốt", "2020": "Yếu"}),
    )
    assert verdict(result, "p", "i.s") == "met"
    assert line(result, "p", "i.s").observed == {"iord": {"2023": "Rất tốt", "2024": "Tốt"}}
    assert line(result, "p", "i.s").required == "iord ≥ Tốt in each of the 2 years 2023–2024"


def test_series_windows_and_years_are_checked() -> None:
    with pytest.raises(PlanError, match="series 'iser' covers 2020–2024; the window reads 2019"):
        campaign(
            crit(
                "i.s",
                "individual",
                {"series": "iser", "op": "==", "value": True, "consecutive": 2, "up_to": 2020},
            )
        )
    with pytest.raises(PlanError, match="is a yearly series: read it with a 'series' node"):
        campaign(crit("i.s", "individual", {"fact": "iser", "op": "==", "value": True}))
    c = campaign(
        crit("i.s", "individual", {"series": "iser", "op": "==", "value": True, "years": [2024]})
    )
    with pytest.raises(InputError, match="outside the series' years 2020–2024"):
        run(c, unit("u"), person("p", "u", iser={"2019": True}))


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ({"2023": ["SK-1"], "2024": ["SK-2"]}, "met"),
        ({"2023": ["SK-1"], "2024": ["SK-1"]}, "not_met"),  # one initiative counts once
        ({"2024": ["SK-1"]}, "unknown"),  # 2023 not given: could add one
        ({"2024": ["SK-1", "SK-2"]}, "met"),  # already two, whatever 2023 holds
        ({"2023": [], "2024": []}, "not_met"),
    ],
)
def test_initiatives_count_once_over_the_window(ids: dict[str, list[str]], expected: str) -> None:
    rule = {"count_distinct": "iids", "consecutive": 2, "up_to": 2024, "op": ">=", "value": 2}
    result = run(campaign(crit("i.d", "individual", rule)), unit("u"), person("p", "u", iids=ids))
    assert verdict(result, "p", "i.d") == expected


# --- guards under three-valued logic (issue 8 item 3) ----------------------------------------
GUARDED = crit(
    "c.g",
    "collective",
    {"fact": "cn1", "op": ">=", "value": 50},
    guard={"fact": "cb1", "op": "==", "value": True},
)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"cb1": True, "cn1": 60.0}, "met"),
        ({"cb1": True, "cn1": 40.0}, "not_met"),
        ({"cb1": False, "cn1": 40.0}, "not_applicable"),
        ({"cn1": 60.0}, "met"),  # guard unknown, rule met: met either way
        ({"cn1": 40.0}, "unknown"),  # guard unknown, rule not met: not_met or not_applicable
        ({}, "unknown"),
    ],
)
def test_an_undecided_guard(facts: dict[str, Any], expected: str) -> None:
    result = run(campaign(GUARDED), unit("u", **facts))
    assert verdict(result, "u", "c.g") == expected


def test_an_undecided_guard_is_explained_and_its_fact_observed() -> None:
    result = run(campaign(GUARDED), unit("u", cn1=60.0))
    v = line(result, "u", "c.g")
    assert v.observed == {"cn1": 60.0, "cb1": None}
    assert v.explanation == (
        "applies_if cannot be decided yet (missing: cb1); the rule is met, so the criterion is "
        "met whichever way it turns out (met if it holds, not applicable if not)"
    )


def test_an_award_resting_only_on_undecided_guards_is_undetermined() -> None:
    """If every criterion may still turn out not applicable, nothing is shown for sure."""
    result = run(campaign(GUARDED), unit("u", cn1=60.0), unit("v", cb1=True, cn1=60.0))
    assert result.candidate("u").awards["a_collective"] == "undetermined"
    assert result.candidate("v").awards["a_collective"] == "eligible"
    other = crit("c.o", "collective", {"fact": "cn2", "op": ">=", "value": 0})
    result = run(campaign(GUARDED, other), unit("u", cn1=60.0, cn2=1.0))
    assert result.candidate("u").awards["a_collective"] == "eligible"
