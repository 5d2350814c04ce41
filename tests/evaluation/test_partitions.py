"""``evaluate_partitions``: candidates cut into partitions of whole units, decided partition by
partition and allocated once, give the result of one run over the same candidates — the same
JSON and CSV bytes, member aggregates, quotas per group, missing facts and both engines
included — and a cut that splits a unit, or repeats an id, is refused naming every candidate."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import members_and_groups_plan, person, unit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulation_rules import Campaign, campaign_from_mapping, evaluate, evaluate_partitions
from emulation_rules.errors import EvaluationError, InputError
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.results import render_csv
from emulation_rules.plan.loader import load_campaign

NATIONAL = Path(__file__).resolve().parents[1] / "engine" / "plans" / "national_law.yaml"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    """The mini campaign with a member aggregate (at least half of a unit's members excellent)
    and the collectives' quota per unit type (groups)."""
    return campaign_from_mapping(members_and_groups_plan())


def units_with_members(seed: int, n_units: int) -> list[list[dict[str, Any]]]:
    """``n_units`` units, each a collective followed by its 0–4 members; about 15 % of the
    facts missing, so unknown verdicts, undetermined eligibility and provisional seats occur."""
    rng = random.Random(seed)
    out = []
    for u in range(n_units):
        facts: dict[str, Any] = {}
        for fact, value in (
            ("par", rng.choice([80.0, 91.0, 95.0, 99.0])),
            ("sipas", rng.choice([80.0, 92.0])),
            ("ddci_assessed", rng.random() < 0.5),
            ("ddci", rng.choice(["Khá", "Tốt", "Rất tốt"])),
            ("score", rng.choice([5.0, 6.0])),
            ("score_prev", 5.2),
            ("initiatives", rng.randint(0, 4)),
        ):
            if rng.random() >= 0.15:  # else missing
                facts[fact] = value
        cid = f"u{u:03d}"
        group = [unit(cid, rng.choice(["so", "huyen"]), **facts)]
        for m in range(rng.randint(0, 4)):
            pf: dict[str, Any] = {}
            for fact, value in (
                ("excellent", rng.random() < 0.6),
                ("initiatives", rng.randint(0, 3)),
            ):
                if rng.random() >= 0.15:
                    pf[fact] = value
            group.append(person(f"{cid}.p{m}", cid, **pf))
        out.append(group)
    return out


def cut(
    units: list[list[dict[str, Any]]], assignment: list[int], parts: int
) -> list[list[dict[str, Any]]]:
    """The units dealt into ``parts`` partitions (unit ``u`` into ``assignment[u]``)."""
    out: list[list[dict[str, Any]]] = [[] for _ in range(parts)]
    for group, k in zip(units, assignment, strict=True):
        out[k % parts].extend(group)
    return out


def assert_same(partitioned: Result, whole: Result) -> None:
    assert partitioned.to_json() == whole.to_json()
    assert render_csv(partitioned) == render_csv(whole)
    assert partitioned.allocations == whole.allocations


def test_partitions_allocated_once_give_one_runs_result(campaign: Campaign) -> None:
    units = units_with_members(7, 40)
    partitions = cut(units, [u * 7 % 3 for u in range(len(units))], 3)
    whole = evaluate(campaign, [c for p in partitions for c in p])
    partitioned = evaluate_partitions(campaign, partitions)
    assert_same(partitioned, whole)
    # the run exercises what the boundary must keep: member counts, groups, unknowns, seats
    members = whole.plan.criteria.index(next(c for c in whole.plan.criteria if c.id == "c.members"))
    assert set(whole.verdicts.criteria[members].tolist()) >= {0, 1, 2}  # met, not met, unknown
    groups = {a.group for a in whole.allocations if a.award == "bk_tt"}
    assert groups == {"so", "huyen"}
    assert any(a.provisional or a.possible for a in whole.allocations)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    n_units=st.integers(1, 14),
    parts=st.integers(1, 4),
    assignment=st.lists(st.integers(0, 3), min_size=14, max_size=14),
)
def test_any_cut_into_whole_units_gives_the_same_result(
    campaign: Campaign, seed: int, n_units: int, parts: int, assignment: list[int]
) -> None:
    partitions = cut(units_with_members(seed, n_units), assignment[:n_units], parts)
    whole = evaluate(campaign, [c for p in partitions for c in p], engine="columnar")
    assert_same(evaluate_partitions(campaign, partitions, engine="columnar"), whole)


def test_validated_files_and_documents_as_partitions(campaign: Campaign, tmp_path: Path) -> None:
    from emulation_rules import load_input

    units = units_with_members(3, 12)
    first, second = cut(units, [u % 2 for u in range(len(units))], 2)
    path = tmp_path / "second.json"
    path.write_text(json.dumps({"as_of": "2024-12-31", "candidates": second}), encoding="utf-8")
    _, validated = load_input(campaign, path)
    partitioned = evaluate_partitions(
        campaign, [{"as_of": "2024-12-31", "candidates": first}, validated, []]
    )
    assert_same(partitioned, evaluate(campaign, first + second, as_of="2024-12-31"))


def test_a_unit_split_from_its_members_or_an_id_twice_is_refused(campaign: Campaign) -> None:
    a = [unit("a", par=95.0), person("a.1", "a", excellent=True)]
    b = [unit("b", par=95.0), person("b.1", "a", excellent=True), unit("a", par=91.0)]
    with pytest.raises(InputError) as caught:
        evaluate_partitions(campaign, [a, [], b])
    text = str(caught.value)
    assert "candidate 'b.1' (partition 3)" in text
    assert "unit 'a' is in partition 1" in text
    assert "candidate 'a' (partition 3)" in text
    assert "also in partition 1" in text
    assert len(caught.value.problems) == 2


def test_every_partitions_input_problems_at_once(campaign: Campaign) -> None:
    bad = [unit("x", par="much")]
    worse = [unit("y", sipas=-5_000_000.0, par="none")]
    with pytest.raises(InputError) as caught:
        evaluate_partitions(campaign, [bad, [], [unit("z", par=95.0)], worse])
    wheres = [p.where for p in caught.value.problems]
    assert any(w.startswith("partition 1: ") for w in wheres)
    assert any(w.startswith("partition 4: ") for w in wheres)
    assert len(wheres) >= 2


def test_report_mode_names_the_refused_candidates_partition(campaign: Campaign) -> None:
    good = [unit("g", par=95.0)]
    bad = [unit("b", par="much"), unit("c", par=99.0)]
    result = evaluate_partitions(campaign, [good, bad], on_invalid="report")
    assert [c.id for c in result.candidates] == ["g", "c"]
    assert [(r.id, r.where.split(":")[0]) for r in result.rejected] == [("b", "partition 2")]
    whole = evaluate(campaign, good + bad, on_invalid="report")
    assert result.verdicts.awards[0].tolist() == whole.verdicts.awards[0].tolist()


def test_a_plan_reading_an_allocation_has_no_partition_boundary() -> None:
    national = load_campaign(NATIONAL)
    sample = json.loads(NATIONAL.with_name("national_law_sample.json").read_text("utf-8"))
    with pytest.raises(EvaluationError, match="cannot be decided partition by partition"):
        evaluate_partitions(national, [sample])
