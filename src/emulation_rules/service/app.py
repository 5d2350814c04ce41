"""The ASGI application: :func:`create_app` builds it over a registry and settings.

A host mounts it in its own ASGI app (``host.mount("/thi-dua", create_app())``) or runs it
under its own server (``uvicorn --factory emulation_rules.service:create_app``);
``emulation-rules serve`` runs it under uvicorn on 127.0.0.1. Every answer is built from the
request alone: the registry (immutable) and the library's cache of compiled plans are all that
outlive a request.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.evaluate import library_version
from emulation_rules.plugins.registry import Registry, load_registry
from emulation_rules.service.api import (
    OUTPUT_SCHEMA,
    PREFIX,
    build_router,
    output_document_schema,
    problem_response,
    sample_examples,
)
from emulation_rules.service.jobs import Jobs
from emulation_rules.service.middleware import BodySizeLimit, LastResort, Scope, Send
from emulation_rules.service.pages import Pages, build_pages
from emulation_rules.service.problems import ServiceProblem, from_library_error
from emulation_rules.service.requests import query_problems
from emulation_rules.service.settings import ServiceSettings

LOG = logging.getLogger("emulation_rules.service")
#: HTTP errors raised by the framework (an unknown path, a malformed form) -> problem kinds
HTTP_KINDS = {
    400: "bad-input",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
}

DESCRIPTION = """\
Vietnamese emulation and commendation plans (thi đua, khen thưởng) as executable, explainable,
cited rules, over HTTP.

Evaluate candidates against a campaign and get, for every candidate, every criterion's verdict
(`met`, `not_met`, `unknown`, `not_applicable`) with the value seen, the value required and the
legal citation; the eligibility for every award; and the allocation under the quotas. A missing
fact is never read as a failure.

Errors are RFC 9457 problem documents (`application/problem+json`) with the structured list of
every problem (`problems`), each naming the candidate, row or cell, the field and the rule.
"""


def create_app(
    registry: Registry | None = None, settings: ServiceSettings | None = None
) -> FastAPI:
    """The service as an ASGI application.

    ``registry`` defaults to the installed plugins' campaigns (:func:`load_registry`, broken
    plugins left out and listed); ``settings`` to :class:`ServiceSettings` (body, candidates
    and time limits; CORS off).
    """
    registry = registry if registry is not None else load_registry()
    settings = settings or ServiceSettings()
    jobs = Jobs(settings.max_concurrent_evaluations, settings.evaluation_timeout_seconds)
    pages = Pages(registry, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()

    app = FastAPI(
        title="emulation-rules",
        version=library_version(),
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load scripts from the network: left out
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.settings = settings
    examples = sample_examples(registry)
    app.include_router(build_router(registry, settings, jobs, examples))
    app.include_router(build_pages(registry, settings, jobs))

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's description, with the shipped samples as shared examples and the output
        document's JSON Schema as a shared schema."""
        if app.openapi_schema is None:
            schema = generate()
            components = schema.setdefault("components", {})
            components["examples"] = examples
            components.setdefault("schemas", {})[OUTPUT_SCHEMA] = output_document_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    def wants_page(request: Request) -> bool:
        root = str(request.scope.get("root_path", ""))
        path = request.url.path
        relative = path[len(root) :] if root and path.startswith(root) else path
        return not (relative.startswith(PREFIX) or relative == "/openapi.json")

    def answer(request: Request, problem: ServiceProblem) -> Response:
        if wants_page(request):
            return pages.error(request, problem)
        return problem_response(problem, request.url.path)

    @app.exception_handler(ServiceProblem)
    async def on_problem(request: Request, exc: ServiceProblem) -> Response:
        return answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, query_problems(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        kind = HTTP_KINDS.get(exc.status_code)
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        elif exc.status_code == 404:
            detail = f"nothing at {request.url.path}"
        else:
            detail = str(exc.detail)
        if kind is None:
            return answer(request, from_library_error(exc))
        return answer(request, ServiceProblem(kind, detail, headers=dict(exc.headers or {})))

    @app.exception_handler(EmulationRulesError)
    async def on_library_error(request: Request, exc: EmulationRulesError) -> Response:
        return answer(request, from_library_error(exc))

    async def respond_early(scope: Scope, problem: ServiceProblem, send: Send) -> None:
        await answer(Request(scope), problem)(scope, _receive_nothing, send)

    # added last runs first: CORS (if any), then the body limit, then the last resort
    app.add_middleware(LastResort, respond=respond_early)
    app.add_middleware(
        BodySizeLimit,
        limit=settings.max_body_bytes,
        respond=respond_early,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept"],
        )
    return app


async def _receive_nothing() -> dict[str, Any]:
    return {"type": "http.disconnect"}


__all__ = ["create_app"]
