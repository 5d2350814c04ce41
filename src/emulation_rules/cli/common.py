"""What every command shares: the error handler, resolving a CAMPAIGN argument (an installed
campaign id or a YAML path), overrides, and the options of the evaluating commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from emulation_rules.errors import EmulationRulesError, InputError
from emulation_rules.limits import current_limits

if TYPE_CHECKING:  # imported where used, so that commands that need little start fast
    from emulation_rules.evaluation.result import Result
    from emulation_rules.plan.campaign import Campaign
    from emulation_rules.plugins.registry import RegisteredCampaign, Registry

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    click.echo(f"error: {' | '.join(message.splitlines())}", err=True)
    sys.exit(2)


#: most problem lines printed as text (``--errors json`` gives every one)
MAX_PROBLEM_LINES = 1000


def fail_input(exc: InputError) -> None:
    """Every problem of bad input, one ``error:`` line each (or one JSON document on standard
    error with ``--errors json``), and exit status 2."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("emulation_rules.errors") == "json":
        click.echo(json.dumps(exc.to_dict(), ensure_ascii=False), err=True)
        sys.exit(2)
    problems = exc.problems
    for problem in problems[:MAX_PROBLEM_LINES]:
        click.echo(f"error: {' | '.join(str(problem).splitlines())}", err=True)
    if len(problems) > MAX_PROBLEM_LINES:
        click.echo(
            f"error: … and {len(problems) - MAX_PROBLEM_LINES:,} more problems "
            "(--errors json lists every one)",
            err=True,
        )
    sys.exit(2)


def friendly(fn: F) -> F:
    """Turn the library's errors into one line on stderr (one per problem of bad input) and
    exit status 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            fail_input(exc)
        except EmulationRulesError as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]


def cli_registry(**kwargs: Any) -> Registry:
    """The registry as a command loads it: ``--strict`` raises on a broken plugin; otherwise
    each broken plugin, and what a plugin printed while loading, is a warning on stderr."""
    ctx = click.get_current_context(silent=True)
    strict = bool(ctx is not None and ctx.find_root().params.get("strict"))
    from emulation_rules.plugins.registry import load_registry

    registry = load_registry(strict=strict, **kwargs)
    for output in registry.printed:
        click.echo(f"warning: {output.summary}", err=True)
    if not kwargs.get("plugins") and ctx is not None and ctx.info_name not in ("plugins", "check"):
        for failure in registry.failures:
            click.echo(
                f"warning: plugin '{failure.plugin}' is left out (emulation-rules plugins says "
                "why)",
                err=True,
            )
    return registry


def resolve_campaign(campaign: str) -> tuple[RegisteredCampaign, Registry | None]:
    looks_like_file = campaign.endswith((".yaml", ".yml")) or "/" in campaign
    if looks_like_file and Path(campaign).is_file():
        from emulation_rules.plugins.registry import load_registry

        registry = load_registry(paths=[campaign], entry_points=False)
        return registry.entries[0], None
    registry = cli_registry()
    return registry.entry(campaign), registry


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"--override '{pair}': expected PARAMETER=VALUE")
        out[key.strip()] = value.strip()
    return out


@dataclasses.dataclass(frozen=True)
class RunOptions:
    """The options every evaluating command takes (``with_common_options``), as one value."""

    as_of: dt.datetime | None = None
    overrides: tuple[str, ...] = ()
    engine: str = "both"
    input_format: str | None = None
    locale: str | None = None
    on_invalid: str = "refuse"


RUN_OPTIONS = tuple(f.name for f in dataclasses.fields(RunOptions))


def run_evaluation(campaign_ref: str, input_path: str, run: RunOptions) -> Result:
    from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
    from emulation_rules.inputs.files import load_input

    limits = current_limits()
    entry, registry = resolve_campaign(campaign_ref)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # for the writers that name the plugin's version (workbook, dossier)
        ctx.meta["emulation_rules.entry"] = entry
    campaign: Campaign = entry.campaign
    doc_as_of, validated = load_input(
        campaign,
        input_path,
        fmt=run.input_format,
        locale=run.locale,
        on_invalid=run.on_invalid,  # type: ignore[arg-type]
        limits=limits,
    )
    day = run.as_of.date() if run.as_of else doc_as_of
    return evaluate_validated(
        campaign,
        validated,
        as_of=resolve_as_of(campaign, day),
        overrides=parse_overrides(run.overrides),
        engine=run.engine,  # type: ignore[arg-type]
        registry=registry,
    )


def common_options() -> list[Callable[[Any], Any]]:
    """The options of the evaluating commands (built when such a command is imported)."""
    from emulation_rules.inputs.files import FORMATS
    from emulation_rules.inputs.locale import LOCALES

    return [
        click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="evaluation date"),
        click.option(
            "--override",
            "overrides",
            multiple=True,
            metavar="PARAM=VALUE",
            help="replace a named parameter for this run (repeatable)",
        ),
        click.option("--engine", type=click.Choice(["both", "columnar"]), default="both"),
        click.option(
            "--input-format", type=click.Choice(list(FORMATS)), help="default: by file suffix"
        ),
        click.option(
            "--locale",
            type=click.Choice(list(LOCALES)),
            default="vi",
            show_default=True,
            help="how CSV and XLSX text cells write numbers, yes/no and dates (JSON is typed)",
        ),
        click.option(
            "--on-invalid",
            type=click.Choice(["refuse", "report"]),
            default="refuse",
            show_default=True,
            help="refuse bad input whole, or evaluate the valid candidates and report the others",
        ),
        click.option(
            "--errors",
            "errors_format",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
            expose_value=False,
            is_eager=True,
            callback=lambda ctx, _p, v: ctx.meta.__setitem__("emulation_rules.errors", v),
            help="bad input as one error line per problem, or as one JSON document on stderr",
        ),
    ]


def with_common_options(fn: F) -> F:
    """Add the evaluating options to a command; it receives them as one ``run: RunOptions``."""

    @wraps(fn)
    def gathered(*args: Any, **kwargs: Any) -> Any:
        run = RunOptions(**{name: kwargs.pop(name) for name in RUN_OPTIONS})
        return fn(*args, run=run, **kwargs)

    command: Any = gathered
    for option in reversed(common_options()):
        command = option(command)
    return cast(F, command)
