"""``emulation-rules new-plugin``: the generated plugin validates, registers and passes its cases,
in process and once really installed."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from emulation_rules import load_campaign, load_registry
from emulation_rules.authoring.checks import check_campaign
from emulation_rules.authoring.scaffold import PluginNames, ScaffoldError, new_plugin, render_plugin
from emulation_rules.cli import main
from emulation_rules.testing import load_cases, run_case

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def generated_module(tmp_path: Path) -> Iterator[tuple[Path, ModuleType]]:
    """A plugin generated into tmp_path, its module imported from its src directory."""
    slug = "testprov_inproc"
    root = tmp_path / slug
    new_plugin(slug, directory=root, name="tỉnh Thử Nghiệm")
    src = str(root / "src")
    sys.path.insert(0, src)
    try:
        yield root, importlib.import_module(f"emulation_rules_{slug}")
    finally:
        sys.path.remove(src)
        sys.modules.pop(f"emulation_rules_{slug}", None)


def test_generated_plugin_registers_and_passes_its_cases(
    generated_module: tuple[Path, ModuleType],
) -> None:
    root, module = generated_module
    registry = load_registry(extra_plugins=[("testprov_inproc", module)], entry_points=False)
    entry = registry.entry("testprov_inproc.cchc_2025")
    assert entry.campaign.jurisdiction.name == "tỉnh Thử Nghiệm"
    assert entry.sample is not None and entry.sample_document()["candidates"]
    case_file = root / "tests" / "test_cases.yaml"
    cases = load_cases(case_file)
    assert len(cases) >= 3
    for case in cases:
        run_case(case, case_file, registry)
    # a valid skeleton: no error, only the warnings that point at its placeholders
    problems = check_campaign(entry.campaign)
    assert [p for p in problems if p.is_error] == []
    assert problems and all("TODO" in p.message for p in problems)


def test_generated_files_and_names(tmp_path: Path) -> None:
    written = new_plugin("quang_tri", directory=tmp_path / "qt", name="tỉnh Quảng Trị")
    rel = sorted(str(p.relative_to(tmp_path / "qt")) for p in written)
    assert rel == [
        "README.md",
        "pyproject.toml",
        "src/emulation_rules_quang_tri/__init__.py",
        "src/emulation_rules_quang_tri/cchc_2025.yaml",
        "src/emulation_rules_quang_tri/py.typed",
        "src/emulation_rules_quang_tri/sample.json",
        "tests/test_cases.yaml",
    ]
    meta = tomllib.loads((tmp_path / "qt" / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] == "emulation-rules-quang-tri"
    assert meta["project"]["requires-python"] == ">=3.11,<3.13"
    assert meta["project"]["entry-points"]["emulation_rules"] == {
        "quang_tri": "emulation_rules_quang_tri"
    }
    assert meta["build-system"]["build-backend"] == "hatchling.build"
    assert meta["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [
        "src/emulation_rules_quang_tri"
    ]
    campaign = load_campaign(tmp_path / "qt" / "src/emulation_rules_quang_tri/cchc_2025.yaml")
    assert campaign.id == "quang_tri.cchc_2025"
    assert "tỉnh Quảng Trị" in campaign.title
    # the example has one of each and an interpretation with its note
    assert [len(x) for x in (campaign.sources, campaign.participants, campaign.facts)] == [1, 1, 1]
    assert [len(x) for x in (campaign.parameters, campaign.criteria, campaign.awards)] == [1, 1, 1]
    assert campaign.parameters[0].citation.interpretation
    assert campaign.parameters[0].citation.note


def test_campaign_name_sets_the_id_file_and_year(tmp_path: Path) -> None:
    files = render_plugin(PluginNames("thai_binh", "tỉnh Thái Bình", "par_2026"))
    text = files["src/emulation_rules_thai_binh/par_2026.yaml"]
    doc = yaml.safe_load(text)
    assert doc["id"] == "thai_binh.par_2026"
    assert str(doc["period"]["start"]).startswith("2026-")
    assert '"as_of": "2026-12-31"' in files["src/emulation_rules_thai_binh/sample.json"]


def _key_paths(node: yaml.Node, path: str = "") -> Iterator[tuple[str, int]]:
    """(key path with list indexes dropped, 0-based line) of every mapping key."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            yield sub, key.start_mark.line
            yield from _key_paths(value, sub)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _key_paths(item, path)


