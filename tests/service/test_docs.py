"""The README's curl example works as written against a running ``emulation-rules serve``, and
docs/service.md's mounting example builds a host that answers."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from servers import CAMPAIGN, Server, server

from emulation_rules import Registry, evaluate

__all__ = ["server"]

ROOT = Path(__file__).resolve().parents[2]


def shell_block(text: str, heading: str) -> str:
    section = text[text.index(heading) :]
    return re.search(r"```sh\n(.*?)```", section, flags=re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_readme_curl_example_answers_as_written(
    server: Server, registry: Registry, tmp_path: Path
) -> None:
    block = shell_block((ROOT / "README.md").read_text(encoding="utf-8"), "## Over HTTP, and pages")
    lines = block.replace("\\\n", " ").splitlines()
    assert any(line.startswith("emulation-rules serve") for line in lines)
    sample_line = next(line for line in lines if line.startswith("emulation-rules sample"))
    curl_line = next(line for line in lines if line.startswith("curl "))
    assert "http://127.0.0.1:8000/api/v1/" in curl_line  # the default address of serve
    command, _, target = sample_line.partition(">")
    args = shlex.split(command)
    runner = "import sys; from emulation_rules.cli import main; sys.exit(main())"
    written = subprocess.run(
        [sys.executable, "-c", runner, *args[1:]], capture_output=True, check=True, cwd=tmp_path
    )
    (tmp_path / target.strip()).write_bytes(written.stdout)
    curl = shlex.split(curl_line.replace("http://127.0.0.1:8000", server.url))
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    answer = subprocess.run(curl, capture_output=True, check=True, cwd=tmp_path, timeout=60)
    got = json.loads(answer.stdout)
    document = registry.entry(CAMPAIGN).sample_document()
    expected = json.loads(evaluate(registry.campaign(CAMPAIGN), document).to_json())
    assert got == expected


def test_the_mounting_example_builds_a_host_that_answers() -> None:
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    section = text[text.index("## Mount it in your own application") :]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)  # type: ignore[union-attr]
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/service.md", "exec"), namespace)  # the documentation's own code

    async def ask() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=namespace["host"])  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://host") as client:
            return await client.get("/thi-dua/api/v1/health"), await client.get("/thi-dua/")

    health, page = asyncio.run(ask())
    assert health.json()["status"] == "ok"
    assert page.status_code == 200 and 'href="/thi-dua/campaigns/' in page.text
