"""Allocation: rank, quota, reserve, ties at the cut-off, groups, order of awards."""

from __future__ import annotations

import random
from typing import Any

from conftest import CITE, GOOD, person, unit

from emulation_rules import evaluate
from emulation_rules.plan.loader import campaign_from_mapping


def test_quota_reserve_and_rank_order(mini) -> None:  # type: ignore[no-untyped-def]
    cands = [unit(f"u{p}", **{**GOOD, "par": float(p)}) for p in (91, 99, 95, 93, 80)]
    alloc = evaluate(mini, cands).allocation("bk_tt")
    assert alloc.quota == 2
    assert alloc.awarded == ("u99", "u95")
    assert alloc.reserve == ("u93", "u91")
    assert alloc.tied_at_cutoff == ()


def test_tie_at_the_cutoff_is_reported_not_broken(mini) -> None:  # type: ignore[no-untyped-def]
    cands = [
        unit("top", **{**GOOD, "par": 99.0}),
        unit("b", **{**GOOD, "par": 95.0}),
        unit("a", **{**GOOD, "par": 95.0}),
        unit("c", **{**GOOD, "par": 95.0}),
        unit("low", **{**GOOD, "par": 91.0}),
    ]
    alloc = evaluate(mini, cands).allocation("bk_tt")
    assert alloc.awarded == ("top",)
    assert alloc.tied_at_cutoff == ("a", "b", "c")
    assert alloc.seats_undecided == 1
    assert alloc.reserve == ("low",)


def test_shuffling_the_input_never_changes_an_allocation(mini) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(2024)
    units = [
        unit(f"u{i:02d}", **{**GOOD, "par": float(rng.choice([90, 92, 95, 99]))}) for i in range(30)
    ]
    people = [
        person(f"p{i:02d}", f"u{i % 30:02d}", excellent=True, initiatives=rng.choice([1, 2, 3]))
        for i in range(30)
    ]
    cands: list[dict[str, Any]] = units + people
    reference = [a.to_dict() for a in evaluate(mini, cands).allocations]
    for _ in range(10):
        shuffled = cands[:]
        rng.shuffle(shuffled)
        assert [a.to_dict() for a in evaluate(mini, shuffled).allocations] == reference


def test_undetermined_and_unranked_are_listed(mini) -> None:  # type: ignore[no-untyped-def]
    cands = [
        unit("ok", **GOOD),
        unit("unk", sipas=95.0, ddci_assessed=False),  # par missing: undetermined
        person("p_ranked", "ok", excellent=True, initiatives=1),
        person("p_top", "ok", excellent=True, initiatives=5),
        person("p_unranked", "ok", excellent=True),  # eligible, ranking fact missing
    ]
    result = evaluate(mini, cands)
    collectives = result.allocation("bk_tt")
    assert collectives.undetermined == ("unk",)
    # "ok" holds one of two seats; "unk" could qualify with any par up to 120 and rank first,
    # but two seats leave room for both: "ok" is firm, "unk" possible
    assert collectives.awarded == ("ok",) and collectives.possible == ("unk",)
    people = result.allocation("bk_cn")
    assert people.awarded == ("p_top",)  # p_unranked can push it down one place only
    assert people.provisional == ("p_ranked",)
    assert people.unranked == ("p_unranked",)
    assert people.possible == ("p_unranked",)
    assert people.threats["p_ranked"].contenders == ("p_unranked",)
    # listed once each, by the precedence of the status words (p_unranked is both unranked and
    # possible: it is listed where possible stands, before unranked)
    assert collectives.listed() == ("ok", "unk")
    assert people.listed() == ("p_top", "p_ranked", "p_unranked")


