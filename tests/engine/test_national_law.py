"""The national rules of national-law.md (regime B) written as a plan in the criteria language:
an individual's own yearly series, initiatives counted once over years, tenure in months, an
award requiring another award, a collective judged on its members, and a seat of another award's
allocation ("được tặng"). Both engines evaluate every case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulation_rules import evaluate
from emulation_rules.plan.loader import load_campaign

HERE = Path(__file__).parent / "plans"


@pytest.fixture(scope="module")
def result() -> Any:
    campaign = load_campaign(HERE / "national_law.yaml")
    document = json.loads((HERE / "national_law_sample.json").read_text(encoding="utf-8"))
    return evaluate(campaign, document)


def verdicts(result: Any, cid: str) -> dict[str, str]:
    return {v.id: v.verdict for v in result.candidate(cid).criteria}


def test_lao_dong_tien_tien_reads_the_year_and_the_tenure(result: Any) -> None:
    awards = {
        c.id: c.awards["lao_dong_tien_tien"] for c in result.candidates if c.kind == "individual"
    }
    # a3 was recruited on 1/9/2024: 3 months by 31/12/2024, below the 06 months of TT 01/2024
    assert awards == {
        "a1": "eligible",
        "a2": "eligible",
        "a3": "ineligible",
        "b1": "eligible",
        "b2": "eligible",
    }
    tenure = next(v for v in result.candidate("a3").criteria if v.id == "ldtt.thoi_gian_cong_tac")
    assert tenure.observed == {
        "recruited_on": "2024-09-01",
        "months(recruited_on → 31/12/2024)": 3.0,
    }


def test_chien_si_thi_dua_co_so_requires_the_lao_dong_tien_tien_standard(result: Any) -> None:
    assert result.candidate("a3").awards["chien_si_thi_dua_co_so"] == "ineligible"
    assert verdicts(result, "a3")["cstdcs.dat_ldtt"] == "not_met"
    assert result.candidate("b1").awards["chien_si_thi_dua_co_so"] == "eligible"


def test_bang_khen_counts_an_initiative_once(result: Any) -> None:
    # a1: SK-2023-07 in 2023 and again in 2024, plus SK-2024-02: two distinct initiatives
    assert result.candidate("a1").awards["bang_khen_ca_nhan"] == "eligible"
    # a2: SK-2023-11 in both years is one initiative, and its 2023 was no CSTĐCS: not met
    assert verdicts(result, "a2")["bang_khen.hai_nam_cstdcs_hoac_htxs"] == "not_met"


def test_three_consecutive_titles(result: Any) -> None:
    assert result.candidate("a1").awards["chien_si_thi_dua_cap_tinh"] == "eligible"
    assert result.candidate("a2").awards["chien_si_thi_dua_cap_tinh"] == "ineligible"  # 2023 false
    assert result.candidate("b1").awards["chien_si_thi_dua_cap_tinh"] == "undetermined"


def test_tap_the_lao_dong_xuat_sac_reads_its_members(result: Any) -> None:
    a = verdicts(result, "phong-a")
    b = verdicts(result, "phong-b")
    assert a["ttldxs.ty_le_ldtt"] == "not_met"  # 2 of 3 are LĐTT: 66.7 % < 70 %
    assert b["ttldxs.ty_le_ldtt"] == "met"  # 2 of 2
    assert a["ttldxs.hoan_thanh_100"] == "met"
    # a1 holds one of the two CSTĐCS seats for sure; the other is tied between a2, b1 and b2
    assert a["ttldxs.co_cstdcs"] == "met"
    assert b["ttldxs.co_cstdcs"] == "unknown"
    assert result.candidate("phong-b").awards["tap_the_lao_dong_xuat_sac"] == "undetermined"
    seat = next(v for v in result.candidate("phong-b").criteria if v.id == "ttldxs.co_cstdcs")
    assert seat.explanation == (
        "0 of 2 members meet the test and 2 cannot be decided yet: the count lies between 0 and 2"
    )


def test_the_plan_cites_sources_without_a_number_with_their_web_address(result: Any) -> None:
    tenure = next(v for v in result.candidate("a1").criteria if v.id == "ldtt.thoi_gian_cong_tac")
    assert tenure.citation["document"] == "Trang tin (không số)"
    assert tenure.citation["url"].startswith("https://news.laodong.vn/")
