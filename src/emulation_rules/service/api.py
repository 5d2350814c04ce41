"""The HTTP API (``/api/v1``): the library's operations for systems that are not Python.

=======  =============================================  ==========================================
method   path                                           answer
=======  =============================================  ==========================================
GET      ``/health``                                    ``{"status": "ok", …}``
GET      ``/version``                                   library, API, Python and plugin versions
GET      ``/plugins``                                   plugins, and the broken ones with errors
GET      ``/campaigns``                                 every campaign, in brief
GET      ``/campaigns/{id}``                            the campaign as data, citations resolved
GET      ``/campaigns/{id}/schema/input``               JSON Schema of its input document
GET      ``/campaigns/{id}/schema/output``              JSON Schema of its output document
GET      ``/schema/output``                             JSON Schema of any output document
GET      ``/campaigns/{id}/sample``                     its bundled sample input document
GET      ``/campaigns/{id}/template``                   its input form (XLSX)
POST     ``/campaigns/{id}/evaluate``                   the output document
POST     ``/campaigns/{id}/explain/{candidate}``        one candidate's verdicts and places
POST     ``/campaigns/{id}/missing``                    the facts still missing
POST     ``/campaigns/{id}/targets``                    targets attained per year
=======  =============================================  ==========================================

The evaluating endpoints take the input as a JSON body, a CSV, XLSX or Parquet file, or a form
upload (:func:`~emulation_rules.service.requests.read_upload`), with the command line's options
as query parameters (``as_of``, ``override`` (repeatable), ``engine``, ``locale``,
``on_invalid``, ``input_format``). Errors are problem documents (:mod:`.problems`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from emulation_rules.evaluation.result import Result
from emulation_rules.inputs.schema import input_schema
from emulation_rules.inputs.template import write_template
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.schema import output_schema
from emulation_rules.plugins.registry import Registry
from emulation_rules.service import operations as ops
from emulation_rules.service.jobs import Jobs
from emulation_rules.service.problems import MEDIA_TYPE, ProblemDocument, ServiceProblem
from emulation_rules.service.requests import parse_options, read_upload
from emulation_rules.service.settings import ServiceSettings
from emulation_rules.text import nfc

PREFIX = "/api/v1"
T = TypeVar("T")
#: the output document's schema among the OpenAPI components
OUTPUT_SCHEMA = "OutputDocument"


def output_document_schema() -> dict[str, Any]:
    """:func:`output_schema` as an OpenAPI 3.1 component: its ``$defs`` referred to where the
    component sits."""
    schema = {k: v for k, v in output_schema().items() if k != "$schema"}
    text = json.dumps(schema).replace('"#/$defs/', f'"#/components/schemas/{OUTPUT_SCHEMA}/$defs/')
    document: dict[str, Any] = json.loads(text)
    return document


XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of the error answers of an endpoint."""
    return {
        status: {
            "description": description,
            "model": ProblemDocument,
            "content": {MEDIA_TYPE: {}},
        }
        for status, description in (
            (400, "bad input: every problem, each naming the candidate, row or cell"),
            (404, "no such campaign (or candidate)"),
            (413, "the body or the number of candidates is past this server's limit"),
            (415, "the body's media type is not read here"),
            (422, "well-formed, but the evaluation cannot run as asked"),
            (503, "the evaluation took longer than this server's limit"),
        )
        if status in statuses
    }


def sample_examples(registry: Registry) -> dict[str, dict[str, Any]]:
    """The shipped samples as OpenAPI examples (``components/examples``), by campaign id."""
    examples = {}
    for entry in registry.entries:
        if entry.sample is None:
            continue
        try:
            value = entry.sample_document()
        except Exception:  # a plugin's broken sample leaves its example out, nothing else
            continue
        examples[entry.campaign.id] = {
            "summary": f"the sample of {entry.campaign.id}",
            "value": value,
        }
    return examples


