"""pytest plugin (entry point ``pytest11``): collects ``test_*.yaml`` case files.

Every case becomes a test item named after the case; a failing case prints the file, the case,
the candidate, the criterion, what was expected and what came out, with the citation — never a
traceback. A case file that breaks the case format fails at collection with every problem of
the file. When a plugin did not load (its plan has an error, say), its plan error is reported
once in the session, as one failing item ``plugin X did not load``, and the cases of its
campaigns are skipped with a pointer to it, instead of one traceback per case.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.errors import EmulationRulesError
from emulation_rules.plugins.manager import PluginFailure
from emulation_rules.plugins.registry import Registry, load_registry
from emulation_rules.testing.cases import Case, CaseFailure, CaseFormatError, load_cases, run_case

_REPORTED: dict[str, Path] = {}  # plugin -> the case file whose item reports its failure


@cache
def _registry() -> Registry:
    return load_registry()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.name.startswith("test_"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def _failure_for(registry: Registry, campaign_id: str) -> PluginFailure | None:
    if any(e.campaign.id == campaign_id for e in registry.entries):
        return None
    return registry.failure_of(campaign_id.partition(".")[0])


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            cases = load_cases(self.path)
        except CaseFormatError as exc:
            raise self.CollectError(str(exc)) from None
        registry = _registry()
        announced: set[str] = set()
        for case in cases:
            failure = _failure_for(registry, case.campaign)
            if (
                failure is not None
                and _REPORTED.setdefault(failure.plugin, self.path) == self.path
                and failure.plugin not in announced
            ):
                announced.add(failure.plugin)
                yield BrokenPluginItem.from_parent(
                    self, name=f"plugin {failure.plugin} did not load", failure=failure
                )
            yield CaseItem.from_parent(self, name=case.name, case=case, failure=failure)


class BrokenPluginItem(pytest.Item):
    """Fails once per session with the error of a plugin that did not load."""

    def __init__(self, *, failure: PluginFailure, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failure = failure

    def runtest(self) -> None:
        raise CaseFailure(
            f"plugin '{self.failure.plugin}' did not load ({self.failure.hook}), so the cases "
            f"of its campaigns cannot run:\n{self.failure.message}"
        )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"plugin {self.failure.plugin} did not load"


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, failure: PluginFailure | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.failure = failure

    def runtest(self) -> None:
        if self.failure is not None:
            first = _REPORTED.get(self.failure.plugin, self.path)
            pytest.skip(
                f"campaign {self.case.campaign}: plugin '{self.failure.plugin}' did not load "
                f"(reported once, with {first})"
            )
        run_case(self.case, self.path, _registry())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure | CaseFormatError | EmulationRulesError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.case.name}"
