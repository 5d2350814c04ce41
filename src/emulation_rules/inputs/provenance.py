"""Where a fact value comes from: its year, source, publication date, address and scale.

A value may carry its provenance — in JSON ``{"value": 94.05, "year": 2022, "source": "QĐ
…/QĐ-UBND", "published": "2023-04-12", "url": "…"}``, in CSV and XLSX the columns
``<fact>.year``, ``<fact>.source``, ``<fact>.published``, ``<fact>.url``, ``<fact>.scale``.

* ``year``: the year the figure is about. When the plan's fact declares its ``year`` (the year
  the criterion reads), another year is refused: a 2020 index never runs silently under 2023.
* ``published``: the day the figure became known. Evaluated ``as_of`` an earlier day, the value
  is not yet known (``unknown``), so a run replays what was known on the day a list was made.
* ``scale``: one of the fact's declared publication scales (``PublicationScale``); the value is
  converted by the declared factor (SIPAS 8.23 out of 10 is 82.3 %). Without it the value is
  read in the fact's own unit; nothing is converted by guess.
* ``source`` and ``url``: shown beside the value in explanations.

A yearly series carries one provenance for the whole series (``{"value": {"2022": …}, "source":
…, "published": …}``; no ``year``: its values name their own), and a date fact like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl

from emulation_rules.errors import shorten
from emulation_rules.inputs.columns import Column, RawProblem
from emulation_rules.inputs.locale import Locale
from emulation_rules.inputs.values import parse_date_value
from emulation_rules.limits import Limits
from emulation_rules.plan.campaign import Fact
from emulation_rules.text import nfc

NO_DATE = 0  # ordinal day 0 does not exist: "no publication date given"


@attrs.frozen(eq=False)
class FactProvenance:
    """The provenance of one fact's column: publication days (``date.toordinal()``, 0 where
    none is given) for the as_of replay, and what to show beside each value that has any."""

    published: npt.NDArray[np.int64]
    shown: Mapping[int, Mapping[str, Any]]

    def take(self, rows: npt.NDArray[np.int64]) -> FactProvenance:
        """The provenance of the kept rows only (``rows`` are old row numbers, in order)."""
        new = {int(old): k for k, old in enumerate(rows.tolist())}
        return FactProvenance(
            self.published[rows], {new[r]: v for r, v in self.shown.items() if r in new}
        )


def _as_list(col: Column | None, n: int) -> list[Any]:
    if col is None:
        return [None] * n
    if isinstance(col, pl.Series):
        s = col.str.strip_chars() if col.dtype == pl.String else col
        out = s.to_list()
        return [None if v == "" else v for v in out]
    return col


def read_provenance(
    fact: Fact,
    columns: Mapping[str, Column],
    known: npt.NDArray[np.bool_],
    values: npt.NDArray[np.float64],
    *,
    locale: Locale | None,
    limits: Limits,
) -> tuple[FactProvenance, list[RawProblem]]:
    """Check one fact's provenance columns; convert published scales in ``values`` (in place)."""
    n = len(known)
    problems: list[RawProblem] = []
    field = f"fact '{fact.id}'"
    years = _as_list(columns.get("year"), n)
    sources = _as_list(columns.get("source"), n)
    published = _as_list(columns.get("published"), n)
    urls = _as_list(columns.get("url"), n)
    scales = _as_list(columns.get("scale"), n)
    days = np.zeros(n, dtype=np.int64)
    shown: dict[int, dict[str, Any]] = {}
    by_scale = {s.id: s for s in fact.publication_scales}
    for i in range(n):
        y, src, pub, url, sc = years[i], sources[i], published[i], urls[i], scales[i]
        if y is None and src is None and pub is None and url is None and sc is None:
            continue
        info: dict[str, Any] = {}
        if y is not None and fact.type == "series":
            problems.append(
                RawProblem(
                    i,
                    field,
                    "a yearly series' values name their own years: give no 'year'",
                    shorten(y),
                    f"{fact.id}.year",
                )
            )
        elif y is not None:
            year = _year(y)
            if year is None:
                problems.append(
                    RawProblem(
                        i,
                        field,
                        "the year is four digits, e.g. 2022",
                        shorten(y),
                        f"{fact.id}.year",
                    )
                )
            elif fact.year is not None and year != fact.year:
                problems.append(
                    RawProblem(
                        i,
                        field,
                        f"the figure is of {year}, but the plan reads the figure of {fact.year}",
                        shorten(y),
                        f"{fact.id}.year",
                    )
                )
            else:
                info["year"] = year
        for key, text in (("source", src), ("url", url)):
            if text is None:
                continue
            if not isinstance(text, str) or not text.strip():
                problems.append(
                    RawProblem(
                        i, field, f"'{key}' is non-empty text", shorten(text), f"{fact.id}.{key}"
                    )
                )
            elif len(text) > limits.max_string_length:
                problems.append(
                    RawProblem(
                        i,
                        field,
                        f"'{key}' is longer than max_string_length ({limits.max_string_length})",
                        shorten(text),
                        f"{fact.id}.{key}",
                    )
                )
            else:
                info[key] = nfc(text.strip())
        if pub is not None:
            day = parse_date_value(pub, locale)
            if isinstance(day, str):
                problems.append(
                    RawProblem(
                        i, field, f"'published': {day}", shorten(pub), f"{fact.id}.published"
                    )
                )
            else:
                days[i] = day.toordinal()
                info["published"] = day.isoformat()
        if sc is not None:
            scale = by_scale.get(nfc(sc.strip())) if isinstance(sc, str) else None
            if scale is None:
                declared = ", ".join(by_scale) or "none"
                problems.append(
                    RawProblem(
                        i,
                        field,
                        f"'scale' names one of the fact's publication scales ({declared})",
                        shorten(sc),
                        f"{fact.id}.scale",
                    )
                )
            else:
                info["scale"] = {"id": scale.id, "label": scale.label, "factor": scale.factor}
                if known[i]:
                    info["published_value"] = float(values[i])
                    values[i] = round(float(values[i]) * scale.factor, 9)
        if info:
            shown[i] = info
    return FactProvenance(days, shown), problems


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1900 <= value <= 2200:
        return value
    return None


def known_on(prov: FactProvenance, day: dt.date) -> npt.NDArray[np.bool_]:
    """Rows whose value was published on or before ``day`` (rows without a date: all)."""
    ok: npt.NDArray[np.bool_] = (prov.published == NO_DATE) | (prov.published <= day.toordinal())
    return ok
