"""What every fuzzed run must hold, through the command line and through the Python API.

* exit status 0 or 2 (3 only with ``--on-invalid report`` and some candidate refused), never a
  traceback;
* on failure nothing on standard output, and every line of standard error an ``error:`` line
  that names the place (the file, a candidate, a row or cell, an override, ``as_of``);
* on success the JSON valid against the campaign's output schema and every input candidate
  present exactly once, in ``candidates`` or in ``rejected``;
* ``engine="both"`` never reports a disagreement, and agrees with the columnar engine alone;
* the same input in another order gives the same allocation, and the same JSON apart from the
  order of the candidates (which follows the input).
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from emulation_rules import Campaign, Registry, load_registry
from emulation_rules.cli import main
from emulation_rules.errors import EngineDisagreement, InputError
from emulation_rules.outputs.schema import output_schema
from emulation_rules.plugins import registry as plugin_registry

RUNNER = CliRunner()
_REGISTRIES: dict[str, Registry] = {}


def _cached_registry(**kwargs: Any) -> Registry:
    """The registry, loaded once per set of arguments: loading the plugins' plans is most of a
    small run's time, and the fuzzed input is the candidates, not the plans (the real process
    of test_fuzz_subprocess.py loads them every time)."""
    key = repr(sorted(kwargs.items()))
    if key not in _REGISTRIES:
        _REGISTRIES[key] = load_registry(**kwargs)
    return _REGISTRIES[key]


@attrs.frozen
class Outcome:
    code: int
    stdout: bytes
    stderr: str
    exception: BaseException | None
    args: tuple[str, ...]

    def describe(self) -> str:
        return (
            f"emulation-rules {' '.join(self.args)[:300]}\n"
            f"exit {self.code}; stderr:\n{self.stderr[:3000]}\nstdout: {self.stdout[:500]!r}"
        )


def run_cli(args: Sequence[str], data: bytes | None = None, *, suffix: str = ".json") -> Outcome:
    """Run the command line in this process; ``INPUT`` in ``args`` is replaced by a file holding
    ``data`` (or ``-`` with ``data`` on standard input when ``suffix`` is ``"-"``)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        stdin: bytes | None = None
        argv = list(args)
        if "INPUT" in argv:
            if suffix == "-":
                path, stdin = "-", data
            else:
                path = str(Path(tmp) / f"input{suffix}")
                Path(path).write_bytes(data or b"")
            argv[argv.index("INPUT")] = path
        env = {"EMULATION_RULES_LIMITS": "", "EMULATION_RULES_LANG": "vi"}
        with mock.patch.object(plugin_registry, "load_registry", _cached_registry):
            res = RUNNER.invoke(main, argv, input=stdin, env=env, catch_exceptions=True)
    exc = res.exception
    if isinstance(exc, SystemExit):
        exc = None
    return Outcome(res.exit_code, res.stdout_bytes, res.stderr_bytes.decode(), exc, tuple(argv))


#: what a line of standard error may name as the place of a problem
PLACE_MARKERS = (
    "input.",  # the file's name (input.json, input.csv …)
    "<stdin>",
    "candidate '",
    "row ",
    "override '",
    "--override",
    "as_of",
    "--as-of",
)


def check_outcome(
    out: Outcome,
    campaign: Campaign,
    *,
    report: bool = False,
    must_fail: bool = False,
    must_pass: bool = False,
    expected_ids: Sequence[str] | None = None,
) -> dict[str, Any] | None:
    """Assert the promises of the command line on one run; the output document on success."""
    info = out.describe()
    assert out.exception is None, f"an exception escaped: {out.exception!r}\n{info}"
    assert "Traceback" not in out.stderr, info
    allowed = {0, 2, 3} if report else {0, 2}
    assert out.code in allowed, info
    if out.code == 2:
        assert not must_pass, "valid input refused:\n" + info
        assert out.stdout == b"", "standard output written on failure:\n" + info
        lines = out.stderr.splitlines()
        assert lines, "exit 2 without a message:\n" + info
        for line in lines:
            if line.startswith("warning: "):
                continue
            assert line.startswith("error: "), f"not an error line: {line!r}\n{info}"
            assert any(m in line for m in PLACE_MARKERS), f"names no place: {line!r}\n{info}"
        return None
    assert not must_fail, "bad input accepted (exit 0):\n" + info
    doc = json.loads(out.stdout)
    check_document(doc, campaign, report=report, expected_ids=expected_ids)
    if out.code == 3:
        assert doc.get("rejected"), "exit 3 but nothing rejected:\n" + info
    elif report:
        assert not doc.get("rejected"), "rejected candidates but exit 0:\n" + info
    return doc


