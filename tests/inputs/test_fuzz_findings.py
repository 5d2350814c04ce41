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