def test_quota_per_group_and_awards_after_others(plan_dict) -> None:  # type: ignore[no-untyped-def]
    cite = {"source": "kh", "clause": "x"}
    plan_dict["parameters"].append(
        {"id": "one", "label": "Một", "type": "integer", "value": 1, "citation": cite}
    )
    plan_dict["awards"] = [
        {
            "id": "co",
            "label": "Cờ thi đua",
            "form": "co_thi_dua",
            "authority": "UBND tỉnh",
            "kind": "collective",
            "requires": ["c.par"],
            "quota_param": "one",
            "per_group": "unit_type",
            "ranking": {"keys": [{"fact": "par"}], "citation": cite},
            "citation": cite,
        },
        {
            "id": "bk",
            "label": "Bằng khen",
            "form": "bang_khen",
            "authority": "UBND tỉnh",
            "kind": "collective",
            "requires": ["c.par"],
            "quota_param": "one",
            "per_group": "unit_type",
            "after": ["co"],
            "ranking": {"keys": [{"fact": "par"}], "citation": cite},
            "citation": cite,
        },
    ]
    campaign = campaign_from_mapping(plan_dict)
    cands = [
        unit("s1", "so", par=99.0),
        unit("s2", "so", par=97.0),
        unit("s3", "so", par=95.0),
        unit("h1", "huyen", par=98.0),
        unit("h2", "huyen", par=91.0),
    ]
    result = evaluate(campaign, cands)
    assert result.allocation("co", "so").awarded == ("s1",)
    assert result.allocation("co", "huyen").awarded == ("h1",)
    assert result.allocation("bk", "so").awarded == ("s2",)
    assert result.allocation("bk", "so").reserve == ("s3",)
    assert result.allocation("bk", "huyen").awarded == ("h2",)


def test_an_unranked_candidate_whose_seat_is_certain_is_awarded(mini) -> None:  # type: ignore[no-untyped-def]
    cands = [
        unit("ok", **GOOD),
        person("p_ranked", "ok", excellent=True, initiatives=1),
        person("p_unranked", "ok", excellent=True),
    ]
    people = evaluate(mini, cands).allocation("bk_cn")
    # quota 2, two eligible: both are seated whatever p_unranked's count turns out to be
    assert people.awarded == ("p_ranked", "p_unranked")
    assert people.unranked == () and people.provisional == ()
    assert people.ranks == {"p_ranked": 1}  # nothing places p_unranked yet
    assert people.seats_undecided == 0


def test_free_seats_with_undetermined_candidates_are_undecided(mini) -> None:  # type: ignore[no-untyped-def]
    cands = [
        unit("ok", **GOOD),
        person("p_ranked", "ok", excellent=True, initiatives=1),
        person("p_maybe", "ok", initiatives=4),  # excellent missing: undetermined
    ]
    people = evaluate(mini, cands).allocation("bk_cn")
    assert people.awarded == ("p_ranked",)  # two seats: p_maybe cannot unseat it
    assert people.possible == ("p_maybe",)
    assert people.seats_undecided == 1  # the second seat waits for p_maybe's missing fact


def test_candidates_tied_for_an_earlier_award_wait_for_it(plan_dict) -> None:  # type: ignore[no-untyped-def]
    cite = {"source": "kh", "clause": "x"}
    plan_dict["parameters"].append(
        {"id": "one", "label": "Một", "type": "integer", "value": 1, "citation": cite}
    )
    ranking = {"keys": [{"fact": "par"}], "citation": cite}
    plan_dict["awards"] = [
        {
            "id": "co",
            "label": "Cờ thi đua",
            "form": "co_thi_dua",
            "authority": "UBND tỉnh",
            "kind": "collective",
            "requires": ["c.par"],
            "quota_param": "one",
            "ranking": ranking,
            "citation": cite,
        },
        {
            "id": "bk",
            "label": "Bằng khen",
            "form": "bang_khen",
            "authority": "UBND tỉnh",
            "kind": "collective",
            "requires": ["c.par"],
            "quota_param": "quota_c",
            "after": ["co"],
            "ranking": ranking,
            "citation": cite,
        },
    ]
    campaign = campaign_from_mapping(plan_dict)
    cands = [unit("a", par=99.0), unit("b", par=99.0), unit("c", par=95.0), unit("d", par=91.0)]
    result = evaluate(campaign, cands)
    flag = result.allocation("co")
    assert flag.awarded == () and flag.tied_at_cutoff == ("a", "b")
    certificate = result.allocation("bk")
    assert certificate.awarded == ("c", "d")  # nobody is proposed for both awards
    assert certificate.pending == ("a", "b")


