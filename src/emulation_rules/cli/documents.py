"""The commands that write documents for people: ``dossier`` (the Tờ trình and the list of
proposed awards, DOCX), ``dossier-template`` (its default layout, to edit) and ``diff`` (what
changed between two results)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from emulation_rules.cli.common import (
    RunOptions,
    fail,
    friendly,
    resolve_campaign,
    run_evaluation,
    with_common_options,
)
from emulation_rules.cli.output import LANG_OPTION, OUTPUT_OPTION, emit, versions
from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.diff import check_document, diff_documents
from emulation_rules.inputs.files import parse_json, read_text
from emulation_rules.outputs.diff import render_diff
from emulation_rules.outputs.dossier import DEFAULT_TEMPLATE, plugin_template, render_dossier


@click.command("dossier")
@click.argument("campaign")
@click.argument("input_path", metavar="INPUT")
@with_common_options
@LANG_OPTION
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True),
    help="a .docx layout with Jinja tags (default: to-trinh.docx beside the campaign's YAML, "
    "else the built-in Mẫu 01 layout)",
)
@click.option("--agency", help="the proposing body's name (default: a blank to fill in)")
@OUTPUT_OPTION
@friendly
def dossier_cmd(
    campaign: str,
    input_path: str,
    run: RunOptions,
    lang: str,
    template: str | None,
    agency: str | None,
    output: str | None,
) -> None:
    """Write the proposal dossier (DOCX) of CAMPAIGN on INPUT: the Tờ trình, the list of
    proposed collectives and individuals per form of award (Mẫu 01 of Nghị định
    98/2023/NĐ-CP), the seats the emulation council decides, the interpretations the list
    relies on, and a footer with as_of, the rules fingerprint and the versions."""
    if output is None:
        fail("--output: name the .docx file to write (e.g. -o to-trinh.docx)")
    result = run_evaluation(campaign, input_path, run)
    ctx = click.get_current_context()
    entry = ctx.meta.get("emulation_rules.entry")
    layout = Path(template) if template else plugin_template(entry.origin) if entry else None
    data = render_dossier(result, lang=lang, template=layout, versions=versions(), agency=agency)
    emit(output, data, what="the dossier")


@click.command("dossier-template")
@OUTPUT_OPTION
@friendly
def dossier_template_cmd(output: str | None) -> None:
    """Write the built-in dossier layout (DOCX with Jinja tags) to edit: a province changes
    the letterhead, wording or tables in Word and passes it back with `dossier --template`
    (or ships it as to-trinh.docx beside its campaign YAML)."""
    if output is None:
        fail("--output: name the .docx file to write (e.g. -o mau-to-trinh.docx)")
    emit(output, DEFAULT_TEMPLATE.read_bytes(), what="the template")


def _read_result(path: str) -> dict[str, object]:
    text, label = read_text(path)
    document = parse_json(text, label)
    checked = check_document(document, label)
    return dict(checked)


@click.command("diff")
@click.argument("before")
@click.argument("after")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@LANG_OPTION
@OUTPUT_OPTION
@friendly
def diff_cmd(before: str, after: str, fmt: str, lang: str, output: str | None) -> None:
    """What changed from BEFORE to AFTER, two results of one campaign (`evaluate --format
    json`): who changed eligibility or place, and the criteria, facts, parameters or quota
    behind each change."""
    if before == "-" and after == "-":
        fail("BEFORE and AFTER cannot both be standard output's '-'")
    old, new = _read_result(before), _read_result(after)
    diff = diff_documents(old, new)
    if fmt == "json":
        emit(output, json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    campaign = None
    try:
        entry, _ = resolve_campaign(diff.campaign)
        campaign = entry.campaign
    except EmulationRulesError:  # the labels are a nicety: ids when the campaign is absent
        campaign = None
    emit(output, render_diff(diff, lang=lang, campaign=campaign))
