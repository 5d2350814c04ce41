"""Date facts and yearly series through every reader: JSON carries ISO dates and objects of
years; CSV and XLSX give dates as published (``dd/mm/yyyy`` in Vietnamese, ISO always) and a
series as one column per year (``fact[2023]``, ``fact.2023``, or the label and the year); Parquet
gives typed columns. Every problem is reported at once with its row or cell, field and rule.
The national rules written as a plan (``tests/engine/plans``) give the same result from a CSV,
an XLSX workbook (typed date cells), Parquet and the campaign's own form as from the JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from emulation_rules import Campaign, InputError, evaluate
from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
from emulation_rules.inputs.files import load_input
from emulation_rules.inputs.template import SHEET_KIND, fact_columns, write_template
from emulation_rules.plan.loader import campaign_from_mapping, load_campaign

PLANS = Path(__file__).resolve().parents[1] / "engine" / "plans"
SERIES = ("task_results", "cstdcs_titles", "initiatives")


@pytest.fixture(scope="module")
def law() -> Campaign:
    return load_campaign(PLANS / "national_law.yaml")


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (PLANS / "national_law_sample.json").read_text(encoding="utf-8")
    )
    return document


def _result_of(campaign: Campaign, path: Path, **kw: Any) -> dict[str, Any]:
    as_of, validated = load_input(campaign, path, **kw)
    day = resolve_as_of(campaign, as_of or dt.date(2024, 12, 31))
    document: dict[str, Any] = evaluate_validated(campaign, validated, as_of=day).to_dict()
    return document


def _expected(campaign: Campaign, sample: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = evaluate(campaign, sample).to_dict()
    return document


def _rows(campaign: Campaign, sample: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The sample as a table in Vietnamese notation: one column per series year (mixing the
    header forms a reader accepts), dates dd/mm/yyyy, ids separated by commas."""
    columns: list[tuple[str, str, int | None]] = []
    for fact in campaign.facts:
        if fact.type != "series":
            columns.append((fact.id, fact.id, None))
            continue
        for year in fact.years():
            forms = {
                "task_results": f"task_results[{year}]",
                "cstdcs_titles": f"cstdcs_titles.{year}",
                "initiatives": f"{fact.label} năm {year}",
            }
            columns.append((forms[fact.id], fact.id, year))
    header = ["id", "name", "kind", "unit_type", "unit_id"] + [c[0] for c in columns]
    rows = []
    for cand in sample["candidates"]:
        facts = cand["facts"]
        row = [cand["id"], cand["name"], cand["kind"], cand.get("unit_type") or ""]
        row.append(cand.get("unit_id") or "")
        for _, fact_id, year in columns:
            value = facts.get(fact_id)
            if year is not None:
                value = (value or {}).get(str(year))
            row.append(_cell_text(value))
        rows.append(row)
    return header, rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        return ", ".join(value) if value else "-"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        day = dt.date.fromisoformat(value)
        return f"{day.day}/{day.month}/{day.year}"  # as a Vietnamese office writes it
    return str(value)


def _csv(header: list[str], rows: list[list[str]]) -> str:
    def quoted(cell: str) -> str:
        return f'"{cell}"' if any(ch in cell for ch in ';,"') else cell

    return "\n".join(";".join(quoted(c) for c in line) for line in [header, *rows]) + "\n"


# --- the national rules from every reader -------------------------------------------------
def test_a_csv_as_published_gives_the_json_result(
    law: Campaign, sample: dict[str, Any], tmp_path: Path
) -> None:
    header, rows = _rows(law, sample)
    path = tmp_path / "law.csv"
    path.write_text(_csv(header, rows), encoding="utf-8")
    assert _result_of(law, path) == _expected(law, sample)


def test_an_xlsx_with_date_cells_gives_the_json_result(
    law: Campaign, sample: dict[str, Any], tmp_path: Path
) -> None:
    header, rows = _rows(law, sample)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(header)
    at = header.index("recruited_on")
    for row, cand in zip(rows, sample["candidates"], strict=True):
        cells: list[Any] = list(row)
        day = cand["facts"].get("recruited_on")
        cells[at] = dt.date.fromisoformat(day) if day else None  # a typed date cell
        ws.append([c if c != "" else None for c in cells])
    path = tmp_path / "law.xlsx"
    book.save(path)
    assert _result_of(law, path) == _expected(law, sample)


