"""Issue 10 (hostile and odd input), the input side: one regression test per item, named after it.

Every refusal is one ``error:`` line per problem on standard error, exit status 2, nothing on
standard output and no traceback.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from emulation_rules import InputError, evaluate
from emulation_rules.cli import main
from emulation_rules.inputs.jsontext import max_depth, parse_json
from emulation_rules.limits import Limits

CAMPAIGN = "an_giang.papi_2021"
ROOT = Path(__file__).resolve().parents[2]
WORK_PLAN = str(ROOT / "examples" / "cchc_2021" / "plan.yaml")


def cli(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input, env=env)


def refused(result: Any, *needles: str) -> list[str]:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), lines
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert any(needle in line for line in lines), (needle, lines)
    return lines


@pytest.fixture
def sample(tmp_path: Path) -> dict[str, Any]:
    return json.loads(cli("sample", CAMPAIGN).output)


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


# --- item 1: duplicate keys -------------------------------------------------------------------
def test_item1_duplicate_candidates_key_is_refused(tmp_path: Path, sample: dict[str, Any]) -> None:
    text = json.dumps(sample, ensure_ascii=False)[:-1] + ', "candidates": []}'
    lines = refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.json", text)), "'candidates'")
    assert "the document" in lines[0] and "given twice" in lines[0]


def test_item1_a_fact_given_twice_names_its_place(tmp_path: Path) -> None:
    text = (
        '{"candidates": [{"id": "x", "name": "UBND xã A", "kind": "collective", '
        '"unit_type": "ubnd_xa", "facts": {"recognised_initiatives": 1, '
        '"recognised_initiatives": 2}}]}'
    )
    refused(
        cli("evaluate", CAMPAIGN, write(tmp_path, "d.json", text)),
        "candidates[0].facts: the key 'recognised_initiatives' is given twice",
    )


def test_item1_duplicate_key_in_a_targets_measures_document(tmp_path: Path) -> None:
    text = '{"years": {"2021": {"pci_rank": 21, "pci_rank": 30}}}'
    refused(
        cli("targets", WORK_PLAN, write(tmp_path, "m.json", text)),
        "years.2021: the key 'pci_rank' is given twice",
    )


# --- item 4: X and facts.X --------------------------------------------------------------------
def test_item4_csv_with_x_and_facts_x_is_refused(tmp_path: Path) -> None:
    text = (
        "id,name,kind,unit_type,recognised_initiatives,facts.recognised_initiatives\n"
        "x,UBND xã A,collective,ubnd_xa,1,2\n"
    )
    refused(
        cli("evaluate", CAMPAIGN, write(tmp_path, "x.csv", text)),
        "columns 'recognised_initiatives' and 'facts.recognised_initiatives' both give fact "
        "'recognised_initiatives'",
    )


# --- item 5: integers beyond 2**53 ------------------------------------------------------------
def test_item5_integers_beyond_2_53_are_refused_not_rounded(tmp_path: Path) -> None:
    doc = {
        "candidates": [
            {
                "id": f"x{i}",
                "name": "UBND xã",
                "kind": "collective",
                "unit_type": "ubnd_xa",
                "facts": {"recognised_initiatives": 2**53 + i},
            }
            for i in (1, 2)
        ]
    }
    lines = refused(
        cli("evaluate", CAMPAIGN, write(tmp_path, "big.json", json.dumps(doc))),
        "±9,007,199,254,740,992",
    )
    assert len(lines) == 2  # both, at once
    csv_text = (
        "id,name,kind,unit_type,recognised_initiatives\nx,A,collective,ubnd_xa,9007199254740993\n"
    )
    refused(cli("evaluate", CAMPAIGN, write(tmp_path, "big.csv", csv_text)), "±9,007,199")
    # 2**53 itself is exact, and accepted
    doc["candidates"] = doc["candidates"][:1]
    doc["candidates"][0]["facts"]["recognised_initiatives"] = 2**53
    assert cli("evaluate", CAMPAIGN, write(tmp_path, "ok.json", json.dumps(doc))).exit_code == 0


# --- item 8: 400 digits, 100,000 deep --------------------------------------------------------
DIGITS = "9" * 400


def test_item8_400_digit_integer_in_a_fact(tmp_path: Path) -> None:
    text = (
        '{"candidates": [{"id": "x", "name": "A", "kind": "collective", "unit_type": "ubnd_xa",'
        f' "facts": {{"recognised_initiatives": {DIGITS}}}}}]}}'
    )
    lines = refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.json", text)), "max_number_digits")
    assert len(lines) == 1 and len(lines[0]) < 300


def test_item8_400_digit_integer_in_a_csv_cell(tmp_path: Path) -> None:
    text = f"id,name,kind,unit_type,recognised_initiatives\nx,A,collective,ubnd_xa,{DIGITS}\n"
    lines = refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.csv", text)), "max_number_digits")
    assert len(lines) == 1 and len(lines[0]) < 400


def test_item8_400_digit_integer_in_an_override(tmp_path: Path, sample: dict[str, Any]) -> None:
    path = write(tmp_path, "s.json", json.dumps(sample, ensure_ascii=False))
    refused(
        cli("evaluate", CAMPAIGN, path, "--override", f"quota_collectives={DIGITS}"),
        "max_number_digits",
    )


def test_item8_400_digit_integer_in_a_measure(tmp_path: Path) -> None:
    text = f'{{"years": {{"2021": {{"pci_rank": {DIGITS}}}}}}}'
    refused(
        cli("targets", WORK_PLAN, write(tmp_path, "m.json", text)),
        "max_number_digits",
    )


def test_item8_400_digit_integer_in_a_parameter_value(tmp_path: Path) -> None:
    plan = (ROOT / "plugins/an_giang/src/emulation_rules_an_giang/papi_2021.yaml").read_text(
        encoding="utf-8"
    )
    assert "    value: 5\n" in plan
    path = write(tmp_path, "plan.yaml", plan.replace("    value: 5\n", f"    value: {DIGITS}\n", 1))
    refused(cli("show", path), "max_number_digits")


def test_item8_json_nested_100000_deep(tmp_path: Path) -> None:
    text = '{"candidates": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = refused(cli("evaluate", CAMPAIGN, write(tmp_path, "deep.json", text)), "max_json_depth")
    assert len(lines) == 1


def test_item8_limits_come_from_the_environment(tmp_path: Path, sample: dict[str, Any]) -> None:
    path = write(tmp_path, "s.json", json.dumps(sample, ensure_ascii=False))
    refused(
        cli("evaluate", CAMPAIGN, path, env={"EMULATION_RULES_LIMITS": "max_candidates=3"}),
        "max_candidates (3)",
    )
    refused(
        cli("evaluate", CAMPAIGN, path, env={"EMULATION_RULES_LIMITS": "max_document_bytes=100"}),
        "max_document_bytes",
    )
    refused(
        cli("evaluate", CAMPAIGN, path, env={"EMULATION_RULES_LIMITS": "max_string_length=5"}),
        "max_string_length",
    )
    refused(cli("evaluate", CAMPAIGN, path, env={"EMULATION_RULES_LIMITS": "nope=1"}), "nope=1")


def test_item8_depth_scan_honours_strings_and_escapes() -> None:
    assert max_depth(b'{"a": [[1]], "b": "[[[[[", "c": "\\"[[["}') == 3
    assert max_depth(b'["\\\\", [[]]]') == 3
    big = b"[" * 70 + b"]" * 70
    with pytest.raises(InputError, match="max_json_depth"):
        parse_json(big, "x.json", Limits())
    nested, depth = parse_json(big, "x.json", Limits(max_json_depth=80)), 1
    while nested:
        nested, depth = nested[0], depth + 1
    assert depth == 70


# --- item 13: standard input is UTF-8, whatever the locale ------------------------------------
def test_item13_bom_on_stdin_is_stripped(sample: dict[str, Any]) -> None:
    data = b"\xef\xbb\xbf" + json.dumps(sample, ensure_ascii=False).encode("utf-8")
    result = cli("evaluate", CAMPAIGN, "-", "--format", "json", input=data, env={"LC_ALL": "C"})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["campaign"] == CAMPAIGN


def test_item13_utf16_with_a_bom_is_read_and_without_is_refused(sample: dict[str, Any]) -> None:
    text = json.dumps(sample, ensure_ascii=False)
    result = cli("evaluate", CAMPAIGN, "-", "--format", "json", input=text.encode("utf-16"))
    assert result.exit_code == 0, result.stderr
    refused(
        cli("evaluate", CAMPAIGN, "-", input=text.encode("utf-16-le")),
        "looks like UTF-16 without a byte-order mark",
    )


# --- item 14: explain normalises the candidate id ---------------------------------------------
def test_item14_explain_nfc_normalises_the_candidate_id(tmp_path: Path) -> None:
    doc = {
        "candidates": [
            {
                "id": "xã-kiến-an",
                "name": "UBND xã Kiến An",
                "kind": "collective",
                "unit_type": "ubnd_xa",
                "facts": {"district_assessment": "Hoàn thành xuất sắc nhiệm vụ"},
            }
        ]
    }
    path = write(tmp_path, "d.json", json.dumps(doc, ensure_ascii=False))
    nfd = unicodedata.normalize("NFD", "xã-kiến-an")
    assert nfd != "xã-kiến-an"
    result = cli("explain", CAMPAIGN, path, nfd)
    assert result.exit_code == 0, result.stderr
    assert "(xã-kiến-an)" in result.stdout


# --- item 16: as_of is a plain date -----------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("20220520", "write 2022-05-20"),
        (1653004800, "a number (a timestamp?) is not a date"),
        ("2022-05-20T00:00:00+07:00", "no time of day or time zone"),
        ("2022-05-20T00:00:00", "no time of day"),
        ("2022-02-30", "no such day"),
    ],
)
def test_item16_as_of_is_a_plain_date(
    tmp_path: Path, sample: dict[str, Any], value: Any, message: str
) -> None:
    path = write(tmp_path, "d.json", json.dumps({**sample, "as_of": value}, ensure_ascii=False))
    refused(cli("evaluate", CAMPAIGN, path), "field 'as_of'", message)


def test_item16_as_of_in_the_python_api_too(registry: Any) -> None:
    campaign = registry.campaign(CAMPAIGN)
    document = registry.entry(CAMPAIGN).sample_document()
    with pytest.raises(InputError, match="write 2022-05-20"):
        evaluate(campaign, {**document, "as_of": "20220520"})


# --- item 17: a bad value is never echoed whole -----------------------------------------------
def test_item17_a_million_element_list_is_summarised(tmp_path: Path) -> None:
    doc = {
        "candidates": [
            {
                "id": "x",
                "name": "A",
                "kind": "collective",
                "unit_type": "ubnd_xa",
                "facts": {"recognised_initiatives": list(range(1_000_000))},
            }
        ]
    }
    lines = refused(
        cli("evaluate", CAMPAIGN, write(tmp_path, "d.json", json.dumps(doc))),
        "a list of 1,000,000 items",
    )
    assert len(lines[0]) < 400


def test_item17_a_long_string_is_cut(tmp_path: Path) -> None:
    text = "id,name,kind,unit_type,district_assessment\nx,A,collective,ubnd_xa," + "y" * 5000 + "\n"
    lines = refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.csv", text)), "(5,000 characters)")
    assert len(lines[0]) < 600


# --- item 18: CSV 3_0 and Arabic-Indic override digits ----------------------------------------
def test_item18_csv_integer_with_an_underscore_is_refused(tmp_path: Path) -> None:
    text = "id,name,kind,unit_type,recognised_initiatives\nx,A,collective,ubnd_xa,3_0\n"
    refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.csv", text)), "(got '3_0')")


@pytest.mark.parametrize("digits", ["٣", "３", "۳", "3_0"])
def test_item18_override_in_non_ascii_digits_is_refused(
    tmp_path: Path, sample: dict[str, Any], digits: str
) -> None:
    path = write(tmp_path, "s.json", json.dumps(sample, ensure_ascii=False))
    refused(
        cli("evaluate", CAMPAIGN, path, "--override", f"quota_collectives={digits}"),
        "is not a valid integer",
    )


def test_item18_csv_cell_in_arabic_indic_digits_is_refused(tmp_path: Path) -> None:
    text = "id,name,kind,unit_type,recognised_initiatives\nx,A,collective,ubnd_xa,٣\n"
    refused(cli("evaluate", CAMPAIGN, write(tmp_path, "d.csv", text)), "(got '٣')")
