"""How a text cell writes a value, declared per input (``--locale``): never guessed.

Spreadsheets and CSV files copy figures as they are printed. In Vietnamese (``vi``, the default
for CSV and XLSX) a comma marks decimals and a dot groups thousands: ``99,95`` is 99.95 and
``1.234`` is one thousand two hundred thirty-four; ``1.23`` is neither a grouping nor a decimal
in that notation, so it is refused — one reading or an error, never both. In English (``en``)
the two marks swap roles. JSON is never read through a locale: its numbers are typed.

Yes/no words are compared case-folded: ``Có``/``Không``, ``Đạt``/``Không đạt``, ``x`` (a mark
for yes; an empty cell stays unknown, never "no"), and in every locale ``true``/``false``,
``1``/``0``, ``yes``/``no``. Dates are ``dd/mm/yyyy`` in Vietnamese, or ISO ``yyyy-mm-dd`` in
any locale. Digits are ASCII only (``٣`` or ``３`` are refused), and ``3_0`` is not a number.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

_TRUE = ("true", "1", "yes", "y", "t", "on")
_FALSE = ("false", "0", "no", "n", "f", "off")


@attrs.frozen
class Locale:
    """A notation for text cells: decimal mark, grouping mark, yes/no words, date order."""

    name: str
    label: str
    decimal: str
    group: str
    true_words: tuple[str, ...]
    false_words: tuple[str, ...]
    day_first_dates: bool

    @property
    def number_pattern(self) -> str:
        """A full-match regex (ASCII digits) for a number written in this notation."""
        g, d = re.escape(self.group), re.escape(self.decimal)
        return rf"^[+-]?(?:[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]+)(?:{d}[0-9]+)?$"

    @property
    def integer_pattern(self) -> str:
        g = re.escape(self.group)
        return rf"^[+-]?(?:[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]+)$"

    def example(self, value: float) -> str:
        text = f"{value:,.2f}".replace(",", "\0").replace(".", self.decimal)
        return text.replace("\0", self.group)

    def boolean(self, folded: str) -> bool | None:
        if folded in self.true_words:
            return True
        if folded in self.false_words:
            return False
        return None


LOCALES = {
    "vi": Locale(
        name="vi",
        label="Vietnamese (99,95; 1.234; Có/Không; dd/mm/yyyy)",
        decimal=",",
        group=".",
        true_words=("có", "đạt", "x", *_TRUE),
        false_words=("không", "không đạt", "chưa đạt", *_FALSE),
        day_first_dates=True,
    ),
    "en": Locale(
        name="en",
        label="English (99.95; 1,234; yes/no; yyyy-mm-dd)",
        decimal=".",
        group=",",
        true_words=("x", *_TRUE),
        false_words=_FALSE,
        day_first_dates=False,
    ),
}
DEFAULT_LOCALE = "vi"


def get_locale(name: str | Locale | None) -> Locale:
    from emulation_rules.errors import InputError

    if isinstance(name, Locale):
        return name
    key = (name or DEFAULT_LOCALE).strip().lower()
    if key not in LOCALES:
        raise InputError(f"locale '{name}': one of {', '.join(LOCALES)}")
    return LOCALES[key]


def fold(text: str) -> str:
    """Case, spacing and diacritics folded (``Hoàn Thành  tốt`` -> ``hoan thanh tot``)."""
    text = " ".join(text.split()).casefold()
    if text.isascii():
        return text
    text = text.replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_case(text: str) -> str:
    """Case and spacing folded, diacritics kept, NFC (for yes/no words)."""
    return unicodedata.normalize("NFC", " ".join(text.split()).casefold())
