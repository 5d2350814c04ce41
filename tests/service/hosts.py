"""A host's own ASGI application that mounts the service, as docs/service.md shows, run by
uvicorn in the ``hosted`` fixture (``uvicorn --factory hosts:host``).

* ``/thi-dua`` — :func:`create_app` as is;
* ``/faulty`` — over a registry that raises an unexpected error (not one of the library's) when
  asked for a campaign: every answer must still be a problem document, without a traceback;
* ``/slow`` — with an evaluation time limit of a microsecond: every evaluation answers 503.
"""

from __future__ import annotations

from typing import Any

import attrs
from fastapi import FastAPI

from emulation_rules import Registry, load_registry
from emulation_rules.plugins.registry import RegisteredCampaign
from emulation_rules.service import create_app
from emulation_rules.service.settings import ServiceSettings

SECRET = "internal detail /srv/secret.yaml line 3"


@attrs.frozen(repr=False)
class FaultyRegistry(Registry):
    """The installed campaigns, but looking one up fails as a bug would."""

    def entry(self, campaign_id: str) -> RegisteredCampaign:
        raise ZeroDivisionError(SECRET)


def host() -> FastAPI:
    registry = load_registry()
    app = FastAPI()

    @app.get("/")
    def home() -> dict[str, Any]:
        return {"host": "an office's own application"}

    app.mount("/thi-dua", create_app(registry))
    faulty = FaultyRegistry(registry.entries, registry.plugin_infos)
    app.mount("/faulty", create_app(faulty))
    app.mount(
        "/slow",
        create_app(registry, ServiceSettings(evaluation_timeout_seconds=0.000001)),
    )
    return app
