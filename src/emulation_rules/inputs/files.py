"""Reading candidate input from JSON or CSV files (or standard input).

JSON is the input document of ``design.md``. CSV carries the same fields as columns: ``id``,
``name``, ``kind``, ``unit_type``, ``unit_id``, one column per fact (named by the fact id,
optionally prefixed ``facts.``; an empty cell is a missing fact) and one per candidate attribute
the plan declares (``attributes.<id>``; an empty cell gives none). CSV cells are text, so they are
parsed by the fact's declared type (pydantic's lax mode: for booleans ``true``/``false``,
``1``/``0``, ``yes``/``no``, ``on``/``off``, in any case).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

from emulation_rules.errors import InputError
from emulation_rules.inputs.candidates import ValidatedInput, parse_document, validate_input
from emulation_rules.plan.campaign import Campaign

BASE_COLUMNS = ("id", "name", "kind", "unit_type", "unit_id")


def read_text(source: str | Path) -> tuple[str, str]:
    """(text, label) of a file path, or of standard input for ``-``."""
    if str(source) == "-":
        return sys.stdin.read(), "<stdin>"
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def detect_format(source: str | Path, text: str) -> str:
    suffix = Path(str(source)).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    return "json" if text.lstrip().startswith(("{", "[")) else "csv"


def load_input(
    campaign: Campaign, source: str | Path, *, fmt: str | None = None
) -> tuple[dt.date | None, ValidatedInput]:
    """Read and validate a candidate file; returns (the document's as_of, validated input)."""
    text, label = read_text(source)
    if not text.strip():
        raise InputError(f"{label}: the file is empty")
    kind = fmt or detect_format(source, text)
    if kind == "json":
        return _load_json(campaign, text, label)
    if kind == "csv":
        return None, _load_csv(campaign, text, label)
    raise InputError(f"{label}: unknown input format '{kind}' (json or csv)")


def parse_json(text: str, label: str) -> Any:
    """Parse JSON text; a syntax error names the file, the line and the column."""
    if not text.strip():
        raise InputError(f"{label}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _load_json(campaign: Campaign, text: str, label: str) -> tuple[dt.date | None, ValidatedInput]:
    document = parse_document(parse_json(text, label), origin=label)
    where = [f"{label}: candidates[{i}]" for i in range(len(document.candidates))]
    return document.as_of, validate_input(campaign, document.candidates, where=where)


def _load_csv(campaign: Campaign, text: str, label: str) -> ValidatedInput:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(f"{label}: malformed CSV at line {reader.line_num}: {exc}") from None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ("id", "name", "kind") if c not in header]
    if missing:
        raise InputError(f"{label}: row 1 (header): missing column(s) {', '.join(missing)}")
    declared = {f.id for f in campaign.facts}
    attributes = {a.id for a in campaign.candidate_attributes}
    columns: list[tuple[str, str]] = []
    for name in header:
        fact = name.removeprefix("facts.")
        if name in BASE_COLUMNS:
            columns.append(("base", name))
        elif fact in declared:
            columns.append(("fact", fact))
        elif name.startswith("attributes.") and name.removeprefix("attributes.") in attributes:
            columns.append(("attribute", name.removeprefix("attributes.")))
        else:
            also = ", a candidate attribute (attributes.<id>)" if attributes else ""
            raise InputError(
                f"{label}: row 1 (header): column '{name}' is neither a candidate field "
                f"({', '.join(BASE_COLUMNS)}){also} nor a fact of {campaign.id}"
            )
    if len(set(header)) != len(header):
        raise InputError(f"{label}: row 1 (header): a column name is repeated")
    candidates: list[dict[str, Any]] = []
    where: list[str] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(f"{label}: row {line}: {len(row)} cells for {len(header)} columns")
        cand: dict[str, Any] = {"facts": {}}
        for (what, name), cell in zip(columns, row, strict=True):
            value = cell.strip()
            if not value:
                continue
            if what == "base":
                cand[name] = value
            elif what == "attribute":
                cand.setdefault("attributes", {})[name] = value
            else:
                cand["facts"][name] = value
        candidates.append(cand)
        where.append(f"{label}: row {line}")
    if not candidates:
        raise InputError(f"{label}: no candidate rows under the header")
    return validate_input(campaign, candidates, where=where, strict=False)
