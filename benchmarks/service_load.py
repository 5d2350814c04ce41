"""A bounded load test of ``emulation-rules serve`` on this machine (not part of ``make test``).

Starts the server on 127.0.0.1 on a free port, then ``--clients`` concurrent HTTP clients
(httpx, one asyncio task each, keep-alive) post An Giang's bundled sample (79 candidates) to
``/api/v1/campaigns/an_giang.papi_2021/evaluate`` for ``--seconds`` seconds, and reports requests
per second, latency percentiles (p50, p90, p99, max) and errors (any answer but a 200 with the
expected output, or a transport error). Every answer is checked against the in-process result.

The baselines, measured in the same run, in process, one call after another on the same
document: ``er.evaluate`` alone, and ``er.evaluate`` followed by the output JSON (what the server
computes for each request). The ratio of the served rate to the second says what serving costs
on top of that work: reading the body, a worker thread, HTTP, and the load generator itself,
which shares the machine's cores with the server.

Traffic goes only to 127.0.0.1; the run stops by itself (at most ``MAX_SECONDS`` seconds of
load, at most ``MAX_CLIENTS`` clients). The figures are printed and written to
``benchmarks/results/service_load.json``::

    python benchmarks/service_load.py                      # 50 clients, 30 s, 2 workers
    python benchmarks/service_load.py --clients 10 --seconds 10 --workers 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

import emulation_rules as er

CAMPAIGN = "an_giang.papi_2021"
MAX_SECONDS = 120.0
MAX_CLIENTS = 200
RESULTS = Path(__file__).resolve().parent / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    runner = "import sys; from emulation_rules.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            runner,
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"the server ended: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not answer within 60 s")


def baseline(document: dict[str, Any], seconds: float) -> tuple[dict[str, float], dict[str, Any]]:
    """In-process rates on the same document, one call after another: ``evaluate`` alone, and
    ``evaluate`` then the output JSON (the work the server does for each request); and the
    expected output."""
    campaign = er.load_registry().campaign(CAMPAIGN)
    expected = json.loads(er.evaluate(campaign, document).to_json())
    rates = {}
    for name, work in (
        ("evaluate", lambda: er.evaluate(campaign, document)),
        ("evaluate_and_json", lambda: er.evaluate(campaign, document).to_json(indent=None)),
    ):
        runs = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            work()
            runs += 1
        rates[name] = round(runs / (time.perf_counter() - start), 2)
    return rates, expected


async def load(
    url: str, body: bytes, expected: bytes, clients: int, seconds: float
) -> dict[str, Any]:
    """``clients`` tasks posting ``body`` until ``seconds`` have passed; every answer must be
    ``expected`` byte for byte (the output is deterministic)."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.monotonic() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                response = await http.post(
                    url, content=body, headers={"content-type": "application/json"}
                )
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    key = f"status {response.status_code}"
                    errors[key] = errors.get(key, 0) + 1
                elif response.content != expected:
                    errors["wrong answer"] = errors.get("wrong answer", 0) + 1
                else:
                    latencies.append(elapsed)
            except httpx.HTTPError as exc:
                key = type(exc).__name__
                errors[key] = errors.get(key, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=120) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    wall = time.perf_counter() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    return {
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": errors,
        "wall_seconds": round(wall, 2),
        "requests_per_second": round(len(latencies) / wall, 2),
        "latency_ms": {
            "p50": round(pct(50), 1),
            "p90": round(pct(90), 1),
            "p99": round(pct(99), 1),
            "max": round(ordered[-1] * 1000, 1),
            "mean": round(statistics.fmean(ordered) * 1000, 1),
        }
        if ordered
        else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2, help="serve --workers")
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--output", type=Path, default=RESULTS / "service_load.json")
    args = parser.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    registry = er.load_registry()
    document = registry.entry(CAMPAIGN).sample_document()
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    rates, expected = baseline(document, args.baseline_seconds)
    port = free_port()
    server = start_server(port, args.workers)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/campaigns/{CAMPAIGN}/evaluate"
        # warm-up (the compiled plan and the durable-rules ruleset are cached after the first),
        # and the answer every request must give: the library's output, byte for byte after
        first = httpx.post(
            url, content=body, headers={"content-type": "application/json"}, timeout=60
        )
        if first.status_code != 200 or first.json() != expected:
            raise SystemExit(f"the server's answer is not the library's: {first.text[:300]}")
        figures = asyncio.run(load(url, body, first.content, clients, seconds))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "campaign": CAMPAIGN,
        "candidates": len(document["candidates"]),
        "body_bytes": len(body),
        "clients": clients,
        "seconds": seconds,
        "server_workers": args.workers,
        "in_process_per_second": rates,
        **figures,
        "served_to_in_process": round(
            figures["requests_per_second"] / rates["evaluate_and_json"], 3
        ),
        "environment": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "emulation-rules": _version("emulation-rules"),
            "fastapi": _version("fastapi"),
            "uvicorn": _version("uvicorn"),
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lat = report["latency_ms"] or {}
    print(
        f"{clients} clients × {seconds:g} s, {args.workers} worker(s): "
        f"{report['ok']} ok, errors {report['errors'] or 'none'}\n"
        f"  {report['requests_per_second']} requests/s "
        f"(in process: evaluate {rates['evaluate']}/s, evaluate + JSON "
        f"{rates['evaluate_and_json']}/s; served / in process {report['served_to_in_process']})\n"
        f"  latency ms: p50 {lat.get('p50')}, p90 {lat.get('p90')}, p99 {lat.get('p99')}, "
        f"max {lat.get('max')}\n  written to {args.output}"
    )
    return 1 if report["errors"] else 0


def _version(name: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
