"""Regression tests for what the fuzz suite (tests/fuzz) found in the command line, each named
after the finding."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from emulation_rules.cli import main

CAMPAIGN = "an_giang.papi_2021"


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.json"
    path.write_bytes(CliRunner().invoke(main, ["sample", CAMPAIGN]).stdout_bytes)
    return path


def test_a_parameter_overridden_twice_is_refused_not_the_last_kept(tmp_path: Path) -> None:
    sample = _sample(tmp_path)
    for second in ("1", "5", " 5 "):
        result = CliRunner().invoke(
            main,
            [
                *("evaluate", CAMPAIGN, str(sample), "--format", "json"),
                *("--override", "quota_collectives=5"),
                *("--override", f"quota_collectives ={second}"),
            ],
        )
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"error: override 'quota_collectives': given twice ('5' and '{second.strip()}'); "
            "give each parameter once"
        ]
    once = CliRunner().invoke(
        main,
        [
            *("evaluate", CAMPAIGN, str(sample), "--format", "json"),
            *("--override", "quota_collectives=1", "--override", "quota_individuals=1"),
        ],
    )
    assert once.exit_code == 0, once.output
    assert json.loads(once.stdout)["parameters"]["quota_collectives"] == 1
