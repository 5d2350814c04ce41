"""Hypothesis strategies for the values a campaign's input JSON Schema describes.

:func:`from_schema` reads the subset of JSON Schema that
:func:`emulation_rules.inputs.schema.input_schema` writes (``type``, ``const``, ``enum``,
``anyOf``/``oneOf``, ``minimum``/``maximum``, ``minLength``, ``format: date``, objects with
``properties``/``required``/``propertyNames``, arrays) and draws values valid against it. The
``x-`` keys, titles and descriptions are ignored. Keywords it does not know are refused, so a new
keyword in the input schema fails the fuzz suite instead of being silently skipped.

(hypothesis-jsonschema would be the library for this, but its last release, 0.23.1, calls
hypothesis internals that hypothesis 6.1xx removed: it fails with ``AttributeError`` before
drawing anything.)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import strategies as st

#: keys that say nothing about which values are valid
_ANNOTATIONS = frozenset(("title", "description", "default", "$schema"))
#: keys this reader understands
_KNOWN = frozenset(
    (
        "type",
        "const",
        "enum",
        "anyOf",
        "oneOf",
        "minimum",
        "maximum",
        "minLength",
        "format",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "patternProperties",
        "pattern",
        "items",
        "minItems",
    )
)

#: text that reads well in both scripts (Vietnamese with its diacritics, in NFC)
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
NAME_ALPHABET = VIETNAMESE + VIETNAMESE.upper() + " 0123456789-,.()"


def _numbers(lo: float | None, hi: float | None, integer: bool) -> st.SearchStrategy[Any]:
    """Numbers in [lo, hi]: the bounds themselves, small grids (ties, thresholds) and any."""
    if integer:
        lo_i = int(lo) if lo is not None else -(2**31)
        hi_i = int(hi) if hi is not None else 2**31
        grid = sorted({lo_i, hi_i, *range(max(lo_i, 0), min(hi_i, 10) + 1)})
        return st.one_of(st.sampled_from(grid), st.integers(lo_i, hi_i))
    floor = lo if lo is not None else -1e6
    top = hi if hi is not None else max(floor, 0) + 1000.0
    grid = sorted({floor, top, *(round(floor + (top - floor) * k / 8, 2) for k in range(9))})
    return st.one_of(
        st.sampled_from(grid),
        st.floats(floor, top, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2)),
        st.floats(floor, top, allow_nan=False, allow_infinity=False),
        st.integers(int(floor) if floor > -(2**53) else -(2**53), int(top)).filter(
            lambda v: floor <= v <= top
        ),
    )


def _dates() -> st.SearchStrategy[str]:
    return st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    if schema.get("format") == "date":
        return _dates()
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    size = max(int(schema.get("minLength", 0)), 1)
    return st.text(NAME_ALPHABET, min_size=size, max_size=size + 20).filter(
        lambda s: s.strip() == s and len(s) >= size
    )


def _of_type(name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if name == "null":
        return st.none()
    if name == "boolean":
        return st.booleans()
    if name in ("integer", "number"):
        return _numbers(schema.get("minimum"), schema.get("maximum"), name == "integer")
    if name == "string":
        return _strings(schema)
    if name == "object":
        return _object(schema)
    if name == "array":
        items = from_schema(schema.get("items", {"type": "string"}))
        return st.lists(items, min_size=int(schema.get("minItems", 0)), max_size=3)
    raise ValueError(f"fuzz_schema: unknown type {name!r}")


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props: dict[str, Any] = dict(schema.get("properties", {}))
    names = schema.get("propertyNames")
    if names is not None and not props:  # a yearly series: {"2022": v, "2023": v}
        value = schema.get("additionalProperties")
        value_schema = value if isinstance(value, dict) else {"type": ["boolean", "null"]}
        patterns = schema.get("patternProperties", {})
        props = {
            k: next((v for p, v in patterns.items() if re.search(p, k)), value_schema)
            for k in names["enum"]
        }
    required = set(schema.get("required", ()))
    return st.fixed_dictionaries(
        {k: from_schema(v) for k, v in props.items() if k in required},
        optional={k: from_schema(v) for k, v in props.items() if k not in required},
    )


def from_schema(schema: dict[str, Any] | bool) -> st.SearchStrategy[Any]:
    """Values valid against ``schema`` (the subset of JSON Schema the input schema uses)."""
    if schema is True or schema == {}:
        return st.none() | st.booleans() | st.integers(0, 10)
    if schema is False:
        raise ValueError("fuzz_schema: a false schema admits nothing")
    assert isinstance(schema, dict)
    unknown = {k for k in schema if not k.startswith("x-")} - _KNOWN - _ANNOTATIONS
    if unknown:
        raise ValueError(f"fuzz_schema: keywords not understood: {sorted(unknown)}")
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    for combine in ("anyOf", "oneOf"):
        if combine in schema:
            rest = {k: v for k, v in schema.items() if k != combine}
            return st.one_of([from_schema({**rest, **sub}) for sub in schema[combine]])
    types = schema.get("type")
    if types is None:
        types = "object" if ("properties" in schema or "propertyNames" in schema) else None
    if types is None:
        raise ValueError(f"fuzz_schema: no type in {sorted(schema)}")
    if isinstance(types, list):
        return st.one_of([_of_type(t, schema) for t in types])
    return _of_type(types, schema)
