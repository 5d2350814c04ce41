"""Fuzzing the Python API: ``evaluate(campaign, document)`` with valid documents (the two
engines agree, with and without overrides, and the columnar engine alone gives the same
result) and with values no JSON file can carry (NaN, infinities, integers of any size, a
million-element list): refused with every problem naming its place, shortened, or judged —
never another exception."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fuzz_budget import explore
from fuzz_campaigns import IDS, TARGETS, Target
from fuzz_checks import api_run, check_document
from fuzz_documents import valid_documents
from hypothesis import strategies as st

from emulation_rules import evaluate
from emulation_rules.errors import InputError
from emulation_rules.evaluation.result import Result

PYTHON_VALUES: list[Any] = [
    float("nan"),
    float("inf"),
    -float("inf"),
    10**400,
    -(10**400),
    2**53 + 1,
    2**63,
    1e308,
    5e-324,
    -0.0,
    True,
    "8",
    b"8",
    [1] * 1_000_000,
    {"value": float("nan")},
    {"value": 3, "year": 10**400},
    {"value": 3, "published": "2022-02-30"},
    object(),
    None,
]

#: the longest message a problem may have (a value is echoed shortened, never whole)
LONGEST_PROBLEM = 2_000


def _without_engine(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "engine"}


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_the_two_engines_agree_on_valid_documents(
    target: Target, request: pytest.FixtureRequest
) -> None:
    campaign = target.campaign

    def check(doc: dict[str, Any], quota: int | None) -> None:
        params = {p.id: p for p in campaign.parameters}
        overrides = {
            a.quota_param: quota
            for a in campaign.awards
            if quota is not None and a.quota_param and params[a.quota_param].type == "integer"
        }
        both = evaluate(campaign, copy.deepcopy(doc), engine="both", overrides=overrides)
        alone = evaluate(campaign, copy.deepcopy(doc), engine="columnar", overrides=overrides)
        assert _without_engine(both.to_dict()) == _without_engine(alone.to_dict())
        check_document(both.to_dict(), campaign, expected_ids=[c["id"] for c in doc["candidates"]])

    explore(request, check, valid_documents(campaign), st.none() | st.integers(0, 4))


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_values_no_file_can_carry_are_refused_by_place_or_judged(
    target: Target, request: pytest.FixtureRequest
) -> None:
    campaign = target.campaign

    def check(doc: dict[str, Any], data: st.DataObject) -> None:
        c = data.draw(st.sampled_from(doc["candidates"]))
        facts = sorted(f.id for f in campaign.facts if c["kind"] in f.kinds)
        where = data.draw(st.sampled_from([*facts, "id", "name", "unit_type"]))
        value = data.draw(st.sampled_from(PYTHON_VALUES))
        if where in facts:
            c.setdefault("facts", {})[where] = value
        else:
            c[where] = value
        got = api_run(campaign, doc, engine="both")
        if isinstance(got, Result):
            check_document(got.to_dict(), campaign)
            return
        assert isinstance(got, InputError), f"{type(got).__name__}: {got}"
        for p in got.problems:
            assert len(str(p)) <= LONGEST_PROBLEM, f"a problem of {len(str(p)):,} characters"

    explore(
        request, check, valid_documents(campaign, max_collectives=3, max_individuals=3), st.data()
    )