def test_parquet_with_typed_date_and_list_columns_gives_the_json_result(
    law: Campaign, sample: dict[str, Any], tmp_path: Path
) -> None:
    cands = sample["candidates"]
    frame: dict[str, Any] = {
        "id": [c["id"] for c in cands],
        "name": [c["name"] for c in cands],
        "kind": [c["kind"] for c in cands],
        "unit_type": [c.get("unit_type") for c in cands],
        "unit_id": [c.get("unit_id") for c in cands],
        "recruited_on": pl.Series(
            [
                dt.date.fromisoformat(c["facts"]["recruited_on"])
                if "recruited_on" in c["facts"]
                else None
                for c in cands
            ],
            dtype=pl.Date,
        ),
        "province_initiative": pl.Series(
            [c["facts"].get("province_initiative") for c in cands], dtype=pl.Boolean
        ),
        "initiatives_recognised": [c["facts"].get("initiatives_recognised") for c in cands],
    }
    for fact_id in SERIES:
        fact = law.fact(fact_id)
        for year in fact.years():
            values = [(c["facts"].get(fact_id) or {}).get(str(year)) for c in cands]
            dtype = {"ids": pl.List(pl.String), "boolean": pl.Boolean}.get(
                fact.value_type, pl.String
            )
            frame[f"{fact_id}[{year}]"] = pl.Series(values, dtype=dtype)
    path = tmp_path / "law.parquet"
    pl.DataFrame(frame).write_parquet(path)
    assert _result_of(law, path) == _expected(law, sample)


def test_the_campaigns_form_has_a_column_per_year_and_date_cells(
    law: Campaign, sample: dict[str, Any], tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(write_template(law)))
    ws = book[SHEET_KIND["individual"]]
    header = [c.value for c in ws[1]]
    columns = fact_columns(law, law.facts_for("individual"))
    assert [h for h, _, _ in columns] == header[3 : 3 + len(columns)]
    assert "Kết quả thực hiện nhiệm vụ theo năm [2019]" in header
    assert "Sáng kiến được công nhận theo năm (số hiệu) [2024]" in header
    date_col = header.index("Ngày tuyển dụng") + 1
    assert ws.cell(row=2, column=date_col).number_format == "DD/MM/YYYY"
    note = ws.cell(
        row=1, column=header.index("Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm [2022]") + 1
    )
    assert note.comment is not None and "năm 2022" in note.comment.text
    # filled with the sample (dates as date cells, ids in one cell) it gives the JSON result
    for kind in ("collective", "individual"):
        sheet = book[SHEET_KIND[kind]]
        cols = fact_columns(law, law.facts_for(kind))  # type: ignore[arg-type]
        row = 2
        for cand in sample["candidates"]:
            if cand["kind"] != kind:
                continue
            sheet.cell(row=row, column=1, value=cand["id"])
            sheet.cell(row=row, column=2, value=cand["name"])
            third = cand.get("unit_type") if kind == "collective" else cand.get("unit_id")
            sheet.cell(row=row, column=3, value=third)
            for offset, (_, fact, year) in enumerate(cols):
                value = cand["facts"].get(fact.id)
                if year is not None:
                    value = (value or {}).get(str(year))
                if fact.type == "date" and value is not None:
                    value = dt.date.fromisoformat(value)
                elif value is not None and not isinstance(value, int | float | str):
                    value = _cell_text(value)
                sheet.cell(row=row, column=4 + offset, value=value)
            row += 1
    path = tmp_path / "form.xlsx"
    book.save(path)
    assert _result_of(law, path) == _expected(law, sample)


