"""The HTTP service: the library's operations as an API (FastAPI, OpenAPI at
``/openapi.json``) and the plan explorer pages, in one ASGI application.

``from emulation_rules.service import create_app`` gives the application factory
(:func:`.app.create_app`); it needs the ``service`` extra (``pip install
'emulation-rules[service]'``), which this package's own import does not, so that the command
line can say what is missing (:func:`missing_modules`).

Modules: ``app`` (the factory, error handlers, middleware), ``api`` (the ``/api/v1`` routes),
``pages`` (the pages, with ``templates/`` and ``static/``), ``views`` (what the pages show),
``wording`` (rules in plain Vietnamese), ``requests`` (reading uploads and options),
``operations`` (the library's operations as the service runs them), ``problems`` (RFC 9457
problem documents), ``jobs`` (evaluations in worker threads within a time limit), ``bodysize``
(the request body limit), ``settings``.

May import: every layer below it (``authoring`` and down); only ``cli`` imports it.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulation_rules.service.app import create_app

#: the modules the ``service`` extra brings (import name -> distribution)
EXTRA_MODULES = {
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "multipart": "python-multipart",
    "jinja2": "jinja2",
}
INSTALL_LINE = "pip install 'emulation-rules[service]'"


def missing_modules() -> list[str]:
    """The distributions of the ``service`` extra that are not installed."""
    return [
        dist for module, dist in EXTRA_MODULES.items() if importlib.util.find_spec(module) is None
    ]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        missing = missing_modules()
        if missing:
            raise ModuleNotFoundError(f"the service needs {', '.join(missing)}: {INSTALL_LINE}")
        from emulation_rules.service.app import create_app

        return create_app
    raise AttributeError(f"module 'emulation_rules.service' has no attribute '{name}'")


__all__ = ["INSTALL_LINE", "create_app", "missing_modules"]
