"""A criterion reading an allocation's seat ("được tặng", ``{award: A, outcome: awarded}``) reads
the allocation every output shows, conservatively: ``met`` only for a firm seat (``awarded``:
seated under every completion of the missing facts), ``not_met`` only where no completion seats
the candidate or ties it at the cut-off, ``unknown`` for ``provisional``, ``possible``,
``tied_at_cutoff`` and ``pending`` places (a tie is the emulation council's to break).

The examples name each place; the property draws random partial inputs, completes the missing
facts several random ways and checks that a seat read ``met`` is awarded, and one read
``not_met`` neither awarded, tied nor pending, under every completion — and that on a complete
input the seat reads exactly the allocation.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from property_budget import COMPLETIONS, property_settings

from emulation_rules import Campaign, evaluate
from emulation_rules.engine.columnar import MET, NOT_MET, OTHER_KIND, UNKNOWN
from emulation_rules.evaluation.result import Result
from emulation_rules.plan.loader import campaign_from_mapping

CITE = {"source": "kh", "clause": "synthetic clause"}
SETTINGS = property_settings(25)


def _plan() -> dict[str, Any]:
    """A made-up plan (not a real one): a flag for the best unit (quota 1), a certificate for the
    next two (after the flag), a Giấy khen for an excellent individual whose unit holds the
    flag's seat, and a Bằng khen for a unit that holds the certificate's seat."""
    return {
        "id": "testland.seats_2024",
        "title": "Chuyên đề thử nghiệm: được tặng",
        "jurisdiction": {"id": "testland", "name": "tỉnh Thử Nghiệm", "level": "province"},
        "sources": {
            "kh": {
                "kind": "Kế hoạch",
                "number": "9/KH-TEST",
                "date": "2024-01-10",
                "issuer": "UBND tỉnh Thử Nghiệm",
            }
        },
        "legal_basis": ["kh"],
        "period": {"start": "2024-01-01", "end": "2024-12-31", "citation": CITE},
        "participants": [{"unit_type": "so", "label": "Sở", "citation": CITE}],
        "facts": [
            {
                "id": "score",
                "label": "Điểm",
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "kinds": ["collective"],
            },
            {"id": "ok", "label": "Hoàn thành", "type": "boolean", "kinds": ["collective"]},
            {"id": "excellent", "label": "HTXSNV", "type": "boolean", "kinds": ["individual"]},
        ],
        "parameters": [
            {"id": "q_flag", "label": "Số cờ", "type": "integer", "value": 1, "citation": CITE},
            {"id": "q_cert", "label": "Số bằng", "type": "integer", "value": 2, "citation": CITE},
        ],
        "criteria": [
            {
                "id": "c.ok",
                "label": "Hoàn thành, từ 50 điểm",
                "kind": "collective",
                "rule": {
                    "all": [
                        {"fact": "ok", "op": "==", "value": True},
                        {"fact": "score", "op": ">=", "value": 50},
                    ]
                },
                "citation": CITE,
            },
            {
                "id": "c.cert_seat",
                "label": "Được tặng bằng",
                "kind": "collective",
                "rule": {"award": "cert", "outcome": "awarded"},
                "citation": CITE,
            },
            {
                "id": "i.excellent",
                "label": "HTXSNV",
                "kind": "individual",
                "rule": {"fact": "excellent", "op": "==", "value": True},
                "citation": CITE,
            },
            {
                "id": "i.unit_flag",
                "label": "Đơn vị được tặng cờ",
                "kind": "individual",
                "rule": {"award": "flag", "of": "unit", "outcome": "awarded"},
                "citation": CITE,
            },
        ],
        "awards": [
            {
                "id": "flag",
                "label": "Cờ",
                "form": "co_thi_dua",
                "authority": "UBND tỉnh",
                "kind": "collective",
                "requires": ["c.ok"],
                "quota_param": "q_flag",
                "ranking": {"keys": [{"fact": "score"}], "citation": CITE},
                "citation": CITE,
            },
            {
                "id": "cert",
                "label": "Bằng",
                "form": "bang_khen",
                "authority": "UBND tỉnh",
                "kind": "collective",
                "requires": ["c.ok"],
                "quota_param": "q_cert",
                "after": ["flag"],
                "ranking": {"keys": [{"fact": "score"}], "citation": CITE},
                "citation": CITE,
            },
            {
                "id": "bk",
                "label": "Bằng khen của đơn vị được tặng bằng",
                "form": "bang_khen",
                "authority": "UBND tỉnh",
                "kind": "collective",
                "requires": ["c.cert_seat"],
                "citation": CITE,
            },
            {
                "id": "gk",
                "label": "Giấy khen",
                "form": "giay_khen",
                "authority": "Giám đốc sở",
                "kind": "individual",
                "requires": ["i.excellent", "i.unit_flag"],
                "citation": CITE,
            },
        ],
    }


@pytest.fixture(scope="module")
def seats() -> Campaign:
    return campaign_from_mapping(_plan())


def _unit(cid: str, score: float | None, ok: bool | None = True, **extra: Any) -> dict[str, Any]:
    facts = {k: v for k, v in (("score", score), ("ok", ok)) if v is not None}
    return {
        "id": cid,
        "name": cid,
        "kind": "collective",
        "unit_type": "so",
        "facts": facts,
        **extra,
    }


def _person(cid: str, unit_id: str, excellent: bool | None = True) -> dict[str, Any]:
    facts = {"excellent": excellent} if excellent is not None else {}
    return {"id": cid, "name": cid, "kind": "individual", "unit_id": unit_id, "facts": facts}


def _seat(result: Result, award: str, cid: str) -> int:
    j = next(k for k, a in enumerate(result.plan.awards) if a.id == award)
    return int(result.verdicts.seats[j][result.rows[cid]])


def _flag_read(result: Result, person: str) -> str:
    return next(c.verdict for c in result.candidate(person).criteria if c.id == "i.unit_flag")


def test_a_firm_seat_reads_awarded_and_the_rest_settled_reads_not_awarded(seats: Campaign) -> None:
    result = evaluate(
        seats,
        [_unit("a", 90), _unit("b", 70), _unit("c", 60), _unit("d", 55), _person("p", "a")],
    )
    assert result.allocation("flag").awarded == ("a",)
    assert [_seat(result, "flag", c) for c in "abcd"] == [MET, NOT_MET, NOT_MET, NOT_MET]
    assert result.allocation("cert").awarded == ("b", "c")
    assert [_seat(result, "cert", c) for c in "abcd"] == [NOT_MET, MET, MET, NOT_MET]
    assert _flag_read(result, "p") == "met"
    assert result.candidate("b").awards["bk"] == "eligible"
    assert result.candidate("d").awards["bk"] == "ineligible"


def test_a_provisional_or_possible_place_reads_undecided(seats: Campaign) -> None:
    # b's score is missing: a keeps the flag on the known facts, but b may outrank it
    result = evaluate(
        seats, [_unit("a", 90), _unit("b", None), _person("p", "a"), _person("q", "b")]
    )
    flag = result.allocation("flag")
    assert flag.provisional == ("a",) and flag.possible == ("b",)
    assert _seat(result, "flag", "a") == UNKNOWN
    assert _seat(result, "flag", "b") == UNKNOWN
    assert _flag_read(result, "p") == "unknown" and _flag_read(result, "q") == "unknown"
    assert result.candidate("p").awards["gk"] == "undetermined"
    obs = next(c.observed for c in result.candidate("p").criteria if c.id == "i.unit_flag")
    assert obs == {"unit.seat.flag": "undecided"}


def test_an_undetermined_rival_who_could_not_outrank_leaves_the_seat_firm(seats: Campaign) -> None:
    # b's eligibility is open (ok missing) but its score is below a's: a's seat is firm
    result = evaluate(seats, [_unit("a", 90), _unit("b", 70, ok=None), _person("p", "a")])
    assert result.allocation("flag").awarded == ("a",)
    assert _seat(result, "flag", "a") == MET and _flag_read(result, "p") == "met"
    assert _seat(result, "flag", "b") == NOT_MET  # below a whatever ok turns out


def test_a_tie_at_the_cutoff_and_a_pending_place_read_undecided(seats: Campaign) -> None:
    result = evaluate(seats, [_unit("a", 80), _unit("b", 80), _unit("c", 60), _person("p", "a")])
    assert result.allocation("flag").tied_at_cutoff == ("a", "b")
    assert result.allocation("cert").pending == ("a", "b")
    assert _seat(result, "flag", "a") == UNKNOWN  # the council breaks the tie
    assert _seat(result, "cert", "a") == UNKNOWN  # back in the certificate if it loses the flag
    assert _seat(result, "cert", "c") == MET  # two seats: c keeps one whoever returns
    assert _flag_read(result, "p") == "unknown"


def test_an_award_not_applicable_gives_no_seat(seats: Campaign) -> None:
    gone = _unit("a", 95, active_until="2023-06-30")  # ceased before the campaign
    result = evaluate(seats, [gone, _unit("b", 70), _person("p", "a"), _person("q", "b")])
    assert result.candidate("a").awards["flag"] == "not_applicable"
    assert result.allocation("flag").awarded == ("b",)
    assert _seat(result, "flag", "a") == NOT_MET and _seat(result, "flag", "b") == MET
    assert _flag_read(result, "p") == "not_met" and _flag_read(result, "q") == "met"


# --- the property: seats read under every completion -------------------------------------------
SCORES = [None, None, 40.0, 50.0, 60.0, 60.0, 75.0, 90.0]
FILL_SCORES = [0.0, 49.0, 50.0, 60.0, 75.0, 90.0, 100.0]


@st.composite
def partial_inputs(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, int]]:
    n_units = draw(st.integers(2, 5))
    units = []
    for k in range(n_units):
        unit = _unit(
            f"u{k}", draw(st.sampled_from(SCORES)), draw(st.sampled_from([None, True, True, False]))
        )
        if draw(st.integers(0, 9)) == 0:
            unit["active_until"] = "2023-12-31"
        units.append(unit)
    people = [
        _person(
            f"p{k}", f"u{draw(st.integers(0, n_units - 1))}", draw(st.sampled_from([None, True]))
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    quotas = {"q_flag": draw(st.integers(0, 2)), "q_cert": draw(st.integers(0, 2))}
    return units + people, quotas


def _complete(draw: st.DrawFn, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = copy.deepcopy(candidates)
    for cand in out:
        facts = cand["facts"]
        if cand["kind"] == "collective":
            facts.setdefault("score", draw(st.sampled_from(FILL_SCORES)))
            facts.setdefault("ok", draw(st.booleans()))
        else:
            facts.setdefault("excellent", draw(st.booleans()))
    return out


def _places(result: Result, award: str) -> dict[str, set[str]]:
    alloc = result.allocation(award)
    return {
        "awarded": set(alloc.awarded),
        "open": set(alloc.tied_at_cutoff) | set(alloc.pending),
    }


@SETTINGS
@given(partial_inputs(), st.data())
def test_a_seat_read_now_holds_under_every_completion(
    drawn: tuple[list[dict[str, Any]], dict[str, int]], data: st.DataObject
) -> None:
    seats = campaign_from_mapping(_plan())
    candidates, quotas = drawn
    now = evaluate(seats, candidates, overrides=quotas)
    units = [c["id"] for c in candidates if c["kind"] == "collective"]
    for _ in range(COMPLETIONS):
        later = evaluate(seats, _complete(data.draw, candidates), overrides=quotas)
        for award in ("flag", "cert"):
            places = _places(later, award)
            for cid in units:
                code_now, code_later = _seat(now, award, cid), _seat(later, award, cid)
                assert code_now != OTHER_KIND
                # on complete facts the seat reads the allocation exactly
                expected = (
                    MET
                    if cid in places["awarded"]
                    else UNKNOWN
                    if cid in places["open"]
                    else NOT_MET
                )
                assert code_later == expected, (award, cid, code_later, places)
                if code_now == MET:
                    assert cid in places["awarded"], (award, cid)
                if code_now == NOT_MET:
                    assert code_later == NOT_MET, (award, cid, places)
        for person in (c["id"] for c in candidates if c["kind"] == "individual"):
            before, after = _flag_read(now, person), _flag_read(later, person)
            if before in ("met", "not_met"):
                assert after == before, (person, before, after)


def test_eligibility_for_an_award_that_does_not_apply_reads_not_met() -> None:
    """An award for a time the candidate did not exist is ``not_applicable`` to it (the input's
    active period), and a criterion reading that eligibility — the candidate's own, its unit's,
    or its members' — reads not met, as the output shows; both engines agree."""
    plan = _plan()
    plan["criteria"] += [
        {
            "id": "i.unit_eligible",
            "label": "Đơn vị đủ điều kiện cờ",
            "kind": "individual",
            "rule": {"award": "flag", "of": "unit"},
            "citation": CITE,
        },
        {
            "id": "c.flag_eligible",
            "label": "Đủ điều kiện cờ",
            "kind": "collective",
            "rule": {"award": "flag"},
            "citation": CITE,
        },
    ]
    plan["awards"][3]["requires"] = ["i.excellent", "i.unit_eligible"]
    plan["awards"][2]["requires"] = ["c.flag_eligible"]
    campaign = campaign_from_mapping(plan)
    gone = _unit("a", 95, active_until="2023-06-30")
    cands = [gone, _unit("b", 70), _person("p", "a"), _person("q", "b")]
    for engine in ("both", "columnar"):
        result = evaluate(campaign, cands, engine=engine)  # type: ignore[arg-type]
        assert result.candidate("a").awards["flag"] == "not_applicable"

        def verdict(cid: str, crit: str, res: Result = result) -> tuple[str, Any]:
            v = next(c for c in res.candidate(cid).criteria if c.id == crit)
            return v.verdict, dict(v.observed)

        assert verdict("a", "c.flag_eligible") == (
            "not_met",
            {"award.flag": "not_applicable"},
        )
        assert verdict("b", "c.flag_eligible") == ("met", {"award.flag": "eligible"})
        assert verdict("p", "i.unit_eligible") == (
            "not_met",
            {"unit.award.flag": "not_applicable"},
        )
        assert verdict("q", "i.unit_eligible")[0] == "met"
        assert result.candidate("p").awards["gk"] == "ineligible"
        assert result.candidate("q").awards["gk"] == "eligible"
