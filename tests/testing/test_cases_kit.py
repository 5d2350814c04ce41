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


# --- issue 13 item 3, issue 10 item 1: failures on one screen -----------------------------------


def test_item1_duplicate_keys_in_case_files_are_refused_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""- name: twice
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect: {{awards: {{x1: {{bang_khen_tap_the: ineligible}}}}}}
  expect: {{awards: {{x1: {{bang_khen_tap_the: eligible}}}}}}
""",
    )
    with pytest.raises(CaseFormatError) as info:
        load_cases(path)
    assert str(info.value) == (
        f"{path}: line 5: key 'expect' is written twice in one mapping (lines 4 and 5); YAML "
        "would keep only the last"
    )


def test_every_problem_of_a_case_file_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""- name: one
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expct: {{}}
- name: two
  campaign: an_giang.papi_2021
  as_of: 2022-13-30
  input: {{candidates: [{COMMUNE}]}}
  expect: {{}}
""",
    )
    with pytest.raises(CaseFormatError) as info:
        load_cases(path)
    lines = str(info.value).splitlines()
    assert (
        lines[0] == f"{path}: case 1 ('one'): key 'expct' (line 4): Extra inputs are not permitted"
    )
    assert lines[-1].startswith(f"{path}: case 2 ('two'): key 'as_of' (line 7): Input should be")


def test_unknown_names_in_an_expectation_are_named_with_the_known_ones(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""- name: typos
  campaign: an_giang.papi_2021
  input: {{candidates: [{COMMUNE}]}}
  expect:
    criteria: {{x1: {{tap_the_xa.danh_gia_cua_huyenn: met, tap_the.ky_luat: met}}, x2: {{}}}}
    awards: {{x1: {{bang_khen_tap_th: eligible}}}}
    allocations:
      - {{award: bang_khen_ca_nha, awarded: []}}
      - {{award: bang_khen_tap_the, awarded: [x9]}}
""",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFailure) as info:
        run_case(case, path)
    text = str(info.value)
    assert (
        "criterion 'tap_the_xa.danh_gia_cua_huyenn' is not in an_giang.papi_2021 (did you " in text
    )
    assert "award 'bang_khen_tap_th' is not in an_giang.papi_2021 (did you mean " in text
    assert (
        "allocation: award 'bang_khen_ca_nha' is not in an_giang.papi_2021 (did you mean " in text
    )
    assert "awarded: candidate 'x9' is not in the input (known: x1)" in text
    assert "criteria: candidate 'x2' is not in the input (known: x1)" in text
    assert "not evaluated for it" not in text  # the commune's kind has tap_the.ky_luat


def test_a_per_group_award_without_a_group_lists_the_groups(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    sample_path = root / "plugins/tien_giang/src/emulation_rules_tien_giang/sample_2020.json"
    path = write(
        tmp_path,
        f"""- name: no group
  campaign: tien_giang.par_2023
  input_file: {sample_path}
  expect:
    allocations: [{{award: co_thi_dua, awarded: []}}, {{award: co_thi_dua, group: so, awarded: []}}]
""",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFailure) as info:
        run_case(case, path)
    lines = str(info.value).splitlines()[1:]
    assert lines == [
        "  allocation 'co_thi_dua': the award is allocated per group; say which with 'group:' "
        "(groups in this result: nganh_doc, so_ban_nganh, ubnd_huyen/Cụm 1)",
        "  allocation 'co_thi_dua': no group 'so' in this result (known: nganh_doc, so_ban_nganh, "
        "ubnd_huyen/Cụm 1)",
    ]


def test_an_unreadable_input_file_is_a_failure_not_a_traceback(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """- name: missing file
  campaign: an_giang.papi_2021
  input_file: nowhere.json
  expect: {}
""",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFailure, match=r"input_file 'nowhere.json': cannot read .*nowhere"):
        run_case(case, path)
