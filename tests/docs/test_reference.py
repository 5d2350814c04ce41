"""The API reference (docs/reference.md, built by `make docs`) covers the public surface, and
the README's Python example runs as written."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import yaml

import emulation_rules as er

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference.md"


def test_every_public_name_is_in_the_reference_with_a_docstring_of_its_own() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: emulation_rules\.(\w+)$", text, flags=re.MULTILINE))
    assert documented == set(er.__all__)
    for name in er.__all__:
        obj = getattr(er, name)
        own = obj.__dict__.get("__doc__") if isinstance(obj, type) else obj.__doc__
        assert own and own.strip(), f"{name} has no docstring of its own"


def test_result_objects_document_their_methods() -> None:
    for cls in (er.Registry, er.Result, er.CandidateResult):
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                assert member.__doc__, f"{cls.__name__}.{name} has no docstring"


def test_every_page_is_in_the_site_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!", ""))
    pages = {next(iter(entry.values())) for entry in config["nav"]}
    assert pages == {p.name for p in (ROOT / "docs").glob("*.md")}


def test_the_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"## Python API\n\n```python\n(.*?)```", readme, flags=re.DOTALL)
    assert 'allocation("co_thi_dua", "so_ban_nganh")' in code  # a per-group award
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("tap_the.")  # the blocking verdicts
    assert "<Registry: " in ran.stdout
