"""A plan error in pytest (issue 13 item 3): reported once for the session, on one screen, never
one traceback per case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fake_plugins import install_plugin, plan_for

CASES = """- name: case {n}
  campaign: broken.mini_2024
  input: {{candidates: []}}
  expect: {{}}
"""


def test_a_broken_plan_is_reported_once_not_once_per_case(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(
        site,
        "broken",
        plan=plan_for("broken", lambda p: p["criteria"][0]["rule"].update(fact="parr")),
    )
    tests = tmp_path / "tests"
    tests.mkdir()
    for file in ("test_a.yaml", "test_b.yaml"):
        (tests / file).write_text("".join(CASES.format(n=n) for n in range(5)), encoding="utf-8")
    (tests / "test_ok.yaml").write_text(
        """- name: an_giang still works
  campaign: an_giang.papi_2021
  input: {candidates: [{id: x1, name: "UBND xã A", kind: collective, unit_type: ubnd_xa,
                        facts: {district_assessment: "Hoàn thành xuất sắc nhiệm vụ"}}]}
  expect: {criteria: {x1: {tap_the_xa.danh_gia_cua_huyen: met}}}
""",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        "EMULATION_RULES_PLUGINS": "broken,an_giang",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tests)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "1 failed, 1 passed, 10 skipped" in out
    assert out.count("reads undeclared fact 'parr' (did you mean 'par'?)") == 1
    assert "plugin 'broken' did not load (register_campaigns), so the cases" in out
    assert "Traceback" not in out and len(out.splitlines()) < 60, out