def input_body(examples: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The request body of the evaluating endpoints, the samples as examples by reference."""
    refs = {key: {"$ref": f"#/components/examples/{key}"} for key in examples}
    document = {
        "type": "object",
        "required": ["candidates"],
        "properties": {
            "as_of": {"type": "string", "format": "date", "example": "2021-12-31"},
            "candidates": {
                "type": "array",
                "items": {"type": "object"},
                "description": "the campaign's candidates: see GET "
                "/api/v1/campaigns/{campaign_id}/schema/input for every field and fact",
            },
        },
    }
    binary = {"type": "string", "format": "binary"}
    return {
        "required": True,
        "description": "the input: the input document as JSON, a file (CSV, XLSX — the "
        "campaign's form filled in —, Parquet), or a form upload with the file in 'file'",
        "content": {
            "application/json": {"schema": document, "examples": refs},
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA: {"schema": binary},
            "application/vnd.apache.parquet": {"schema": binary},
            "application/octet-stream": {"schema": binary},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": binary,
                        "as_of": {"type": "string", "format": "date"},
                        "override": {"type": "array", "items": {"type": "string"}},
                        "engine": {"type": "string", "enum": ["both", "columnar"]},
                        "locale": {"type": "string", "enum": ["vi", "en"]},
                        "on_invalid": {"type": "string", "enum": ["refuse", "report"]},
                        "input_format": {
                            "type": "string",
                            "enum": ["json", "csv", "xlsx", "parquet"],
                        },
                    },
                }
            },
        },
    }


def option_parameters() -> list[dict[str, Any]]:
    """The query parameters the evaluating endpoints read (described, checked by hand)."""

    def param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }

    return [
        param(
            "as_of",
            {"type": "string", "format": "date"},
            "evaluation date (default: the document's as_of, else the campaign's last day)",
        ),
        param(
            "override",
            {"type": "array", "items": {"type": "string"}},
            "PARAMETER=VALUE, replaces a named parameter for this request (repeatable)",
        ),
        param(
            "engine",
            {"type": "string", "enum": ["both", "columnar"], "default": "both"},
            "both engines, which must agree, or the columnar evaluator alone",
        ),
        param(
            "locale",
            {"type": "string", "enum": ["vi", "en"], "default": "vi"},
            "how CSV and XLSX text cells write numbers, yes/no and dates",
        ),
        param(
            "on_invalid",
            {"type": "string", "enum": ["refuse", "report"], "default": "refuse"},
            "refuse bad input whole (400), or evaluate the valid candidates and list the "
            "others under 'rejected'",
        ),
        param(
            "input_format",
            {"type": "string", "enum": ["json", "csv", "xlsx", "parquet"]},
            "the input's format (default: from the media type, the file name, or sniffed)",
        ),
    ]


def json_bytes(document: Any) -> Response:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    return Response(text.encode("utf-8"), media_type="application/json")


def build_router(
    registry: Registry,
    settings: ServiceSettings,
    jobs: Jobs,
    examples: dict[str, dict[str, Any]],
) -> APIRouter:
    """The API's routes over one registry (``examples``: see :func:`sample_examples`)."""
    router = APIRouter(prefix=PREFIX, tags=["api"])
    ids = [e.campaign.id for e in registry.entries]
    campaign_param = Path(
        description="a campaign id (GET /api/v1/campaigns lists them)",
        examples=ids[:4] or ["an_giang.papi_2021"],
    )
    body = input_body(examples)
    options = option_parameters()
    evaluating: dict[str, Any] = {"requestBody": body, "parameters": options}
    limits = settings.limits

    def entry(campaign_id: str) -> Any:
        return ops.entry_of(registry, nfc(campaign_id))

    async def answer(campaign_id: str, request: Request, render: Callable[[Result], T]) -> T:
        """Read the input, then evaluate it and render the answer in one job."""
        found = entry(campaign_id)
        upload, options = await read_upload(request)
        return await jobs.run(
            lambda: render(ops.evaluate_upload(found, registry, upload, options, limits))
        )

    @router.get("/health", summary="Is the service up")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "campaigns": len(registry.entries),
            "broken_plugins": len(registry.failures),
        }

    @router.get("/version", summary="Versions of the library, the API, Python and the plugins")
    def version() -> dict[str, Any]:
        return ops.version_document(registry)

    @router.get(
        "/plugins",
        summary="Installed plugins, and the broken ones with their errors",
    )
    def plugins() -> dict[str, Any]:
        return ops.plugins_document(registry)

    @router.get("/campaigns", summary="Every campaign, in brief")
    def campaigns() -> dict[str, Any]:
        return {"campaigns": [ops.campaign_summary(e) for e in registry.entries]}

    @router.get(
        "/campaigns/{campaign_id}",
        summary="A campaign as data, with every citation resolved",
        responses=problem_responses(404),
    )
    def campaign(campaign_id: str = campaign_param) -> Response:
        return json_bytes(ops.campaign_document(entry(campaign_id)))

    @router.get(
        "/campaigns/{campaign_id}/schema/input",
        summary="JSON Schema of the campaign's input document",
        responses=problem_responses(404),
    )
    def schema_input(campaign_id: str = campaign_param) -> Response:
        return json_bytes(input_schema(entry(campaign_id).campaign))

    @router.get(
        "/campaigns/{campaign_id}/schema/output",
        summary="JSON Schema of the campaign's output document (what evaluate answers)",
        responses=problem_responses(404),
    )
    def schema_output(campaign_id: str = campaign_param) -> Response:
        return json_bytes(output_schema(entry(campaign_id).campaign))

    @router.get(
        "/schema/output",
        summary="JSON Schema of every campaign's output document",
    )
    def schema_output_any() -> Response:
        return json_bytes(output_schema())

    @router.get(
        "/campaigns/{campaign_id}/sample",
        summary="The campaign's bundled sample input document",
        responses=problem_responses(404),
    )
    def sample(campaign_id: str = campaign_param) -> Response:
        found = entry(campaign_id)
        if found.sample is None:
            raise ServiceProblem("not-found", f"campaign '{found.campaign.id}' ships no sample")
        return json_bytes(found.sample_document())

    @router.get(
        "/campaigns/{campaign_id}/template",
        summary="The campaign's input form (XLSX) to fill in and send back to evaluate",
        responses={
            200: {"content": {XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}}}},
            **problem_responses(404),
        },
        response_class=Response,
    )
    async def template(campaign_id: str = campaign_param) -> Response:
        found = entry(campaign_id)
        data = await jobs.run(lambda: write_template(found.campaign))
        name = f"{found.campaign.id}.form.xlsx"
        return Response(
            data,
            media_type=XLSX_MEDIA,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @router.post(
        "/campaigns/{campaign_id}/evaluate",
        summary="Evaluate candidates: every verdict, eligibility and the allocation",
        description="The output document (docs/data-model.md): every candidate's verdicts "
        "with the value seen, the value required and the citation; the eligibility for every "
        "award; the allocation under the quotas. With on_invalid=report, the refused "
        "candidates are listed under 'rejected'.",
        responses={
            200: {
                "description": "the output document",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{OUTPUT_SCHEMA}"}
                    }
                },
            },
            **problem_responses(400, 404, 413, 415, 422, 503),
        },
        openapi_extra=evaluating,
        response_class=Response,
    )
    async def evaluate(request: Request, campaign_id: str = campaign_param) -> Response:
        text = await answer(campaign_id, request, lambda result: result.to_json(indent=None))
        return Response(text.encode("utf-8"), media_type="application/json")

    @router.post(
        "/campaigns/{campaign_id}/explain/{candidate_id}",
        summary="Explain one candidate: every criterion, its eligibility and its places",
        responses=problem_responses(400, 404, 413, 415, 422, 503),
        openapi_extra=evaluating,
        response_class=Response,
    )
    async def explain(
        request: Request,
        campaign_id: str = campaign_param,
        candidate_id: str = Path(description="the id of a candidate in the input"),
    ) -> Response:
        wanted = nfc(candidate_id.strip())

        def document(result: Result) -> dict[str, Any]:
            if wanted not in result.rows:
                raise ServiceProblem("not-found", f"no candidate '{wanted}' in the input")
            candidate = result.candidate(wanted)
            return {
                "campaign": result.campaign.id,
                "as_of": result.as_of.isoformat(),
                "fingerprint": result.fingerprint,
                "candidate": candidate.to_dict(),
                "allocations": ops.positions(result, wanted),
                "text": render_explanation(result, candidate),
            }

        return json_bytes(await answer(campaign_id, request, document))

    @router.post(
        "/campaigns/{campaign_id}/missing",
        summary="The facts still missing: per undetermined candidate, and per fact",
        responses=problem_responses(400, 404, 413, 415, 422, 503),
        openapi_extra=evaluating,
        response_class=Response,
    )
    async def missing(request: Request, campaign_id: str = campaign_param) -> Response:
        return json_bytes(
            await answer(campaign_id, request, lambda result: result.missing().to_dict())
        )

    @router.post(
        "/campaigns/{campaign_id}/targets",
        summary="A plan's targets (chỉ tiêu) against the measures achieved, per year",
        description='The body is the measures document: {"as_of", "years": {"2021": '
        "{MEASURE: value}}}.",
        responses=problem_responses(400, 404, 413, 415, 422, 503),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["years"],
                            "properties": {
                                "as_of": {"type": "string", "format": "date"},
                                "years": {"type": "object"},
                            },
                        }
                    }
                },
            }
        },
        response_class=Response,
    )
    async def targets(
        request: Request,
        campaign_id: str = campaign_param,
        as_of: str | None = Query(None, description="report the years up to this day"),
    ) -> Response:
        found = entry(campaign_id)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and kind != "application/json" and not kind.endswith("+json"):
            raise ServiceProblem(
                "unsupported-media-type",
                "the measures document is JSON: send it as application/json",
            )
        day = parse_options([("as_of", as_of)] if as_of else []).as_of
        data = await request.body()
        return json_bytes(await jobs.run(lambda: ops.targets_report(found, data, day, limits)))

    return router


def problem_response(problem: ServiceProblem, instance: str) -> JSONResponse:
    return JSONResponse(
        problem.document(instance),
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        headers=problem.headers,
    )
