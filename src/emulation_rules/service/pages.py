"""The pages for people (Vietnamese, server-rendered, no JavaScript build step).

* ``/`` — the campaigns;
* ``/campaigns/{id}`` — the plan explorer: legal basis, period, participants, each criterion in
  plain Vietnamese beside the clause it encodes, awards and quotas, parameters with their dated
  values, and every interpretation highlighted with its note;
* ``/campaigns/{id}/evaluate`` — upload a filled form (GET: the form; POST: the allocation, every
  candidate's explanation and the downloads of the result).

Nothing is kept between requests: the result page carries its downloads inside itself
(``data:`` links), so no result waits on the server for a second request.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from emulation_rules.evaluation.evaluate import library_version
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.results import render
from emulation_rules.plugins.registry import Registry
from emulation_rules.service import operations as ops
from emulation_rules.service import views
from emulation_rules.service.jobs import Jobs
from emulation_rules.service.problems import ServiceProblem, from_library_error
from emulation_rules.service.requests import read_upload
from emulation_rules.service.settings import ServiceSettings
from emulation_rules.text import nfc

#: security headers of every page: only this server's own styles and script, forms posted
#: only here, never framed
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
STATIC = {"style.css": "text/css; charset=utf-8", "explain.js": "text/javascript; charset=utf-8"}


class _Environment(jinja2.Environment):
    """Templates read plain data: ``x.values`` is the key ``values`` of a dict, never the
    dict's method (Jinja looks up attributes first)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.PackageLoader("emulation_rules.service", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["anchor"] = views.anchor
    return env


def root_of(request: Request) -> str:
    """The path the app is mounted at ('' at the top), for the pages' links."""
    return str(request.scope.get("root_path", "")).rstrip("/")


class Pages:
    """Renders the pages of one app."""

    def __init__(self, registry: Registry, settings: ServiceSettings) -> None:
        self.registry = registry
        self.settings = settings
        self.env = environment()
        self.version = library_version()

    def html(self, request: Request, template: str, status: int = 200, **context: Any) -> str:
        return self.env.get_template(template).render(
            root=root_of(request), version=self.version, **context
        )

    def response(self, text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)

    def error(self, request: Request, problem: ServiceProblem) -> HTMLResponse:
        headings = {
            400: "Yêu cầu chưa đúng",
            404: "Không tìm thấy",
            405: "Không hỗ trợ thao tác này",
            413: "Tệp quá lớn",
            415: "Không đọc được loại tệp này",
            422: "Không đánh giá được theo yêu cầu",
            503: "Đánh giá quá lâu",
        }
        heading = headings.get(problem.status, "Đã có lỗi xảy ra")
        text = self.html(
            request, "error.html", heading=heading, problem=problem.document(request.url.path)
        )
        return self.response(text, problem.status)


def build_pages(registry: Registry, settings: ServiceSettings, jobs: Jobs) -> APIRouter:
    """The page routes (left out of the OpenAPI description)."""
    router = APIRouter(include_in_schema=False)
    pages = Pages(registry, settings)
    limits = settings.limits
    static = {
        name: resources.files("emulation_rules.service").joinpath("static", name).read_bytes()
        for name in STATIC
    }

    def entry(campaign_id: str) -> Any:
        return ops.entry_of(registry, nfc(campaign_id))

    @router.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        cards = [views.campaign_card(e) for e in registry.entries]
        broken = [
            {"plugin": f.plugin, "hook": f.hook, "summary": f.summary} for f in registry.failures
        ]
        return pages.response(pages.html(request, "index.html", campaigns=cards, broken=broken))

    @router.get("/static/{name}")
    def asset(name: str) -> Response:
        if name not in static:
            raise ServiceProblem("not-found", f"no file '{name}' here")
        return Response(
            static[name],
            media_type=STATIC[name],
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    @router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
    def campaign(request: Request, campaign_id: str) -> HTMLResponse:
        data = views.explorer(entry(campaign_id))
        return pages.response(pages.html(request, "campaign.html", c=data))

    def form_context(found: Any) -> dict[str, Any]:
        return {
            "c": {"id": found.campaign.id, "title": found.campaign.title},
            "max_mb": f"{limits.max_document_bytes / 1024 / 1024:g}".replace(".", ","),
            "max_candidates": f"{limits.max_candidates:,}".replace(",", "."),
        }

    @router.get("/campaigns/{campaign_id}/evaluate", response_class=HTMLResponse)
    def evaluate_form(request: Request, campaign_id: str) -> HTMLResponse:
        found = entry(campaign_id)
        return pages.response(
            pages.html(request, "evaluate.html", problem=None, **form_context(found))
        )

    @router.post("/campaigns/{campaign_id}/evaluate", response_class=HTMLResponse)
    async def evaluate_page(request: Request, campaign_id: str) -> HTMLResponse:
        found = entry(campaign_id)
        try:
            upload, options = await read_upload(request)

            def page() -> str:
                result = ops.evaluate_upload(found, registry, upload, options, limits)
                return pages.html(
                    request,
                    "result.html",
                    r=views.result_view(result),
                    filename=upload.label,
                    downloads=downloads(result),
                )

            text = await jobs.run(page)
        except Exception as exc:
            problem = from_library_error(exc)
            if problem.status >= 500 and problem.kind != "timeout":
                raise
            return pages.response(
                pages.html(
                    request,
                    "evaluate.html",
                    problem=problem.document(request.url.path),
                    **form_context(found),
                ),
                problem.status,
            )
        return pages.response(text)

    return router


def _data_uri(data: bytes, media: str) -> str:
    return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"


#: the result's downloads: (label, file suffix, media type, writer)
DOWNLOADS: tuple[tuple[str, str, str, Callable[[Result], bytes]], ...] = (
    (
        "Bảng kết quả (CSV)",
        "csv",
        "text/csv",
        lambda r: ("\ufeff" + render(r, "csv")).encode("utf-8"),
    ),
)


def downloads(result: Result) -> list[dict[str, str]]:
    """The downloads of a result page, each a ``data:`` link (nothing kept on the server)."""
    stem = f"{result.campaign.id}.ket-qua.{result.as_of.isoformat()}"
    return [
        {
            "label": label,
            "filename": f"{stem}.{suffix}",
            "media": media,
            "href": _data_uri(write(result), media),
        }
        for label, suffix, media, write in DOWNLOADS
    ]