# --- problems, all at once ------------------------------------------------------------------
def test_json_dates_are_iso_and_series_objects_of_the_series_years(law: Campaign) -> None:
    doc = {
        "candidates": [
            {"id": "u", "name": "U", "kind": "collective", "unit_type": "co_quan"},
            {
                "id": "a",
                "name": "A",
                "kind": "individual",
                "unit_id": "u",
                "facts": {
                    "recruited_on": "1/3/2015",
                    "task_results": {"2018": "Hoàn thành tốt nhiệm vụ", "24": None},
                    "cstdcs_titles": {"2023": "yes"},
                    "initiatives": {"2023": "SK-1", "2024": ["SK-1", ""]},
                },
            },
            {
                "id": "b",
                "name": "B",
                "kind": "individual",
                "unit_id": "u",
                "facts": {"recruited_on": "2015-02-30T00:00", "cstdcs_titles": [True]},
            },
            {
                "id": "c",
                "name": "C",
                "kind": "individual",
                "unit_id": "u",
                "facts": {"recruited_on": "2015-02-30"},
            },
        ]
    }
    with pytest.raises(InputError) as caught:
        evaluate(law, doc)
    lines = str(caught.value).splitlines()
    expected = [
        ("candidate 'a'", "fact 'recruited_on'", "in JSON a date is ISO text, whatever the locale"),
        (
            "candidate 'a'",
            "fact 'task_results'",
            "year 2018 is outside the series' years 2019–2024",
        ),
        ("candidate 'a'", "fact 'task_results'", 'a year is written with four digits, e.g. "2022"'),
        ("candidate 'a'", "fact 'cstdcs_titles[2023]'", "Input should be a valid boolean"),
        ("candidate 'a'", "fact 'initiatives[2023]'", "Input should be a list of identifiers"),
        ("candidate 'a'", "fact 'initiatives[2024]'", "Input should be a list of identifiers"),
        ("candidate 'b'", "fact 'recruited_on'", "a date has no time of day or time zone"),
        ("candidate 'b'", "fact 'cstdcs_titles'", "a yearly series is an object of years"),
        ("candidate 'c'", "fact 'recruited_on'", "there is no such day"),
    ]
    for who, field, rule in expected:
        assert any(who in line and field in line and rule in line for line in lines), (
            who,
            field,
            rule,
            lines,
        )
    assert len(caught.value.problems) == len(expected)


