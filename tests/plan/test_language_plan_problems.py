"""Plan problems of the criteria language's fields and nodes (series and date facts, ``at_least``,
``compute``, award and criterion references, member aggregates, distinct counts, forms, cycles,
depth) are placed like every other: file, key path, line, element, "did you mean" — every
problem of the document at once (issue 13 item 2 with issue 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from emulation_rules import load_campaign
from emulation_rules.plan.problems import PlanProblems

LAW = Path(__file__).resolve().parents[1] / "engine" / "plans" / "national_law.yaml"


def edited(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = LAW.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def problems_of(path: Path) -> list[Any]:
    with pytest.raises(PlanProblems) as info:
        load_campaign(path)
    return list(info.value.problems)


def test_every_problem_of_the_new_nodes_is_placed_with_did_you_mean(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        (
            'rule: {series: task_results, op: ">=", value: "Hoàn thành tốt nhiệm vụ"',
            'rule: {series: task_result, op: ">=", value: "Hoàn thành tốt nhiệm vụ"',
        ),
        ("rule: {award: lao_dong_tien_tien}", "rule: {award: lao_dong_tien_tein}"),
        (
            "{count_distinct: initiatives, consecutive: 2,",
            "{count_distinct: task_results, consecutive: 2,",
        ),
        (
            'measure: share, op: ">=", param: ttldxs_ldtt_share}',
            'measure: share, if_no_member: unknown, op: ">=", param: ttldxs_ldtt_share}',
        ),
        ("form: bang_khen\n", "form: bang_khenn\n"),
    )
    got = {(p.loc, p.line, p.element): (p.message, p.suggestion) for p in problems_of(path)}
    assert got == {
        (
            ("criteria", 0, "rule", "series"),
            line_of(path, "series: task_result,"),
            "criterion 'ldtt.hoan_thanh_tot'",
        ): ("reads undeclared fact 'task_result'", " (did you mean 'task_results'?)"),
        (
            ("criteria", 2, "rule", "award"),
            line_of(path, "lao_dong_tien_tein"),
            "criterion 'cstdcs.dat_ldtt'",
        ): (
            "reads award 'lao_dong_tien_tein', which is not declared",
            " (did you mean 'lao_dong_tien_tien'?)",
        ),
        (
            ("criteria", 4, "rule", "any", 1, "all", 1, "count_distinct"),
            line_of(path, "count_distinct: task_results"),
            "criterion 'bang_khen.hai_nam_cstdcs_hoac_htxs'",
        ): ("'count_distinct' reads an ids series; 'task_results' holds ordinal", None),
        (
            ("criteria", 7, "rule", "if_no_member"),
            line_of(path, "if_no_member:"),
            "criterion 'ttldxs.ty_le_ldtt'",
        ): ("Extra inputs are not permitted", " (did you mean 'if_no_members' or 'members'?)"),
        (
            ("awards", 2, "form"),
            line_of(path, "form: bang_khenn"),
            "award 'bang_khen_ca_nhan'",
        ): (
            "form 'bang_khenn' is neither a form of the law nor one the campaign declares under "
            "'forms' (known: bang_khen, bang_khen_thu_tuong, chien_si_thi_dua_cap_bo_tinh, "
            "chien_si_thi_dua_co_so, chien_si_thi_dua_toan_quoc, chien_si_tien_tien, "
            "co_thi_dua, co_thi_dua_chinh_phu, giay_khen, lao_dong_tien_tien, "
            "tap_the_lao_dong_tien_tien, tap_the_lao_dong_xuat_sac)",
            " (did you mean 'bang_khen' or 'bang_khen_thu_tuong'?)",
        ),
    }


def test_field_errors_of_series_facts_and_nodes_are_placed_and_the_rest_cross_checked(
    tmp_path: Path,
) -> None:
    path = edited(
        tmp_path,
        (
            "first_year: 2019, last_year: 2024, kinds: [individual]}\n  - {id: initiatives,",
            "last_year: 2024, kinds: [individual]}\n  - {id: initiatives,",
        ),
        ("rule: {award: lao_dong_tien_tien}", "rule: {sereis: task_results}"),
        ("at_least: 1\n", "at_least: 3\n"),
        ('op: ">=", param: ldtt_min_months', 'op: ">=", param: assessment_year2'),
        (
            "{count_distinct: initiatives, consecutive: 2,",
            "{count_distinct: initiatives, consecutive: 9,",
        ),
    )
    problems = problems_of(path)
    lines = [str(p) for p in problems]
    assert lines == [
        f"{path}: facts[1] (line {line_of(path, '{id: cstdcs_titles')}), fact 'cstdcs_titles': "
        "a series fact names its 'element' type, 'first_year', 'last_year'",
        f"{path}: criteria[1].rule.param (line {line_of(path, 'assessment_year2')}), criterion "
        "'ldtt.thoi_gian_cong_tac': parameter 'assessment_year2' is not declared (did you mean "
        "'assessment_year' or 'assessment_day'?)",
        f"{path}: criteria[2].rule (line {line_of(path, 'sereis')}), criterion 'cstdcs.dat_ldtt': "
        "a criteria node must have one of the keys all, any, not, at_least, fact, compute, "
        "attribute, award, criterion, members, series, count_distinct, parameter (did you mean "
        "'series'?)",
        f"{path}: criteria[3].rule (line {line_of(path, 'at_least: 3')}), criterion "
        "'cstdcs.mot_trong_cac_dieu_kien': 'at_least: 3' asks for more children than the 2 "
        "listed under 'of'",
        f"{path}: criteria[4].rule.any[1].all[1].count_distinct (line "
        f"{line_of(path, 'consecutive: 9')}), criterion 'bang_khen.hai_nam_cstdcs_hoac_htxs': "
        "series 'initiatives' covers 2019–2024; the window reads 2016, 2017, 2018",
    ]


def test_a_cycle_is_placed_at_the_criterion_that_starts_it(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        (
            "requires: [ldtt.hoan_thanh_tot, ldtt.thoi_gian_cong_tac]",
            "requires: [ldtt.hoan_thanh_tot, ldtt.thoi_gian_cong_tac, cstdcs.dat_ldtt]",
        ),
    )
    problems = problems_of(path)
    assert len(problems) == 2
    cycle = next(p for p in problems if "cycle" in p.message)
    assert cycle.element == "criterion 'cstdcs.dat_ldtt'"
    assert cycle.loc == ("criteria", 2) and cycle.line == line_of(path, "- id: cstdcs.dat_ldtt")
    assert cycle.message.startswith(
        "criterion 'cstdcs.dat_ldtt' -> award 'lao_dong_tien_tien' -> criterion 'cstdcs.dat_ldtt'"
    )
    other = next(p for p in problems if p is not cycle)
    assert other.element == "criterion 'cstdcs.dat_ldtt'"
    assert other.message == "reads award 'lao_dong_tien_tien', which requires this criterion"


def test_a_criterion_nested_too_deeply_is_placed_at_its_rule(tmp_path: Path) -> None:
    deep = "{not: " * 40 + "{fact: initiatives_recognised, op: '>=', value: 1}" + "}" * 40
    path = edited(tmp_path, ("rule: {award: lao_dong_tien_tien}", f"rule: {deep}"))
    (problem,) = problems_of(path)
    assert problem.loc == ("criteria", 2, "rule")
    assert problem.line == line_of(path, "{not: {not:")
    assert problem.element == "criterion 'cstdcs.dat_ldtt'"
    assert problem.message.startswith(
        "its rule is nested 41 levels deep, beyond the limit max_criteria_depth = 32"
    )
