"""The YAML case kit: strict schema, readable failures, carried_on_by."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulation_rules.testing import CaseFailure, CaseFormatError, load_cases, run_case

COMMUNE = (
    "{id: x1, name: UBND xã Kiến An, kind: collective, unit_type: ubnd_xa, "
    "facts: {district_assessment: Hoàn thành tốt nhiệm vụ}}"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test_cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_names_file_case_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
- name: typo
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect: {{awardz: {{}}}}
""",
    )
    with pytest.raises(
        CaseFormatError,
        match=r"test_cases\.yaml: case 1 \('typo'\): key "
        r"'expect\.awardz'",
    ):
        load_cases(path)


def test_wrong_type_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
- name: bad verdict
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect: {{criteria: {{x1: {{tap_the_xa.danh_gia_cua_huyen: maybe}}}}}}
""",
    )
    with pytest.raises(CaseFormatError, match=r"key 'expect\.criteria\.x1"):
        load_cases(path)


def test_failure_shows_candidate_criterion_values_and_citation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
- name: wrong expectation
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect:
    criteria: {{x1: {{tap_the_xa.danh_gia_cua_huyen: met}}}}
    carried_on_by: null
""",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFailure) as info:
        run_case(case, path)
    text = str(info.value)
    assert "case 'wrong expectation'" in text
    assert (
        "candidate 'x1', criterion 'tap_the_xa.danh_gia_cua_huyen': expected met, got not_met"
        in text
    )
    assert "observed {'district_assessment': 'Hoàn thành tốt nhiệm vụ'}" in text
    assert "source: Kế hoạch 1078/KH-SNV, 2021-06-21, Sở Nội vụ tỉnh An Giang — Tiêu chí" in text


def test_carried_on_by_is_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
- name: no successor for An Giang's 2021 plan
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect: {{carried_on_by: kien_giang}}
""",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFailure, match="carried_on_by: expected kien_giang, got None"):
        run_case(case, path)
