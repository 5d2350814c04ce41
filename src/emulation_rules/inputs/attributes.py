"""Candidate attributes: the labels a plan declares for grouping (an emulation cluster or block,
cụm / khối thi đua), given by a candidate under ``attributes``.

An attribute is not a fact: it is never unknown. A candidate whose kind and unit type the
declaration names must give it; any other candidate must not; a declared list of ``values``
is enforced. Every problem of every candidate is reported at once, each naming the candidate,
the field and the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from emulation_rules.errors import InputError
from emulation_rules.plan.campaign import Campaign


class _Candidate(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def attributes(self) -> dict[str, str] | None: ...


def check_attributes(
    campaign: Campaign,
    candidates: Sequence[_Candidate],
    unit_types: Sequence[str | None],
    who: Sequence[str],
) -> None:
    """Raise one :class:`InputError` listing every attribute problem (one line each), if any.

    ``unit_types[i]`` is candidate i's unit type (an individual's is its unit's); ``who[i]``
    names it in messages.
    """
    declared = {a.id: a for a in campaign.candidate_attributes}
    problems: list[str] = []
    for c, unit_type, label in zip(candidates, unit_types, who, strict=True):
        given = c.attributes or {}
        for key, value in given.items():
            attr = declared.get(key)
            if attr is None:
                known = ", ".join(declared) or "none"
                problems.append(
                    f"{label}: field 'attributes.{key}': '{key}' is not a candidate attribute "
                    f"of {campaign.id} (declared: {known})"
                )
            elif not attr.carried_by(c.kind, unit_type):
                problems.append(
                    f"{label}: field 'attributes.{key}': {attr.label} ('{key}') is given only by "
                    f"{_who_gives(attr.kinds, attr.unit_types)}, not by this {c.kind}"
                    + (f" ({unit_type})" if unit_type else "")
                )
            elif not value:
                problems.append(f"{label}: field 'attributes.{key}': empty")
            elif attr.values is not None and value not in attr.values:
                problems.append(
                    f"{label}: field 'attributes.{key}': {value!r} is not one of "
                    f"{', '.join(attr.values)}"
                )
        for attr in campaign.candidate_attributes:
            if attr.carried_by(c.kind, unit_type) and attr.id not in given:
                problems.append(
                    f"{label}: field 'attributes.{attr.id}': missing; {_article(c.kind)}"
                    + (f" of unit type {unit_type}" if attr.unit_types else "")
                    + f" gives its {attr.label} ('{attr.id}'), by which awards are grouped"
                )
    if problems:
        raise InputError("\n".join(problems))


def _who_gives(kinds: Sequence[str], unit_types: Sequence[str]) -> str:
    who = " and ".join(f"{k}s" for k in kinds)
    return who + (f" of unit type {', '.join(unit_types)}" if unit_types else "")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