_VALIDATORS: dict[int, Draft202012Validator] = {}


def _validator(campaign: Campaign) -> Draft202012Validator:
    key = id(campaign)
    if key not in _VALIDATORS:
        _VALIDATORS[key] = Draft202012Validator(output_schema(campaign))
    return _VALIDATORS[key]


def check_document(
    doc: dict[str, Any],
    campaign: Campaign,
    *,
    report: bool = False,
    expected_ids: Sequence[str] | None = None,
) -> None:
    errors = sorted(_validator(campaign).iter_errors(doc), key=str)
    assert not errors, f"output not valid against the output schema: {errors[0]}"
    seen = [c["id"] for c in doc["candidates"]]
    rejected = [r.get("id") for r in doc.get("rejected", [])]
    assert len(set(seen)) == len(seen), f"a candidate twice in the output: {seen}"
    if expected_ids is not None:
        want = [nfc_id(i) for i in expected_ids]
        assert len(seen) + len(rejected) == len(want), (
            f"{len(want)} candidates in, {len(seen)} judged + {len(rejected)} rejected out"
        )
        assert set(seen) <= set(want), f"candidates out that were not in: {set(seen) - set(want)}"
    for alloc in doc["allocations"]:
        # the lists are disjoint, but for `possible`, which overlaps them (data-model.md)
        keys = ("awarded", "provisional", "tied_at_cutoff", "reserve", "unranked")
        listed = [cid for key in (*keys, "undetermined", "pending") for cid in alloc[key]]
        assert len(listed) == len(set(listed)), f"a candidate twice in {alloc['award']}"
        assert not set(alloc["possible"]) & set(alloc["awarded"] + alloc["provisional"])


def nfc_id(value: Any) -> Any:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def reorder_like(doc: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with its candidates (and rejected) in ``other``'s order."""
    out = dict(doc)
    for key in ("candidates", "rejected"):
        if key in doc:
            order = {c.get("id"): k for k, c in enumerate(other[key])}
            out[key] = sorted(doc[key], key=lambda c: order[c.get("id")])
    return out


def same_but_order(first: bytes, second: bytes) -> None:
    """The two outputs are byte-identical once the first's candidates follow the second's
    order (the allocation does not depend on the order at all)."""
    a, b = json.loads(first), json.loads(second)
    assert a["allocations"] == b["allocations"], "the allocation depends on the input order"
    rewritten = json.dumps(reorder_like(a, b), ensure_ascii=False, indent=2) + "\n"
    assert rewritten.encode() == second, "the output differs beyond the order of candidates"


def api_run(campaign: Campaign, doc: Any, **kwargs: Any) -> Any:
    """``evaluate`` through the Python API: a Result, or the InputError it raised (whose
    problems each name a place). Any other exception fails the check."""
    from emulation_rules import evaluate
    from emulation_rules.errors import EmulationRulesError

    try:
        return evaluate(campaign, doc, **kwargs)
    except EngineDisagreement:
        raise
    except InputError as exc:
        assert exc.problems, "an InputError without problems"
        for p in exc.problems:
            assert p.where, f"a problem that names no place: {p!r}"
        return exc
    except EmulationRulesError as exc:
        return exc


def limits_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k == "EMULATION_RULES_LIMITS"}
