"""Fuzzing ``evaluate`` with JSON input documents drawn from each campaign's input schema, valid
and mutated, through the command line (in process; see test_fuzz_subprocess.py for real
processes). ``fuzz_budget`` sets how long; ``fuzz_checks`` says what must hold."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from fuzz_budget import explore
from fuzz_campaigns import IDS, TARGETS, Target
from fuzz_checks import check_outcome, run_cli, same_but_order
from fuzz_documents import Mutation, json_bytes, mutated_json, valid_documents
from hypothesis import strategies as st

JSON_OUT = ["--format", "json"]


def _shuffled(doc: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same document with its candidates, and every object's keys, in another order."""
    rng = random.Random(seed)

    def keys(value: Any) -> Any:
        if isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            return {k: keys(v) for k, v in items}
        if isinstance(value, list):
            return [keys(v) for v in value]
        return value

    out = keys(doc)
    rng.shuffle(out["candidates"])
    return out  # type: ignore[no-any-return]


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_valid_documents_are_judged_whole_and_in_any_order(
    target: Target, request: pytest.FixtureRequest
) -> None:
    def check(doc: dict[str, Any], seed: int, stdin: bool, ascii_only: bool) -> None:
        ids = [c["id"] for c in doc["candidates"]]
        data = json_bytes(doc, ascii_only=ascii_only)
        suffix = "-" if stdin else ".json"
        first = run_cli(["evaluate", target.ref, "INPUT", *JSON_OUT], data, suffix=suffix)
        check_outcome(first, target.campaign, must_pass=True, expected_ids=ids)
        again = _shuffled(doc, seed)
        second = run_cli(
            ["evaluate", target.ref, "INPUT", *JSON_OUT], json_bytes(again, indent=None)
        )
        check_outcome(second, target.campaign, must_pass=True, expected_ids=ids)
        same_but_order(first.stdout, second.stdout)

    explore(
        request,
        check,
        valid_documents(target.campaign),
        st.integers(0, 2**32),
        st.booleans(),
        st.booleans(),
    )


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_mutated_documents_are_refused_whole_or_judged(
    target: Target, request: pytest.FixtureRequest
) -> None:
    def check(mutated: tuple[bytes, list[Mutation]], report: bool, stdin: bool) -> None:
        data, done = mutated
        must_fail = any(m.must_refuse for m in done)
        args = ["evaluate", target.ref, "INPUT", *JSON_OUT]
        if report:
            args += ["--on-invalid", "report"]
        out = run_cli(args, data, suffix="-" if stdin else ".json")
        try:
            doc = check_outcome(
                out, target.campaign, report=report, must_fail=must_fail and not report
            )
            if report and must_fail and out.code == 0:
                raise AssertionError("bad input accepted whole in report mode")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nmutations: {[m.name for m in done]}") from None
        if doc is not None and out.code in (0, 3):
            n_in = _count_candidates(data)
            if n_in is not None:
                got = len(doc["candidates"]) + len(doc.get("rejected", []))
                assert got == n_in, f"{n_in} candidates in, {got} out; {[m.name for m in done]}"

    explore(request, check, mutated_json(target.campaign), st.booleans(), st.booleans())


def _count_candidates(data: bytes) -> int | None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(doc, dict) and isinstance(doc.get("candidates"), list):
        return len(doc["candidates"])
    return None
