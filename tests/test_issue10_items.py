"""Issue 10 ("nothing lost, nothing crashes") listed 18 findings; each has a regression test
named after it (``test_item<N>_…``), spread over the test files of the modules that were wrong.
This keeps the list whole: a renamed or deleted regression test fails here."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ITEMS = range(1, 19)


def test_every_item_of_issue_10_has_a_regression_test_named_after_it() -> None:
    named = re.compile(r"^def test_item(\d+)_\w+", re.MULTILINE)
    found: dict[int, list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        for number in named.findall(path.read_text(encoding="utf-8")):
            found.setdefault(int(number), []).append(path.relative_to(TESTS).as_posix())
    missing = [n for n in ITEMS if n not in found]
    assert not missing, f"issue 10 items without a test named test_item<N>_…: {missing}"
