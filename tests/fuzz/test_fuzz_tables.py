"""Fuzzing ``evaluate`` with CSV and XLSX files: a valid table must give exactly the result of
the same candidates as a JSON document; a broken one is refused whole (exit status 2, one line
per problem naming its row or cell) or judged, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from fuzz_budget import explore
from fuzz_campaigns import IDS, TARGETS, Target
from fuzz_checks import check_outcome, run_cli
from fuzz_documents import (
    Mutation,
    for_format,
    json_bytes,
    mutated_table,
    table_file,
    valid_table,
)
from hypothesis import strategies as st


def _as_of_args(doc: dict[str, Any]) -> list[str]:
    return ["--as-of", doc["as_of"]] if "as_of" in doc else []


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_valid_tables_read_exactly_like_the_json_document(
    target: Target, request: pytest.FixtureRequest
) -> None:
    def check(table: tuple[dict[str, Any], list[list[str]]], data: st.DataObject) -> None:
        doc, rows = table
        ids = [c["id"] for c in doc["candidates"]]
        data_bytes, suffix, done = data.draw(table_file(rows))
        args = ["evaluate", target.ref, "INPUT", "--format", "json", *_as_of_args(doc)]
        out = run_cli(args, data_bytes, suffix=suffix)
        must_fail = any(m.must_refuse for m in done)
        got = check_outcome(
            out, target.campaign, must_pass=not must_fail, must_fail=must_fail, expected_ids=ids
        )
        if got is None:
            return
        want = run_cli(["evaluate", target.ref, "INPUT", "--format", "json"], json_bytes(doc))
        expected = check_outcome(want, target.campaign, must_pass=True, expected_ids=ids)
        assert expected is not None
        assert got == expected, "the table and the JSON document give different results"

    explore(request, check, valid_table(target.campaign), st.data())


@pytest.mark.parametrize("target", TARGETS, ids=IDS)
def test_broken_tables_are_refused_whole_or_judged(
    target: Target, request: pytest.FixtureRequest
) -> None:
    def check(
        broken: tuple[list[list[str]], list[Mutation], dict[str, Any]],
        report: bool,
        data: st.DataObject,
    ) -> None:
        rows, done, doc = broken
        data_bytes, suffix, more = data.draw(table_file(rows))
        done = for_format(done, suffix) + more
        must_fail = any(m.must_refuse for m in done)
        args = ["evaluate", target.ref, "INPUT", "--format", "json", *_as_of_args(doc)]
        if report:
            args += ["--on-invalid", "report"]
        out = run_cli(args, data_bytes, suffix=suffix)
        try:
            got = check_outcome(
                out, target.campaign, report=report, must_fail=must_fail and not report
            )
            if report and must_fail:
                assert out.code != 0, "bad input accepted whole in report mode"
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nmutations: {[m.name for m in done]}") from None
        if got is not None:
            n_rows = sum(1 for r in rows[1:] if any(c.strip() for c in r))
            judged = len(got["candidates"]) + len(got.get("rejected", []))
            assert judged == n_rows, f"{n_rows} rows in, {judged} out: {[m.name for m in done]}"

    explore(request, check, mutated_table(target.campaign), st.booleans(), st.data())
