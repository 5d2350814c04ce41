"""Reading candidate input from files (or standard input): JSON, CSV, XLSX, Parquet.

The format is given (``fmt``) or taken from the suffix (``.json``, ``.csv``, ``.xlsx``,
``.parquet``), else sniffed from the first bytes (a ZIP archive is XLSX, ``PAR1`` Parquet, ``{``
or ``[`` JSON, anything else CSV). Text is UTF-8 whatever the system's locale: a UTF-8
byte-order mark is dropped, UTF-16 with its byte-order mark is decoded, anything else that is not
UTF-8 is refused naming the byte. Every reader produces raw columns that :mod:`.validate`
checks; the limits of :mod:`emulation_rules.limits` apply (size, candidates, depth, digits,
string length).
"""

from __future__ import annotations

import codecs
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from emulation_rules.errors import InputError, InputTooLarge
from emulation_rules.inputs.candidates import read_document
from emulation_rules.inputs.jsontext import parse_json
from emulation_rules.inputs.locale import Locale, get_locale
from emulation_rules.inputs.tables import read_csv, read_parquet
from emulation_rules.inputs.validate import OnInvalid, validate_raw
from emulation_rules.inputs.validated import ValidatedInput
from emulation_rules.inputs.xlsx import read_xlsx
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Campaign

__all__ = [
    "FORMATS",
    "decode_text",
    "detect_format",
    "load_input",
    "parse_json",
    "read_bytes",
    "read_input",
    "read_text",
]

FORMATS = ("json", "csv", "xlsx", "parquet")


def read_bytes(source: str | Path, limits: Limits | None = None) -> tuple[bytes, str]:
    """(bytes, label) of a file path, or of standard input for ``-``; refused past
    ``max_document_bytes`` without reading further."""
    limits = limits or Limits()
    cap = limits.max_document_bytes
    if str(source) == "-":
        data = sys.stdin.buffer.read(cap + 1)
        label = "<stdin>"
    else:
        path = Path(source)
        label = str(path)
        try:
            with path.open("rb") as handle:
                data = handle.read(cap + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory, not a file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > cap:
        raise InputTooLarge(
            f"{label}: larger than max_document_bytes ({cap:,} bytes); raise it in "
            "EMULATION_RULES_LIMITS if this is meant"
        )
    return data, label


def decode_text(data: bytes, label: str) -> tuple[str, bytes]:
    """(text, UTF-8 bytes without a BOM): UTF-8, or UTF-16 announced by its byte-order mark."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{label}: broken UTF-16 text ({exc.reason})") from None
        return text, text.encode("utf-8")
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        hint = (
            " — it looks like UTF-16 without a byte-order mark: save it as UTF-8"
            if data[:200].count(0) > 20
            else ": save it as UTF-8"
        )
        raise InputError(
            f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start}){hint}"
        ) from None


def read_text(source: str | Path, limits: Limits | None = None) -> tuple[str, str]:
    """(text, label) of a file path, or of standard input for ``-`` (UTF-8, see above)."""
    data, label = read_bytes(source, limits)
    text, _ = decode_text(data, label)
    return text, label


def detect_format(source: str | Path, data: bytes | str) -> str:
    suffix = Path(str(source)).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    head = data[:8] if isinstance(data, bytes) else data[:8].encode()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    return "json" if text.startswith((b"{", b"[")) else "csv"


def load_input(
    campaign: Campaign,
    source: str | Path,
    *,
    fmt: str | None = None,
    locale: str | Locale | None = None,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> tuple[dt.date | None, ValidatedInput]:
    """Read and validate a candidate file; returns (the document's as_of, validated input).

    ``locale`` says how text cells of CSV and XLSX write numbers, yes/no and dates (Vietnamese
    by default; JSON is typed and strict). ``on_invalid="report"`` sets refused candidates
    aside instead of refusing the input (see :func:`~emulation_rules.inputs.validate.validate_raw`).
    """
    limits = limits or Limits()
    data, label = read_bytes(source, limits)
    return read_input(
        campaign,
        data,
        label,
        fmt=fmt,
        locale=locale,
        on_invalid=on_invalid,
        limits=limits,
    )


def read_input(
    campaign: Campaign,
    data: bytes,
    label: str,
    *,
    fmt: str | None = None,
    locale: str | Locale | None = None,
    on_invalid: OnInvalid = "refuse",
    limits: Limits | None = None,
) -> tuple[dt.date | None, ValidatedInput]:
    """:func:`load_input` on bytes already read (an HTTP request body, an upload): ``label``
    names them in messages, and its suffix (``form.xlsx``) gives the format when ``fmt`` is
    not given, as a file name's does; else the format is sniffed from the bytes."""
    limits = limits or Limits()
    loc = get_locale(locale)
    if len(data) > limits.max_document_bytes:
        raise InputTooLarge(
            f"{label}: larger than max_document_bytes ({limits.max_document_bytes:,} bytes)"
        )
    if not data.strip():
        raise InputError(f"{label}: the file is empty")
    kind = fmt or detect_format(label, data)
    if fmt is None and kind == "csv" and Path(label).suffix.lower() != ".csv":
        kind = detect_format("", decode_text(data, label)[0])  # UTF-16 JSON on stdin
    as_of: dt.date | None = None
    raw: Any
    if kind == "json":
        text, clean = decode_text(data, label)
        document = parse_json(clean, label, limits)
        as_of, raw = read_document(campaign, document, origin=label)
    elif kind == "csv":
        text, clean = decode_text(data, label)
        if not text.strip():
            raise InputError(f"{label}: the file is empty")
        raw = read_csv(campaign, text, clean, label, loc)
    elif kind == "xlsx":
        raw = read_xlsx(campaign, data, label, loc)
    elif kind == "parquet":
        raw = read_parquet(campaign, data, label, loc)
    else:
        raise InputError(f"{label}: unknown input format '{kind}' (one of {', '.join(FORMATS)})")
    return as_of, validate_raw(campaign, raw, on_invalid=on_invalid, limits=limits)
