"""What a plan measures and with what: ordinal scales, facts candidates carry, and named,
dated, overridable parameters."""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal, Self

from pydantic import Field, model_validator

from emulation_rules.plan.citations import ID_PATTERN, Citation, Frozen

Kind = Literal["collective", "individual"]
FactType = Literal["boolean", "integer", "number", "ordinal"]
#: a parameter may also name a rounding rule (of a quota written as a share)
ParamType = Literal["boolean", "integer", "number", "ordinal", "rounding"]
ParamValue = bool | int | float | str
#: the rounding rules a ``rounding`` parameter may take: down (floor), half_up (x.5 up), up (ceil)
ROUNDING_RULES = ("down", "half_up", "up")
#: 2**53: integers beyond it lose precision as float64, so two distinct values could tie
EXACT_INTEGER = 2**53


class Scale(Frozen):
    """An ordinal scale declared by a plan; ``levels`` run from lowest to highest."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    levels: tuple[str, ...] = Field(min_length=2)
    aliases: dict[str, str] = Field(
        default_factory=dict,
        description="other ways a published table writes a level (alias -> level), e.g. "
        "'HTXSNV' -> 'Hoàn thành xuất sắc nhiệm vụ'; matched like levels",
    )
    citation: Citation

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.levels)) != len(self.levels):
            raise ValueError(f"scale '{self.id}' repeats a level")
        for alias, level in self.aliases.items():
            if level not in self.levels:
                raise ValueError(f"scale '{self.id}': alias '{alias}' names no level ('{level}')")
            if alias in self.levels and alias != level:
                raise ValueError(f"scale '{self.id}': alias '{alias}' is another level's name")
        return self

    def rank(self, level: str) -> int:
        return self.levels.index(level)


class PublicationScale(Frozen):
    """A scale a figure may be published on, other than the fact's own, with its conversion:
    the value in the fact's unit is the published value times ``factor`` (SIPAS published out
    of 10 and read in percent: ``factor: 10``). Input names it in the value's provenance
    (``"scale": "thang_10"``); nothing is ever converted without it."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    factor: float = Field(gt=0, allow_inf_nan=False)


class Fact(Frozen):
    """A fact a candidate carries (or that is read from its unit)."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    type: FactType
    kinds: tuple[Kind, ...] = Field(min_length=1, description="who carries this fact")
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    scale: str | None = None
    description: str | None = None
    year: int | None = Field(
        None,
        ge=1900,
        le=2200,
        description="the year the figure is about (e.g. the PAPI of 2021); a value whose "
        "provenance names another year is refused",
    )
    publication_scales: tuple[PublicationScale, ...] = Field(
        (), description="other scales the figure may be published on, with their conversion"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.publication_scales and self.type != "number":
            raise ValueError("only a number fact declares publication scales")
        if (self.type == "ordinal") != (self.scale is not None):
            raise ValueError("an ordinal fact names its 'scale'; only ordinal facts do")
        if self.type in ("boolean", "ordinal") and (
            self.minimum is not None or self.maximum is not None
        ):
            raise ValueError(f"a {self.type} fact has no minimum or maximum")
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValueError("maximum is below minimum")
        return self


class Parameter(Frozen):
    """A named, overridable value: a threshold, a quota, a share, a rounding rule, a level.

    ``value`` holds for the whole campaign; ``values`` maps the date a value takes effect to the
    value (OpenFisca style), so a plan amended mid-way keeps its history.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: str
    type: ParamType
    scale: str | None = None
    unit: str | None = None
    value: ParamValue | None = None
    values: dict[dt.date, ParamValue] | None = None
    citation: Citation

    @model_validator(mode="after")
    def _one_value_form(self) -> Self:
        if (self.value is None) == (self.values is None):
            raise ValueError("a parameter has either 'value' or dated 'values'")
        if self.values is not None and not self.values:
            raise ValueError("'values' is empty")
        if (self.type == "ordinal") != (self.scale is not None):
            raise ValueError("an ordinal parameter names its 'scale'; only ordinal ones do")
        for v in (self.value, *(self.values or {}).values()):
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > EXACT_INTEGER:
                raise ValueError(
                    f"parameter '{self.id}': an integer of {len(str(abs(v)))} digits is beyond "
                    f"±{EXACT_INTEGER:,}, the largest integer compared exactly"
                )
        return self

    def value_on(self, day: dt.date) -> ParamValue | None:
        """The value in force on ``day`` (None if the first dated value is later)."""
        if self.value is not None:
            return self.value
        assert self.values is not None
        current: ParamValue | None = None
        for start in sorted(self.values):
            if start <= day:
                current = self.values[start]
        return current


def value_fits(ftype: str, v: object, scale: Scale | None) -> bool:
    if ftype == "boolean":
        return isinstance(v, bool)
    if ftype == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if ftype == "number":  # NaN and ±infinity are no threshold, quota or level
        finite = not isinstance(v, float) or math.isfinite(v)
        return isinstance(v, int | float) and not isinstance(v, bool) and finite
    if ftype == "rounding":
        return isinstance(v, str) and v in ROUNDING_RULES
    return isinstance(v, str) and (scale is None or v in scale.levels)
