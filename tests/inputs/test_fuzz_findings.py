"""Regression tests for what the fuzz suite (tests/fuzz, docs/fuzzing.md) found in the readers of
candidate input and the input schema, each named after the finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from emulation_rules import InputError, Registry, evaluate
from emulation_rules.cli import main
from emulation_rules.inputs.schema import input_schema

CAMPAIGN = "tien_giang.par_2023"


def _collective(year: int) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "id": "so-a",
                "name": "Sở A",
                "kind": "collective",
                "unit_type": "so_ban_nganh",
                "facts": {"appraised_total": {"value": 90, "year": year}},
            }
        ]
    }


def test_the_input_schema_admits_only_the_year_of_the_figure_the_plan_reads(
    registry: Registry,
) -> None:
    """A figure of 1900 for a fact the plan reads for 2023 was valid against the input schema
    (any year 1900-2200) and refused by the reader: a schema-valid document refused."""
    campaign = registry.campaign(CAMPAIGN)
    fact = campaign.fact("appraised_total")
    assert fact.year == 2023
    validator = Draft202012Validator(input_schema(campaign))
    assert not list(validator.iter_errors(_collective(2023)))
    evaluate(campaign, _collective(2023))
    assert list(validator.iter_errors(_collective(1900)))
    with pytest.raises(InputError, match="the plan reads the figure of 2023"):
        evaluate(campaign, _collective(1900))


def test_a_csv_column_with_values_but_no_header_is_refused_not_dropped(tmp_path: Path) -> None:
    """A CSV column with an empty header and values in it was skipped silently, with exit status
    0 (the XLSX reader refused it already)."""
    path = tmp_path / "d.csv"
    path.write_text(
        "id,name,kind,unit_type,,\nso-a,Sở A,collective,so_ban_nganh,,x\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["evaluate", "an_giang.papi_2021", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {path}: row 1 (header), column 6: a column with values has no header"
    ]
    # an empty column without a header (a spreadsheet's trailing separator) is still skipped
    path.write_text(
        "id,name,kind,unit_type,\nso-a,Sở A,collective,so_ban_nganh,\n", encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["evaluate", "an_giang.papi_2021", str(path)]).exit_code == 0


def _form_with_formula(tmp_path: Path, saved: str | None) -> Path:
    """An An Giang collective whose initiatives cell is the formula ``=4+5``, as a program writes
    it (no saved value) or, with ``saved``, as a spreadsheet saves it (the value beside it)."""
    import io
    import re
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tập thể"
    ws.append(["id", "name", "unit_type", "recognised_initiatives"])
    ws.append(["so-a", "Sở A", "so_ban_nganh", "=4+5"])
    raw = io.BytesIO()
    wb.save(raw)
    path = tmp_path / "form.xlsx"
    if saved is None:
        path.write_bytes(raw.getvalue())
        return path
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb"(<f>4\+5</f>)(<v\s*/>|<v></v>)?", rb"\1<v>" + saved.encode() + rb"</v>", data
                )
            dst.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


def test_a_formula_cell_with_no_saved_value_is_refused_not_read_as_empty(
    tmp_path: Path, registry: Registry
) -> None:
    """A formula written by a program (openpyxl writes text starting with '=' as a formula) has
    no saved value; python-calamine reads it as an empty cell, so the fact went missing without
    a word. It is refused by its cell; the same cell as a spreadsheet saves it reads its value."""
    campaign = registry.campaign("an_giang.papi_2021")
    path = _form_with_formula(tmp_path, None)
    result = CliRunner().invoke(main, ["evaluate", campaign.id, str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        f"error: {path}: Tập thể!D2: a formula with no saved value (the file was written by a "
        "program and never saved by a spreadsheet)" in result.stderr
    )
    saved = _form_with_formula(tmp_path, "9")
    from emulation_rules.inputs.files import load_input

    _, validated = load_input(campaign, saved)
    assert validated.table.known["recognised_initiatives"][0]
    assert validated.table.values["recognised_initiatives"][0] == 9


def test_a_huge_integer_given_for_a_date_in_python_is_refused_by_place() -> None:
    """Through the Python API (no JSON digit limit), 10**400 for a date fact crashed the
    validation with OverflowError (math.isfinite on a huge integer) instead of a problem."""
    from emulation_rules import load_registry

    campaign = load_registry().campaign("vn_law.danh_hieu_2024")
    person = {
        "id": "cb1",
        "name": "Cán bộ 1",
        "kind": "individual",
        "unit_id": "dv1",
        "facts": {"ngay_bat_dau_lam_viec": -(10**400)},
    }
    unit = {"id": "dv1", "name": "Đơn vị 1", "kind": "collective", "unit_type": "tap_the"}
    with pytest.raises(InputError) as caught:
        evaluate(campaign, {"candidates": [unit, person]})
    (problem,) = caught.value.problems
    assert problem.candidate == "cb1" and "ngay_bat_dau_lam_viec" in problem.field
    assert "a number (a timestamp?) is not a date" in problem.rule
