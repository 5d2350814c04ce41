"""The lean output document: every citation once, in a top-level table that each verdict names
by its criterion id; --verbose-citations keeps the inline form; both fit the schema, a mix of
the two does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from emulation_rules import Registry, evaluate
from emulation_rules.cli import main
from emulation_rules.outputs.schema import output_schema

CAMPAIGN = "an_giang.papi_2021"


def _validate(document: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.validate(
        document, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_citations_once_and_verdicts_refer_to_them(registry: Registry) -> None:
    campaign = registry.campaign(CAMPAIGN)
    result = evaluate(campaign, registry.entry(CAMPAIGN).sample_document(), registry=registry)
    lean = result.to_dict()
    verbose = result.to_dict(verbose_citations=True)
    assert list(lean["citations"]) == [c.id for c in campaign.criteria]
    assert "citations" not in verbose
    for c_lean, c_verbose in zip(lean["candidates"], verbose["candidates"], strict=True):
        for v_lean, v_verbose in zip(c_lean["criteria"], c_verbose["criteria"], strict=True):
            assert v_lean["citation"] == v_lean["id"]
            assert lean["citations"][v_lean["citation"]] == v_verbose["citation"]
    # the same document otherwise
    for key in ("campaign", "as_of", "fingerprint", "parameters", "allocations"):
        assert lean[key] == verbose[key]
    # a single candidate on its own keeps its citations inline
    assert isinstance(result.candidates[0].to_dict()["criteria"][0]["citation"], dict)
    lean_size = len(result.to_json().encode())
    verbose_size = len(result.to_json(verbose_citations=True).encode())
    assert lean_size < verbose_size * 0.6, (lean_size, verbose_size)


@pytest.mark.parametrize("verbose", [False, True])
def test_both_forms_fit_the_schema_and_a_mix_does_not(registry: Registry, verbose: bool) -> None:
    campaign = registry.campaign(CAMPAIGN)
    result = evaluate(campaign, registry.entry(CAMPAIGN).sample_document(), registry=registry)
    document = json.loads(result.to_json(verbose_citations=verbose))
    for schema in (output_schema(), output_schema(campaign)):
        _validate(document, schema)
    mixed = json.loads(json.dumps(document))
    if verbose:
        mixed["citations"] = result.citations()  # a table, yet inline citations
    else:
        mixed["candidates"][0]["criteria"][0]["citation"] = {"document": "x"}
    with pytest.raises(jsonschema.ValidationError):
        _validate(mixed, output_schema())
    if not verbose:  # a verdict naming a criterion the campaign does not have
        stray = json.loads(json.dumps(document))
        stray["candidates"][0]["criteria"][0]["citation"] = "no.such.criterion"
        with pytest.raises(jsonschema.ValidationError):
            _validate(stray, output_schema(campaign))


def test_the_cli_flag_keeps_the_inline_form(tmp_path: Path) -> None:
    sample = tmp_path / "s.json"
    sample.write_text(CliRunner().invoke(main, ["sample", CAMPAIGN]).output, encoding="utf-8")
    base = ["evaluate", CAMPAIGN, str(sample), "--format", "json"]
    lean = json.loads(CliRunner().invoke(main, base).stdout)
    verbose = json.loads(CliRunner().invoke(main, [*base, "--verbose-citations"]).stdout)
    assert isinstance(lean["candidates"][0]["criteria"][0]["citation"], str)
    assert isinstance(verbose["candidates"][0]["criteria"][0]["citation"], dict)
