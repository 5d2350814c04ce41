"""Loading plan YAML: every problem at once, each placed (file, line, element id, "did you
mean"), and hostile or odd files refused clearly (issue 13 item 2; issue 10 items 1, 3, 7, 8)."""

from __future__ import annotations

import copy
import json
import resource
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import mini_plan

from emulation_rules import PlanError, load_campaign
from emulation_rules.cli import main
from emulation_rules.limits import Limits
from emulation_rules.plan.loader import campaign_from_mapping
from emulation_rules.plan.problems import PlanProblems
from emulation_rules.plan.yaml_reading import parse_yaml

AN_GIANG = (
    Path(__file__).resolve().parents[2]
    / "plugins/an_giang/src/emulation_rules_an_giang/papi_2021.yaml"
)


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def an_giang_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the An Giang plan with text replaced (each replacement must apply once)."""
    text = AN_GIANG.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return write(tmp_path, text)


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_every_problem_at_once_field_and_cross_reference_errors_together(tmp_path: Path) -> None:
    path = an_giang_with(
        tmp_path,
        ("  end: 2021-12-31", "  end: 2022-13-30"),
        ('{fact: papi_plan_components, op: ">="', '{fact: papi_plan_components, op: "=>"'),
        ("rule: {fact: reports_on_time,", "rule: {fact: report_on_time,"),
        ("quota_param: quota_individuals", "quota_param: quota_people"),
    )
    with pytest.raises(PlanProblems) as info:
        load_campaign(path)
    lines = str(info.value).splitlines()
    assert lines == [
        f"{path}: period.end (line {line_of(path, 'end: 2022-13-30')}): Input should be a valid "
        "date or datetime, month value is outside expected range of 1-12",
        f"{path}: criteria[0].rule.op (line {line_of(path, '=>')}), criterion "
        "'tap_the.ke_hoach_8_chi_so': Input should be '>=', '>', '<=', '<', '==' or '!='",
        f"{path}: criteria[2].rule.fact (line {line_of(path, 'report_on_time')}), criterion "
        "'tap_the.bao_cao': reads undeclared fact 'report_on_time' (did you mean "
        "'reports_on_time'?)",
        f"{path}: awards[1].quota_param (line {line_of(path, 'quota_people')}), award "
        "'bang_khen_ca_nhan': quota parameter 'quota_people' unknown (did you mean "
        "'quota_collectives'?)",
    ]
    problems = info.value.problems
    assert [p.element for p in problems] == [
        None,
        "criterion 'tap_the.ke_hoach_8_chi_so'",
        "criterion 'tap_the.bao_cao'",
        "award 'bang_khen_ca_nhan'",
    ]


def test_an_impossible_date_is_a_plan_problem_not_a_traceback(tmp_path: Path) -> None:
    path = an_giang_with(tmp_path, ("  end: 2021-12-31", "  end: 2022-13-30"))
    for command in (["show", str(path)], ["evaluate", str(path), "-"]):
        result = cli(*command)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {path}: period.end (line ")
        assert "month value is outside expected range" in result.stderr
    checked = cli("check", str(path))
    assert checked.exit_code == 1
    assert "period.end (line " in checked.stdout and "Traceback" not in checked.output


def test_item1_duplicate_keys_in_plan_yaml_are_refused_with_file_and_line(tmp_path: Path) -> None:
    rule = '    rule: {fact: reports_on_time, op: "==", value: true}\n'
    path = an_giang_with(tmp_path, (rule, rule + rule.replace("true", "false")))
    first = line_of(path, rule.strip())
    message = (
        f"{path}: criteria[2].rule (line {first + 1}), criterion 'tap_the.bao_cao': key 'rule' "
        f"is written twice in one mapping (lines {first} and {first + 1}); YAML would keep only "
        "the last"
    )
    with pytest.raises(PlanError) as info:
        load_campaign(path)
    assert str(info.value) == message
    checked = cli("check", str(path))
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [f"{path} - load: error: {message}"]


def test_a_merge_key_is_not_a_duplicate() -> None:
    text = "base: &b {x: 1, y: 2}\nderived: {<<: *b, y: 3}\n"
    document = parse_yaml(text.encode())
    assert document.data["derived"] == {"x": 1, "y": 3} and document.problems == ()


def test_item3_nan_and_infinity_are_refused_as_parameter_values(
    plan_dict: dict[str, Any], tmp_path: Path
) -> None:
    for bad in (".nan", ".inf", "-.inf", "1e400"):
        text = yaml.safe_dump(plan_dict, allow_unicode=True, sort_keys=False)
        path = write(tmp_path, text.replace("value: 90\n", f"value: {bad}\n", 1))
        with pytest.raises(PlanError, match=r"parameter 'par_min'.*is not a valid number"):
            load_campaign(path)
        assert cli("check", str(path)).exit_code == 1
    for value in (float("nan"), float("inf"), float("-inf")):
        plan = copy.deepcopy(plan_dict)
        plan["parameters"][0]["value"] = value
        with pytest.raises(PlanError, match="is not a valid number"):
            campaign_from_mapping(plan)
    sample = {"candidates": [{"id": "a", "name": "A", "kind": "collective", "unit_type": "so"}]}
    path = write(tmp_path, yaml.safe_dump(plan_dict, allow_unicode=True))
    inputs = write(tmp_path, json.dumps(sample), "in.json")
    for bad in ("nan", "inf", "-inf", "NaN", "Infinity"):
        result = cli("evaluate", str(path), str(inputs), "--override", f"par_min={bad}")
        assert result.exit_code == 2
        assert result.stderr.startswith("error: override 'par_min': ")
        assert "is not a valid number" in result.stderr


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(9)
)


def test_item7_a_yaml_alias_bomb_is_refused_before_it_grows_memory(tmp_path: Path) -> None:
    path = write(tmp_path, BOMB)  # 10^10 values once expanded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(PlanError, match=r"expands to more than max_plan_nodes = 200000 values"):
        load_campaign(path)
    assert time.perf_counter() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB
    for command in (["show", str(path)], ["check", str(path)], ["evaluate", str(path), "-"]):
        result = cli(*command)
        assert "max_plan_nodes" in result.output and "Traceback" not in result.output
        assert result.exit_code == (1 if command[0] == "check" else 2)


def test_a_value_that_contains_itself_and_deep_nesting_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="refers to a value that contains it"):
        load_campaign(write(tmp_path, "id: &a [*a]\n"))
    with pytest.raises(PlanError, match=r"nested|nesting"):
        load_campaign(write(tmp_path, "id: " + "[" * 5000 + "]" * 5000 + "\n"))
    with pytest.raises(PlanError, match="nested more than 80 levels"):
        load_campaign(write(tmp_path, "id: " + "[" * 200 + "]" * 200 + "\n"))


def test_the_plan_limits_are_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, AN_GIANG.read_text(encoding="utf-8"))
    with pytest.raises(PlanError, match=r"above the limit max_plan_bytes = 1000 "):
        load_campaign(path, limits=Limits(max_plan_bytes=1000))
    monkeypatch.setenv("EMULATION_RULES_LIMITS", "max_plan_nodes=50")
    result = cli("show", str(path))
    assert result.exit_code == 2 and "max_plan_nodes = 50" in result.stderr
    monkeypatch.delenv("EMULATION_RULES_LIMITS")
    assert load_campaign(path).id == "an_giang.papi_2021"


def test_a_number_with_too_many_digits_is_a_problem_with_its_line(
    plan_dict: dict[str, Any], tmp_path: Path
) -> None:
    text = yaml.safe_dump(plan_dict, allow_unicode=True, sort_keys=False)
    path = write(tmp_path, text.replace("value: 2\n", "value: " + "9" * 400 + "\n", 1))
    with pytest.raises(PlanError) as info:
        load_campaign(path)
    (line,) = str(info.value).splitlines()
    assert "parameter 'quota_c': a number of 400 digits, above the limit max_number_digits" in line
    assert "(line " in line


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("id: x\ntitle: Kế hoạch\n".encode("utf-16"), "the file is UTF-16 text; save it as UTF-8"),
        (b"id: x\ntitle: K\xe9 ho\xe1ch\n", "not UTF-8 text: byte 0xE9 at line 2, byte 9"),
    ],
)
def test_item8_a_plan_that_is_not_utf8_gives_one_error_line_and_status_2(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    with pytest.raises(PlanError, match=message):
        load_campaign(path)
    result = cli("show", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: {message}" + result.stderr.split(message, 1)[1]
    assert result.stderr.count("\n") == 1
    checked = cli("check", str(path))
    assert checked.exit_code == 1 and message in checked.stdout


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + AN_GIANG.read_bytes())
    assert load_campaign(path).id == "an_giang.papi_2021"


def test_an_unknown_key_suggests_the_key_meant(plan_dict: dict[str, Any]) -> None:
    plan_dict["criteria"][0]["citaton"] = plan_dict["criteria"][0].pop("citation")
    with pytest.raises(PlanProblems) as info:
        campaign_from_mapping(plan_dict)
    text = str(info.value)
    assert "criteria[0].citaton, criterion 'c.par': Extra inputs are not permitted" in text
    assert "(did you mean 'citation'?)" in text


def test_python_built_plans_get_element_ids_too(plan_dict: dict[str, Any]) -> None:
    plan_dict["awards"][0]["requires"].append("c.parr")
    with pytest.raises(PlanProblems) as info:
        campaign_from_mapping(plan_dict, origin="built")
    assert str(info.value) == (
        "built: awards[0].requires[4], award 'bk_tt': requires unknown criterion 'c.parr' "
        "(did you mean 'c.par' or 'c.progress'?)"
    )


def test_the_shipped_plans_load_unchanged(registry: Any) -> None:
    assert len(registry.campaigns()) >= 4
    assert registry.failures == ()


def test_mini_plan_is_still_valid() -> None:
    assert campaign_from_mapping(mini_plan()).id == "testland.mini_2024"
