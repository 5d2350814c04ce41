"""A plugin author's path outside this repository, end to end: the core's wheel installs into a
clean virtual environment, `new-plugin` scaffolds a plugin there, and every next step it prints
(install the plugin with its test extra, check, show, pytest) works, against the installed core
only.

It costs a virtual environment and the core's dependencies from the package index (pip's cache
keeps durable-rules built once, by `make setup`, so nothing is compiled again).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 900


def run(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{shlex.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def clean_venv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A virtual environment with the core's wheel installed, and no trace of the repository."""
    pytest.importorskip("build")
    base = tmp_path_factory.mktemp("outside")
    wheels = base / "wheels"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("EMULATION_RULES_PLUGINS", None)
    run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(wheels)],
        cwd=ROOT,
        env=env,
    )
    (wheel,) = wheels.glob("emulation_rules-*.whl")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=base, env=env)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=base, env=env)
    return base, env


def test_a_scaffolded_plugin_installs_and_passes_outside_the_repository(
    clean_venv: tuple[Path, dict[str, str]],
) -> None:
    base, env = clean_venv
    work = base / "work"
    work.mkdir()
    python = str(base / "venv" / "bin" / "python")
    # the core comes from the wheel, not from the repository
    where = run(
        [python, "-c", "import emulation_rules; print(emulation_rules.__file__)"], cwd=work, env=env
    )
    assert str(base / "venv") in where.stdout and str(ROOT) not in where.stdout
    # no plugin is installed yet
    assert run(["emulation-rules", "plugins"], cwd=work, env=env).stdout == "no plugins\n"

    made = run(
        ["emulation-rules", "new-plugin", "quang_tri", "--name", "tỉnh Quảng Trị"],
        cwd=work,
        env=env,
    )
    steps = made.stdout.split("next:\n", 1)[1].splitlines()
    commands = [line.split("#", 1)[0].strip() for line in steps if line.startswith("  ")]
    assert [c.split()[0] for c in commands] == [
        "pip",
        "emulation-rules",
        "emulation-rules",
        "pytest",
    ]
    guide = Path(steps[-1].removeprefix("guide: "))
    assert guide.is_file() and str(base / "venv") in str(guide), steps[-1]
    assert "# Writing a province plugin" in guide.read_text(encoding="utf-8")

    outputs = [run(["bash", "-c", command], cwd=work, env=env) for command in commands]
    check, show, tests = outputs[1], outputs[2], outputs[3]
    assert "checked 1 campaign(s): 0 error(s)" in check.stderr
    assert show.stdout.startswith("quang_tri.cchc_2025: ")
    assert "3 passed" in tests.stdout
    listed = run(["emulation-rules", "plugins"], cwd=work, env=env).stdout
    assert listed.startswith(
        "quang_tri\temulation-rules-quang-tri 0.1.0\tcampaigns: quang_tri.cchc_2025"
    )
