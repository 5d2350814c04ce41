"""Writing results, against floors measured in the same run.

    python benchmarks/outputs.py                 # 10k and 100k candidates
    python benchmarks/outputs.py --sizes 1k      # a quick look

On the synthetic campaign of ``synthetic.py`` (ten criteria, one award), evaluated once per size
with the columnar engine, each writer is timed (best of ``--repeats``) and set against a floor of
the same size measured in the same process:

* ``csv floor``: the standard library's ``csv.writer`` writing one row of plain strings per
  candidate, as wide as the result's CSV (no result to read, no escaping);
* ``json floor``: ``json.dumps`` of the lean document, already built (only the text);
* the writers: ``render_csv`` (spreadsheet escaping, every row from the result),
  ``to_json`` lean and ``--verbose-citations`` (``to_dict`` and the text), the result workbook
  ``write_workbook`` (openpyxl, write-only), the Vietnamese table ``render_table``.

Prints one table (seconds, and the ratio to its floor) and the JSON sizes; nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build_campaign, generate_columns, to_candidates

from emulation_rules import evaluate
from emulation_rules.outputs.results import csv_header, render_csv, render_table
from emulation_rules.outputs.workbook import write_workbook


def best(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def measure(n: int, repeats: int) -> dict[str, Any]:
    campaign = build_campaign()
    result = evaluate(campaign, to_candidates(generate_columns(n)), engine="columnar")
    result.candidates  # noqa: B018 - built once, as every writer shares them
    width = len(csv_header(result))
    row = ["x" * 8] * width

    def csv_floor() -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for _ in range(n):
            writer.writerow(row)
        return out.getvalue()

    lean = result.to_dict()
    out: dict[str, Any] = {"n": n}
    out["csv floor"] = best(csv_floor, repeats)
    out["json floor"] = best(lambda: json.dumps(lean, ensure_ascii=False, indent=2), repeats)
    out["render_csv"] = best(lambda: render_csv(result), repeats)
    out["to_json lean"] = best(lambda: result.to_json(), repeats)
    out["to_json verbose"] = best(lambda: result.to_json(verbose_citations=True), repeats)
    out["write_workbook"] = best(lambda: write_workbook(result), 1)
    out["render_table"] = best(lambda: render_table(result), 1)
    out["json lean bytes"] = size(result.to_json())
    out["json verbose bytes"] = size(result.to_json(verbose_citations=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    floors = {"render_csv": "csv floor", "write_workbook": "csv floor", "render_table": "csv floor",
              "to_json lean": "json floor", "to_json verbose": "json floor"}  # fmt: skip
    print("| N | writer | s | × floor |")
    print("| ---: | --- | ---: | ---: |")
    for text in args.sizes.split(","):
        r = measure(parse_size(text), args.repeats)
        for name in ("csv floor", "json floor", *floors):
            ratio = "" if name not in floors else f"{r[name] / r[floors[name]]:.1f}"
            print(f"| {r['n']:,} | {name} | {r[name]:.3f} | {ratio} |")
        print(
            f"| {r['n']:,} | JSON bytes | lean {r['json lean bytes']:,}, verbose "
            f"{r['json verbose bytes']:,} | {r['json lean bytes'] / r['json verbose bytes']:.2f} |"
        )


if __name__ == "__main__":
    main()
