"""What a plan measures and with what: ordinal scales, facts candidates carry, and named,
dated, overridable parameters.

Fact types: ``boolean``, ``integer``, ``number``, ``ordinal`` (a level of a scale), ``date`` (ISO
``YYYY-MM-DD``) and ``series`` — a value per year (``{"2022": true, "2023": true}``) whose
``element`` is one of the other types or ``ids`` (a list of identifiers per year, such as the
initiatives recognised that year), for the years ``first_year`` to ``last_year``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from emulation_rules.plan.citations import ID_PATTERN, Citation, Frozen

Kind = Literal["collective", "individual"]
FactType = Literal["boolean", "integer", "number", "ordinal", "date", "series"]
ElementType = Literal["boolean", "integer", "number", "ordinal", "ids"]
#: a parameter may also name a rounding rule (of a quota written as a share)
ParamType = Literal["boolean", "integer", "number", "ordinal", "date", "rounding"]
ParamValue = bool | int | float | str
#: the rounding rules a ``rounding`` parameter may take: down (floor), half_up (x.5 up), up (ceil)
ROUNDING_RULES = ("down", "half_up", "up")
#: 2**53: integers beyond it lose precision as float64, so two distinct values could tie
EXACT_INTEGER = 2**53


def iso_date(value: object) -> dt.date | None:
    """``value`` as a date when it is a ``datetime.date`` or strict ISO ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _dates_as_text(value: object) -> object:
    """A YAML date literal becomes its ISO text (the form JSON carries and parameters keep)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return value


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
    element: ElementType | None = Field(None, description="a series' value type per year")
    first_year: int | None = Field(None, ge=1900, le=2200, description="a series' first year")
    last_year: int | None = Field(None, ge=1900, le=2200, description="a series' last year")
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
        value_type = self.element if self.type == "series" else self.type
        if self.publication_scales and self.type != "number":
            raise ValueError("only a number fact declares publication scales")
        if self.type == "series" and self.year is not None:
            raise ValueError("a series fact has no 'year': each of its values names its own")
        if (value_type == "ordinal") != (self.scale is not None):
            raise ValueError("an ordinal fact names its 'scale'; only ordinal facts do")
        if value_type in ("boolean", "ordinal", "date", "ids") and (
            self.minimum is not None or self.maximum is not None
        ):
            raise ValueError(f"a {value_type} fact has no minimum or maximum")
        if self.minimum is not None and self.maximum is not None and self.maximum < self.minimum:
            raise ValueError("maximum is below minimum")
        series_keys = (self.element, self.first_year, self.last_year)
        if self.type == "series":
            if any(v is None for v in series_keys):
                raise ValueError(
                    "a series fact names its 'element' type, 'first_year', 'last_year'"
                )
            assert self.first_year is not None and self.last_year is not None
            if self.last_year < self.first_year:
                raise ValueError("last_year is before first_year")
        elif any(v is not None for v in series_keys):
            raise ValueError("'element', 'first_year' and 'last_year' are for series facts only")
        return self

    @property
    def value_type(self) -> str:
        """The type of one value: the fact's type, or a series' element type."""
        return self.element if self.type == "series" and self.element else self.type

    def years(self) -> tuple[int, ...]:
        """A series' years, first to last (empty for other facts)."""
        if self.first_year is None or self.last_year is None:
            return ()
        return tuple(range(self.first_year, self.last_year + 1))


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

    @field_validator("value", mode="before")
    @classmethod
    def _date_value(cls, value: object) -> object:
        return _dates_as_text(value)

    @field_validator("values", mode="before")
    @classmethod
    def _date_values(cls, values: object) -> object:
        if isinstance(values, dict):
            return {k: _dates_as_text(v) for k, v in values.items()}
        return values

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
    """Whether ``v`` is a valid value of type ``ftype`` (a series' element type for series)."""
    if ftype == "date":
        return iso_date(v) is not None
    if ftype == "ids":
        return isinstance(v, str) and bool(v)
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
