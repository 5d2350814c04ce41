"""Every problem at once (structured, as text and as JSON), and the lenient mode that hides
nothing: ``on_invalid="report"`` evaluates the valid candidates and lists the refused ones."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import GOOD, person, unit

from emulation_rules import Campaign, InputError, evaluate, validate_input
from emulation_rules.cli import main

CAMPAIGN = "an_giang.papi_2021"


def dept(cid: str, **facts: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": f"Sở {cid}",
        "kind": "collective",
        "unit_type": "so_ban_nganh",
        "facts": facts,
    }


BAD = [
    dept("a", papi_plan_components=9),  # range
    dept("b", reports_on_time="yes", recognised_initiatives=1.5),  # type and fraction
    {"id": "c", "kind": "collective", "unit_type": "ubnd_tinh"},  # no name, unknown unit type
    dept("a"),  # duplicate id
]


def test_every_problem_at_once_with_candidate_field_and_rule(mini: Campaign) -> None:
    with pytest.raises(InputError) as caught:
        evaluate(CAMPAIGN, BAD)
    problems = caught.value.problems
    fields = [(p.candidate, p.field.split(" (")[0]) for p in problems]
    assert fields == [
        ("a", "fact 'papi_plan_components'"),
        ("b", "fact 'reports_on_time'"),
        ("b", "fact 'recognised_initiatives'"),
        ("c", "field 'name'"),
        ("c", "field 'unit_type'"),
        ("a", "field 'id'"),
    ]
    assert [p.row for p in problems] == [0, 1, 1, 2, 2, 3]
    assert "Input should be less than or equal to 8" in problems[0].rule
    assert problems[0].value == "9"
    assert str(caught.value).count("\n") == len(problems) - 1
    assert "(+" not in str(caught.value)  # no "(+2 more problems)": every one is there


def test_cli_prints_every_problem_and_json_on_request(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"candidates": BAD}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", CAMPAIGN, str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 6 and all(line.startswith("error: candidate '") for line in lines)
    result = CliRunner().invoke(main, ["evaluate", CAMPAIGN, str(path), "--errors", "json"])
    assert result.exit_code == 2 and result.stdout == ""
    report = json.loads(result.stderr)
    assert report["error"] == "input" and report["count"] == 6
    first = report["problems"][0]
    assert set(first) == {"where", "candidate", "row", "cell", "field", "rule", "value", "message"}
    assert first["candidate"] == "a" and first["row"] == 0


def test_many_problems_are_capped_in_text_but_not_in_json(tmp_path: Path) -> None:
    rows = ["id,name,kind,unit_type,recognised_initiatives"]
    rows += [f"x{i},A,collective,ubnd_xa,-{i + 1}" for i in range(1100)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", CAMPAIGN, str(path)])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1001 and "and 100 more problems" in lines[-1]
    result = CliRunner().invoke(main, ["evaluate", CAMPAIGN, str(path), "--errors", "json"])
    assert json.loads(result.stderr)["count"] == 1100


def test_report_mode_evaluates_the_valid_and_lists_the_refused(mini: Campaign) -> None:
    candidates = [unit("u1", **GOOD), unit("u2", **{**GOOD, "par": 130.0}), unit("u3", **GOOD)]
    result = evaluate(mini, candidates, on_invalid="report")
    assert [c.id for c in result.candidates] == ["u1", "u3"]
    assert [r.id for r in result.rejected] == ["u2"]
    assert "less than or equal to 120" in result.rejected[0].problems[0].rule
    out = result.to_dict()
    assert out["rejected"][0]["id"] == "u2" and out["rejected"][0]["where"] == "candidates[1]"
    # strict by default: the same input is refused whole, and no 'rejected' key appears
    with pytest.raises(InputError):
        evaluate(mini, candidates)
    assert "rejected" not in evaluate(mini, [candidates[0]]).to_dict()


def test_report_mode_refuses_an_individual_whose_refused_unit_it_reads(mini: Campaign) -> None:
    candidates = [unit("u1", **{**GOOD, "par": -1.0}), person("p1", "u1", excellent=True)]
    with pytest.raises(InputError, match=r"fact 'par'"):
        evaluate(mini, candidates, on_invalid="report")  # nothing left to evaluate
    candidates.append(unit("u2", **GOOD))
    result = evaluate(mini, candidates, on_invalid="report")
    rejected = {r.id: r for r in result.rejected}
    assert set(rejected) == {"u1", "p1"}
    assert "its unit 'u1' was refused" in rejected["p1"].problems[0].rule


def test_report_mode_in_every_output_format_and_exit_status_3(tmp_path: Path) -> None:
    doc = {"candidates": [dept("ok", papi_plan_components=8), dept("bad", papi_plan_components=9)]}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    base = ["evaluate", CAMPAIGN, str(path), "--on-invalid", "report"]
    result = CliRunner().invoke(main, [*base, "--format", "json"])
    assert result.exit_code == 3
    assert [r["id"] for r in json.loads(result.stdout)["rejected"]] == ["bad"]
    result = CliRunner().invoke(main, [*base, "--format", "csv"])
    assert result.exit_code == 3
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][-1] == "rejected" and rows[1][0] == "ok" and rows[1][-1] == ""
    assert rows[2][0] == "bad" and "less than or equal to 8" in rows[2][-1]
    assert len({len(r) for r in rows}) == 1
    result = CliRunner().invoke(main, [*base, "--lang", "en"])
    assert result.exit_code == 3 and "Refused input (1 candidate, not evaluated)" in result.stdout
    assert "bad — Sở bad" in result.stdout
    # nothing refused: exit 0, and the section is empty
    doc["candidates"].pop()
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, [*base, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["rejected"] == []


def test_an_individual_without_its_unit_is_refused_only_when_the_unit_is_read(
    mini: Campaign, registry: Any
) -> None:
    # mini's individuals read their unit's PAR (of: unit): the unit must be in the input
    with pytest.raises(InputError, match="not among the candidates, and a criterion reads"):
        validate_input(mini, [unit("u1", **GOOD), person("p1", "elsewhere", excellent=True)])
    # An Giang's individual criteria read only the individual's own facts
    campaign = registry.campaign(CAMPAIGN)
    result = evaluate(
        campaign,
        [
            {
                "id": "cn",
                "name": "Nguyễn Thị Lan",
                "kind": "individual",
                "unit_id": "snv",
                "facts": {"leads_or_advises_papi": True, "recognised_initiatives": 2},
            },
        ],
    )
    assert result.candidate("cn").awards == {"bang_khen_ca_nhan": "eligible"}
