"""Regression tests for what the fuzz suite (tests/fuzz, docs/fuzzing.md) found in the readers of
candidate input and the input schema, each named after the finding."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from emulation_rules import InputError, Registry, evaluate
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
