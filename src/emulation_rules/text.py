"""Text normalisation: every Vietnamese string is NFC-normalised on the way in."""

from __future__ import annotations

import unicodedata
from typing import Any


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normal form C (composed diacritics, as the plans write them)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def nfc_deep(value: Any) -> Any:
    """NFC-normalise every string inside nested dicts and lists (keys included)."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc_deep(v) for v in value]
    return value
