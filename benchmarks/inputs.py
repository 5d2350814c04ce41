"""Reading and validating candidate files, against floors measured in the same run.

    python benchmarks/inputs.py                    # CSV, Parquet, JSON at 100k and 1M; XLSX at 100k
    python benchmarks/inputs.py --sizes 10k        # a quick look

For each format and size, in its own subprocess (so peak memory is its own), on the synthetic
campaign of ``synthetic.py`` written as a file the way an office would (CSV in Vietnamese
notation: ``;`` separators, decimal commas, ``Có``/``Không``, grades as printed):

* ``floor``: the bare reader of the same file — ``polars.read_csv`` (all text), ``read_parquet``,
  calamine's ``to_python`` for XLSX, ``json.loads`` for JSON — with no validation;
* ``load``: ``emulation_rules.inputs.files.load_input``: file to validated fact table (types,
  ranges, grades, kinds, ids, unit links, every problem at once);
* the stages of ``evaluate`` after it, on the validated input: ``evaluate_columns``,
  ``durable-rules`` (100k only), ``allocate`` and writing the CSV output — so the reading stage
  can be compared with the others.

Prints one table and writes ``benchmarks/results/inputs.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import (  # noqa: E402
    DDCI_LEVELS,
    UNIT_TYPES,
    build_campaign,
    generate_columns,
    to_candidates,
)

_BOOLEAN = ("reports_on_time", "discipline_ok", "in_top_group", "publishes_procedures")


def write_files(n: int, directory: Path, formats: list[str]) -> dict[str, Path]:
    import polars as pl

    cols = generate_columns(n)
    campaign = build_campaign()
    labels = {p.unit_type: p.label for p in campaign.participants}
    data: dict[str, Any] = {
        "id": [f"c{i}" for i in range(n)],
        "name": [f"Đơn vị {i}" for i in range(n)],
        "unit_type": [labels[UNIT_TYPES[k]] for k in cols.unit_type.tolist()],
    }
    typed: dict[str, Any] = {
        "id": data["id"],
        "name": data["name"],
        "kind": ["collective"] * n,
        "unit_type": [UNIT_TYPES[k] for k in cols.unit_type.tolist()],
    }
    for fid, col in cols.values.items():
        raw = col.tolist()
        if fid in _BOOLEAN:
            data[fid] = [None if v != v else ("Có" if v == 1.0 else "Không") for v in raw]
            typed[fid] = [None if v != v else v == 1.0 for v in raw]
        elif fid == "ddci_grade":
            data[fid] = [None if v != v else DDCI_LEVELS[int(v)].lower() for v in raw]
            typed[fid] = [None if v != v else DDCI_LEVELS[int(v)] for v in raw]
        elif fid == "recognised_initiatives":
            data[fid] = [None if v != v else str(int(v)) for v in raw]
            typed[fid] = [None if v != v else int(v) for v in raw]
        else:
            data[fid] = [None if v != v else f"{v:g}".replace(".", ",") for v in raw]
            typed[fid] = [None if v != v else v for v in raw]
    out: dict[str, Path] = {}
    if "csv" in formats:
        out["csv"] = directory / f"c{n}.csv"
        pl.DataFrame(data).write_csv(out["csv"], separator=";", null_value="")
    if "parquet" in formats:
        out["parquet"] = directory / f"c{n}.parquet"
        pl.DataFrame(typed).write_parquet(out["parquet"])
    if "json" in formats:
        out["json"] = directory / f"c{n}.json"
        out["json"].write_text(
            json.dumps({"candidates": to_candidates(cols)}, ensure_ascii=False), encoding="utf-8"
        )
    if "xlsx" in formats:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Tập thể")
        keys = list(data)
        ws.append(keys)
        for row in zip(*(data[k] for k in keys), strict=True):
            ws.append(list(row))
        out["xlsx"] = directory / f"c{n}.xlsx"
        wb.save(out["xlsx"])
    return out


def floor(fmt: str, path: Path) -> Any:
    if fmt == "csv":
        import polars as pl

        return pl.read_csv(path, separator=";", infer_schema=False).height
    if fmt == "parquet":
        import polars as pl

        return pl.read_parquet(path).height
    if fmt == "json":
        return len(json.loads(path.read_text(encoding="utf-8"))["candidates"])
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def worker(fmt: str, path: Path, n: int) -> dict[str, Any]:
    from emulation_rules.engine.columnar import evaluate_columns
    from emulation_rules.evaluation.allocation.allocate import allocate
    from emulation_rules.evaluation.evaluate import _compiled, evaluate_validated
    from emulation_rules.inputs.files import load_input
    from emulation_rules.limits import Limits
    from emulation_rules.outputs.results import render_csv

    campaign = build_campaign()
    limits = Limits(max_document_bytes=4 * 1024**3)
    out: dict[str, Any] = {"format": fmt, "n": n, "bytes": path.stat().st_size}
    gc.collect()
    t0 = time.perf_counter()
    floor(fmt, path)
    out["floor_s"] = time.perf_counter() - t0
    gc.collect()
    t0 = time.perf_counter()
    _, validated = load_input(campaign, path, limits=limits)
    out["load_s"] = time.perf_counter() - t0
    as_of = campaign.period.end
    plan, rete = _compiled(campaign, as_of, None, with_rete=n <= 100_000)
    t0 = time.perf_counter()
    verdicts = evaluate_columns(plan, validated.table)
    out["evaluate_columns_s"] = time.perf_counter() - t0
    if rete is not None:
        t0 = time.perf_counter()
        rete.decide(validated.table)
        out["durable_rules_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    allocate(plan, validated.table, verdicts, validated.records)
    out["allocate_s"] = time.perf_counter() - t0
    result = evaluate_validated(campaign, validated, as_of=as_of, engine="columnar")
    t0 = time.perf_counter()
    render_csv(result)
    out["write_csv_s"] = time.perf_counter() - t0
    out["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def parse_size(text: str) -> int:
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale != 1 else t) * scale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--formats", default="csv,parquet,json,xlsx")
    parser.add_argument("--xlsx-max", default="100k", help="largest XLSX written (slow to write)")
    parser.add_argument("--output", default=str(HERE / "results" / "inputs.json"))
    parser.add_argument(
        "--worker", nargs=3, metavar=("FORMAT", "PATH", "N"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        fmt, path, n = args.worker
        print(json.dumps(worker(fmt, Path(path), int(n))))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            wanted = [f for f in formats if f != "xlsx" or n <= parse_size(args.xlsx_max)]
            files = write_files(n, Path(tmp), wanted)
            for fmt in wanted:
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", fmt, str(files[fmt]), str(n)],
                    capture_output=True,
                    text=True,
                    check=False,
                    env={**os.environ, "PYTHONHASHSEED": "0"},
                )
                if proc.returncode != 0:
                    print(proc.stderr, file=sys.stderr)
                    return 1
                records.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    head = (
        f"{'format':8} {'N':>9} {'MiB':>7} {'floor s':>8} {'load s':>8} {'×floor':>7} "
        f"{'rows/s':>11} {'columns s':>9} {'rete s':>7} {'alloc s':>8} {'csv out s':>9} "
        f"{'peak MiB':>8}"
    )
    print(head)
    for r in records:
        rete = f"{r['durable_rules_s']:.3f}" if "durable_rules_s" in r else "—"
        print(
            f"{r['format']:8} {r['n']:>9,} {r['bytes'] / 2**20:>7.1f} {r['floor_s']:>8.3f} "
            f"{r['load_s']:>8.3f} {r['load_s'] / r['floor_s']:>7.1f} "
            f"{r['n'] / r['load_s']:>11,.0f} {r['evaluate_columns_s']:>9.3f} {rete:>7} "
            f"{r['allocate_s']:>8.3f} {r['write_csv_s']:>9.3f} {r['maxrss_mib']:>8.0f}"
        )
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(records, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
