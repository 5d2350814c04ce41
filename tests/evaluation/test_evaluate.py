"""Evaluation semantics: verdicts, unknown is never false, guards, dates, overrides, determinism."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from conftest import GOOD, person, unit

from emulation_rules import Campaign, EvaluationError, OverrideError, evaluate


def verdicts(result, cid):  # type: ignore[no-untyped-def]
    return {v.id: v.verdict for v in result.candidate(cid).criteria}


def test_met_not_met_unknown_and_not_applicable(mini: Campaign) -> None:
    result = evaluate(
        mini,
        [
            unit("ok", **GOOD),
            unit("low", **{**GOOD, "par": 80.0}),
            unit("missing", **{k: v for k, v in GOOD.items() if k != "par"}),
        ],
    )
    assert verdicts(result, "ok") == {
        "c.par": "met",
        "c.sipas": "met",
        "c.ddci": "not_applicable",
        "c.progress": "not_applicable",
    }
    assert verdicts(result, "low")["c.par"] == "not_met"
    assert verdicts(result, "missing")["c.par"] == "unknown"
    assert result.candidate("ok").awards == {"bk_tt": "eligible"}
    assert result.candidate("low").awards == {"bk_tt": "ineligible"}
    assert result.candidate("missing").awards == {"bk_tt": "undetermined"}


def test_observed_and_required_explain_the_verdict(mini: Campaign) -> None:
    result = evaluate(mini, [unit("low", **{**GOOD, "par": 80.0})])
    par = next(v for v in result.candidate("low").criteria if v.id == "c.par")
    assert dict(par.observed) == {"par": 80.0}
    assert par.required == "par ≥ 90 %"
    assert par.citation["document"] == "Kế hoạch 1/KH-TEST"
    assert par.citation["clause"] == "synthetic clause"


def test_unknown_guard_gives_unknown_not_not_applicable(mini: Campaign) -> None:
    facts = {k: v for k, v in GOOD.items() if k != "ddci_assessed"}
    result = evaluate(mini, [unit("u", **facts)])
    assert verdicts(result, "u")["c.ddci"] == "unknown"
    assert result.candidate("u").awards["bk_tt"] == "undetermined"


def test_ordinal_compares_by_rank_not_by_string(mini: Campaign) -> None:
    base = {**GOOD, "ddci_assessed": True}
    result = evaluate(
        mini,
        [
            unit("rat_tot", **{**base, "ddci": "Rất tốt"}),
            unit("tot", **{**base, "ddci": "Tốt"}),
            unit("kha", **{**base, "ddci": "Khá"}),
        ],
    )
    assert verdicts(result, "rat_tot")["c.ddci"] == "met"  # "Rất tốt" < "Tốt" as strings
    assert verdicts(result, "tot")["c.ddci"] == "met"
    assert verdicts(result, "kha")["c.ddci"] == "not_met"


def test_any_is_kleene_or(mini: Campaign) -> None:
    h = {**GOOD, "initiatives": 0}
    result = evaluate(
        mini,
        [
            unit("gain", "huyen", **{**h, "score": 7.0, "score_prev": 6.5}),
            unit("small", "huyen", **{**h, "score": 7.0, "score_prev": 6.6}),
            unit("unk", "huyen", **{**h, "score": 7.0}),
            unit("unk_but_init", "huyen", **{**h, "score": 7.0, "initiatives": 3}),
        ],
    )
    assert verdicts(result, "gain")["c.progress"] == "met"
    assert verdicts(result, "small")["c.progress"] == "not_met"
    assert verdicts(result, "unk")["c.progress"] == "unknown"
    assert verdicts(result, "unk_but_init")["c.progress"] == "met"


def test_individual_reads_its_units_facts(mini: Campaign) -> None:
    result = evaluate(
        mini,
        [
            unit("good", **GOOD),
            unit("weak", **{**GOOD, "par": 70.0}),
            unit("blank", sipas=95.0),
            person("p1", "good", excellent=True, initiatives=2),
            person("p2", "weak", excellent=True, initiatives=2),
            person("p3", "blank", excellent=True, initiatives=2),
            person("p4", "good", excellent=False, initiatives=2),
        ],
    )
    assert verdicts(result, "p1") == {"i.unit_par": "met", "i.excellent": "met"}
    assert verdicts(result, "p2")["i.unit_par"] == "not_met"
    assert verdicts(result, "p3")["i.unit_par"] == "unknown"
    assert verdicts(result, "p4")["i.excellent"] == "not_met"
    observed = next(v for v in result.candidate("p2").criteria if v.id == "i.unit_par").observed
    assert dict(observed) == {"unit.par": 70.0}


def test_dated_parameter_follows_as_of(mini: Campaign) -> None:
    cands = [unit("u", **{**GOOD, "sipas": 87.0})]
    early = evaluate(mini, cands, as_of=dt.date(2024, 3, 1))
    late = evaluate(mini, cands, as_of=dt.date(2024, 9, 1))
    assert verdicts(early, "u")["c.sipas"] == "not_met"
    assert verdicts(late, "u")["c.sipas"] == "met"
    assert early.fingerprint != late.fingerprint


def test_as_of_before_the_campaign_is_an_error(mini: Campaign) -> None:
    with pytest.raises(EvaluationError, match=r"before testland\.mini_2024 starts"):
        evaluate(mini, [unit("u", **GOOD)], as_of=dt.date(2023, 12, 31))


def test_as_of_defaults_to_the_document_then_the_period_end(mini: Campaign) -> None:
    doc = {"as_of": "2024-03-01", "candidates": [unit("u", **GOOD)]}
    assert evaluate(mini, doc).as_of == dt.date(2024, 3, 1)
    assert evaluate(mini, [unit("u", **GOOD)]).as_of == dt.date(2024, 12, 31)


def test_overrides_apply_to_one_run_only(mini: Campaign) -> None:
    cands = [unit("u", **{**GOOD, "par": 88.0})]
    base = evaluate(mini, cands)
    what_if = evaluate(mini, cands, overrides={"par_min": 85})
    again = evaluate(mini, cands)
    assert verdicts(base, "u")["c.par"] == "not_met"
    assert verdicts(what_if, "u")["c.par"] == "met"
    assert verdicts(again, "u")["c.par"] == "not_met"
    assert mini.parameter("par_min").value == 90
    assert base.fingerprint == again.fingerprint != what_if.fingerprint


def test_override_errors_name_the_parameter(mini: Campaign) -> None:
    with pytest.raises(OverrideError, match="no parameter of that name"):
        evaluate(mini, [unit("u", **GOOD)], overrides={"nope": 1})
    with pytest.raises(OverrideError, match="not a valid ordinal"):
        evaluate(mini, [unit("u", **GOOD)], overrides={"ddci_min": "Giỏi"})
    with pytest.raises(OverrideError, match="not a valid integer"):
        evaluate(mini, [unit("u", **GOOD)], overrides={"quota_c": 1.5})


def test_output_is_byte_identical_for_the_same_input(mini: Campaign) -> None:
    cands = [unit(f"u{i}", **{**GOOD, "par": 90.0 + i % 5}) for i in range(20)]
    first = evaluate(mini, cands).to_json()
    second = evaluate(mini, cands).to_json()
    assert first == second
    doc = json.loads(first)
    assert list(doc) == [
        "campaign",
        "as_of",
        "fingerprint",
        "engine",
        "parameters",
        "carried_on_by",
        "citations",
        "candidates",
        "allocations",
    ]
    assert doc["fingerprint"].startswith("sha256:")
    assert set(doc["candidates"][0]["criteria"][0]) == {
        "id",
        "label",
        "verdict",
        "observed",
        "required",
        "citation",
    }


def test_columnar_engine_gives_the_same_result_without_durable(mini: Campaign) -> None:
    rng = random.Random(7)
    cands = [unit(f"u{i}", **{**GOOD, "par": float(rng.randint(80, 100))}) for i in range(50)]
    both = evaluate(mini, cands, engine="both").to_dict()
    columnar = evaluate(mini, cands, engine="columnar").to_dict()
    assert both["candidates"] == columnar["candidates"]
    assert both["allocations"] == columnar["allocations"]


def test_unknown_engine_is_refused(mini: Campaign) -> None:
    with pytest.raises(EvaluationError, match="engine must be"):
        evaluate(mini, [unit("u", **GOOD)], engine="fast")  # type: ignore[arg-type]


def test_campaign_by_id_uses_the_installed_registry() -> None:
    doc = {
        "candidates": [
            {
                "id": "x",
                "name": "UBND xã Kiến An",
                "kind": "collective",
                "unit_type": "ubnd_xa",
                "facts": {"district_assessment": "Hoàn thành xuất sắc nhiệm vụ"},
            }
        ]
    }
    result = evaluate("an_giang.papi_2021", doc)
    assert result.candidate("x").awards == {"bang_khen_tap_the": "eligible"}


def test_a_published_gain_of_exactly_the_margin_is_met(mini: Campaign) -> None:
    """4.06 - 3.56 is 0.4999999999999996 in binary floating point: it must still count as 0.5."""
    h = {**GOOD, "initiatives": 0}
    pairs = [(4.06, 3.56), (8.03, 7.53), (6.5, 6.0), (4.05, 3.56)]
    cands = [
        unit(f"u{k}", "huyen", **{**h, "score": now, "score_prev": before})
        for k, (now, before) in enumerate(pairs)
    ]
    result = evaluate(mini, cands)
    got = [verdicts(result, f"u{k}")["c.progress"] for k in range(len(pairs))]
    assert got == ["met", "met", "met", "not_met"]


def test_successor_is_recorded_from_its_date(plan_dict) -> None:  # type: ignore[no-untyped-def]
    from emulation_rules.plan.loader import campaign_from_mapping

    plan_dict["period"]["end"] = "2025-12-31"
    plan_dict["jurisdiction"].update(
        valid_until="2025-06-30",
        successor={
            "id": "gia_lai",
            "name": "tỉnh Gia Lai",
            "since": "2025-07-01",
            "note": "merged",
            "citation": {"source": "kh", "clause": "x"},
        },
    )
    campaign = campaign_from_mapping(plan_dict)
    before = evaluate(campaign, [unit("u", **GOOD)], as_of=dt.date(2025, 6, 30))
    after = evaluate(campaign, [unit("u", **GOOD)], as_of=dt.date(2025, 7, 1))
    assert before.to_dict()["carried_on_by"] is None
    carried = after.to_dict()["carried_on_by"]
    assert carried["id"] == "gia_lai" and carried["since"] == "2025-07-01"
    assert carried["citation"]["document"] == "Kế hoạch 1/KH-TEST"
    assert after.campaign.jurisdiction.name == "tỉnh Thử Nghiệm"  # still the issuer's act
    from emulation_rules.outputs.campaign import render_campaign

    shown = render_campaign(campaign, dt.date(2026, 1, 1), lang="en")
    assert "carried on by: tỉnh Gia Lai since 2025-07-01" in shown
    assert "issued by: tỉnh Thử Nghiệm" in shown
    assert "cơ quan kế thừa: tỉnh Gia Lai từ ngày 1/7/2025" in render_campaign(
        campaign, dt.date(2026, 1, 1)
    )
    plan_dict["jurisdiction"]["valid_until"] = "2025-08-01"
    with pytest.raises(Exception, match="after valid_until"):
        campaign_from_mapping(plan_dict)
