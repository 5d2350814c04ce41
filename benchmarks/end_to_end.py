"""A national run end to end: files in, files out, through the CLI and the Python API, beside
floors measured on the same files in the same run (issue 14).

    python benchmarks/end_to_end.py                  # 10k, 100k and 1M (`make bench`)
    python benchmarks/end_to_end.py --quick          # 10k only, a smoke test (`make bench-quick`)
    python benchmarks/end_to_end.py --sizes 100k --jobs cli-json-json,floor-orjson

The campaign is ``an_giang.papi_2021`` (the shipped plan) with synthetic candidates
(``papi.py``: half collectives, half individuals, about 10 % of facts missing), written as the
JSON input document, a CSV and a Parquet file. Every job runs in a process of its own, so the
peak memory (``ru_maxrss``) is that job's: a CLI job is the command itself (interpreter start,
imports, reading, evaluating, allocating, writing the output file), timed from outside; an API
or floor job is a worker process timing its own call. Jobs:

* ``cli-json-json``: ``emulation-rules evaluate CAMPAIGN in.json --engine columnar --format json
  -o out.json``; ``cli-json-json-both`` the same with the default engine (both engines, up to
  100k); ``cli-csv-csv`` CSV in, CSV out; ``cli-parquet-json``, ``cli-parquet-csv``;
* ``api-json``, ``api-csv``, ``api-parquet``: ``load_input(campaign, file)`` then
  ``evaluate_validated(..., engine="columnar")`` (the Python API's ``evaluate`` from a file:
  read, validate, decide, allocate), and ``api-json-json`` the same then ``Result.write_json``;
* ``floor-orjson``: read the JSON input file and parse it with orjson, serialise the output
  document (the one ``cli-json-json`` wrote, parsed beforehand, untimed, a chunk of candidates at
  a time — a million candidates' document does not fit in memory as Python objects) with orjson
  and write it: the bytes in and out of the JSON path with nothing in between;
* ``floor-polars-csv``, ``floor-polars-parquet``, ``floor-polars-json``: the same rules
  hand-written in Polars reading the same file and writing a CSV of the same shape
  (``papi_baselines.polars_pipeline``);
* at 100k (``--durable-at``): ``api-both`` — ``evaluate(campaign, candidates, engine="both")``
  from the parsed candidates — against ``durable-hand``, a hand-written durable-rules ruleset of
  the same awards from the same candidates (``papi_baselines.DurablePapi``).

Printed: seconds, candidates per second and peak MiB per job and size; the ratio of each path to
its floor; the linearity ratio (1M ÷ 100k) of every job; the aims of issue 14, each met or
MISSED. Written to ``benchmarks/results/end_to_end.json``. The exit status is 1 if a job failed
(no timing is asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DEFAULT_OUTPUT = HERE / "results" / "end_to_end.json"
MIB = 1024 * 1024
CAMPAIGN = "an_giang.papi_2021"

CLI_JOBS = {
    "cli-json-json": ("json", ["--engine", "columnar", "--format", "json"], "json"),
    "cli-json-json-both": ("json", ["--format", "json"], "json"),
    "cli-csv-csv": ("csv", ["--engine", "columnar", "--format", "csv", "--locale", "en"], "csv"),
    "cli-parquet-json": ("parquet", ["--engine", "columnar", "--format", "json"], "json"),
    "cli-parquet-csv": ("parquet", ["--engine", "columnar", "--format", "csv"], "csv"),
}
WORKER_JOBS = (
    "api-json",
    "api-csv",
    "api-parquet",
    "api-json-json",
    "floor-orjson",
    "floor-polars-csv",
    "floor-polars-parquet",
    "floor-polars-json",
)
DURABLE_JOBS = ("api-both", "durable-hand")
ALL_JOBS = (*CLI_JOBS, *WORKER_JOBS, *DURABLE_JOBS)
#: jobs too slow for 1M on this machine and not among the aims
SMALL_ONLY = {"cli-json-json-both": 100_000}
#: the smoke test (``--quick``) leaves out the paths that repeat another at 10k
QUICK_SKIP = {"cli-json-json-both", "cli-parquet-csv", "floor-polars-json"}
#: path -> its floor (the ratio printed)
FLOORS = {
    "cli-json-json": "floor-orjson",
    "cli-json-json-both": "floor-orjson",
    "api-json-json": "floor-orjson",
    "cli-csv-csv": "floor-polars-csv",
    "api-csv": "floor-polars-csv",
    "cli-parquet-csv": "floor-polars-parquet",
    "cli-parquet-json": "floor-polars-parquet",
    "api-parquet": "floor-polars-parquet",
    "api-json": "floor-polars-json",
    "api-both": "durable-hand",
}


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale != 1 else t) * scale)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


# --- the worker (one job in this process) --------------------------------------------------------
def worker(job: str, n: int, data: Path, out: Path, reference: Path | None) -> dict[str, Any]:
    """Run one job here; its seconds and what it counted."""
    files = {fmt: data / f"papi-{n}.{fmt}" for fmt in ("json", "csv", "parquet")}
    extra: dict[str, Any] = {}
    if job.startswith("floor-polars-"):
        from papi_baselines import polars_pipeline

        fmt = job.removeprefix("floor-polars-")
        t0 = time.perf_counter()
        extra["eligible"] = polars_pipeline(files[fmt], out)
        return {"seconds": time.perf_counter() - t0, **extra}
    if job == "floor-orjson":
        import orjson

        assert reference is not None
        t0 = time.perf_counter()
        parsed = orjson.loads(files["json"].read_bytes())
        seconds = time.perf_counter() - t0
        with out.open("wb", buffering=1 << 20) as handle:
            seconds += serialise_floor(reference, handle)
        return {"seconds": seconds, "candidates": len(parsed["candidates"])}
    if job in DURABLE_JOBS:
        import orjson

        candidates = orjson.loads(files["json"].read_bytes())["candidates"]
        if job == "durable-hand":
            from papi_baselines import DurablePapi

            hand = DurablePapi()
            hand.run(candidates[:500])  # warm-up
            t0 = time.perf_counter()
            extra["eligible"] = hand.run(candidates)
            return {"seconds": time.perf_counter() - t0, **extra}
        from emulation_rules import evaluate, load_registry

        campaign = load_registry().campaign(CAMPAIGN)
        evaluate(campaign, candidates[:500], engine="both")  # warm-up: compile, ruleset
        t0 = time.perf_counter()
        result = evaluate(campaign, candidates, engine="both")
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "eligible": _eligible(result)}
    # api-*: the Python API from a file
    from emulation_rules import load_input, load_registry
    from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of

    campaign = load_registry().campaign(CAMPAIGN)
    fmt = job.split("-")[1]
    t0 = time.perf_counter()
    as_of, validated = load_input(campaign, files[fmt], locale="en" if fmt == "csv" else None)
    result = evaluate_validated(
        campaign, validated, as_of=resolve_as_of(campaign, as_of), engine="columnar"
    )
    if job == "api-json-json":
        with out.open("wb", buffering=1 << 20) as handle:
            result.write_json(handle)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "eligible": _eligible(result)}


#: a candidate's end and the next one's start in the output document (indent 2, level 2)
_BETWEEN = b"\n    },\n    {\n"
_FLOOR_CHUNK = 20_000


def serialise_floor(reference: Path, handle: Any) -> float:
    """Seconds orjson takes to serialise (indent 2) and write the output document at
    ``reference`` — the one ``cli-json-json`` wrote. The document of a million candidates does
    not fit in memory as Python objects, so it is parsed (untimed) and serialised (timed)
    ``_FLOOR_CHUNK`` candidates at a time: the head, the candidates in chunks, the tail."""
    import orjson

    raw = reference.read_bytes()
    start = raw.index(b'\n  "candidates": [')
    end = raw.rindex(b'\n  ],\n  "allocations": ')
    head = orjson.loads(raw[:start].rstrip(b",") + b"\n}")
    tail = orjson.loads(b"{" + raw[end + len(b"\n  ],") :])
    body = raw[start + len(b'\n  "candidates": [') : end].strip()
    del raw
    items = body[1:-1].strip().split(_BETWEEN) if body else []  # inside each {...}
    del body
    option = orjson.OPT_INDENT_2
    t0 = time.perf_counter()
    handle.write(orjson.dumps(head, option=option))
    seconds = time.perf_counter() - t0
    for k in range(0, len(items), _FLOOR_CHUNK):
        chunk = orjson.loads(b"[{" + b"},{".join(items[k : k + _FLOOR_CHUNK]) + b"}]")
        t0 = time.perf_counter()
        handle.write(orjson.dumps(chunk, option=option))
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    handle.write(orjson.dumps(tail, option=option) + b"\n")
    handle.flush()
    return seconds + time.perf_counter() - t0


def _eligible(result: Any) -> int:
    return int(sum(int((codes == 0).sum()) for codes in result.verdicts.awards))


def run_job(job: str, n: int, data: Path, work: Path, reference: Path | None) -> dict[str, Any]:
    """One job in a process of its own: its seconds and peak memory."""
    record: dict[str, Any] = {"job": job, "n": n}
    out = work / f"out-{job}-{n}.{'csv' if job.endswith('csv') or 'polars' in job else 'json'}"
    if job in CLI_JOBS:
        fmt, options, _ = CLI_JOBS[job]
        exe = Path(sys.executable).with_name("emulation-rules")
        cmd = [str(exe), "evaluate", CAMPAIGN, str(data / f"papi-{n}.{fmt}"), *options]
        cmd += ["-o", str(out)]
    else:
        cmd = [sys.executable, __file__, "--worker", job, "--n", str(n), "--data", str(data)]
        cmd += ["--out", str(out)] + (["--reference", str(reference)] if reference else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    # this runs in a launcher whose only child is the job: RUSAGE_CHILDREN is the job's
    record["peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode not in (0,):
        record["error"] = f"exit {proc.returncode}: " + " | ".join(stderr.strip().splitlines()[-4:])
        return record
    if job in CLI_JOBS:
        record["seconds"] = wall
        record["output_bytes"] = out.stat().st_size
    else:
        record.update(json.loads(stdout.strip().splitlines()[-1]))
    record["per_second"] = n / record["seconds"] if record.get("seconds") else None
    return record


def launch(job: str, n: int, data: Path, work: Path, reference: Path | None) -> dict[str, Any]:
    """Run :func:`run_job` in a launcher process, so that RUSAGE_CHILDREN is the job's alone."""
    cmd = [sys.executable, __file__, "--launch", job, "--n", str(n), "--data", str(data)]
    cmd += ["--out", str(work)] + (["--reference", str(reference)] if reference else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = " | ".join(proc.stderr.strip().splitlines()[-4:])
        return {"job": job, "n": n, "error": f"launcher exit {proc.returncode}: {tail}"}
    record: dict[str, Any] = json.loads(lines[-1])
    return record


# --- the table ---------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def table(records: list[dict[str, Any]], sizes: list[int]) -> str:
    by = {(r["job"], r["n"]): r for r in records}
    lines = [
        f"{'job':<22} {'N':>9} {'seconds':>9} {'cand/s':>12} {'peak MiB':>9} "
        f"{'floor':<22} {'× floor':>8}"
    ]
    for job in ALL_JOBS:
        for n in sizes:
            r = by.get((job, n))
            if r is None:
                continue
            if "error" in r:
                lines.append(f"{job:<22} {n:>9,} FAILED {r['error'][:120]}")
                continue
            floor = FLOORS.get(job)
            ratio = None
            f = by.get((floor, n)) if floor else None
            if f is not None and f.get("seconds") and r.get("seconds"):
                ratio = r["seconds"] / f["seconds"]
            lines.append(
                f"{job:<22} {n:>9,} {_fmt(r['seconds'], 3):>9} {_fmt(r['per_second'], 0):>12} "
                f"{_fmt(r['peak_mib'], 0):>9} {floor or '':<22} {_fmt(ratio):>8}"
            )
    return "\n".join(lines)


def linearity(records: list[dict[str, Any]], small: int, big: int) -> dict[str, float]:
    by = {(r["job"], r["n"]): r for r in records if r.get("seconds")}
    out = {}
    for job in ALL_JOBS:
        a, b = by.get((job, small)), by.get((job, big))
        if a and b:
            out[job] = b["seconds"] / a["seconds"]
    return out


def aims(records: list[dict[str, Any]], sizes: list[int]) -> list[str]:
    by = {(r["job"], r["n"]): r for r in records if r.get("seconds")}
    out: list[str] = []

    def say(ok: bool, text: str) -> None:
        out.append(f"{'met   ' if ok else 'MISSED'} {text}")

    big = 1_000_000
    if big in sizes:
        r, f = by.get(("cli-json-json", big)), by.get(("floor-orjson", big))
        if r and f:
            ratio = r["seconds"] / f["seconds"]
            say(
                r["peak_mib"] < 2048 and ratio <= 3.0,
                f"1M, CLI JSON in, JSON out: {r['seconds']:.1f} s = {ratio:.2f}× the orjson floor "
                f"({f['seconds']:.1f} s; aim ≤ 3×), peak {r['peak_mib']:,.0f} MiB (aim < 2,048)",
            )
        r, f = by.get(("cli-csv-csv", big)), by.get(("floor-polars-csv", big))
        if r and f:
            ratio = r["seconds"] / f["seconds"]
            say(
                ratio <= 3.0,
                f"1M, CLI CSV in, CSV out: {r['seconds']:.1f} s = {ratio:.2f}× the polars "
                f"pipeline ({f['seconds']:.1f} s; aim ≤ 3×)",
            )
        for job in ("api-parquet", "api-csv", "api-json"):
            r = by.get((job, big))
            if r:
                say(
                    r["per_second"] >= 1_000_000,
                    f"1M, evaluate(engine='columnar') from a file ({job}): "
                    f"{r['per_second']:,.0f} candidates/s (aim ≥ 1,000,000)",
                )
    if 100_000 in sizes and big in sizes:
        for job, ratio in linearity(records, 100_000, big).items():
            say(ratio <= 11.0, f"linear, {job}: 1M ÷ 100k = {ratio:.2f} (aim ≤ 11)")
    for n in sizes:
        a, d = by.get(("api-both", n)), by.get(("durable-hand", n))
        if a and d:
            ratio = d["seconds"] / a["seconds"]
            say(
                ratio >= 0.8,
                f"{label(n)}, evaluate(engine='both') = {ratio:.2f}× the hand-written "
                f"durable-rules ruleset (throughput; aim ≥ 0.8): {a['seconds']:.2f} s against "
                f"{d['seconds']:.2f} s",
            )
            if a.get("eligible") != d.get("eligible"):
                out.append(
                    f"WARNING eligible counts differ: {a.get('eligible')} / {d.get('eligible')}"
                )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--quick", action="store_true", help="10k only")
    parser.add_argument("--jobs", default=",".join(ALL_JOBS))
    parser.add_argument("--durable-at", default="100k", help="sizes of api-both / durable-hand")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--data", type=Path, help="where the input files are (default: a temp dir)")
    # internal: one job in this process, or a launcher of one job
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--launch", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.data, args.out, args.reference)))
        return 0
    if args.launch:
        print(json.dumps(run_job(args.launch, args.n, args.data, args.out, args.reference)))
        return 0

    sizes = [10_000] if args.quick else sorted({parse_size(s) for s in args.sizes.split(",")})
    durable_at = {parse_size(s) for s in args.durable_at.split(",") if s.strip()}
    if args.quick:
        durable_at = {10_000}
    jobs = [j.strip() for j in args.jobs.split(",") if j.strip()]
    if args.quick:
        jobs = [j for j in jobs if j not in QUICK_SKIP]
    unknown = [j for j in jobs if j not in ALL_JOBS]
    if unknown:
        parser.error(f"unknown jobs: {', '.join(unknown)} (known: {', '.join(ALL_JOBS)})")
    import papi

    data = args.data or Path(tempfile.mkdtemp(prefix="emulation-rules-bench-"))
    work = Path(tempfile.mkdtemp(prefix="emulation-rules-out-"))
    records: list[dict[str, Any]] = []
    started = time.perf_counter()
    try:
        for n in sizes:
            t0 = time.perf_counter()
            papi.write(n, data)
            print(
                f"# {label(n)}: input files written in {time.perf_counter() - t0:.1f} s", flush=True
            )
            reference: Path | None = None
            if "floor-orjson" in jobs and "cli-json-json" not in jobs:  # its output document
                launch("cli-json-json", n, data, work, None)
                reference = work / f"out-cli-json-json-{n}.json"
            for job in jobs:
                if job in SMALL_ONLY and n > SMALL_ONLY[job]:
                    continue
                if job in DURABLE_JOBS and n not in durable_at:
                    continue
                record = launch(job, n, data, work, reference)
                records.append(record)
                print(_line(record), flush=True)
                if job == "cli-json-json":
                    reference = work / f"out-cli-json-json-{n}.json"
                for stale in work.glob("out-*"):
                    if stale != reference:
                        stale.unlink()
            for stale in work.glob("out-*"):
                stale.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if args.data is None:
            shutil.rmtree(data, ignore_errors=True)
    print()
    print(table(records, sizes))
    lin = linearity(records, 100_000, 1_000_000) if {100_000, 1_000_000} <= set(sizes) else {}
    if lin:
        print("\nlinearity (seconds at 1M ÷ seconds at 100k; 10 is linear):")
        for job, ratio in lin.items():
            print(f"  {job:<22} {ratio:6.2f}")
    found = aims(records, sizes)
    if found:
        print("\naims (issue 14):")
        for line in found:
            print("  " + line)
    print(f"\n{len(records)} jobs in {time.perf_counter() - started:.0f} s; {_environment()}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {"records": records, "linearity": lin, "aims": found, "environment": _environment()},
            indent=2,
        ),
        encoding="utf-8",
    )
    return 1 if any("error" in r for r in records) else 0


def _line(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"{r['job']:<22} {r['n']:>9,} FAILED: {r['error']}"
    return (
        f"{r['job']:<22} {r['n']:>9,} {r['seconds']:9.3f} s {_fmt(r['per_second'], 0):>12}/s "
        f"{_fmt(r['peak_mib'], 0):>7} MiB"
    )


def _environment() -> str:
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    sys.exit(main())
