"""Column headers of tabular input (CSV, XLSX, Parquet): what each column gives.

A column is a candidate field — by its name (``id``, ``name``, ``kind``, ``unit_type``,
``unit_id``, ``active_from``, ``active_until``) or its Vietnamese header (``Mã``, ``Tên`` …,
:data:`BASE_LABELS`) — or a fact, by its id, ``facts.<id>`` or the fact's Vietnamese label
(case, spacing and diacritics folded), or a fact value's provenance, ``<fact>.year``,
``<fact>.source``, ``<fact>.published``, ``<fact>.url``, ``<fact>.scale``, or a candidate
attribute the plan declares (a cluster), by ``attributes.<id>``, its id (when no field or fact
has that name) or its label, folded like a fact's. A yearly series is one column per year:
``<fact>[2023]`` (what the form writes), ``<fact>.2023`` or ``<fact>@2023``, or its label
followed by the year (``Sáng kiến [2023]``, ``Sáng kiến (2023)``, ``Sáng kiến 2023``,
``Sáng kiến năm 2023``); a column naming a series without a year, or a year outside the
series' years, is refused. Anything else is refused, and so are two columns giving the same
thing (``X`` and ``facts.X``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from emulation_rules.inputs.columns import (
    ATTRIBUTE_PREFIX,
    BASE_FIELDS,
    PROVENANCE_KEYS,
    attribute_key,
    year_key,
)
from emulation_rules.inputs.locale import fold
from emulation_rules.plan.campaign import Campaign
from emulation_rules.text import nfc

#: the Vietnamese header of each candidate field (the form writes these)
BASE_LABELS = {
    "id": "Mã",
    "name": "Tên",
    "kind": "Tập thể / Cá nhân",
    "unit_type": "Loại đơn vị",
    "unit_id": "Mã đơn vị công tác",
    "active_from": "Hoạt động từ ngày",
    "active_until": "Hoạt động đến ngày",
}


@attrs.frozen
class Target:
    """What a column gives: a candidate field, a fact, one key of a fact's provenance, a
    candidate attribute, or one year of a yearly series (``attr`` is the year)."""

    section: str  # "base" | "fact" | "provenance" | "attribute" | "series"
    key: str
    attr: str | None = None

    @property
    def column_key(self) -> str:
        if self.section == "attribute":
            return attribute_key(self.key)
        if self.section == "series":
            return year_key(self.key, int(self.attr or 0))
        return f"{self.key}.{self.attr}" if self.attr else self.key

    def describe(self) -> str:
        if self.section == "base":
            return f"field '{self.key}'"
        if self.section == "fact":
            return f"fact '{self.key}'"
        if self.section == "attribute":
            return f"field '{attribute_key(self.key)}'"
        if self.section == "series":
            return f"the {self.attr} value of series '{self.key}'"
        return f"the {self.attr} of fact '{self.key}'"


#: a year after a series' id: ``x[2023]``, ``x.2023``, ``x@2023``
_ID_YEAR = re.compile(r"^(.+?)(?:\[(\d{4})\]|[.@](\d{4}))$", re.ASCII)
#: a year after a series' folded label: ``… [2023]``, ``… (2023)``, ``… 2023``, ``… nam 2023``
_LABEL_YEAR = re.compile(r"^(.+?)\s*(?:\[(\d{4})\]|\((\d{4})\)|\s(?:nam\s+)?(\d{4}))$")


def map_header(campaign: Campaign, names: Sequence[str]) -> tuple[list[Target | None], list[str]]:
    """Each header's target (None for a nameless empty column) and every problem with them."""
    facts = {f.id for f in campaign.facts}
    base_by_label = {fold(label): key for key, label in BASE_LABELS.items()}
    by_label: dict[str, str | None] = {}
    for f in campaign.facts:
        key = fold(f.label)
        by_label[key] = f.id if by_label.get(key, f.id) == f.id else None
    # an attribute's label names it unless a field's or a fact's label is the same
    attributes = {a.id for a in campaign.candidate_attributes}
    attribute_labels = {
        fold(a.label): a.id
        for a in campaign.candidate_attributes
        if fold(a.label) not in by_label and fold(a.label) not in base_by_label
    }
    out: list[Target | None] = []
    problems: list[str] = []
    seen: dict[Target, str] = {}
    for raw_name in names:
        name = nfc(" ".join(str(raw_name).split()))
        if not name:
            out.append(None)
            continue
        target = _target(name, facts, base_by_label, by_label) or _attribute(
            name, attributes, attribute_labels
        )
        if target is None:
            folded = fold(name)
            also = ", a candidate attribute (attributes.<id>)" if attributes else ""
            why = (
                f"column '{name}': two facts of {campaign.id} share this label; name the column "
                "by the fact's id"
                if folded in by_label and by_label[folded] is None
                else f"column '{name}' is neither a candidate field ({', '.join(BASE_FIELDS)})"
                f"{also} nor a fact of {campaign.id}"
            )
            problems.append(why)
            out.append(None)
            continue
        series_problem = _series_problem(campaign, name, target)
        if series_problem is not None:
            problems.append(series_problem)
            out.append(None)
            continue
        if target in seen:
            problems.append(
                f"columns '{seen[target]}' and '{name}' both give {target.describe()}: keep one"
            )
            out.append(None)
            continue
        seen[target] = name
        out.append(target)
    return out, problems


