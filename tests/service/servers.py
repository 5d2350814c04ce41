"""Real servers for the service's tests (fixtures the test modules import): each a uvicorn
process on 127.0.0.1 on a free port, started by the test session and stopped at its end,
answering an HTTP client (httpx).

* ``server`` — ``emulation-rules serve`` as a user starts it (the installed plugins);
* ``limited`` — ``emulation-rules serve`` with small limits, CORS for one origin, a campaign
  file given with ``--plan``, and three plugins installed beside the shipped ones: one broken,
  one that ships its own dossier layout (``to-trinh.docx`` beside its YAML), and one whose
  layout is broken;
* ``hosted`` — a host application (``hosts.py``) that mounts :func:`create_app` three times: as
  is under ``/thi-dua``, over a registry that fails unexpectedly under ``/faulty``, and with an
  evaluation time limit no evaluation meets under ``/slow``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from fake_plugins import install_plugin, plan_for

from emulation_rules import Registry
from emulation_rules.service.problems import MEDIA_TYPE, TYPE_PREFIX

HERE = Path(__file__).resolve().parent
CAMPAIGN = "an_giang.papi_2021"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A server process; ``url`` is its address, ``log`` what it wrote."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        full_env = {**os.environ, **(env or {})}
        full_env.pop("EMULATION_RULES_PLUGINS", None)
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [a.replace("{port}", str(self.port)) for a in args],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=str(HERE),
        )
        self._wait()

    def _wait(self, health: str = "/api/v1/health", seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server ended: {self.log.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + health, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer: {self.log.read_text(errors='replace')}")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._log_file.close()


def serve_args(*options: str) -> list[str]:
    """``emulation-rules serve`` on the server's port, as the console script runs it."""
    runner = "import sys; from emulation_rules.cli import main; sys.exit(main())"
    return [sys.executable, "-c", runner, "serve", "--port", "{port}", *options]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(serve_args(), tmp_path_factory.mktemp("server") / "server.log")
    yield running
    running.stop()


#: the first words of the dossier layout the ``tinh_mau`` plugin ships
OWN_LAYOUT = "UBND TỈNH MẪU"
#: the limits of the ``limited`` server
LIMITED_BODY = 8_000
LIMITED_CANDIDATES = 3
CORS_ORIGIN = "https://office.example"
#: a campaign file served with --plan by the ``limited`` server: a work plan (targets only)
EXAMPLE_PLAN = HERE.parents[1] / "examples" / "cchc_2021" / "plan.yaml"


@pytest.fixture(scope="session")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("site")

    def typo(plan: dict[str, Any]) -> None:
        plan["criteria"][0]["rule"]["fact"] = "parr"

    install_plugin(site, "broken", plan=plan_for("broken", typo))
    own = docx.Document()
    own.add_paragraph(OWN_LAYOUT + " — {{ campaign_id }} — {{ as_of }} — {{ agency }}")
    own.add_paragraph("{%p for f in forms %}")
    own.add_paragraph("{{ f.label }}: {{ f.count }}")
    own.add_paragraph("{%p endfor %}")
    own.save(str(install_plugin(site, "tinh_mau", plan=plan_for("tinh_mau")) / "to-trinh.docx"))
    broken_layout = docx.Document()
    broken_layout.add_paragraph("{{ unclosed")
    broken_layout.save(
        str(install_plugin(site, "mau_hong", plan=plan_for("mau_hong")) / "to-trinh.docx")
    )
    running = Server(
        serve_args(
            "--max-body-bytes",
            str(LIMITED_BODY),
            "--max-candidates",
            str(LIMITED_CANDIDATES),
            "--cors-origin",
            CORS_ORIGIN,
            "--plan",
            str(EXAMPLE_PLAN),
        ),
        tmp_path_factory.mktemp("limited") / "server.log",
        env={"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])},
    )
    yield running
    running.stop()


@pytest.fixture(scope="session")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "--app-dir",
            str(HERE),
            "hosts:host",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
        ],
        tmp_path_factory.mktemp("hosted") / "server.log",
    )
    running._wait("/thi-dua/api/v1/health")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def sample(registry: Registry) -> dict[str, Any]:
    return registry.entry(CAMPAIGN).sample_document()


def problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """The response is a problem document of that status and kind, with its problem list."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == MEDIA_TYPE
    body = response.json()
    assert body["type"] == TYPE_PREFIX + kind
    assert body["status"] == status
    assert body["count"] == len(body["problems"]) >= 1
    assert body["instance"] == response.request.url.path
    for p in body["problems"]:
        assert set(p) == {"where", "candidate", "row", "cell", "field", "rule", "value", "message"}
    assert "Traceback" not in response.text
    return body
