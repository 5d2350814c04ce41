"""Strict JSON for input documents (candidates and measures): no duplicate keys, bounded depth
and number length, one clear message for each refusal.

* A key given twice in one object is refused with the object's place and the key (the last one
  would otherwise win silently: a second ``"candidates"`` list, a fact given twice).
* Nesting deeper than ``max_json_depth`` is refused before the parser recurses into it (the
  document is scanned for brackets outside strings, with numpy, in chunks).
* A number written with more than ``max_number_digits`` digits is refused by the parser.
* ``NaN`` and ``Infinity`` are not JSON and are refused.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

import numpy as np

from emulation_rules.errors import InputError, InputTooLarge, shorten
from emulation_rules.limits import Limits


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


_STEP = np.zeros(256, dtype=np.int8)
_STEP[[91, 123]] = 1  # [ {
_STEP[[93, 125]] = -1  # ] }


def max_depth(data: bytes, stop_above: int | None = None) -> int:
    """The deepest nesting of ``[``/``{`` outside strings in JSON text (escapes honoured).

    Works on the positions of quotes and brackets only (numpy), so it costs a fraction of
    parsing: a quote preceded by an odd run of backslashes is escaped; a bracket after an odd
    number of real quotes is inside a string."""
    del stop_above
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == 34)
    if len(quotes) and data.find(b"\\") >= 0:
        maybe = np.intersect1d(np.flatnonzero(b == 92) + 1, quotes)
        escaped = []
        for p in maybe.tolist():
            run = 0
            while p - run - 1 >= 0 and data[p - run - 1] == 92:
                run += 1
            if run % 2:
                escaped.append(p)
        if escaped:
            quotes = np.setdiff1d(quotes, np.asarray(escaped, dtype=quotes.dtype))
    steps = _STEP[b]
    brackets = np.flatnonzero(steps)
    if len(quotes):
        brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]
    if not len(brackets):
        return 0
    return int(np.cumsum(steps[brackets], dtype=np.int64).max())


def parse_json(text: str | bytes, label: str, limits: Limits | None = None) -> Any:
    """Parse JSON text; a syntax error names the file, the line and the column."""
    limits = limits or Limits()
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data.strip():
        raise InputError(f"{label}: the file is empty")
    if len(data) > limits.max_document_bytes:
        raise InputTooLarge(
            f"{label}: {len(data):,} bytes is more than max_document_bytes "
            f"({limits.max_document_bytes:,})"
        )
    if max_depth(data, limits.max_json_depth) > limits.max_json_depth:
        raise InputError(
            f"{label}: JSON nested deeper than max_json_depth ({limits.max_json_depth} levels)"
        )
    digits = limits.max_number_digits

    def integer(s: str) -> int:
        if len(s) - s.startswith("-") > digits:
            raise _Refused(
                f"a number of {len(s.lstrip('-')):,} digits (more than max_number_digits, "
                f"{digits}): {shorten(s, 20)}"
            )
        return int(s)

    def number(s: str) -> float:
        # the digits of the mantissa and of the exponent (not the sign, point or 'e')
        if len(s) > digits and sum(ch.isdigit() for ch in s) > digits:
            raise _Refused(
                f"a number of {sum(ch.isdigit() for ch in s):,} digits (more than "
                f"max_number_digits, {digits}): {shorten(s, 20)}"
            )
        return float(s)

    def constant(s: str) -> Any:
        raise _Refused(f"{s} is not a JSON number (a number is finite)")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            raise _Duplicate()
        return out

    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=pairs,
            parse_int=integer,
            parse_float=number,
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except _Duplicate:
        raise InputError(f"{label}: {_find_duplicate(data)}") from None
    except _Refused as exc:
        raise InputError(f"{label}: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"{label}: cannot read this JSON ({shorten(str(exc), 80)})") from None


class _Duplicate(Exception):
    pass


class _Pairs(list[tuple[str, Any]]):
    """An object kept as its list of pairs, to find a duplicate key and its place."""


def _find_duplicate(data: bytes) -> str:
    tree = json.loads(data.decode("utf-8"), object_pairs_hook=_Pairs)
    stack: deque[tuple[str, Any]] = deque([("", tree)])
    while stack:
        path, node = stack.popleft()
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            for key, _value in node:
                if key in seen:
                    place = path or "the document"
                    return (
                        f"{place}: the key {shorten(key)} is given twice (a key appears once "
                        "in an object; the last would otherwise win silently)"
                    )
                seen.add(key)
            for key, value in node:
                stack.append((f"{path}.{key}" if path else key, value))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node))
    return "a key is given twice in one object"