def test_the_facts_a_place_depends_on_include_guards_and_nested_rules(mini) -> None:  # type: ignore[no-untyped-def]
    from emulation_rules.engine.compiler import compile_plan
    from emulation_rules.evaluation.allocation.depends import node_columns

    plan = compile_plan(mini, mini.period.end)
    by_id = {c.id: c for c in plan.criteria}
    assert node_columns(by_id["c.ddci"].guard) == ["ddci_assessed"]
    assert node_columns(by_id["c.progress"].rule) == ["score", "score_prev", "initiatives"]
    assert node_columns(by_id["i.excellent"].rule) == ["excellent"]  # under a not
    assert node_columns(by_id["c.progress"].guard) == []  # an attribute test reads no fact
    # an undetermined unit waits for the guard's fact and the rule's, not for facts it has
    cands = [unit("ok", **GOOD), unit("x", par=99.0, sipas=95.0, initiatives=5)]
    result = evaluate(mini, cands)
    alloc = result.allocation("bk_tt")
    assert alloc.possible == ("x",)
    assert result.depends_on(alloc) == {"x": {"facts": ["ddci_assessed", "ddci"], "awards": []}}


# --- who did not exist during an award's span (not_applicable) -------------------------------
def _allocations(result: Any) -> list[dict[str, Any]]:
    allocations: list[dict[str, Any]] = result.to_dict()["allocations"]
    return allocations


def test_a_candidate_not_applicable_takes_no_part_in_the_allocation(mini) -> None:  # type: ignore[no-untyped-def]
    """A unit that ceased before the campaign (and one that began after it) is neither
    eligible nor undetermined: it holds no seat, contends for none, is in no list; the
    allocation is the one without it."""
    others = [
        unit("u95", **{**GOOD, "par": 95.0}),
        unit("u93", **{**GOOD, "par": 93.0}),
        unit("u90", **{**GOOD, "par": 90.0}),
        unit("unknown", **{k: v for k, v in GOOD.items() if k != "par"}),
    ]
    gone = {**unit("u99", **{**GOOD, "par": 99.0}), "active_until": "2023-12-31"}
    late = {**unit("u98", **GOOD), "active_from": "2025-01-01"}  # par unknown too
    result = evaluate(mini, [gone, *others, late])
    assert result.candidate("u99").awards == {"bk_tt": "not_applicable"}
    assert result.candidate("u98").awards == {"bk_tt": "not_applicable"}
    alloc = result.allocation("bk_tt")
    assert alloc.awarded == ("u95",) and alloc.provisional == ("u93",)
    # the unit whose par is missing may displace u93; u98, missing it too, may not
    assert alloc.threats["u93"].contenders == ("unknown",)
    assert alloc.possible == ("unknown",) and alloc.reserve == ("u90",)
    listed = set(alloc.awarded) | set(alloc.provisional) | set(alloc.possible)
    listed |= set(alloc.reserve) | set(alloc.undetermined) | set(alloc.unranked)
    assert not listed & {"u99", "u98"}
    assert alloc.status("u99") is None and "u99" not in alloc.ranks
    assert _allocations(result) == _allocations(evaluate(mini, others))


def test_a_share_of_the_candidates_does_not_count_the_not_applicable(plan_dict) -> None:  # type: ignore[no-untyped-def]
    plan_dict["parameters"] += [
        {"id": "share", "label": "Tỷ lệ", "type": "number", "value": 50, "citation": CITE},
        {"id": "round", "label": "Làm tròn", "type": "rounding", "value": "down", "citation": CITE},
    ]
    award = plan_dict["awards"][1]  # bk_cn: individuals, ranked by initiatives
    del award["quota_param"]
    award["quota_share"] = {
        "percent_param": "share",
        "of": "candidates",
        "rounding_param": "round",
        "citation": CITE,
    }
    campaign = campaign_from_mapping(plan_dict)
    people = [person(f"p{i}", "ok", excellent=True, initiatives=9 - i) for i in range(3)]
    gone = {**person("p9", "ok", excellent=True, initiatives=1), "active_until": "2023-06-30"}
    present = [unit("ok", **GOOD), *people]
    result = evaluate(campaign, [*present, gone])
    alloc = result.allocation("bk_cn")
    assert alloc.share is not None and alloc.share.base == 3  # not 4: p9 did not exist
    assert alloc.quota == 1 and alloc.awarded == ("p0",)
    assert _allocations(result) == _allocations(evaluate(campaign, present))
