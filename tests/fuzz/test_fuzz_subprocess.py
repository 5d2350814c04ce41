"""A few fuzzed inputs through a real process (the installed ``emulation-rules`` script),
with standard input as bytes, the C locale and the interpreter's default streams: what the
in-process runs cannot see (encodings of the streams, a traceback printed by the interpreter,
the real exit status)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_budget import explore
from fuzz_campaigns import TARGETS, Target
from fuzz_checks import Outcome, check_outcome
from fuzz_documents import Mutation, mutated_json
from hypothesis import strategies as st

SCRIPT = Path(sys.executable).with_name("emulation-rules")


def test_fuzzed_documents_through_a_real_process(request: pytest.FixtureRequest) -> None:
    def check(drawn: tuple[Target, tuple[bytes, list[Mutation]]], c_locale: bool) -> None:
        target, (data, done) = drawn
        env = {k: v for k, v in os.environ.items() if not k.startswith("EMULATION_RULES")}
        if c_locale:
            env.update(LC_ALL="C", LANG="C", PYTHONIOENCODING="")
        args = ("evaluate", target.ref, "-", "--format", "json")
        proc = subprocess.run(
            [str(SCRIPT), *args], input=data, capture_output=True, env=env, timeout=120
        )
        out = Outcome(
            proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"), None, args
        )
        try:
            check_outcome(out, target.campaign, must_fail=any(m.must_refuse for m in done))
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nmutations: {[m.name for m in done]}") from None

    explore(
        request,
        check,
        st.sampled_from(TARGETS).flatmap(lambda t: st.tuples(st.just(t), mutated_json(t.campaign))),
        st.booleans(),
    )
