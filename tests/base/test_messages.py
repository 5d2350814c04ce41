"""The message catalogue: every sentence of the code has its Vietnamese translation, with the
same placeholders; numbers and dates in each language's form."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from emulation_rules.messages import (
    LANGUAGES,
    UnknownLanguage,
    catalogue_path,
    messages,
)

SOURCE = Path(__file__).resolve().parents[2] / "src" / "emulation_rules"
#: the keywords of ``make messages`` (Messages._, ._p, ._n)
KEYWORDS = {"_": None, "_p": ((1, "c"), 2), "_n": (1, 2)}


def _used() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(SOURCE), keywords=KEYWORDS, comment_tags=()
    ):
        msgid = message[0] if isinstance(message, tuple | list) else message
        found.add((context, msgid))
    return found


def _catalogue(lang: str) -> dict[tuple[str | None, str], tuple[str, ...]]:
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    out: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for m in catalog:
        if not m.id:
            continue
        msgid = m.id[0] if isinstance(m.id, tuple | list) else m.id
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        out[(m.context, msgid)] = tuple(strings)
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_of_the_code_is_translated_and_none_is_stale() -> None:
    used = _used()
    assert len(used) > 150  # the extraction found the writers' messages
    vi = _catalogue("vi")
    missing = sorted(k for k in used if not any(vi.get(k, ())))
    assert not missing, f"untranslated (run make messages, then translate): {missing}"
    stale = sorted(k for k in vi if k not in used)
    assert not stale, f"no longer used (run make messages): {stale}"


def test_translations_keep_the_placeholders() -> None:
    with catalogue_path("vi").open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        wanted = _fields(ids[0])
        for s in strings:
            assert _fields(s) == wanted, (m.id, s)


def test_numbers_and_dates_in_each_language() -> None:
    vi, en = messages("vi"), messages("en")
    assert vi.number(99.95) == "99,95" and en.number(99.95) == "99.95"
    assert vi.number(1234.5) == "1.234,5" and vi.number(7.0) == "7" and vi.number(None) == "—"
    day = dt.date(2021, 6, 21)
    assert vi.date(day) == "21/6/2021" and en.date(day) == "2021-06-21"
    assert vi.long_date(day) == "ngày 21 tháng 6 năm 2021"
    assert vi.iso_date("2023-04-12") == "12/4/2023" and vi.iso_date(None) == "—"


def test_the_fast_vietnamese_numbers_are_babels() -> None:
    from babel.numbers import format_decimal

    vi = messages("vi")
    values = [0, 7, -7, 12, 999, 1000, -1234, 1234567, 99.95, 5.51, -0.5, 0.1 + 0.2, 1234.5678,
              102.5, 1e15 + 0.5, 123456789.125, 1e20, 2.5e-7, 10**18]  # fmt: skip
    for value in values:
        expected = format_decimal(value, locale="vi", decimal_quantization=False)
        if isinstance(value, float) and value.is_integer():
            expected = format_decimal(int(value), locale="vi")
        assert vi.number(value) == expected, value


def test_words_differ_by_context_and_plural() -> None:
    vi, en = messages("vi"), messages("en")
    assert vi._p("verdict", "met") == "đạt" and en._p("verdict", "met") == "met"
    assert vi._p("allocation", "awarded") != vi._p("allocation", "provisional")
    assert en._n("{n} document", "{n} documents", 1) == "{n} document"
    assert en._n("{n} document", "{n} documents", 2) == "{n} documents"
    assert vi._n("{n} document", "{n} documents", 2) == "{n} văn bản"
    # a message with no translation falls back to the English source text
    assert vi._("a sentence nobody translated") == "a sentence nobody translated"


def test_an_unknown_language_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownLanguage, match="languages: vi, en"):
        messages("fr")
    assert set(LANGUAGES) == {"vi", "en"}


def test_the_catalogue_is_plain_po_shipped_in_the_package() -> None:
    text = catalogue_path("vi").read_text(encoding="utf-8")
    assert re.search(r'"Plural-Forms: nplurals=1; plural=0;\\n"', text)
    assert catalogue_path("vi").is_relative_to(SOURCE)  # inside the package: it ships
