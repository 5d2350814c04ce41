"""One measurement (one variant at one size), run in a subprocess of ``run.py`` so that its peak
RSS is its own. Prints one JSON object on the last line of stdout.

Nothing outside the measured call is timed: the synthetic data, the candidate mappings, the
prebuilt columns, the fact table, the polars frame and the hand-written durable-rules host are
prepared first, and every variant runs once on a small input as a warm-up (plugin registry,
pydantic models, compiled plan and durable-rules ruleset caches).
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from synthetic import AS_OF, Columns, build_campaign, generate_columns, to_candidates

import emulation_rules as er
from emulation_rules.engine.columnar import ELIGIBLE, evaluate_columns
from emulation_rules.engine.compiler import compile_plan
from emulation_rules.engine.fact_table import FactTable
from emulation_rules.plan.campaign import Campaign

Runner = Callable[[], int]
WARMUP_N = 500


def _count_eligible(awards: tuple[np.ndarray, ...]) -> int:
    return int(np.count_nonzero(awards[0] == ELIGIBLE))


def _table(campaign: Campaign, cols: Columns) -> FactTable:
    return FactTable.from_columns(
        campaign,
        ids=cols.ids,
        kind=np.zeros(len(cols), dtype=np.int32),
        unit_type=cols.unit_type,
        values=cols.values,
    )


def prepare(variant: str, campaign: Campaign, cols: Columns, extra: dict[str, Any]) -> Runner:
    """Everything the variant needs, built untimed; returns the call to time."""
    if variant in ("evaluate-both", "evaluate-columnar"):
        engine: Literal["both", "columnar"] = "both" if variant == "evaluate-both" else "columnar"
        candidates = to_candidates(cols)

        def run_evaluate() -> int:
            result = er.evaluate(campaign, candidates, engine=engine, as_of=AS_OF)
            return _count_eligible(result.verdicts.awards)

        return run_evaluate
    if variant == "evaluate_columns":
        plan = compile_plan(campaign, AS_OF)
        t0 = time.perf_counter()
        table = _table(campaign, cols)
        extra["from_columns_s"] = time.perf_counter() - t0
        n_criteria = len(plan.criteria)

        def run_columns() -> int:
            verdicts = evaluate_columns(plan, table)
            if len(verdicts.criteria) != n_criteria or any(
                v.shape != (len(table),) for v in verdicts.criteria
            ):
                raise RuntimeError("evaluate_columns did not give one verdict array per criterion")
            return _count_eligible(verdicts.awards)

        return run_columns
    if variant in ("durable-hand", "durable-hand-cap"):
        from baselines import CHUNK, DurableBaseline

        candidates = to_candidates(cols)
        baseline = DurableBaseline(cap=CHUNK if variant == "durable-hand-cap" else None)
        extra["cap"] = baseline.cap

        def run_durable() -> int:
            eligible = baseline.run(candidates)
            extra["actions"] = baseline.actions
            extra["deliveries"] = baseline.deliveries
            return eligible

        return run_durable
    if variant == "numpy-hand":
        from baselines import numpy_eligible

        return lambda: int(np.count_nonzero(numpy_eligible(cols)))
    if variant == "polars-hand":
        from baselines import polars_eligible_count, polars_frame

        frame = polars_frame(cols)
        return lambda: polars_eligible_count(frame)
    raise SystemExit(f"unknown variant {variant!r}")


def prepare_sixty(variant: str, campaign: Campaign, cols: Any, extra: dict[str, Any]) -> Runner:
    """The sixty-criterion campaign's variants (``sixty.py``): the library against the
    hand-written durable-rules ruleset of ``baselines_sixty.py``; both count the eligible
    (candidate, award) pairs over the four awards."""
    import sixty

    candidates = sixty.to_candidates(cols)
    if variant in ("evaluate-both-60", "evaluate-columnar-60"):
        engine: Literal["both", "columnar"] = (
            "both" if variant == "evaluate-both-60" else "columnar"
        )

        def run_evaluate() -> int:
            result = er.evaluate(campaign, candidates, engine=engine, as_of=sixty.AS_OF)
            return sum(int(np.count_nonzero(a == ELIGIBLE)) for a in result.verdicts.awards)

        return run_evaluate
    if variant == "durable-hand-60":
        from baselines_sixty import SixtyBaseline

        baseline = SixtyBaseline()

        def run_durable() -> int:
            eligible = baseline.run(candidates)
            extra["actions"] = baseline.actions
            extra["deliveries"] = baseline.deliveries
            extra["cap"] = 1000
            return eligible

        return run_durable
    raise SystemExit(f"unknown variant {variant!r}")


def breakdown_sixty(campaign: Campaign, cols: Any) -> dict[str, float]:
    """Where ``evaluate(engine='both')`` spends its time on the sixty-criterion campaign."""
    import sixty

    from emulation_rules.engine.columnar import prepare_table
    from emulation_rules.evaluation.allocation import allocate
    from emulation_rules.evaluation.evaluate import _compiled
    from emulation_rules.evaluation.seats import seat_reader
    from emulation_rules.inputs.candidates import validate_input

    candidates = sixty.to_candidates(cols)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    validated = validate_input(campaign, candidates)
    t1 = time.perf_counter()
    plan, rete = _compiled(campaign, sixty.AS_OF, None, with_rete=True)
    table = prepare_table(plan, validated.table)
    seats = seat_reader(plan, table) if plan.needs_seats() else None
    t2 = time.perf_counter()
    verdicts = evaluate_columns(plan, table, seats=seats)
    t3 = time.perf_counter()
    rete.decide(table, seats=seats)
    t4 = time.perf_counter()
    allocate(plan, table, verdicts.awards)
    t5 = time.perf_counter()
    out["validate_input"] = t1 - t0
    out["compile (cached) and derived columns"] = t2 - t1
    out["evaluate_columns"] = t3 - t2
    out["durable-rules decide"] = t4 - t3
    out["allocate"] = t5 - t4
    return out


def breakdown(campaign: Campaign, cols: Columns) -> dict[str, float]:
    """Where ``evaluate(engine='both')`` spends its time (uses internal functions)."""
    from emulation_rules.evaluation.allocation.allocate import allocate
    from emulation_rules.evaluation.evaluate import _compiled
    from emulation_rules.inputs.candidates import validate_input

    candidates = to_candidates(cols)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    validated = validate_input(campaign, candidates)
    t1 = time.perf_counter()
    plan, rete = _compiled(campaign, AS_OF, None, with_rete=True)
    t2 = time.perf_counter()
    verdicts = evaluate_columns(plan, validated.table)
    t3 = time.perf_counter()
    rete.decide(validated.table)
    t4 = time.perf_counter()
    allocate(plan, validated.table, verdicts, validated.records)
    t5 = time.perf_counter()
    out["validate_input"] = t1 - t0
    out["compile (cached)"] = t2 - t1
    out["evaluate_columns"] = t3 - t2
    out["durable-rules decide"] = t4 - t3
    out["allocate"] = t5 - t4
    return out


def measure(variant: str, n: int, repeats: int, seed: int) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if variant.endswith("-60"):
        import sixty

        campaign = sixty.build_campaign()
        warm = prepare_sixty(
            variant, campaign, sixty.generate_columns(min(n, WARMUP_N), seed + 1), {}
        )
        warm()
        cols: Any = sixty.generate_columns(n, seed)
        run = prepare_sixty(variant, campaign, cols, extra)
    else:
        campaign = build_campaign()
        warm = prepare(variant, campaign, generate_columns(min(n, WARMUP_N), seed + 1), {})
        warm()
        cols = generate_columns(n, seed)
        run = prepare(variant, campaign, cols, extra)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: list[float] = []
    eligible: int | None = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        got = run()
        times.append(time.perf_counter() - t0)
        if eligible is not None and got != eligible:
            raise RuntimeError(f"eligible count changed between repeats: {eligible} -> {got}")
        eligible = got
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    gc.collect()
    tracemalloc.start()
    run()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if variant in ("evaluate-both", "evaluate-both-60"):
        try:
            split = breakdown_sixty if variant.endswith("-60") else breakdown
            extra["breakdown_s"] = split(campaign, cols)
        except Exception as exc:  # internal functions may move; the figures above still hold
            extra["breakdown_error"] = f"{type(exc).__name__}: {exc}"
    return {
        "variant": variant,
        "n": n,
        "repeats": repeats,
        "times_s": times,
        "seconds": min(times),
        "candidates_per_s": n / min(times),
        "eligible": eligible,
        "tracemalloc_peak_bytes": traced_peak,
        "maxrss_before_bytes": rss_before * 1024,
        "maxrss_bytes": rss_peak * 1024,
        "extra": extra,
    }


def main(argv: list[str]) -> None:
    variant, n, repeats, seed = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    print(json.dumps(measure(variant, n, repeats, seed)))


if __name__ == "__main__":
    main(sys.argv[1:])
