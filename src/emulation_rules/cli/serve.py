"""``emulation-rules serve``: the HTTP API and the plan explorer pages under uvicorn."""

from __future__ import annotations

import os

import click

from emulation_rules.cli.common import cli_registry, fail, friendly
from emulation_rules.limits import ENVIRONMENT_VARIABLE, LimitError, parse_limits
from emulation_rules.plugins.registry import load_registry

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="port")
@click.option(
    "--max-body-bytes",
    type=click.IntRange(min=1),
    help="largest request body, in bytes  [default: 16 MiB]",
)
@click.option(
    "--max-candidates",
    type=click.IntRange(min=1),
    help="most candidates in one evaluation  [default: 50,000]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="longest evaluation, in seconds (past it: 503)",
)
@click.option(
    "--workers",
    "concurrency",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="evaluations run at once (the others wait, within their time limit)",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="allow browser pages of this origin to call the API (repeatable; default: CORS off)",
)
@click.option(
    "--plan",
    "plans",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="also serve this campaign YAML file (repeatable)",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
@friendly
def serve_cmd(
    host: str,
    port: int,
    max_body_bytes: int | None,
    max_candidates: int | None,
    timeout: float,
    concurrency: int,
    cors_origins: tuple[str, ...],
    plans: tuple[str, ...],
    log_level: str,
) -> None:
    """Serve the HTTP API (/api/v1, OpenAPI at /openapi.json) and the plan explorer pages.

    Listens on 127.0.0.1 unless --host says otherwise. Limits: the service's defaults (16 MiB
    bodies, 50,000 candidates), changed by EMULATION_RULES_LIMITS as for every command, then by
    --max-body-bytes and --max-candidates. See docs/service.md.
    """
    from emulation_rules.service import INSTALL_LINE, missing_modules

    missing = missing_modules()
    if missing:
        fail(f"serve needs {', '.join(missing)}, which is not installed: {INSTALL_LINE}")
    import attrs
    import uvicorn

    from emulation_rules.service import create_app
    from emulation_rules.service.settings import SERVICE_LIMITS, ServiceSettings

    try:
        # the service's defaults, changed by EMULATION_RULES_LIMITS, then by the options
        limits = parse_limits(os.environ.get(ENVIRONMENT_VARIABLE, ""), base=SERVICE_LIMITS)
        if max_body_bytes is not None:
            limits = attrs.evolve(limits, max_document_bytes=max_body_bytes)
        if max_candidates is not None:
            limits = attrs.evolve(limits, max_candidates=max_candidates)
        settings = ServiceSettings(
            limits=limits,
            evaluation_timeout_seconds=timeout,
            max_concurrent_evaluations=concurrency,
            cors_origins=cors_origins,
        )
    except LimitError as exc:
        fail(str(exc))
    registry = cli_registry()
    if plans:
        extra = load_registry(paths=list(plans), entry_points=False)
        registry = attrs.evolve(
            registry,
            entries=tuple(sorted(registry.entries + extra.entries, key=lambda e: e.campaign.id)),
        )
        ids = [e.campaign.id for e in registry.entries]
        if len(set(ids)) != len(ids):
            fail("a --plan file has the id of a campaign already installed")
    if host not in LOCAL_HOSTS:
        click.echo(
            f"warning: listening on {host}: the service is reachable from other machines; it "
            "has no authentication of its own (put it behind your gateway)",
            err=True,
        )
    app = create_app(registry, settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