def _target(
    name: str,
    facts: set[str],
    base_by_label: dict[str, str],
    by_label: dict[str, str | None],
) -> Target | None:
    if name in BASE_FIELDS:
        return Target("base", name)
    bare = name.removeprefix("facts.")
    if bare in facts:
        return Target("fact", bare)
    head, dot, attr = bare.rpartition(".")
    if dot and head in facts and attr in PROVENANCE_KEYS:
        return Target("provenance", head, attr)
    match = _ID_YEAR.match(bare)
    if match and match.group(1) in facts:
        return Target("series", match.group(1), match.group(2) or match.group(3))
    folded = fold(name)
    if folded in base_by_label:
        return Target("base", base_by_label[folded])
    fact = by_label.get(folded)
    if fact is not None:
        return Target("fact", fact)
    match = _LABEL_YEAR.match(folded)
    if match:
        fact = by_label.get(match.group(1).strip())
        if fact is not None:
            return Target("series", fact, match.group(2) or match.group(3) or match.group(4))
    return None


def _series_problem(campaign: Campaign, name: str, target: Target) -> str | None:
    """Why a column cannot give a fact as it names it (a series without its year, a year of a
    fact that is not a series, a year outside the series)."""
    if target.section not in ("fact", "series", "provenance"):
        return None
    fact = campaign.fact(target.key)
    if target.section == "fact" and fact.type == "series":
        return (
            f"column '{name}': fact '{fact.id}' is a yearly series: give one column per year, "
            f"e.g. '{year_key(fact.id, fact.years()[-1])}'"
        )
    if target.section == "series" and fact.type != "series":
        return f"column '{name}': fact '{fact.id}' is not a yearly series (it has no years)"
    if target.section == "series" and int(target.attr or 0) not in fact.years():
        return (
            f"column '{name}': series '{fact.id}' covers the years "
            f"{fact.first_year}–{fact.last_year}"
        )
    if target.section == "provenance" and fact.type == "series" and target.attr == "year":
        return (
            f"column '{name}': a yearly series' values name their own years; "
            f"'{fact.id}.year' is for a fact of one year"
        )
    return None


def _attribute(name: str, attributes: set[str], by_label: dict[str, str]) -> Target | None:
    """A candidate attribute's column (after fields and facts, which keep their names)."""
    bare = name.removeprefix(ATTRIBUTE_PREFIX)
    if bare in attributes:
        return Target("attribute", bare)
    found = by_label.get(fold(name))
    return Target("attribute", found) if found is not None else None


def missing_required(targets: Sequence[Target | None], *, kind_given: bool) -> list[str]:
    have = {t.key for t in targets if t is not None and t.section == "base"}
    need = ["id", "name"] + ([] if kind_given else ["kind"])
    return [n for n in need if n not in have]
