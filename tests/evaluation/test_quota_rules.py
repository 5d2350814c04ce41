"""Quotas as offices write them: a share of a count with its rounding rule, a cap per unit,
groups by a declared candidate attribute; and how each bounds the seats under missing facts."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CITE, GOOD, person, unit

from emulation_rules import evaluate
from emulation_rules.errors import InputError, PlanError
from emulation_rules.evaluation.allocation.spec import QuotaRule
from emulation_rules.plan.loader import campaign_from_mapping


def _share_plan(plan_dict: dict[str, Any], *, of: str, percent: float, rounding: str) -> Any:
    plan_dict["parameters"] += [
        {"id": "share", "label": "Tỷ lệ", "type": "number", "value": percent, "citation": CITE},
        {
            "id": "round",
            "label": "Làm tròn",
            "type": "rounding",
            "value": rounding,
            "citation": CITE,
        },
    ]
    award = plan_dict["awards"][1]  # bk_cn: individuals, ranked by initiatives
    del award["quota_param"]
    award["quota_share"] = {
        "percent_param": "share",
        "of": of,
        "rounding_param": "round",
        "citation": CITE,
    }
    if of == "award":
        award["quota_share"]["award"] = "ldtt"
        plan_dict["awards"].insert(
            0,
            {
                "id": "ldtt",
                "label": "Lao động tiên tiến (thử)",
                "form": "giay_khen",
                "authority": "Thủ trưởng",
                "kind": "individual",
                "requires": ["i.excellent"],
                "citation": CITE,
            },
        )
    return campaign_from_mapping(plan_dict)


@pytest.mark.parametrize(
    ("percent", "base", "rounding", "seats"),
    [
        (15, 20, "down", 3),  # exactly 3: no binary floating-point error
        (15, 19, "down", 2),  # 2.85
        (15, 19, "half_up", 3),
        (15, 19, "up", 3),
        (15, 10, "half_up", 2),  # 1.5 rounds up
        (12.5, 4, "half_up", 1),  # 0.5
        (12.5, 4, "down", 0),
        (100, 7, "down", 7),
        (0, 7, "up", 0),
    ],
)
def test_a_share_is_rounded_by_its_rule(
    percent: float, base: int, rounding: str, seats: int
) -> None:
    rule = QuotaRule(percent=percent, of="eligible", rounding=rounding)
    assert rule.seats(base) == seats


def _people(n: int, **facts: Any) -> list[dict[str, Any]]:
    return [person(f"p{i}", "ok", excellent=True, initiatives=10 - i, **facts) for i in range(n)]


def test_a_share_of_the_eligible(plan_dict: dict[str, Any]) -> None:
    campaign = _share_plan(plan_dict, of="eligible", percent=15, rounding="down")
    result = evaluate(campaign, [unit("ok", **GOOD), *_people(7)])
    alloc = result.allocation("bk_cn")
    assert alloc.quota == 1  # 15 % of 7 = 1.05, rounded down
    assert alloc.awarded == ("p0",)
    assert alloc.share is not None and alloc.share.base == 7
    assert (alloc.share.seats_min, alloc.share.seats_max) == (1, 1)
    doc = result.to_dict()["allocations"][1]
    assert doc["quota_share"] == {
        "percent": 15,
        "of": "eligible",
        "award": None,
        "rounding": "down",
        "base": 7,
        "seats_min": 1,
        "seats_max": 1,
    }


def test_a_share_of_the_eligible_moves_with_undetermined_candidates(
    plan_dict: dict[str, Any],
) -> None:
    """50 % of 3 eligible is 1 seat; if the undetermined officer qualifies, 50 % of 4 is 2: the
    second-ranked is possible, the first is firm. The newcomer itself would rank last: not
    possible, though it moves the count."""
    campaign = _share_plan(plan_dict, of="eligible", percent=50, rounding="down")
    maybe = person("p9", "ok", initiatives=0)  # excellent missing: undetermined
    alloc = evaluate(campaign, [unit("ok", **GOOD), *_people(3), maybe]).allocation("bk_cn")
    assert alloc.quota == 1 and alloc.share is not None
    assert (alloc.share.seats_min, alloc.share.seats_max) == (1, 2)
    assert alloc.awarded == ("p0",)
    assert alloc.reserve == ("p1", "p2")
    assert alloc.possible == ("p1",)
    assert alloc.undetermined == ("p9",)
    assert alloc.seats_undecided == 1


def test_a_share_of_the_candidates_is_fixed(plan_dict: dict[str, Any]) -> None:
    campaign = _share_plan(plan_dict, of="candidates", percent=50, rounding="up")
    people = [*_people(2), person("p8", "ok", initiatives=1), person("p9", "ok", excellent=False)]
    alloc = evaluate(campaign, [unit("ok", **GOOD), *people]).allocation("bk_cn")
    # 50 % of the 4 individuals, whether eligible or not: 2 seats; p8 (excellent missing) is
    # undetermined with 1 initiative and cannot outrank p0 (10) or p1 (9)
    assert alloc.quota == 2 and alloc.awarded == ("p0", "p1") and alloc.possible == ()


def test_a_share_of_the_holders_of_another_award(plan_dict: dict[str, Any]) -> None:
    """'không quá 15% số cá nhân đạt danh hiệu Lao động tiên tiến': the base is the holders of
    the other award, allocated first; while one may or may not hold it, the share may shrink."""
    campaign = _share_plan(plan_dict, of="award", percent=50, rounding="down")
    people = [*_people(4), person("p8", "ok", initiatives=0)]  # p8: excellent missing
    result = evaluate(campaign, [unit("ok", **GOOD), *people])
    assert [a.award for a in result.allocations][:2] == ["ldtt", "bk_tt"]
    ldtt = result.allocation("ldtt")
    assert ldtt.awarded == ("p0", "p1", "p2", "p3") and ldtt.possible == ("p8",)
    alloc = result.allocation("bk_cn")
    assert alloc.share is not None
    assert (alloc.share.base, alloc.share.seats_min, alloc.share.seats_max) == (4, 2, 2)
    assert alloc.awarded == ("p0", "p1")


def test_a_share_of_another_award_that_may_shrink(plan_dict: dict[str, Any]) -> None:
    campaign = _share_plan(plan_dict, of="award", percent=50, rounding="down")
    # the other award's holders: p0, p1 certain; p2 and p8 lack 'excellent', so they may or
    # may not hold it: the base is 2 to 4, the share 1 to 2 seats. p1 may take the second seat;
    # p2 (8) and p8 (0) would rank below p0 and p1, even if they qualified here.
    people = [*_people(2), person("p2", "ok", initiatives=8), person("p8", "ok", initiatives=0)]
    alloc = evaluate(campaign, [unit("ok", **GOOD), *people]).allocation("bk_cn")
    assert alloc.share is not None
    assert (alloc.share.base, alloc.share.seats_min, alloc.share.seats_max) == (2, 1, 2)
    assert alloc.awarded == ("p0",) and alloc.reserve == ("p1",)
    assert alloc.possible == ("p1",) and alloc.seats_undecided == 1


def test_a_seat_the_share_may_lose_is_provisional(plan_dict: dict[str, Any]) -> None:
    """The other award has 3 seats and one of them is provisional (p9's count is missing): its
    holders number 2 or 3, so this award's 50 % (rounded up) gives 1 or 2 seats."""
    campaign = _share_plan(plan_dict, of="award", percent=50, rounding="up")
    ldtt = next(a for a in plan_dict["awards"] if a["id"] == "ldtt")
    ldtt.update(
        quota_param="quota_i",
        ranking={"keys": [{"fact": "initiatives"}], "citation": CITE},
    )
    plan_dict["parameters"][5]["value"] = 3  # quota_i
    campaign = campaign_from_mapping(plan_dict)
    people = [*_people(3), person("p9", "ok", excellent=True)]  # p9: initiatives missing
    result = evaluate(campaign, [unit("ok", **GOOD), *people])
    assert result.allocation("ldtt").provisional == ("p2",)
    alloc = result.allocation("bk_cn")
    assert alloc.share is not None
    assert (alloc.share.base, alloc.share.seats_min, alloc.share.seats_max) == (3, 1, 2)
    assert alloc.quota == 2 and "p1" in alloc.provisional
    # p9 at 8 ties p2 for the other award's last seat: 2 holders, 1 seat here, and p1 loses it
    assert alloc.threats["p1"].fewer_seats is True
    assert alloc.threats["p1"].contenders == ("p9",)
    # p0 holds its seat in every completion, but the fewest seats (1) and the strongest p9 are
    # bounded apart, though they cannot happen together: p0 is reported provisional too (the
    # conservative side, as docs/data-model.md says)
    assert alloc.provisional == ("p0", "p1")


def test_share_parameters_are_checked_when_the_plan_loads(plan_dict: dict[str, Any]) -> None:
    plan_dict["parameters"] += [
        {"id": "share", "label": "Tỷ lệ", "type": "number", "value": 150, "citation": CITE},
        {"id": "round", "label": "Làm tròn", "type": "integer", "value": 1, "citation": CITE},
    ]
    award = plan_dict["awards"][1]
    del award["quota_param"]
    award["quota_share"] = {
        "percent_param": "share",
        "of": "award",
        "award": "nope",
        "rounding_param": "round",
        "citation": CITE,
    }
    with pytest.raises(PlanError) as err:
        campaign_from_mapping(plan_dict)
    text = str(err.value)
    assert "share parameter 'share' is not a percentage from 0 to 100" in text
    assert "rounding parameter 'round' is not of type rounding" in text
    assert "share of unknown award 'nope'" in text


def test_a_rounding_parameter_takes_only_the_known_rules(plan_dict: dict[str, Any]) -> None:
    plan_dict["parameters"].append(
        {
            "id": "round",
            "label": "Làm tròn",
            "type": "rounding",
            "value": "nearest",
            "citation": CITE,
        }
    )
    with pytest.raises(PlanError, match="value 'nearest' is not a valid rounding"):
        campaign_from_mapping(plan_dict)


def test_an_override_of_the_rounding_rule(plan_dict: dict[str, Any]) -> None:
    campaign = _share_plan(plan_dict, of="eligible", percent=15, rounding="down")
    cands = [unit("ok", **GOOD), *_people(10)]
    assert evaluate(campaign, cands).allocation("bk_cn").quota == 1  # 1.5 down
    up = evaluate(campaign, cands, overrides={"round": "half_up"}).allocation("bk_cn")
    assert up.quota == 2


# --- a cap per unit ---------------------------------------------------------------------------
def _capped(plan_dict: dict[str, Any], cap: int) -> Any:
    plan_dict["parameters"].append(
        {"id": "per_unit", "label": "Mỗi đơn vị", "type": "integer", "value": cap, "citation": CITE}
    )
    plan_dict["awards"][1]["cap"] = {"by": "unit_id", "count_param": "per_unit", "citation": CITE}
    plan_dict["parameters"][5]["value"] = 3  # quota_i
    return campaign_from_mapping(plan_dict)


def test_a_cap_per_unit_passes_over_a_full_unit(plan_dict: dict[str, Any]) -> None:
    campaign = _capped(plan_dict, 1)
    cands = [
        unit("a", **GOOD),
        unit("b", **GOOD),
        person("a1", "a", excellent=True, initiatives=9),
        person("a2", "a", excellent=True, initiatives=8),
        person("b1", "b", excellent=True, initiatives=2),
    ]
    alloc = evaluate(campaign, cands).allocation("bk_cn")
    # three seats, one per unit: a1 and b1; a2 waits in reserve although it outranks b1
    assert alloc.awarded == ("a1", "b1") and alloc.reserve == ("a2",)
    assert alloc.seats_undecided == 0  # the third seat cannot be filled under the cap
    assert alloc.cap == ("unit_id", 1)
    assert alloc.ranks == {"a1": 1, "a2": 2, "b1": 3}


# --- groups by a declared attribute -----------------------------------------------------------
def _clustered(plan_dict: dict[str, Any]) -> Any:
    plan_dict["candidate_attributes"] = [
        {
            "id": "cluster",
            "label": "Cụm thi đua",
            "kinds": ["collective"],
            "unit_types": ["huyen"],
            "values": ["Cụm 1", "Cụm 2"],
            "citation": CITE,
        }
    ]
    plan_dict["parameters"][4]["value"] = 1  # quota_c
    plan_dict["awards"][0]["groups"] = {"by": ["unit_type", "cluster"], "citation": CITE}
    return campaign_from_mapping(plan_dict)


def test_groups_by_unit_type_and_cluster(plan_dict: dict[str, Any]) -> None:
    campaign = _clustered(plan_dict)
    cands = [
        unit("s1", **{**GOOD, "par": 99.0}),
        {
            **unit("h1", "huyen", **{**GOOD, "par": 98.0, "initiatives": 3}),
            "attributes": {"cluster": "Cụm 2"},
        },
        {
            **unit("h2", "huyen", **{**GOOD, "par": 91.0, "initiatives": 3}),
            "attributes": {"cluster": "Cụm 1"},
        },
        {
            **unit("h3", "huyen", **{**GOOD, "par": 95.0, "initiatives": 3}),
            "attributes": {"cluster": "Cụm 1"},
        },
    ]
    result = evaluate(campaign, cands)
    groups = [(a.group, a.awarded) for a in result.allocations if a.award == "bk_tt"]
    # in the declared order of the values, a unit type without clusters first
    assert groups == [("so", ("s1",)), ("huyen/Cụm 1", ("h3",)), ("huyen/Cụm 2", ("h1",))]
    alloc = result.allocation("bk_tt", "huyen/Cụm 1")
    assert alloc.group_values == {"unit_type": "huyen", "cluster": "Cụm 1"}


def test_an_undeclared_cluster_value_is_refused(plan_dict: dict[str, Any]) -> None:
    campaign = _clustered(plan_dict)
    bad = {**unit("h1", "huyen", **GOOD), "attributes": {"cluster": "Cụm 3"}}
    with pytest.raises(
        InputError,
        match=r"field 'attributes\.cluster': Input should be 'Cụm 1' or 'Cụm 2' \(got 'Cụm 3'\)",
    ):
        evaluate(campaign, [bad])


def test_groups_name_only_declared_attributes(plan_dict: dict[str, Any]) -> None:
    plan_dict["awards"][0]["groups"] = {"by": ["cluster"], "citation": CITE}
    with pytest.raises(PlanError, match=r"groups\.by names 'cluster', neither unit_type"):
        campaign_from_mapping(plan_dict)
