"""The evaluating commands: ``evaluate`` and ``explain``."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import BinaryIO

import click

from emulation_rules.cli.common import (
    RunOptions,
    fail,
    friendly,
    run_evaluation,
    with_common_options,
)
from emulation_rules.cli.output import (
    LANG_OPTION,
    OUTPUT_OPTION,
    emit,
    suffix_format,
    to_stdout,
    versions,
)
from emulation_rules.outputs.csvfile import write_csv
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import render
from emulation_rules.outputs.workbook import write_workbook
from emulation_rules.text import nfc

#: the format a file name asks for when --format is not given
SUFFIX_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


@click.command("evaluate")
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@with_common_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "xlsx"]),
    help="default: by the suffix of -o (.xlsx, .csv, .json), else table",
)
@LANG_OPTION
@click.option(
    "--bom/--no-bom",
    default=None,
    help="CSV: put a UTF-8 byte-order mark first, for Excel (default: on for -o FILE.csv, "
    "off on standard output)",
)
@click.option(
    "--verbose-citations",
    is_flag=True,
    help="JSON: each verdict with its citation inline, as before the citations table "
    "(kept for one release)",
)
@OUTPUT_OPTION
@friendly
def evaluate_cmd(
    campaign: str,
    input_path: str,
    run: RunOptions,
    fmt: str | None,
    lang: str,
    bom: bool | None,
    verbose_citations: bool,
    output: str | None,
) -> None:
    """Evaluate INPUT (JSON, CSV, XLSX or Parquet; - for stdin) against CAMPAIGN.

    With --on-invalid report the exit status is 3 when some candidates were refused (the
    output, with its 'rejected' section, is still written)."""
    stdout = to_stdout(output)
    fmt = fmt or suffix_format(output, SUFFIX_FORMATS) or "table"
    result = run_evaluation(campaign, input_path, run)
    data: str | bytes | Callable[[BinaryIO], None]
    if fmt == "xlsx":
        data = write_workbook(result, lang=lang, versions=versions())
    elif fmt == "csv":  # streamed from the result's arrays, a chunk of rows at a time
        with_bom = (not stdout) if bom is None else bom
        data = functools.partial(write_csv, result, bom=with_bom)
    elif fmt == "json":
        data = functools.partial(result.write_json, verbose_citations=verbose_citations)
    else:
        data = render(result, fmt, lang=lang, verbose_citations=verbose_citations)
    emit(output, data, what="the workbook")
    if result.rejected:
        sys.exit(3)


@click.command()
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@click.argument("candidate_id")
@with_common_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "docx"]),
    help="text (default), or a letter: md (Markdown) or docx (Word; default with -o FILE.docx)",
)
@LANG_OPTION
@OUTPUT_OPTION
@friendly
def explain(
    campaign: str,
    input_path: str,
    candidate_id: str,
    run: RunOptions,
    fmt: str | None,
    lang: str,
    output: str | None,
) -> None:
    """Explain one candidate: every criterion with the value seen, the value required and the
    legal citation, then its award eligibility and place in the allocation. --format md|docx
    writes it as a short letter to the candidate."""
    to_stdout(output)
    fmt = fmt or suffix_format(output, {".docx": "docx", ".md": "md"}) or "text"
    result = run_evaluation(campaign, input_path, run)
    candidate_id = nfc(candidate_id.strip())
    try:
        candidate = result.candidate(candidate_id)
    except KeyError:
        fail(f"no candidate '{candidate_id}' in {input_path}")
    if fmt == "text":
        emit(output, render_explanation(result, candidate, lang=lang))
    else:
        emit(output, render_letter(result, candidate, fmt, lang=lang), what="the letter")