def test_every_field_of_the_campaign_skeleton_is_explained_by_a_comment() -> None:
    text = render_plugin(PluginNames("testprov", "tỉnh Thử Nghiệm", "cchc_2025"))[
        "src/emulation_rules_testprov/cchc_2025.yaml"
    ]
    lines = text.splitlines()

    def commented(line: int) -> bool:
        if " # " in lines[line]:
            return True
        return line > 0 and lines[line - 1].lstrip().startswith("#")

    root = yaml.compose(text)
    assert root is not None
    explained: dict[str, bool] = {}
    for path, line in _key_paths(root):
        # every citation has the same fields: explaining them once is enough
        field = path[path.index("citation") :] if "citation" in path else path
        explained[field] = explained.get(field, False) or commented(line)
    missing = sorted(field for field, ok in explained.items() if not ok)
    assert missing == [], f"fields without an explaining comment: {missing}"
    assert "citation.interpretation" in explained and "citation.note" in explained


def test_generated_python_is_lint_clean(tmp_path: Path) -> None:
    pytest.importorskip("ruff")
    new_plugin("testprov_lint", directory=tmp_path / "p", name="tỉnh Thử Nghiệm")
    config = str(ROOT / "pyproject.toml")
    for args in (["check"], ["format", "--check"]):
        out = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "--config", config, str(tmp_path / "p")],
            capture_output=True,
            text=True,
        )
        assert out.returncode == 0, out.stdout + out.stderr


