"""Write the yearly campaigns from the two regime templates.

The national rules are the same every year of a regime; only the years change (the year
assessed, the one or two years before it that consecutive titles read). Each campaign is kept as
a plain YAML file (``danh_hieu_YYYY.yaml``) so that what an office signs is the file it reads;
the files are written from ``templates/regime_a.yaml.tmpl`` (achievements up to 31/12/2023) and
``templates/regime_b.yaml.tmpl`` (from 1/1/2024) by substituting ``${Y}``, ``${Y1}`` (the year
before), ``${Y2}`` (two years before) and the period's note. Edit a template, then run::

    python -m emulation_rules_vn_law.generate          # rewrite the files
    python -m emulation_rules_vn_law.generate --check  # exit 1 if a file differs

A test runs the check, so a file edited by hand (or a template not regenerated) fails it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).parent

#: the years shipped, and the regime that governs the achievements of each
YEARS: dict[int, str] = {2021: "A", 2022: "A", 2023: "A", 2024: "B", 2025: "B"}

_NOTES = {
    "A": (
        "The yearly titles and the Bằng khen for the achievements of {y}: Luật 15/2003/QH11 "
        "(amended 2005, 2013) with Nghị định 91/2017/NĐ-CP (in force 1/10/2017) govern "
        "achievements up to 31/12/2023 (regime A). The period is the calendar year assessed; "
        "one evaluation covers one agency's staff."
    ),
    "B": (
        "The yearly titles and the Bằng khen for the achievements of {y}: Luật 06/2022/QH15 "
        "with Nghị định 98/2023/NĐ-CP and Thông tư 01/2024/TT-BNV (in force 15/4/2024) govern "
        "achievements from 1/1/2024 (regime B). The period is the calendar year assessed; one "
        "evaluation covers one agency's staff."
    ),
}
_B_PRIME = (
    " Unconfirmed for {y}: Nghị định 152/2025/NĐ-CP (14/6/2025) decentralises emulation work "
    "and details the Law; whether it replaces Nghị định 98/2023 was not confirmed, so the rules "
    "here follow Nghị định 98/2023. District level ended on 1/7/2025."
)


def render(year: int) -> str:
    """The campaign YAML for the achievements of ``year``."""
    regime = YEARS[year]
    template = (HERE / "templates" / f"regime_{regime.lower()}.yaml.tmpl").read_text("utf-8")
    note = _NOTES[regime].format(y=year)
    unconfirmed = regime == "B" and year >= 2025
    if unconfirmed:
        note += _B_PRIME.format(y=year)
    header = (
        f"#\n# GENERATED from templates/regime_{regime.lower()}.yaml.tmpl for the year {year} by "
        "`python -m emulation_rules_vn_law.generate`:\n# edit the template and run it again "
        "(a test fails while this file differs)."
    )
    return Template(template).substitute(
        Y=year,
        Y1=year - 1,
        Y2=year - 2,
        GENERATED=header,
        PERIOD_NOTE=note,
        PERIOD_UNCONFIRMED="true" if unconfirmed else "false",
    )


def path_of(year: int) -> Path:
    return HERE / f"danh_hieu_{year}.yaml"


def stale() -> list[Path]:
    """The files that differ from what the templates give (or are missing)."""
    out = []
    for year in YEARS:
        path = path_of(year)
        if not path.is_file() or path.read_text("utf-8") != render(year):
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ")
    args = parser.parse_args(argv)
    if args.check:
        for path in stale():
            print(f"{path}: differs from its template", file=sys.stderr)
        return 1 if stale() else 0
    for year in YEARS:
        path_of(year).write_text(render(year), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
