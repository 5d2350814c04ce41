"""Throughput of emulation-rules against hand-written baselines, on a synthetic campaign.

    python benchmarks/run.py             # 1k, 10k, 100k (and 1M for the array variants)
    python benchmarks/run.py --quick     # 1k and 10k only (the smoke test)
    python benchmarks/run.py --sizes 10k,1M --variants evaluate_columns,numpy-hand

Every measurement runs in its own subprocess (``measure.py``), so its peak RSS is its own. The
table is printed and written to ``benchmarks/results/latest.json``. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "latest.json"
BASELINE = "durable-hand"  # the "× durable" column: one action per message
BASELINE_CAP = "durable-hand-cap"  # the "× durable-cap" column: "cap", one action per match batch
BASELINE_60 = "durable-hand-60"  # the "× durable" column of the sixty-criterion campaign
MIB = 1024 * 1024


@dataclass(frozen=True)
class Variant:
    name: str
    label: str
    max_n: int
    fast: bool  # array code: best of 3 at every size, since one run costs under a second


VARIANTS = (
    Variant("evaluate-both", "evaluate(engine='both')", 100_000, False),
    Variant("evaluate-columnar", "evaluate(engine='columnar')", 100_000, False),
    Variant("evaluate_columns", "columnar.evaluate_columns", 1_000_000, True),
    Variant(BASELINE, "hand-written durable-rules", 100_000, False),
    Variant(BASELINE_CAP, "hand-written durable-rules, cap", 100_000, False),
    Variant("numpy-hand", "hand-written numpy", 1_000_000, True),
    Variant("polars-hand", "hand-written polars", 1_000_000, True),
    # the sixty-criterion campaign (sixty.py): k of n, a ratio, member aggregates, award on award
    Variant("evaluate-both-60", "60 criteria: evaluate(engine='both')", 100_000, False),
    Variant("evaluate-columnar-60", "60 criteria: evaluate(engine='columnar')", 100_000, False),
    Variant(BASELINE_60, "60 criteria: hand-written durable-rules", 100_000, False),
)
DEFAULT_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)

# the aims the benchmark reports on
AIM_COLUMNAR_N, AIM_COLUMNAR_RATE = 1_000_000, 1_000_000.0
AIM_RATIO = 0.5
AIM_RSS_BYTES = 2 * 1024 * MIB


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    number = t[:-1] if scale != 1 else t
    try:
        value = int(float(number) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 1000, 10k, 1M)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a size is at least 1, not {text!r}")
    return value


def parse_sizes(text: str) -> tuple[int, ...]:
    return tuple(sorted({parse_size(part) for part in text.split(",") if part.strip()}))


def repeats_for(variant: Variant, n: int) -> int:
    if variant.fast:
        return 3
    if n <= 1_000:
        return 5
    if n <= 10_000:
        return 3
    return 1


def polars_available() -> bool:
    try:
        importlib.metadata.version("polars")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def run_worker(variant: str, n: int, repeats: int, seed: int) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "measure.py"), variant, str(n), str(repeats), str(seed)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        return {"variant": variant, "n": n, "error": f"exit {proc.returncode}: {tail}"}
    record: dict[str, Any] = json.loads(lines[-1])
    return record


def _num(value: float) -> str:
    return f"{value:,.0f}"


def format_table(records: list[dict[str, Any]]) -> str:
    labels = {v.name: v.label for v in VARIANTS}
    header = (
        "variant",
        "N",
        "seconds",
        "candidates/s",
        "× durable",
        "× durable-cap",
        "tracemalloc MiB",
        "peak RSS MiB",
        "eligible",
    )
    rows: list[tuple[str, ...]] = []
    for r in records:
        label = labels.get(r["variant"], r["variant"])
        if "error" in r:
            rows.append((label, _num(r["n"]), "error", "", "", "", "", "", ""))
            continue
        ratio = r.get("ratio_to_durable")
        ratio_cap = r.get("ratio_to_durable_cap")
        # polars allocates in Rust, which tracemalloc does not see
        traced = (
            "n/a" if r["variant"] == "polars-hand" else f"{r['tracemalloc_peak_bytes'] / MIB:,.2f}"
        )
        rows.append(
            (
                label,
                _num(r["n"]),
                f"{r['seconds']:.6f}",
                _num(r["candidates_per_s"]),
                f"{ratio:,.2f}" if ratio is not None else "—",
                f"{ratio_cap:,.2f}" if ratio_cap is not None else "—",
                traced,
                f"{r['maxrss_bytes'] / MIB:.0f}",
                str(r["eligible"]),
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    left = {0}

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i in left else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    sep = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if i not in left else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), sep, *(line(row) for row in rows)])


def check(records: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Warnings (eligible counts that differ, failed runs) and the aims' outcomes."""
    warnings: list[str] = []
    ok = [r for r in records if "error" not in r]
    for r in records:
        if "error" in r:
            warnings.append(f"{r['variant']} at N={r['n']} failed: {r['error']}")
    for n, sixty in sorted({(r["n"], r["variant"].endswith("-60")) for r in ok}):
        counts = {
            r["variant"]: r["eligible"]
            for r in ok
            if r["n"] == n and r["variant"].endswith("-60") == sixty
        }
        if len(set(counts.values())) > 1:
            shown = ", ".join(f"{k}={v}" for k, v in counts.items())
            warnings.append(f"eligible counts disagree at N={n}: {shown}")
    aims: list[str] = []
    by_key = {(r["variant"], r["n"]): r for r in ok}
    col = by_key.get(("evaluate_columns", AIM_COLUMNAR_N))
    if col is not None:
        rate, rss = col["candidates_per_s"], col["maxrss_bytes"]
        aims.append(
            f"evaluate_columns at {_num(AIM_COLUMNAR_N)}: {_num(rate)} candidates/s "
            f"(aim ≥ {_num(AIM_COLUMNAR_RATE)}: {'met' if rate >= AIM_COLUMNAR_RATE else 'MISSED'})"
            f"; peak RSS {rss / MIB:,.0f} MiB (aim < 2 GiB: "
            f"{'met' if rss < AIM_RSS_BYTES else 'MISSED'})"
        )
    # the aim is stated against the hand-written durable-rules ruleset; it is judged against
    # both hand-written forms, one action per message and "cap" (one action per matched batch,
    # as the library's own rules do), and both outcomes are printed
    for r in (r for r in ok if r["variant"] in ("evaluate-both", "evaluate-both-60")):
        parts = []
        named = (
            (("ratio_to_durable", f"{BASELINE_60} (the same 60 criteria, by hand)"),)
            if r["variant"].endswith("-60")
            else (
                ("ratio_to_durable", f"{BASELINE} (one action per message)"),
                ("ratio_to_durable_cap", f"{BASELINE_CAP} (one action per matched batch)"),
            )
        )
        for key, name in named:
            ratio = r.get(key)
            if ratio is None:
                parts.append(f"vs {name}: no baseline at this N")
            else:
                outcome = "met" if ratio >= AIM_RATIO else "MISSED"
                parts.append(f"vs {name}: {ratio:.2f}× ({outcome})")
        which = "60 criteria: " if r["variant"].endswith("-60") else ""
        aims.append(
            f"{which}evaluate(engine='both') at {_num(r['n'])}, aim ≥ {AIM_RATIO}× the "
            "hand-written durable-rules ruleset: " + "; ".join(parts)
        )
    return warnings, aims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k only (smoke test)")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        help="comma-separated sizes, e.g. 1k,10k,100k,1M (default: 1k,10k,100k,1M); sizes "
        "above 100k run only for the array variants",
    )
    parser.add_argument(
        "--variants",
        type=lambda s: tuple(p.strip() for p in s.split(",") if p.strip()),
        help=f"comma-separated subset of: {', '.join(v.name for v in VARIANTS)}",
    )
    parser.add_argument("--repeats", type=int, help="repeats per measurement (default: by size)")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the synthetic data")
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"JSON results (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)

    sizes: tuple[int, ...] = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.quick and args.sizes:
        parser.error("give --quick or --sizes, not both")
    variants = [v for v in VARIANTS if v.name != "polars-hand" or polars_available()]
    if args.variants:
        unknown = set(args.variants) - {v.name for v in VARIANTS}
        if unknown:
            parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
        variants = [v for v in variants if v.name in args.variants]

    started = time.perf_counter()
    records: list[dict[str, Any]] = []
    for n in sizes:
        for v in variants:
            if n > v.max_n:
                continue
            repeats = args.repeats or repeats_for(v, n)
            print(f"  {v.label} at N={n:,} (best of {repeats}) …", file=sys.stderr, flush=True)
            records.append(run_worker(v.name, n, repeats, args.seed))
    for r in records:
        pairs = (
            (("ratio_to_durable", BASELINE_60),)
            if r["variant"].endswith("-60")
            else (("ratio_to_durable", BASELINE), ("ratio_to_durable_cap", BASELINE_CAP))
        )
        for key, name in pairs:
            base = next(
                (
                    b
                    for b in records
                    if b["variant"] == name and b["n"] == r["n"] and "error" not in b
                ),
                None,
            )
            if base is not None and "error" not in r:
                r[key] = base["seconds"] / r["seconds"]
    elapsed = time.perf_counter() - started

    warnings, aims = check(records)
    print(
        f"\nsynthetic campaigns: 10 collective criteria, 1 award; 60 criteria, 4 awards "
        f"(variants ending in -60); seed {args.seed}; "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    print(format_table(records))
    notes: list[str] = []
    for r in records:
        extra = r.get("extra") or {}
        if "breakdown_s" in extra:
            parts = ", ".join(f"{k} {s:.3f} s" for k, s in extra["breakdown_s"].items())
            notes.append(f"evaluate(engine='both') at N={r['n']:,}: {parts}")
        if "actions" in extra:
            cap = f" (cap {extra['cap']})" if extra.get("cap") else ""
            notes.append(
                f"{r['variant']} at N={r['n']:,}{cap}: {extra['actions']:,} action calls, "
                f"{extra['deliveries']:,} messages delivered to them"
            )
        if "from_columns_s" in extra:
            notes.append(
                f"FactTable.from_columns at N={r['n']:,} (not timed above): "
                f"{extra['from_columns_s']:.3f} s"
            )
    if notes:
        print("\nwhere the time goes:")
        for note in notes:
            print(f"  {note}")
    if aims:
        print("\naims:")
        for aim in aims:
            print(f"  {aim}")
    for w in warnings:
        print(f"WARNING: {w}")
    if not any(w.startswith("eligible counts disagree") for w in warnings):
        print("eligible counts agree across the variants at every N")
    print(f"\ntotal {elapsed:.0f} s; results in {args.output}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": [Path(sys.executable).name, *sys.argv],
        "environment": environment(),
        "seed": args.seed,
        "sizes": list(sizes),
        "elapsed_s": elapsed,
        "results": records,
        "aims": aims,
        "warnings": warnings,
    }
    args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 1 if any("error" in r for r in records) else 0


def environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for dist in ("emulation-rules", "numpy", "polars", "durable_rules", "pydantic"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": versions,
    }


if __name__ == "__main__":
    sys.exit(main())