def test_table_problems_name_row_or_cell_field_and_rule(law: Campaign, tmp_path: Path) -> None:
    text = (
        "id;name;kind;unit_type;unit_id;recruited_on;task_results[2024];initiatives[2024]\n"
        "u;U;collective;co_quan;;;Hoàn thành tốt nhiệm vụ;\n"
        "a;A;individual;;u;31/2/2015;tốt lắm;SK-1, SK-2\n"
        "b;B;individual;;u;2015-13-01;;SK-1,,\n"
        "c;C;individual;;u;15.3.2015;;-\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_input(law, path)
    problems = caught.value.problems
    found = {(p.row, p.field.split(" (")[0], p.rule) for p in problems}
    vi_date = "a date is written YYYY-MM-DD (e.g. 2022-05-20) or dd/mm/yyyy (e.g. 20/5/2022)"
    grades = "'Hoàn thành nhiệm vụ', 'Hoàn thành tốt nhiệm vụ' or 'Hoàn thành xuất sắc nhiệm vụ'"
    assert (1, "fact 'recruited_on'", vi_date + ": there is no such day") in found
    assert (
        1,
        "fact 'task_results[2024]'",
        "Input should be 'Không hoàn thành nhiệm vụ', " + grades,
    ) in found
    assert (2, "fact 'recruited_on'", vi_date + ": there is no such day") in found
    assert (3, "fact 'recruited_on'", vi_date) in found
    assert len(problems) == 4  # 'SK-1,,' is two ids (empty pieces dropped); '-' is none
    assert all("bad.csv: row " in p.where for p in problems)
    assert [p.row for p in problems] == sorted(p.row for p in problems)


def test_an_xlsx_problem_names_its_cell(law: Campaign, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Cá nhân"
    ws.append(["id", "name", "unit_id", "recruited_on", "cstdcs_titles[2023]"])
    ws.append(["a", "A", "u", "32/1/2020", "có"])
    ws.append(["b", "B", "u", dt.datetime(2020, 1, 1, 8, 30), "hình như"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_input(law, path)
    cells = sorted(p.cell for p in caught.value.problems if p.cell)
    assert cells == ["Cá nhân!D2", "Cá nhân!D3", "Cá nhân!E3"]


@pytest.mark.parametrize(
    ("column", "why"),
    [
        ("initiatives", "is a yearly series: give one column per year, e.g. 'initiatives[2024]'"),
        ("initiatives[2030]", "series 'initiatives' covers the years 2019–2024"),
        ("recruited_on[2023]", "fact 'recruited_on' is not a yearly series"),
        ("initiatives.year", "a yearly series' values name their own years"),
    ],
)
def test_a_series_column_without_its_year_or_outside_the_years_is_refused(
    law: Campaign, tmp_path: Path, column: str, why: str
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(f"id,name,kind,unit_id,{column}\na,A,individual,u,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 1 \\(header\\)") as caught:
        load_input(law, path)
    assert why in str(caught.value)


def test_two_columns_for_one_year_are_refused(law: Campaign, tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        "id,name,kind,unit_id,initiatives[2024],initiatives.2024\na,A,individual,u,x,y\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="both give the 2024 value of series 'initiatives'"):
        load_input(law, path)


# --- provenance and as_of ---------------------------------------------------------------------
def test_a_series_published_after_as_of_is_unknown_every_year(law: Campaign) -> None:
    person = {
        "id": "a",
        "name": "A",
        "kind": "individual",
        "unit_id": "u",
        "facts": {
            "cstdcs_titles": {
                "value": {"2022": True, "2023": True, "2024": True},
                "source": "QĐ 12/QĐ-UBND",
                "published": "2025-01-20",
            },
            "recruited_on": {"value": "2015-03-01", "published": "2015-03-01"},
        },
    }
    doc = {
        "candidates": [
            {"id": "u", "name": "U", "kind": "collective", "unit_type": "co_quan"},
            person,
        ]
    }
    later = evaluate(law, doc, as_of="2025-02-01")
    earlier = evaluate(law, doc, as_of="2024-12-31")
    titles = {
        c.id: c.observed.get("cstdcs_titles")
        for c in later.candidate("a").criteria
        if "cstdcs_titles" in c.observed
    }
    assert len(titles) == 2 and all(set(v.values()) == {True} for v in titles.values())
    before = [
        c.observed["cstdcs_titles"]
        for c in earlier.candidate("a").criteria
        if "cstdcs_titles" in c.observed
    ]
    assert before and all(set(v.values()) == {None} for v in before)
    prov = earlier.candidate("a").provenance
    assert prov is not None and prov["cstdcs_titles"]["not_yet_published"] is True
    assert prov["cstdcs_titles"]["source"] == "QĐ 12/QĐ-UBND"
    # a series' provenance names no year: its values name their own
    person["facts"]["cstdcs_titles"]["year"] = 2024  # type: ignore[index]
    with pytest.raises(InputError, match="a yearly series' values name their own years"):
        evaluate(law, doc)


# --- an individual's unit, members -----------------------------------------------------------
def _unit_plan(rule: dict[str, Any]) -> Campaign:
    from conftest import mini_plan

    plan = mini_plan()
    plan["facts"].append(
        {
            "id": "flags",
            "label": "Cờ thi đua theo năm",
            "type": "series",
            "element": "boolean",
            "first_year": 2022,
            "last_year": 2024,
            "kinds": ["collective"],
        }
    )
    plan["criteria"].append(
        {
            "id": "i.unit",
            "label": "Đơn vị được cờ",
            "kind": "individual",
            "rule": rule,
            "citation": {"source": "kh", "clause": "x"},
        }
    )
    for award in plan["awards"]:
        if award["kind"] == "individual":
            award["requires"] = [*award["requires"], "i.unit"]
    return campaign_from_mapping(plan)


def test_an_individual_reads_its_units_series_and_needs_the_unit(tmp_path: Path) -> None:
    campaign = _unit_plan(
        {"series": "flags", "of": "unit", "op": "==", "value": True, "years": [2023]}
    )
    path = tmp_path / "u.csv"
    path.write_text(
        "id,name,kind,unit_type,unit_id,flags[2023]\n"
        "s1,Sở,collective,so,,Có\n"
        "p1,Người,individual,,s1,\n"
        "p2,Người,individual,,s9,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_input(campaign, path)
    assert [(p.row, p.field) for p in caught.value.problems] == [(2, "field 'unit_id'")]
    assert "a criterion reads the unit (flags, par)" in caught.value.problems[0].rule
    path.write_text(path.read_text(encoding="utf-8").replace("s9", "s1"), encoding="utf-8")
    _, validated = load_input(campaign, path)
    table = validated.table
    assert table.values["unit.flags@2023"].tolist() == [0.0, 1.0, 1.0]
    assert table.known["unit.flags@2023"].tolist() == [False, True, True]
    assert table.units().tolist() == [-1, 0, 0]


def test_a_units_award_read_by_its_individuals_needs_the_unit() -> None:
    campaign = _unit_plan({"award": "bk_tt", "of": "unit"})
    doc = {
        "candidates": [
            {"id": "s1", "name": "Sở", "kind": "collective", "unit_type": "so"},
            {"id": "p1", "name": "Người", "kind": "individual", "unit_id": "s2"},
        ]
    }
    with pytest.raises(InputError, match=r"a criterion reads the unit \(par, award 'bk_tt'\)"):
        evaluate(campaign, doc)


def test_report_mode_refuses_a_collective_whose_member_was_refused_when_members_count() -> None:
    from conftest import mini_plan

    plan = mini_plan()
    plan["criteria"].append(
        {
            "id": "c.members",
            "label": "Đa số thành viên xuất sắc",
            "kind": "collective",
            "rule": {
                "members": {"fact": "excellent", "op": "==", "value": True},
                "measure": "share",
                "op": ">=",
                "value": 50,
            },
            "citation": {"source": "kh", "clause": "x"},
        }
    )
    campaign = campaign_from_mapping(plan)
    doc = {
        "candidates": [
            {"id": "s1", "name": "Sở 1", "kind": "collective", "unit_type": "so"},
            {"id": "s2", "name": "Sở 2", "kind": "collective", "unit_type": "so"},
            {
                "id": "p1",
                "name": "A",
                "kind": "individual",
                "unit_id": "s1",
                "facts": {"excellent": "yes"},
            },
            {
                "id": "p2",
                "name": "B",
                "kind": "individual",
                "unit_id": "s2",
                "facts": {"excellent": True},
            },
        ]
    }
    result = evaluate(campaign, doc, on_invalid="report")
    assert [r.id for r in result.rejected] == ["s1", "p1"]
    why = result.rejected[0].problems[0]
    assert "its member 'p1' was refused, and a criterion counts the members" in why.rule
    assert [c.id for c in result.inputs] == ["s2", "p2"]


def test_the_input_schema_accepts_the_sample_and_refuses_what_evaluate_refuses(
    law: Campaign, sample: dict[str, Any]
) -> None:
    import jsonschema

    from emulation_rules.inputs.schema import input_schema

    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(input_schema(law), format_checker=checker)
    assert not list(validator.iter_errors(sample))
    published = {"value": {"2023": ["SK-1"]}, "source": "QĐ 1", "published": "2024-01-10"}
    for fact_id, value, fits in (
        ("recruited_on", "2015-03-01", True),
        ("recruited_on", "1/3/2015", False),  # JSON dates are ISO
        ("initiatives", {"2023": ["SK-1"], "2024": None}, True),
        ("initiatives", {"2030": ["SK-1"]}, False),  # outside the series' years
        ("initiatives", {"2023": "SK-1"}, False),  # a list of ids
        ("initiatives", published, True),
        ("initiatives", {**published, "year": 2023}, False),  # a series names its years
    ):
        document = json.loads(json.dumps(sample))
        document["candidates"][2]["facts"][fact_id] = value
        valid = not list(validator.iter_errors(document))
        assert valid is fits, (fact_id, value)
        try:
            evaluate(law, document)
            evaluated = True
        except InputError:
            evaluated = False
        assert evaluated is fits, (fact_id, value)
