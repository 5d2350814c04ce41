"""Values as published (locale, yes/no words, folded grades, aliases) and the readers: CSV,
XLSX (one sheet or two, Vietnamese headers, cell references) and Parquet; Tiền Giang's 2020
scores as printed give the same result as the JSON sample."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from conftest import mini_plan

from emulation_rules import Campaign, InputError, evaluate
from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
from emulation_rules.inputs.files import load_input
from emulation_rules.plan.loader import campaign_from_mapping

FIXTURES = Path(__file__).parent / "fixtures"
HEAD = "id,name,kind,unit_type,par,sipas,ddci,ddci_assessed,initiatives"


def read(campaign: Campaign, tmp_path: Path, name: str, content: str | bytes, **kw: Any) -> Any:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return load_input(campaign, path, **kw)[1]


def value(validated: Any, fact: str, row: int = 0) -> float | None:
    t = validated.table
    return float(t.values[fact][row]) if t.known[fact][row] else None


# --- numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "locale", "expected"),
    [
        ('"99,95"', "vi", 99.95),
        ("1.234", "vi", None),  # 1234 is out of 0..120: refused by range, never read as 1.234
        ("99", "vi", 99.0),
        ("-0", "vi", 0.0),
        ("99.95", "en", 99.95),
        ('"1,000"', "en", None),  # 1000 is out of range
    ],
)
def test_numbers_follow_the_declared_locale(
    mini: Campaign, tmp_path: Path, cell: str, locale: str, expected: float | None
) -> None:
    text = f"{HEAD}\nu1,Sở A,collective,so,{cell},,,,\n"
    if expected is None:
        with pytest.raises(InputError, match="less than or equal to 120"):
            read(mini, tmp_path, "x.csv", text, locale=locale)
    else:
        assert value(read(mini, tmp_path, "x.csv", text, locale=locale), "par") == expected


def test_thousands_grouping_is_one_reading_never_two(tmp_path: Path) -> None:
    plan = mini_plan()
    plan["facts"][0]["maximum"] = 100_000
    campaign = campaign_from_mapping(plan)
    ok = read(campaign, tmp_path, "a.csv", f"{HEAD}\nu1,A,collective,so,1.234,,,,\n")
    assert value(ok, "par") == 1234.0
    with pytest.raises(InputError) as caught:
        read(campaign, tmp_path, "b.csv", f"{HEAD}\nu1,A,collective,so,1.23,,,,\n")
    assert "',' marks decimals, '.' groups thousands" in str(caught.value)
    assert "(got '1.23')" in str(caught.value)
    en = read(
        campaign, tmp_path, "c.csv", f'{HEAD}\nu1,A,collective,so,"1,234.5",,,,\n', locale="en"
    )
    assert value(en, "par") == 1234.5


@pytest.mark.parametrize("cell", ["3_0", "٣", "1e3", "inf", "nan", "0x10", "9,5,1", "1.2.3,4"])
def test_odd_numbers_are_refused(mini: Campaign, tmp_path: Path, cell: str) -> None:
    with pytest.raises(InputError, match="notation of this input"):
        read(mini, tmp_path, "x.csv", f'{HEAD}\nu1,A,collective,so,"{cell}",,,,\n')


# --- yes/no and grades ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Có", 1.0),
        ("có", 1.0),
        ("x", 1.0),
        ("Đạt", 1.0),
        ("TRUE", 1.0),
        ("Không", 0.0),
        ("không đạt", 0.0),
        ("0", 0.0),
        ("", None),
    ],
)
def test_yes_no_words(mini: Campaign, tmp_path: Path, cell: str, expected: float | None) -> None:
    validated = read(mini, tmp_path, "x.csv", f"{HEAD}\nu1,A,collective,so,,,,{cell},\n")
    assert value(validated, "ddci_assessed") == expected


def test_a_yes_no_word_that_is_not_one_is_refused(mini: Campaign, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"valid boolean.*got 'maybe'"):
        read(mini, tmp_path, "x.csv", f"{HEAD}\nu1,A,collective,so,,,,maybe,\n")


@pytest.mark.parametrize("cell", ["Rất tốt", "rất tốt", "RAT TOT", "  rất   Tốt ", "rat tot"])
def test_grades_are_folded_for_case_spacing_and_diacritics(
    mini: Campaign, tmp_path: Path, cell: str
) -> None:
    validated = read(mini, tmp_path, "x.csv", f"{HEAD}\nu1,A,collective,so,,,{cell},,\n")
    assert value(validated, "ddci") == 4.0


def test_scale_aliases_and_json_strictness(tmp_path: Path) -> None:
    plan = mini_plan()
    plan["scales"][0]["aliases"] = {"A": "Rất tốt", "B": "Tốt"}
    campaign = campaign_from_mapping(plan)
    validated = read(campaign, tmp_path, "x.csv", f"{HEAD}\nu1,A,collective,so,,,a,,\n")
    assert value(validated, "ddci") == 4.0
    doc = {
        "candidates": [
            {
                "id": "u",
                "name": "A",
                "kind": "collective",
                "unit_type": "so",
                "facts": {"ddci": "B"},
            }
        ]
    }
    # the guard's fact (ddci_assessed, not given) follows the rule's in observed
    assert evaluate(campaign, doc).candidate("u").criteria[2].observed == {
        "ddci": "Tốt",
        "ddci_assessed": None,
    }
    doc["candidates"][0]["facts"]["ddci"] = "tốt"  # JSON is strict: no case folding
    with pytest.raises(InputError, match="got 'tốt'"):
        evaluate(campaign, doc)
    with pytest.raises(Exception, match="names no level"):
        plan["scales"][0]["aliases"] = {"C": "Xuất sắc"}
        campaign_from_mapping(plan)


# --- CSV layouts ------------------------------------------------------------------------------
def test_csv_by_vietnamese_headers_with_semicolons(mini: Campaign, tmp_path: Path) -> None:
    text = "Mã;Tên;Tập thể / Cá nhân;Loại đơn vị;PAR INDEX;thuộc đối tượng ddci\n"
    text += "u1;Sở A;Tập thể;Sở, ban, ngành;95,5;Có\n"
    validated = read(mini, tmp_path, "x.csv", text)
    assert value(validated, "par") == 95.5 and value(validated, "ddci_assessed") == 1.0
    assert validated.records.unit_types == ["so"]


def test_csv_rows_with_the_wrong_number_of_cells(mini: Campaign, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read(mini, tmp_path, "x.csv", "id,name,kind\nu1,A\n\nu2,B,collective,extra\n")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'x.csv'}: row 2: 2 cells for 3 columns",
        f"{tmp_path / 'x.csv'}: row 4: 4 cells for 3 columns",
    ]
    with pytest.raises(InputError, match="row 3: 2 cells for 3 columns"):
        read(mini, tmp_path, "q.csv", 'id,name,kind\n"u1","A\nB",collective\nu2,B\n')


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(mini: Campaign, tmp_path: Path) -> None:
    text = f"{HEAD}\n\n,,,,,,,,\nu1,A,collective,so,130,,,,\n"
    with pytest.raises(InputError, match=r"x\.csv: row 4\)"):
        read(mini, tmp_path, "x.csv", text)


# --- XLSX -------------------------------------------------------------------------------------
def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_two_sheets_and_cell_references(mini: Campaign, tmp_path: Path) -> None:
    data = workbook(
        {
            "Hướng dẫn": [["anything here is ignored"]],
            "Tập thể": [
                ["Mã", "Tên", "Loại đơn vị", "PAR INDEX", "SIPAS"],
                ["u1", "Sở A", "so", 95.5, "92,5"],
                ["u2", "Sở B", "UBND cấp huyện", "cao", 140],
            ],
            "Cá nhân": [
                ["Mã", "Tên", "Mã đơn vị công tác", "HTXSNV", "Sáng kiến"],
                ["p1", "Lê A", "u1", "Có", 2.0],
            ],
        }
    )
    with pytest.raises(InputError) as caught:
        read(mini, tmp_path, "f.xlsx", data)
    shown = [str(p) for p in caught.value.problems]
    assert shown[0].startswith(f"candidate 'u2' ({tmp_path / 'f.xlsx'}: Tập thể!D3): fact 'par'")
    assert "Tập thể!E3): fact 'sipas'" in shown[1] and "less than or equal to 100" in shown[1]
    assert caught.value.problems[0].cell == "Tập thể!D3"
    fixed = data.replace(b"cao", b"cao")  # same bytes: rebuild with good values instead
    fixed = workbook(
        {
            "Tập thể": [
                ["Mã", "Tên", "Loại đơn vị", "PAR INDEX", "SIPAS"],
                ["u1", "Sở A", "so", 95.5, "92,5"],
            ],
            "Cá nhân": [
                ["Mã", "Tên", "Mã đơn vị công tác", "HTXSNV", "Sáng kiến"],
                ["p1", "Lê A", "u1", "Có", 2.0],
            ],
        }
    )
    validated = read(mini, tmp_path, "g.xlsx", fixed)
    assert validated.records.ids == ("u1", "p1")
    assert validated.records.kinds == ["collective", "individual"]
    assert value(validated, "sipas") == 92.5 and value(validated, "initiatives", 1) == 2.0


def test_xlsx_one_sheet_with_a_kind_column(mini: Campaign, tmp_path: Path) -> None:
    data = workbook(
        {
            "Sheet1": [
                ["id", "name", "kind", "unit_type", "unit_id", "par", "excellent"],
                ["u1", "Sở A", "Tập thể", "so", None, 95, None],
                ["p1", "Lê A", "cá nhân", None, "u1", None, True],
            ]
        }
    )
    validated = read(mini, tmp_path, "f.xlsx", data)
    assert validated.records.kinds == ["collective", "individual"]
    bad = workbook({"Sheet1": [["id", "name", "par"], ["u1", "A", 1]]})
    with pytest.raises(InputError, match=r"missing column.*kind.*Tập thể"):
        read(mini, tmp_path, "bad.xlsx", bad)


# --- Parquet ----------------------------------------------------------------------------------
def test_parquet_typed_columns(mini: Campaign, tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": ["u1", "u2"],
            "name": ["Sở A", "Sở B"],
            "kind": ["collective", "collective"],
            "unit_type": ["so", "huyen"],
            "par": [95.5, None],
            "ddci_assessed": [True, False],
            "initiatives": [3, 2**53 + 1],
        }
    )
    out = io.BytesIO()
    frame.write_parquet(out)
    with pytest.raises(InputError, match=r"row 2\): fact 'initiatives'.*±9,007"):
        read(mini, tmp_path, "f.parquet", out.getvalue())
    frame = frame.with_columns(pl.Series("initiatives", [3, 4]))
    out = io.BytesIO()
    frame.write_parquet(out)
    validated = read(mini, tmp_path, "g.parquet", out.getvalue())
    assert value(validated, "par") == 95.5 and value(validated, "par", 1) is None
    assert value(validated, "initiatives", 1) == 4.0


# --- Tiền Giang, as printed -------------------------------------------------------------------
def test_tien_giang_2020_scores_as_printed_round_trip(registry: Any, tmp_path: Path) -> None:
    campaign = registry.campaign("tien_giang.par_2023")
    document = registry.entry(campaign.id).sample_document()
    expected = evaluate(campaign, document).to_dict()
    day = resolve_as_of(campaign, document["as_of"])
    printed = FIXTURES / "tien_giang_2020_as_printed.csv"
    assert "99,95" in printed.read_text(encoding="utf-8")
    _, from_csv = load_input(campaign, printed)
    assert evaluate_validated(campaign, from_csv, as_of=day).to_dict() == expected
    rows = [line.split(";") for line in printed.read_text(encoding="utf-8").splitlines()]
    typed = [rows[0]] + [
        [*r[:3], float(r[3].replace(",", ".")) if r[3] else None, *r[4:]] for r in rows[1:]
    ]
    for name, sheet in (("text.xlsx", rows), ("typed.xlsx", typed)):
        path = tmp_path / name
        path.write_bytes(workbook({"Bảng điểm 2020": sheet}))
        _, from_xlsx = load_input(campaign, path)
        assert evaluate_validated(campaign, from_xlsx, as_of=day).to_dict() == expected, name
    assert json.loads(json.dumps(expected))["campaign"] == "tien_giang.par_2023"


def test_parquet_odd_typed_columns_are_refused_by_cell(mini: Campaign, tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "id": [{"a": 1}],
            "name": ["A"],
            "kind": ["collective"],
            "unit_type": ["so"],
            "par": [[1.0]],
            "ddci_assessed": [3],
        }
    )
    out = io.BytesIO()
    frame.write_parquet(out)
    with pytest.raises(InputError) as caught:
        read(mini, tmp_path, "odd.parquet", out.getvalue())
    rules = [(p.field.split(" (")[0], p.rule) for p in caught.value.problems]
    assert rules == [
        ("field 'id'", "Input should be a valid string"),
        ("fact 'par'", "Input should be a valid number"),
        ("fact 'ddci_assessed'", "Input should be a valid boolean"),
    ]
