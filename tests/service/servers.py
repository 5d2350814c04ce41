"""Real servers for the service's tests (fixtures the test modules import): each a uvicorn
process on 127.0.0.1 on a free port, started by the test session and stopped at its end,
answering an HTTP client (httpx).

* ``server`` — ``emulation-rules serve`` as a user starts it (the installed plugins);
* ``limited`` — ``emulation-rules serve`` with small limits, CORS for one origin, a broken
  plugin installed beside the shipped ones, and a campaign file given with ``--plan``;
* ``hosted`` — a host application (``hosts.py``) that mounts :func:`create_app` three times: as
  is under ``/thi-dua``, over a registry that fails unexpectedly under ``/faulty``, and with an
  evaluation time limit no evaluation meets under ``/slow``.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from fake_plugins import install_plugin, plan_for

from emulation_rules import Registry
from emulation_rules.inputs.headers import BASE_LABELS
from emulation_rules.inputs.template import SHEET_KIND, fact_headers

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


def fill_form(registry: Registry, campaign_id: str, form: bytes) -> bytes:
    """The sample's candidates written into the campaign's form as a clerk would: labels for
    unit types, Có/Không for yes/no, figures as numbers."""
    campaign = registry.campaign(campaign_id)
    document = registry.entry(campaign_id).sample_document()
    wb = openpyxl.load_workbook(io.BytesIO(form))
    headers = fact_headers(campaign)
    unit_labels = {p.unit_type: p.label for p in campaign.participants}
    for cand in document["candidates"]:
        ws = wb[SHEET_KIND[cand["kind"]]]
        columns = [c.value for c in ws[1]]
        row = ws.max_row + 1
        values: dict[str, Any] = {BASE_LABELS["id"]: cand["id"], BASE_LABELS["name"]: cand["name"]}
        if cand["kind"] == "collective":
            values[BASE_LABELS["unit_type"]] = unit_labels[cand["unit_type"]]
        else:
            values[BASE_LABELS["unit_id"]] = cand["unit_id"]
        for fact, value in (cand.get("facts") or {}).items():
            values[headers[fact]] = (
                ("Có" if value else "Không") if isinstance(value, bool) else value
            )
        for header, value in values.items():
            ws.cell(row=row, column=columns.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
