"""What a request to evaluate carries: the input (a JSON body, a CSV or XLSX file, raw or as a
form upload) and the options (``as_of``, overrides, engine, locale, what to do with invalid
candidates), checked all at once into problems naming the parameter.

Nothing here touches the server's files: an uploaded file's name only labels its problems and,
by its suffix, says its format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Literal

import attrs
from starlette.datastructures import UploadFile
from starlette.requests import Request

from emulation_rules.errors import Problem, shorten
from emulation_rules.inputs.candidates import parse_as_of
from emulation_rules.inputs.files import FORMATS
from emulation_rules.inputs.locale import LOCALES
from emulation_rules.service.problems import ServiceProblem
from emulation_rules.text import nfc

#: the body's media type -> the input format (None: sniffed from the bytes)
MEDIA_FORMATS: dict[str, str | None] = {
    "application/json": "json",
    "text/csv": "csv",
    "application/csv": "csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.apache.parquet": "parquet",
    "application/octet-stream": None,
}
FORM_MEDIA = "multipart/form-data"
#: the form field that carries the uploaded file
FILE_FIELD = "file"
#: the query (or form) parameters of the evaluating endpoints
OPTION_NAMES = ("as_of", "override", "engine", "locale", "on_invalid", "input_format")


@attrs.frozen
class Upload:
    """The input as received: its bytes, its format if the request said it, a label."""

    data: bytes
    fmt: str | None
    label: str


@attrs.frozen
class Options:
    """How to evaluate (the command line's options, as query or form parameters)."""

    as_of: dt.date | None = None
    overrides: Mapping[str, str] = attrs.field(factory=dict)
    engine: Literal["both", "columnar"] = "both"
    locale: str = "vi"
    on_invalid: Literal["refuse", "report"] = "refuse"
    input_format: str | None = None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_options(params: Iterable[tuple[str, str]], *, where: str = "query") -> Options:
    """Options from ``(name, value)`` pairs; every bad one reported at once (400)."""
    problems: list[Problem] = []
    values: dict[str, list[str]] = {}
    for name, value in params:
        values.setdefault(name, []).append(nfc(value.strip()))

    def one(name: str) -> str | None:
        given = values.get(name, [])
        if len(given) > 1:
            problems.append(Problem(where, f"parameter '{name}'", "give it once"))
        return given[0] if given and given[0] != "" else None

    def choice(name: str, allowed: tuple[str, ...], default: str) -> str:
        value = one(name)
        if value is None:
            return default
        if value not in allowed:
            problems.append(
                Problem(
                    where, f"parameter '{name}'", f"one of {', '.join(allowed)}", shorten(value)
                )
            )
            return default
        return value

    as_of: dt.date | None = None
    text = one("as_of")
    if text is not None:
        day = parse_as_of(text)
        if isinstance(day, str):
            problems.append(Problem(where, "parameter 'as_of'", day, shorten(text)))
        else:
            as_of = day
    overrides: dict[str, str] = {}
    for pair in values.get("override", []):
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            problems.append(
                Problem(
                    where,
                    "parameter 'override'",
                    "PARAMETER=VALUE, as in override=quota_collectives=3",
                    shorten(pair),
                )
            )
        elif key.strip() in overrides:
            problems.append(
                Problem(
                    where,
                    "parameter 'override'",
                    f"parameter '{key.strip()}' is overridden twice",
                )
            )
        else:
            overrides[key.strip()] = value.strip()
    engine = choice("engine", ("both", "columnar"), "both")
    locale = choice("locale", tuple(LOCALES), "vi")
    on_invalid = choice("on_invalid", ("refuse", "report"), "refuse")
    fmt = one("input_format")
    if fmt is not None and fmt not in FORMATS:
        problems.append(
            Problem(where, "parameter 'input_format'", f"one of {', '.join(FORMATS)}", shorten(fmt))
        )
        fmt = None
    if problems:
        raise ServiceProblem("bad-input", _count(problems, "parameter"), problems)
    return Options(as_of, overrides, engine, locale, on_invalid, fmt)  # type: ignore[arg-type]


async def read_upload(request: Request) -> tuple[Upload, Options]:
    """The input and the options of an evaluating request.

    The body is the input document (``application/json``), a file (``text/csv``, the XLSX
    media type, ``application/vnd.apache.parquet``, or ``application/octet-stream`` to have it
    sniffed), or a form (``multipart/form-data``) with the file in the field ``file`` and the
    options as fields. Options also come from the query string; one given twice is refused.
    """
    kind = media_type(request)
    query = list(request.query_params.multi_items())
    if kind == FORM_MEDIA:
        async with request.form(max_files=1, max_fields=len(OPTION_NAMES) + 8) as form:
            upload = form.get(FILE_FIELD)
            fields = [
                (k, v) for k, v in form.multi_items() if k != FILE_FIELD and isinstance(v, str)
            ]
            unknown = sorted({k for k, _ in fields} - set(OPTION_NAMES))
            if unknown:
                raise ServiceProblem(
                    "bad-input",
                    f"unknown form field(s): {', '.join(unknown)}",
                    [Problem("form", f"field '{k}'", "not a field of this form") for k in unknown],
                )
            if not isinstance(upload, UploadFile):
                raise ServiceProblem(
                    "bad-input",
                    f"the form has no file in the field '{FILE_FIELD}'",
                    [Problem("form", f"field '{FILE_FIELD}'", "choose the file to evaluate")],
                )
            data = await upload.read()
            label = upload_label(upload.filename)
            declared = (upload.content_type or "").split(";")[0].strip().lower()
            options = parse_options(query + fields, where="query or form")
        fmt = options.input_format or _format_of_file(label, declared)
        return Upload(data, fmt, label), options
    options = parse_options(query)
    if kind and kind not in MEDIA_FORMATS and not kind.endswith("+json"):
        raise ServiceProblem(
            "unsupported-media-type",
            f"a body of type '{kind[:80]}' is not read here: send the input document as "
            "application/json, a file as text/csv, "
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, "
            "application/vnd.apache.parquet or application/octet-stream, or a form "
            f"(multipart/form-data) with the file in the field '{FILE_FIELD}'",
        )
    fmt = options.input_format or ("json" if kind.endswith("+json") else MEDIA_FORMATS.get(kind))
    data = await request.body()
    return Upload(data, fmt, "request body"), options


def upload_label(filename: str | None) -> str:
    """An uploaded file's name as a label: its last part only, no control characters, NFC,
    at most 100 characters (it is never used as a path)."""
    if not filename:
        return "uploaded file"
    name = PureWindowsPath(PurePosixPath(filename).name).name
    name = "".join(ch for ch in nfc(name) if ch.isprintable()).strip()[:100]
    return name or "uploaded file"


def _format_of_file(label: str, declared: str) -> str | None:
    suffix = PurePosixPath(label).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    return MEDIA_FORMATS.get(declared)


def _count(problems: list[Problem], what: str) -> str:
    if len(problems) == 1:
        return str(problems[0])
    return f"{len(problems)} problems with the {what}s (each is listed in 'problems')"


def query_problems(errors: Iterable[Mapping[str, Any]]) -> ServiceProblem:
    """FastAPI's validation errors of path or query parameters as one 400 problem document."""
    problems = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        place = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or place
        problems.append(
            Problem(
                place,
                f"parameter '{name}'",
                str(err.get("msg", "invalid")),
                shorten(err.get("input")) if "input" in err else None,
            )
        )
    return ServiceProblem("bad-input", _count(problems, "parameter"), problems)
