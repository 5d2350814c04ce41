"""What an answer is written as: the ``format`` parameter, else the ``Accept`` header.

An endpoint that answers in several forms lists them in order, the first the default
(:class:`Formats`). The client chooses with the ``format`` query parameter (or form field),
which wins, or with ``Accept`` (RFC 9110 §12.5.1: media ranges with quality values; parsed by
python-mimeparse). Between media types the client accepts equally, the endpoint's own order
decides (JSON first); ``*/*`` or no ``Accept`` gets the default. An ``Accept`` that admits none
of the endpoint's media types is a 406 problem document naming them and the ``format`` values;
an ``Accept`` that cannot be parsed is a 400.

A file answer (a workbook, a dossier, a letter) carries ``Content-Disposition: attachment``
with a file name (:func:`attachment`); every negotiated answer says ``Vary: Accept``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

import attrs
import mimeparse

from emulation_rules.errors import Problem, shorten
from emulation_rules.service.problems import ServiceProblem

JSON = "application/json"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
#: the charset of the text answers
TEXT_TYPES = frozenset({CSV, MARKDOWN, TEXT})


@attrs.frozen
class Formats:
    """The forms one endpoint answers in: ``format`` value -> media type, the default first."""

    media: Mapping[str, str]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.media)

    @property
    def default(self) -> str:
        return next(iter(self.media))

    def content_type(self, name: str) -> str:
        """The ``Content-Type`` of an answer in ``name`` (text in UTF-8)."""
        media = self.media[name]
        return f"{media}; charset=utf-8" if media in TEXT_TYPES else media

    def choose(self, given: str | None, accept: str | None) -> str:
        """The format to answer in: ``given`` (the checked ``format`` parameter), else the
        best of ``accept``, else the default."""
        if given is not None:
            return given
        if accept is None or not accept.strip():
            return self.default
        # mimeparse prefers the last of equally good candidates: the default goes last
        supported = list(self.media.values())[::-1]
        try:
            best = mimeparse.best_match(supported, accept)
        except (mimeparse.MimeTypeParseException, ValueError):
            problem = Problem(
                "request",
                "header 'Accept'",
                "media ranges such as 'application/json' or 'text/*;q=0.5', comma-separated",
                shorten(accept),
            )
            raise ServiceProblem("bad-input", str(problem), [problem]) from None
        if not best:
            wanted = ", ".join(f"{m} (format={n})" for n, m in self.media.items())
            problem = Problem("request", "header 'Accept'", f"one of {wanted}", shorten(accept))
            raise ServiceProblem(
                "not-acceptable",
                f"this endpoint answers {wanted}; the request's Accept admits none of them "
                "(leave Accept out, or give the format parameter)",
                [problem],
            )
        return next(name for name, media in self.media.items() if media == best)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_part(text: str, limit: int = 60) -> str:
    """``text`` as a part of a file name: letters, digits, ``.``, ``_`` and ``-`` only (any
    other run becomes ``-``), at most ``limit`` characters, never empty or only dots."""
    part = _UNSAFE.sub("-", text).strip("-.")[:limit].strip("-.")
    return part or "x"


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download named ``filename`` (RFC 6266: an ASCII fallback
    and the UTF-8 name)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


#: the answers of ``POST …/evaluate``: the output document, the CSV table, the result
#: workbook, the proposal dossier
EVALUATE = Formats({"json": JSON, "csv": CSV, "xlsx": XLSX, "docx": DOCX})
#: the answers of ``POST …/explain/{candidate}``: the explanation as data, the letter
EXPLAIN = Formats({"json": JSON, "md": MARKDOWN, "docx": DOCX})
#: the answers of ``POST /diff``: the diff as data, the report people read
DIFF = Formats({"json": JSON, "text": TEXT})
#: the endpoints that answer JSON only
JSON_ONLY = Formats({"json": JSON})
