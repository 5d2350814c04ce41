"""What a plugin ships beside its plans: its bundled samples and its YAML cases, checked against
its campaigns so that neither first fails at ``evaluate`` or in pytest.

* ``sample`` — the bundled sample input (``register(plan, sample=…)``) evaluates against the
  campaign (its ``as_of``, every candidate and fact, with the columnar engine);
* ``cases`` — every case file of the plugin's ``tests/`` directory (found beside the
  ``pyproject.toml`` of the plugin's source tree; an installed plugin without its sources has
  none) loads; each case names an installed campaign; each case's input (``input`` or
  ``input_file``), ``as_of`` and ``overrides`` evaluate, except for a case that expects an
  error; and every candidate, criterion, award and allocation group its expectations name
  exists (with the names it could have meant).

Problems are errors; element names: ``sample`` and ``case:FILE#N`` (the N-th case of FILE,
relative to the plugin's directory).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from emulation_rules.authoring.checks.findings import Problem
from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.evaluate import evaluate
from emulation_rules.plugins.registry import RegisteredCampaign, Registry
from emulation_rules.testing.cases import (
    Case,
    CaseFormatError,
    case_document,
    load_cases,
    unknown_names,
)

_MAX_UP = 4  # how far above a campaign file to look for the plugin's pyproject.toml


def check_sample(entry: RegisteredCampaign) -> list[Problem]:
    """The bundled sample of one campaign evaluates."""
    if entry.sample is None:
        return []
    try:
        evaluate(entry.campaign, entry.sample_document(), engine="columnar")
    except EmulationRulesError as exc:
        return [
            Problem(
                entry.plugin,
                entry.campaign.id,
                "sample",
                "error",
                f"{entry.sample.name} does not evaluate: {line}",
                "sample",
            )
            for line in str(exc).splitlines()
        ]
    return []


def plugin_root(entry: RegisteredCampaign) -> Path | None:
    """The directory of the plugin's source tree (the one holding its ``pyproject.toml``)."""
    origin = Path(entry.origin)
    if not origin.is_file():
        return None
    for parent in list(origin.resolve().parents)[:_MAX_UP]:
        if (parent / "pyproject.toml").is_file():
            return parent
    return None


def case_files(root: Path) -> list[Path]:
    """The YAML case files of a plugin's source tree, in path order."""
    tests = root / "tests"
    if not tests.is_dir():
        return []
    found = {*tests.rglob("test_*.yaml"), *tests.rglob("test_*.yml")}
    return sorted(found)


def check_cases(
    registry: Registry, plugin: str, entries: Iterable[RegisteredCampaign]
) -> list[Problem]:
    """Every YAML case of one plugin: it loads, and its input and expectations fit."""
    roots = sorted({r for e in entries if (r := plugin_root(e)) is not None})
    out: list[Problem] = []
    for root in roots:
        for path in case_files(root):
            out += _check_case_file(registry, plugin, root, path)
    return out


def _check_case_file(registry: Registry, plugin: str, root: Path, path: Path) -> list[Problem]:
    rel = path.relative_to(root).as_posix()
    try:
        cases = load_cases(path)
    except CaseFormatError as exc:
        return [
            Problem(plugin, "-", f"case:{rel}", "error", line.removeprefix(f"{path}: "), "cases")
            for line in str(exc).splitlines()
        ]
    known = {e.campaign.id for e in registry.entries}
    out: list[Problem] = []
    for number, case in enumerate(cases, start=1):
        element = f"case:{rel}#{number}"
        campaign = case.campaign if case.campaign in known else "-"
        for message in _case_problems(registry, case, path, known):
            text = f"{case.name!r}: {' '.join(message.split())}"
            out.append(Problem(plugin, campaign, element, "error", text, "cases"))
    return out


def _case_problems(registry: Registry, case: Case, path: Path, known: set[str]) -> list[str]:
    if case.campaign not in known:
        try:
            registry.entry(case.campaign)
        except EmulationRulesError as exc:
            return [str(exc).splitlines()[0]]
    if case.expect_error is not None:
        return []
    try:
        document = case_document(case, path)
        result = evaluate(
            registry.campaign(case.campaign),
            document,
            as_of=case.as_of,
            overrides=case.overrides or None,
            engine="columnar",
            registry=registry,
        )
    except (CaseFormatError, EmulationRulesError) as exc:
        return [f"its input does not evaluate: {line}" for line in str(exc).splitlines()]
    assert case.expect is not None
    return [line.strip() for line in unknown_names(case.expect, result)]
