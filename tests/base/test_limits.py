"""Limits as data: defaults, the environment variable, and malformed settings refused."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
import yaml
from click.testing import CliRunner
from conftest import mini_plan

from emulation_rules.cli import main
from emulation_rules.errors import InputError
from emulation_rules.inputs.jsontext import parse_json
from emulation_rules.limits import LimitError, Limits, current_limits, parse_limits


def test_defaults_hold_without_the_variable() -> None:
    assert current_limits({}) == Limits()


def test_the_variable_changes_named_limits_only() -> None:
    limits = current_limits({"EMULATION_RULES_LIMITS": "max_candidates=10, max_json_depth=8"})
    assert (limits.max_candidates, limits.max_json_depth) == (10, 8)
    assert limits.max_string_length == Limits().max_string_length


@pytest.mark.parametrize(
    "text",
    ["max_candidates", "nope=3", "max_candidates=-1", "max_candidates=0", "max_json_depth=x"],
)
def test_a_malformed_setting_is_refused_by_name(text: str) -> None:
    with pytest.raises(LimitError, match=r"EMULATION_RULES_LIMITS|positive integer"):
        parse_limits(text)


# --- each limit documented with its default, and past it one clear error (issue 10, item 3 of
# "What to build") -----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = "an_giang.papi_2021"


def _documented(value: int) -> str:
    mib = 1024 * 1024
    return f"{value // mib} MiB" if value % mib == 0 else f"{value:,}"


def test_every_limit_is_documented_with_its_default() -> None:
    text = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    table = text.split("### Limits", 1)[1].split("\n### ", 1)[0]
    rows = {
        cells[1].strip("` "): cells[2].strip()
        for line in table.splitlines()
        if line.startswith("| `") and len(cells := line.split("|")) > 3
    }
    for field in attrs.fields(Limits):
        assert field.name in rows, f"limit {field.name} is not in data-model.md's table"
        assert rows[field.name] == _documented(field.default), field.name


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("limits")
    sample = folder / "sample.json"
    sample.write_bytes(CliRunner().invoke(main, ["sample", CAMPAIGN]).stdout_bytes)
    plan = folder / "mini.yaml"
    plan.write_text(yaml.safe_dump(mini_plan(), allow_unicode=True), encoding="utf-8")
    return {"sample": str(sample), "plan": str(plan)}


@pytest.mark.parametrize(
    ("setting", "command", "needle"),
    [
        ("max_document_bytes=100", "evaluate", "larger than max_document_bytes (100 bytes)"),
        ("max_json_depth=3", "evaluate", "JSON nested deeper than max_json_depth (3 levels)"),
        ("max_candidates=3", "evaluate", "79 candidates is more than max_candidates (3)"),
        ("max_string_length=5", "evaluate", "longer than max_string_length (5 characters)"),
        ("max_number_digits=2", "evaluate", "more than max_number_digits, 2"),
        ("max_plan_bytes=1000", "show", "above the limit max_plan_bytes = 1000"),
        ("max_plan_nodes=50", "show", "expands to more than max_plan_nodes = 50 values"),
        ("max_criteria_depth=1", "show", "beyond the limit max_criteria_depth = 1"),
    ],
)
def test_each_limit_past_it_is_an_error_naming_it(
    files: dict[str, str], setting: str, command: str, needle: str
) -> None:
    if command == "evaluate":
        args = ["evaluate", CAMPAIGN, files["sample"], "--format", "json"]
    else:
        args = ["show", files["plan"]]
    result = CliRunner().invoke(main, args, env={"EMULATION_RULES_LIMITS": setting})
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors and all(needle in line for line in errors), result.stderr
    assert "Traceback" not in result.stderr
    # within the limit, the same command passes
    ok = CliRunner().invoke(main, args, env={"EMULATION_RULES_LIMITS": ""})
    assert ok.exit_code == 0, ok.output


def test_max_number_digits_counts_the_digits_of_a_json_number_exactly() -> None:
    """A review of the limits found the JSON reader allowed one digit more than the limit in an
    integer (it counted a sign that was not there) and up to eight more in a decimal."""
    limits = Limits(max_number_digits=3)
    for accepted in ("123", "-123", "1.25", "-1.25", "9e99", "0.5e-9"):
        parse_json(f"[{accepted}]", "x.json", limits)
    for refused in ("1234", "-1234", "12.34", "1.234e5", "0.0001"):
        with pytest.raises(InputError, match=r"a number of \d digits \(more than max_number_"):
            parse_json(f"[{refused}]", "x.json", limits)