def test_cli_generates_and_refuses_clearly(tmp_path: Path) -> None:
    target = tmp_path / "plugins" / "thai_binh"
    result = run("new-plugin", "thai_binh", "--directory", str(target), "--name", "tỉnh Thái Bình")
    assert result.exit_code == 0, result.output
    assert f"created {target / 'pyproject.toml'}" in result.output
    assert "emulation-rules check thai_binh" in result.output
    # an existing directory is refused, --force rewrites the generated files only
    result = run("new-plugin", "thai_binh", "--directory", str(target))
    assert result.exit_code == 2
    assert "already exists and is not empty (--force" in result.output
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    init = target / "src/emulation_rules_thai_binh/__init__.py"
    init.write_text("broken", encoding="utf-8")
    assert run("new-plugin", "thai_binh", "--directory", str(target), "--force").exit_code == 0
    assert "register_campaigns" in init.read_text(encoding="utf-8")
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bình-Định"], "slug 'Bình-Định': a plugin slug is lowercase snake case"),
        (["Binh_Dinh"], "did you mean 'binh_dinh'?"),
        (["binh__dinh"], "single underscores"),
        (["9tinh"], "starting with a letter"),
        (["an_giang"], "a plugin named 'an_giang' is already installed"),
        (["thai_binh", "--campaign", "PAR-2025"], "campaign 'PAR-2025'"),
        (["thai_binh", "--name", 'tỉnh "X"'], "contains characters a name does not need"),
        (["thai_binh", "--name", "  "], "--name is empty"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("new-plugin", *args, "--directory", str(tmp_path / "p"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    assert message in result.output
    assert not (tmp_path / "p").exists()


def test_errors_are_library_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="is not a directory"):
        new_plugin("thai_binh", directory=tmp_path / "file")


def test_really_installed_plugin_passes_its_cases_and_check(tmp_path: Path) -> None:
    """Build and install the generated distribution (wheel, entry point and package data) into
    a target directory, then run pytest and `emulation-rules check` against the installed copy
    only, as a plugin author would after `pip install`."""
    slug = "testprov_installed"
    source = tmp_path / "source"
    new_plugin(slug, directory=source, name="tỉnh Thử Nghiệm")
    site = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--ignore-installed",  # never touch the running environment's distributions
            "--target",
            str(site),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    installed = site / f"emulation_rules_{slug}"
    assert (installed / "cchc_2025.yaml").is_file() and (installed / "sample.json").is_file()
    # the cases run from a copy of tests/ away from the sources, so only the install can serve
    tests = tmp_path / "cases" / "tests"
    tests.mkdir(parents=True)
    case_text = (source / "tests" / "test_cases.yaml").read_text(encoding="utf-8")
    sample = installed / "sample.json"
    case_text = case_text.replace(f"../src/emulation_rules_{slug}/sample.json", str(sample))
    (tests / "test_cases.yaml").write_text(case_text, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        "EMULATION_RULES_PLUGINS": slug,
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path / "cases",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "from emulation_rules.cli import main; main()",
            "check",
            slug,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{slug} {slug}.cchc_2025 criterion:tap_the.truc_tuyen: warning:" in check.stdout
    assert "checked 1 campaign(s): 0 error(s)" in check.stderr


# --- issue 10 items 8 and 15: slugs that cannot work are refused in one line -----------------


@pytest.mark.parametrize("slug", ["yes", "no", "on", "off", "true", "false", "null", "y", "n"])
def test_item15_slugs_yaml_reads_as_booleans_or_null_are_refused(tmp_path: Path, slug: str) -> None:
    result = run("new-plugin", slug, "--directory", str(tmp_path / "p"))
    assert result.exit_code == 2
    assert result.output == (
        f"error: slug '{slug}': YAML reads this word as a boolean or null, not as a name; choose "
        "another (the jurisdiction's name, e.g. quang_tri)\n"
    )
    assert not (tmp_path / "p").exists()


def test_item15_a_slug_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    for slug in ("quang_tri\n", "quang_tri\r\n", " quang_tri"):
        result = run("new-plugin", slug, "--directory", str(tmp_path / "p"))
        assert result.exit_code == 2
        assert result.output.startswith(f"error: slug {slug!r}: a plugin slug is lowercase")
        assert result.output.count("\n") == 1
    result = run("new-plugin", "quang_tri", "--campaign", "par_2025\n", "--directory", "x")
    assert result.exit_code == 2 and "campaign 'par_2025\\n'" in result.output


def test_item8_a_300_character_slug_gives_one_error_line_and_status_2(tmp_path: Path) -> None:
    result = run("new-plugin", "a" * 300, "--directory", str(tmp_path / "p"))
    assert result.exit_code == 2
    assert result.output == (
        f"error: slug '{'a' * 40}…' has 300 characters; a plugin slug has at most 40\n"
    )
    long_dir = tmp_path / ("d" * 300)
    result = run("new-plugin", "quang_tri", "--directory", str(long_dir))
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "File name too long" in result.output
    assert result.output.count("\n") == 1


def test_next_steps_name_commands_that_work_anywhere(tmp_path: Path) -> None:
    target = tmp_path / "thai binh"
    result = run("new-plugin", "thai_binh", "--directory", str(target))
    steps = result.output.split("next:\n", 1)[1]
    assert f"pip install -e '{target}[test]'" in steps
    assert f"pytest '{target}'" in steps
    assert "make test" not in steps
    guide = Path(steps.splitlines()[-1].removeprefix("guide: "))
    assert guide.name == "writing-a-province-plugin.md" and guide.is_file()
    meta = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))
    (core,) = meta["project"]["dependencies"]
    (testing,) = meta["project"]["optional-dependencies"]["test"]
    installed = importlib.metadata.version("emulation-rules")
    assert core == f"emulation-rules>={installed},<0.{int(installed.split('.')[1]) + 1}"
    assert testing == core.replace("emulation-rules", "emulation-rules[testing]", 1)
