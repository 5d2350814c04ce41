"""Candidate attributes: the labels a plan declares for grouping (an emulation cluster or block,
cụm / khối thi đua), given by a candidate under ``attributes`` (JSON, the Python API) or in a
column ``attributes.<id>`` (CSV, XLSX, Parquet; also the attribute's id or label).

An attribute is not a fact: it is never unknown. A candidate whose kind and unit type the
declaration names must give it; any other candidate must not; a declared list of ``values`` is
enforced (a spreadsheet's cell is matched like a grade: case, spacing and diacritics folded).
Checked by columns like every other field (:mod:`.validate`); every problem of every candidate
is reported at once, each naming the row, the field (``attributes.<id>``) and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from emulation_rules.errors import shorten
from emulation_rules.inputs.columns import RawProblem, attribute_key
from emulation_rules.inputs.locale import fold
from emulation_rules.plan.campaign import Campaign, CandidateAttribute


def check_attributes(
    campaign: Campaign,
    given: Mapping[str, Sequence[str | None]],
    kinds: Sequence[str | None],
    unit_types: Sequence[str | None],
    *,
    spreadsheet: bool,
) -> tuple[dict[str, list[str | None]], list[RawProblem]]:
    """Every declared attribute's column, checked: (attribute id -> value per row, problems).

    ``given`` holds the columns the input gave (stripped, NFC text; None where empty),
    ``kinds[i]`` and ``unit_types[i]`` row i's kind and unit type (an individual's is its
    unit's); a row whose kind or (needed) unit type is not known is left to the problems that
    say why. A value on a row that may not give it is refused, not kept.
    """
    n = len(kinds)
    out: dict[str, list[str | None]] = {}
    problems: list[RawProblem] = []
    for attr in campaign.candidate_attributes:
        key = attribute_key(attr.id)
        field = f"field '{key}'"
        col = given.get(attr.id)
        values: list[str | None] = list(col) if col is not None else [None] * n
        folded = {fold(v): v for v in attr.values} if attr.values is not None else {}
        for i in range(n):
            kind = kinds[i]
            unit_type = unit_types[i]
            if kind is None or (attr.unit_types and unit_type is None):
                values[i] = None
                continue
            value = values[i]
            carried = attr.carried_by(kind, unit_type)
            if value is None:
                if carried:
                    problems.append(
                        RawProblem(i, field, _missing(attr, kind, unit_type), None, key)
                    )
                continue
            if not carried:
                rule = (
                    f"{attr.label} ('{attr.id}') is given only by "
                    f"{_who_gives(attr.kinds, attr.unit_types)}, not by this {kind}"
                    + (f" ({unit_type})" if unit_type else "")
                )
                problems.append(RawProblem(i, field, rule, None, key))
                values[i] = None
            elif attr.values is not None and value not in attr.values:
                match = folded.get(fold(value)) if spreadsheet else None
                if match is None:
                    problems.append(RawProblem(i, field, _values_rule(attr), shorten(value), key))
                values[i] = match
        out[attr.id] = values
    return out, problems


def _missing(attr: CandidateAttribute, kind: str, unit_type: str | None) -> str:
    of_type = f" of unit type {unit_type}" if attr.unit_types else ""
    return (
        f"missing; {_article(kind)}{of_type} gives its {attr.label} ('{attr.id}'), by which "
        "awards are grouped"
    )


def _values_rule(attr: CandidateAttribute) -> str:
    assert attr.values is not None
    quoted = [f"'{v}'" for v in attr.values]
    if len(quoted) == 1:
        return f"Input should be {quoted[0]}"
    return "Input should be " + ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _who_gives(kinds: Sequence[str], unit_types: Sequence[str]) -> str:
    who = " and ".join(f"{k}s" for k in kinds)
    return who + (f" of unit type {', '.join(unit_types)}" if unit_types else "")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
