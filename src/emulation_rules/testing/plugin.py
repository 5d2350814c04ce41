"""pytest plugin (entry point ``pytest11``): collects ``test_*.yaml`` case files.

Every case becomes a test item named after the case; a failing case prints the file, the case,
the candidate, the criterion, what was expected and what came out, with the citation.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.plugins.registry import Registry, load_registry
from emulation_rules.testing.cases import Case, CaseFailure, CaseFormatError, load_cases, run_case


@cache
def _registry() -> Registry:
    return load_registry()


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix in (".yaml", ".yml") and file_path.name.startswith("test_"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            cases = load_cases(self.path)
        except CaseFormatError as exc:
            raise self.CollectError(str(exc)) from None
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        run_case(self.case, self.path, _registry())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.case.name}"
