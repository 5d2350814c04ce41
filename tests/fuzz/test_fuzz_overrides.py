"""Fuzzing ``--override PARAM=VALUE``: values read by the parameter's type, valid or not (NaN
and infinity spelled every way, digits of other scripts, runaway lengths, unknown names, a
parameter given twice). A valid override is applied; a bad one is one ``error:`` line naming
the override, exit status 2."""

from __future__ import annotations

import unicodedata
from typing import Any

import attrs
import pytest
from fuzz_budget import explore
from fuzz_campaigns import IDS, TARGETS, Target
from fuzz_checks import check_outcome, run_cli
from fuzz_documents import json_bytes, valid_documents
from hypothesis import strategies as st

from emulation_rules import Campaign
from emulation_rules.plan.campaign import Parameter

NON_FINITE = ["nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "infinity"]
NON_FINITE += ["1e400", "-1e400", "1e309"]
NOT_DIGITS = ["٣", "３", "3_0", "0x10", "", " ", "1" * 65, "=1+1", "\x1b[31m3", "3 chỉ số"]


@attrs.frozen
class Override:
    text: str  # what follows --override
    must_refuse: bool


def _valid_values(campaign: Campaign, p: Parameter) -> list[str]:
    if p.type == "integer":
        return ["0", "1", "2", "3", "5", "10", " 4 "]
    if p.type == "number":
        return ["0", "50", "90", "99.5", "100", "0.25", "1e2"]
    if p.type == "ordinal" and p.scale:
        levels = list(campaign.scale(p.scale).levels)
        return levels + [unicodedata.normalize("NFD", lv) for lv in levels]
    if p.type == "boolean":
        return ["true", "false"]
    if p.type == "date":
        return [campaign.period.start.isoformat(), campaign.period.end.isoformat()]
    return []


def _bad_values(campaign: Campaign, p: Parameter) -> list[str]:
    if p.type == "integer":
        return [*NON_FINITE, *NOT_DIGITS, "1.5", "-1", "true", "1e5"]
    if p.type == "number":
        return [*NON_FINITE, *NOT_DIGITS, "99,5", "true"]
    if p.type == "ordinal":
        return ["khong co muc nay", "1", "", "nan"]
    if p.type == "boolean":
        return ["maybe", "2", "nan", ""]
    if p.type == "date":
        return ["2022-02-30", "20220520", "1653004800", "nan", ""]
    return ["nan"]


@st.composite
def overrides(draw: st.DrawFn, campaign: Campaign) -> list[Override]:
    params = [p for p in campaign.parameters if _valid_values(campaign, p)]
    out: list[Override] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["valid"] * 3 + ["bad", "unknown", "malformed", "twice"]))
        if kind == "unknown" or not params:
            name = draw(st.sampled_from(["khong_co", "QUOTA", "", " "]))
            out.append(Override(f"{name}=1", True))
            continue
        if kind == "malformed":
            out.append(Override(draw(st.sampled_from(["x", "=5", "==", ""])), True))
            continue
        p = draw(st.sampled_from(params))
        if kind == "bad":
            out.append(Override(f"{p.id}={draw(st.sampled_from(_bad_values(campaign, p)))}", True))
        elif kind == "twice":
            value = draw(st.sampled_from(_valid_values(campaign, p)))
            out.append(Override(f"{p.id}={value}", True))
            out.append(Override(f"{p.id}={value}", True))
        else:
            out.append(
                Override(f"{p.id}={draw(st.sampled_from(_valid_values(campaign, p)))}", False)
            )
    names = [o.text.partition("=")[0].strip() for o in out]
    if len(set(names)) != len(names):  # a parameter given twice is refused
        out = [attrs.evolve(o, must_refuse=True) for o in out]
    return out


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_overrides_are_applied_or_refused_by_name(
    target: Target, request: pytest.FixtureRequest
) -> None:
    def check(doc: dict[str, Any], given: list[Override]) -> None:
        args = ["evaluate", target.ref, "INPUT", "--format", "json"]
        for o in given:
            args += ["--override", o.text]
        out = run_cli(args, json_bytes(doc))
        must_fail = any(o.must_refuse for o in given)
        try:
            check_outcome(out, target.campaign, must_fail=must_fail, must_pass=not must_fail)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\noverrides: {[o.text for o in given]}") from None
        if out.code == 2:
            for line in out.stderr.splitlines():
                assert "override" in line, f"an override error that names none: {line!r}"

    explore(
        request,
        check,
        valid_documents(target.campaign, max_collectives=3, max_individuals=3),
        overrides(target.campaign),
    )
