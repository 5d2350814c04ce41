"""The HTTP API through real server processes (uvicorn on 127.0.0.1) and an HTTP client: every
endpoint, every error status, the limits, CORS, a broken plugin, mounting in a host app."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import openpyxl
import pytest
from filled_forms import fill_form
from hosts import SECRET
from servers import (  # the fixtures, imported for pytest to find them
    CAMPAIGN,
    CORS_ORIGIN,
    EXAMPLE_PLAN,
    LIMITED_BODY,
    LIMITED_CANDIDATES,
    Server,
    hosted,
    limited,
    problem,
    sample,
    server,
)

from emulation_rules import Registry, evaluate
from emulation_rules.evaluation.evaluate import evaluate_validated, resolve_as_of
from emulation_rules.evaluation.targets import evaluate_targets
from emulation_rules.inputs.files import load_input
from emulation_rules.inputs.schema import input_schema
from emulation_rules.inputs.template import write_template
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.schema import output_schema
from emulation_rules.service.problems import MEDIA_TYPE

__all__ = ["hosted", "limited", "sample", "server"]
API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXTURES = Path(__file__).resolve().parents[1] / "inputs" / "fixtures"


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


def evaluated(result: Any) -> dict[str, Any]:
    return json.loads(json.dumps(result.to_dict(), ensure_ascii=False))


# --- what is installed ------------------------------------------------------------------------
def test_health_version_plugins_and_campaigns(client: httpx.Client, registry: Registry) -> None:
    health = client.get(f"{API}/health")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "campaigns": len(registry.entries),
        "broken_plugins": 0,
    }
    version = client.get(f"{API}/version").json()
    assert version["api"] == "v1"
    assert version["plugins"] == {i.name: i.version for i in registry.plugins()}
    plugins = client.get(f"{API}/plugins").json()
    assert [p["name"] for p in plugins["plugins"]] == [i.name for i in registry.plugins()]
    assert plugins["broken"] == []
    assert {c for p in plugins["plugins"] for c in p["campaigns"]} == {
        e.campaign.id for e in registry.entries
    }
    listed = client.get(f"{API}/campaigns").json()["campaigns"]
    assert [c["id"] for c in listed] == [e.campaign.id for e in registry.entries]
    an_giang = next(c for c in listed if c["id"] == CAMPAIGN)
    assert an_giang["period"] == {"start": "2021-06-21", "end": "2021-12-31"}
    assert an_giang["legal_basis"] == ["Kế hoạch 1078/KH-SNV, 21/06/2021, Sở Nội vụ tỉnh An Giang"]


def test_a_campaign_as_data_with_every_citation(client: httpx.Client, registry: Registry) -> None:
    campaign = registry.campaign(CAMPAIGN)
    body = client.get(f"{API}/campaigns/{CAMPAIGN}").json()
    assert body["plan"] == json.loads(campaign.model_dump_json(by_alias=True))
    assert len(body["citations"]) == len(campaign.citations())
    first = body["citations"][0]
    assert first["element"] == "period"
    assert first["document"] == "Kế hoạch 1078/KH-SNV" and first["date"] == "2021-06-21"
    flagged = [c for c in body["citations"] if c["interpretation"]]
    assert flagged and all(c["note"] for c in flagged)


def test_input_schema_sample_and_template(client: httpx.Client, registry: Registry) -> None:
    entry = registry.entry(CAMPAIGN)
    schema = client.get(f"{API}/campaigns/{CAMPAIGN}/schema/input")
    assert schema.json() == input_schema(entry.campaign)
    assert client.get(f"{API}/campaigns/{CAMPAIGN}/sample").json() == entry.sample_document()
    form = client.get(f"{API}/campaigns/{CAMPAIGN}/template")
    assert form.status_code == 200
    assert form.headers["content-type"] == XLSX
    assert form.headers["content-disposition"] == (f'attachment; filename="{CAMPAIGN}.form.xlsx"')
    assert form.content == write_template(entry.campaign)
    assert "Tập thể" in openpyxl.load_workbook(io.BytesIO(form.content)).sheetnames


# --- evaluating -------------------------------------------------------------------------------
def test_evaluate_a_json_body_as_the_library_does(
    client: httpx.Client, registry: Registry, sample: dict[str, Any]
) -> None:
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    first = client.post(url, json=sample)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/json"
    assert first.json() == evaluated(evaluate(registry.campaign(CAMPAIGN), sample))
    again = client.post(
        url, content=json.dumps(sample), headers={"content-type": "application/json"}
    )
    assert again.content == first.content  # byte-identical
    what_if = client.post(url, json=sample, params={"override": "quota_collectives=3"}).json()
    assert what_if["parameters"]["quota_collectives"] == 3
    assert len(what_if["allocations"][0]["awarded"]) <= 3
    on_day = client.post(url, json=sample, params={"as_of": "2021-12-31"}).json()
    assert on_day["as_of"] == "2021-12-31"
    columnar = client.post(url, json=sample, params={"engine": "columnar"}).json()
    assert columnar["engine"] == "columnar"


def test_evaluate_csv_xlsx_raw_and_uploaded(client: httpx.Client, registry: Registry) -> None:
    tien_giang = registry.campaign("tien_giang.par_2023")
    document = registry.entry(tien_giang.id).sample_document()
    expected = evaluated(evaluate(tien_giang, document))
    printed = (FIXTURES / "tien_giang_2020_as_printed.csv").read_bytes()
    url = f"{API}/campaigns/{tien_giang.id}/evaluate"
    as_of = {"as_of": document["as_of"]}
    csv = client.post(url, content=printed, params=as_of, headers={"content-type": "text/csv"})
    assert csv.status_code == 200, csv.text
    assert csv.json() == expected
    sniffed = client.post(
        url, content=printed, params=as_of, headers={"content-type": "application/octet-stream"}
    )
    assert sniffed.json() == expected

    campaign = registry.campaign(CAMPAIGN)
    form = fill_form(registry, CAMPAIGN, write_template(campaign))
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    raw = client.post(url, content=form, headers={"content-type": XLSX})
    assert raw.status_code == 200, raw.text
    day = resolve_as_of(campaign, None)
    path = Path(__file__).parent / "form.tmp.xlsx"
    try:
        path.write_bytes(form)
        _, validated = load_input(campaign, path)
    finally:
        path.unlink()
    assert raw.json() == evaluated(evaluate_validated(campaign, validated, as_of=day))
    uploaded = client.post(
        url,
        files={"file": ("bieu-mau.xlsx", form, XLSX)},
        data={"as_of": "2021-12-31", "on_invalid": "refuse"},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json() == raw.json()


def test_explain_and_missing(
    client: httpx.Client, registry: Registry, sample: dict[str, Any]
) -> None:
    result = evaluate(registry.campaign(CAMPAIGN), sample)
    awarded = result.allocations[0].awarded[0]
    body = client.post(f"{API}/campaigns/{CAMPAIGN}/explain/{awarded}", json=sample).json()
    assert body["candidate"] == result.candidate(awarded).to_dict()
    rank = result.allocations[0].ranks.get(awarded)
    assert body["allocations"] == [
        {
            "award": "bang_khen_tap_the",
            "group": None,
            "status": "awarded",
            "rank": rank,
            "threats": None,
            "depends_on": None,
        }
    ]
    individuals = result.allocation("bang_khen_ca_nhan")
    assert individuals.provisional  # the sample has provisional seats: one says who could take it
    held = individuals.provisional[0]
    place = client.post(f"{API}/campaigns/{CAMPAIGN}/explain/{held}", json=sample).json()
    (seat,) = place["allocations"]
    assert seat["status"] == "provisional" and seat["rank"] == individuals.ranks[held]
    assert seat["threats"] == individuals.threats[held].to_dict()
    assert body["text"] == render_explanation(result, result.candidate(awarded))
    assert body["fingerprint"] == result.fingerprint
    missing = client.post(f"{API}/campaigns/{CAMPAIGN}/missing", json=sample).json()
    assert missing == json.loads(json.dumps(result.missing().to_dict()))


def test_the_output_schema_and_every_sample_s_answer_against_it(
    client: httpx.Client, registry: Registry
) -> None:
    general = client.get(f"{API}/schema/output").json()
    assert general == output_schema()
    jsonschema.Draft202012Validator.check_schema(general)
    for entry in registry.entries:
        schema = client.get(f"{API}/campaigns/{entry.campaign.id}/schema/output").json()
        assert schema == output_schema(entry.campaign)
        if entry.sample is None:  # a national campaign of a year without a sample
            continue
        answer = client.post(
            f"{API}/campaigns/{entry.campaign.id}/evaluate", json=entry.sample_document()
        ).json()
        jsonschema.validate(answer, schema, cls=jsonschema.Draft202012Validator)
        jsonschema.validate(answer, general, cls=jsonschema.Draft202012Validator)
    problem(client.get(f"{API}/campaigns/nope.x/schema/output"), 404, "unknown-campaign")


def test_targets(client: httpx.Client, registry: Registry) -> None:
    entry = registry.entry("binh_dinh.par_2021_2025")
    assert entry.sample is not None
    measures = json.loads((entry.sample.parent / "measures_illustrative.json").read_text("utf-8"))
    got = client.post(f"{API}/campaigns/{entry.campaign.id}/targets", json=measures)
    assert got.status_code == 200, got.text
    expected = evaluate_targets(entry.campaign, measures, origin="request body").to_dict()
    assert got.json() == expected
    wrong = client.post(
        f"{API}/campaigns/{entry.campaign.id}/targets",
        content=b"a,b",
        headers={"content-type": "text/csv"},
    )
    problem(wrong, 415, "unsupported-media-type")
    no_targets = client.post(f"{API}/campaigns/{CAMPAIGN}/targets", json=measures)
    assert no_targets.status_code in (400, 422)
    problem(no_targets, no_targets.status_code, no_targets.json()["type"].rpartition("/")[2])


def test_openapi_describes_every_endpoint_with_the_samples(
    client: httpx.Client, registry: Registry
) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for path in (
        "/health",
        "/version",
        "/plugins",
        "/campaigns",
        "/campaigns/{campaign_id}",
        "/campaigns/{campaign_id}/schema/input",
        "/campaigns/{campaign_id}/schema/output",
        "/schema/output",
        "/campaigns/{campaign_id}/sample",
        "/campaigns/{campaign_id}/template",
        "/campaigns/{campaign_id}/evaluate",
        "/campaigns/{campaign_id}/explain/{candidate_id}",
        "/campaigns/{campaign_id}/missing",
        "/campaigns/{campaign_id}/targets",
    ):
        assert API + path in paths
    assert not any(p.startswith("/campaigns") for p in paths)  # the pages are left out
    examples = spec["components"]["examples"]
    ids = {e.campaign.id for e in registry.entries}
    assert {k: v["value"] for k, v in examples.items() if k in ids} == {
        e.campaign.id: e.sample_document() for e in registry.entries if e.sample
    }  # the others are the answers' examples (test_documents_api.py)
    evaluate_op = spec["paths"][f"{API}/campaigns/{{campaign_id}}/evaluate"]["post"]
    content = evaluate_op["requestBody"]["content"]
    assert set(content) >= {"application/json", "text/csv", XLSX, "multipart/form-data"}
    assert content["application/json"]["examples"][CAMPAIGN] == {
        "$ref": f"#/components/examples/{CAMPAIGN}"
    }
    assert {p["name"] for p in evaluate_op["parameters"]} >= {"as_of", "override", "on_invalid"}
    for status in ("400", "404", "413", "415", "422", "503"):
        assert MEDIA_TYPE in evaluate_op["responses"][status]["content"]
    answer = evaluate_op["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/OutputDocument"}
    component = spec["components"]["schemas"]["OutputDocument"]
    assert '"#/$defs/' not in json.dumps(component)
    assert set(component["$defs"]) == set(output_schema()["$defs"])
    assert client.get("/docs").status_code == 404  # no page that loads scripts from elsewhere


# --- errors -----------------------------------------------------------------------------------
def test_400_every_problem_of_bad_input_at_once(client: httpx.Client) -> None:
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    bad = {
        "candidates": [
            {"id": "a", "name": "A", "kind": "collective", "unit_type": "nope", "facts": {}},
            {
                "id": "b",
                "name": "B",
                "kind": "collective",
                "unit_type": "so_ban_nganh",
                "facts": {"papi_plan_components": "tám", "reports_on_time": 3},
            },
        ]
    }
    body = problem(client.post(url, json=bad), 400, "bad-input")
    assert body["count"] == 3
    assert {(p["candidate"], p["field"].partition(" (")[0]) for p in body["problems"]} == {
        ("a", "field 'unit_type'"),
        ("b", "fact 'papi_plan_components'"),
        ("b", "fact 'reports_on_time'"),
    }
    syntax = problem(
        client.post(
            url, content=b'{"candidates": [}', headers={"content-type": "application/json"}
        ),
        400,
        "bad-input",
    )
    assert "line 1" in syntax["detail"]
    empty = problem(
        client.post(url, content=b"", headers={"content-type": "application/json"}),
        400,
        "bad-input",
    )
    assert "empty" in empty["detail"]
    params = problem(
        client.post(
            url, json=bad, params=[("as_of", "21/13/2021"), ("engine", "x"), ("override", "q")]
        ),
        400,
        "bad-input",
    )
    assert {p["field"] for p in params["problems"]} == {
        "parameter 'as_of'",
        "parameter 'engine'",
        "parameter 'override'",
    }
    form = problem(
        client.post(url, files={"file": ("a.json", b"{}")}, data={"colour": "red"}),
        400,
        "bad-input",
    )
    assert form["problems"][0]["field"] == "field 'colour'"
    nofile = problem(
        client.post(url, data={"as_of": "2021-12-31"}, files={"x": ("a", b"")}), 400, "bad-input"
    )
    assert "file" in nofile["detail"]


def test_an_uploaded_file_name_is_a_label_never_a_path(client: httpx.Client) -> None:
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    body = problem(
        client.post(url, files={"file": ("../../../../etc/passwd", b"not: [a table")}),
        400,
        "bad-input",
    )
    assert "root:" not in json.dumps(body)
    assert all("../" not in p["where"] for p in body["problems"])
    assert body["problems"][0]["where"].startswith("passwd")


def test_404_405_415_422(client: httpx.Client, sample: dict[str, Any]) -> None:
    unknown = problem(client.get(f"{API}/campaigns/nowhere.x"), 404, "unknown-campaign")
    assert "known: an_giang.papi_2021" in unknown["detail"]
    problem(
        client.post(f"{API}/campaigns/nowhere.x/evaluate", json=sample), 404, "unknown-campaign"
    )
    problem(client.get(f"{API}/no/such/thing"), 404, "not-found")
    missing = problem(
        client.post(f"{API}/campaigns/{CAMPAIGN}/explain/nobody", json=sample), 404, "not-found"
    )
    assert "nobody" in missing["detail"]
    wrong_method = client.get(f"{API}/campaigns/{CAMPAIGN}/evaluate")
    problem(wrong_method, 405, "method-not-allowed")
    assert wrong_method.headers["allow"] == "POST"
    problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/evaluate",
            content=b"\x89PNG",
            headers={"content-type": "image/png"},
        ),
        415,
        "unsupported-media-type",
    )
    early = problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/evaluate", json=sample, params={"as_of": "2020-01-01"}
        ),
        422,
        "unprocessable",
    )
    assert "before an_giang.papi_2021 starts" in early["detail"]
    override = problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/evaluate",
            json=sample,
            params={"override": "no_such_parameter=1"},
        ),
        422,
        "unprocessable",
    )
    assert "no_such_parameter" in override["detail"]


def test_413_body_and_candidates_past_the_limits(limited: Server, sample: dict[str, Any]) -> None:
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    with limited.client() as client:
        big = json.dumps(sample).encode()
        assert len(big) > LIMITED_BODY
        announced = problem(
            client.post(url, content=big, headers={"content-type": "application/json"}),
            413,
            "too-large",
        )
        assert f"{LIMITED_BODY:,} bytes" in announced["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for i in range(0, len(big), 4096):
                yield big[i : i + 4096]

        problem(
            client.post(url, content=chunks(), headers={"content-type": "application/json"}),
            413,
            "too-large",
        )
        four = {**sample, "candidates": sample["candidates"][: LIMITED_CANDIDATES + 1]}
        many = problem(client.post(url, json=four), 413, "too-large")
        assert "max_candidates" in many["detail"]
        three = {**sample, "candidates": sample["candidates"][:LIMITED_CANDIDATES]}
        assert client.post(url, json=three).status_code == 200
        page = client.post(
            f"/campaigns/{CAMPAIGN}/evaluate",
            files={"file": ("big.json", big)},
            headers={"accept": "text/html"},
        )
        assert page.status_code == 413
        assert page.headers["content-type"].startswith("text/html")
        assert "Tệp quá lớn" in page.text or "quá lớn" in page.text


def test_a_broken_plugin_is_listed_and_the_others_work(
    limited: Server, sample: dict[str, Any]
) -> None:
    with limited.client() as client:
        plugins = client.get(f"{API}/plugins").json()
        (broken,) = plugins["broken"]
        assert broken["plugin"] == "broken" and broken["hook"] == "register_campaigns"
        assert "did you mean 'par'?" in broken["message"]
        assert client.get(f"{API}/health").json()["broken_plugins"] == 1
        gone = problem(client.get(f"{API}/campaigns/broken.mini_2024"), 404, "unknown-campaign")
        assert "plugin 'broken' did not load" in gone["detail"]
        few = {**sample, "candidates": sample["candidates"][:2]}
        assert client.post(f"{API}/campaigns/{CAMPAIGN}/evaluate", json=few).status_code == 200
        page = client.get("/")
        assert "Plugin không tải được" in page.text and "broken" in page.text


def test_cors_is_off_unless_configured(
    server: Server, limited: Server, client: httpx.Client
) -> None:
    preflight = {
        "origin": CORS_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    url = f"{API}/campaigns/{CAMPAIGN}/evaluate"
    off = client.options(url, headers=preflight)
    assert "access-control-allow-origin" not in off.headers
    assert (
        "access-control-allow-origin"
        not in client.get(f"{API}/health", headers={"origin": CORS_ORIGIN}).headers
    )
    with limited.client() as other:
        on = other.options(url, headers=preflight)
        assert on.status_code == 200
        assert on.headers["access-control-allow-origin"] == CORS_ORIGIN
        elsewhere = other.options(url, headers={**preflight, "origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in elsewhere.headers


def test_it_listens_on_localhost_by_default(server: Server) -> None:
    assert f"Uvicorn running on http://127.0.0.1:{server.port}" in server.log.read_text()


# --- a host's app: mounted, an unexpected error, the time limit ---------------------------------
def test_mounted_in_a_host_app(hosted: Server, sample: dict[str, Any]) -> None:
    with hosted.client() as client:
        assert client.get("/").json() == {"host": "an office's own application"}
        assert client.get("/thi-dua/api/v1/health").json()["status"] == "ok"
        got = client.post(f"/thi-dua{API}/campaigns/{CAMPAIGN}/evaluate", json=sample)
        assert got.status_code == 200 and got.json()["campaign"] == CAMPAIGN
        page = client.get("/thi-dua/").text
        assert f'href="/thi-dua/campaigns/{CAMPAIGN}"' in page
        assert 'href="/thi-dua/static/style.css"' in page
        assert client.get("/thi-dua/static/style.css").status_code == 200
        problem(client.get(f"/thi-dua{API}/campaigns/nope.x"), 404, "unknown-campaign")


def test_500_an_unexpected_error_is_a_problem_document_without_a_traceback(
    hosted: Server, sample: dict[str, Any]
) -> None:
    with hosted.client() as client:
        for response in (
            client.get(f"/faulty{API}/campaigns/{CAMPAIGN}"),
            client.post(f"/faulty{API}/campaigns/{CAMPAIGN}/evaluate", json=sample),
        ):
            body = problem(response, 500, "internal")
            assert SECRET not in response.text and "ZeroDivisionError" not in response.text
            assert "reference" in body["detail"]
        page = client.get(f"/faulty/campaigns/{CAMPAIGN}", headers={"accept": "text/html"})
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert SECRET not in page.text and "Traceback" not in page.text
    log = hosted.log.read_text(errors="replace")
    assert SECRET in log  # the operator sees it in the server's log


def test_503_past_the_evaluation_time_limit(hosted: Server, sample: dict[str, Any]) -> None:
    with hosted.client() as client:
        slow = problem(
            client.post(f"/slow{API}/campaigns/{CAMPAIGN}/evaluate", json=sample), 503, "timeout"
        )
        assert "evaluation_timeout_seconds" in slow["detail"]
        assert client.get(f"/slow{API}/health").status_code == 200


# --- the pages, as HTML, for every shipped campaign -------------------------------------------
def test_every_campaign_s_explorer_and_result_page(
    client: httpx.Client, registry: Registry
) -> None:
    for entry in registry.entries:
        campaign = entry.campaign
        page = client.get(f"/campaigns/{campaign.id}")
        assert page.status_code == 200, campaign.id
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
        flagged = sum(c.interpretation for _, c in campaign.citations())
        assert page.text.count('class="citation interpretation"') == flagged, campaign.id
        assert page.text.count('<article class="criterion') == len(campaign.criteria)
        well_formed_references(page.text)
        if entry.sample is None:  # a national campaign of a year without a sample
            continue
        document = entry.sample_document()
        result = client.post(
            f"/campaigns/{campaign.id}/evaluate",
            files={"file": ("sample.json", json.dumps(document).encode())},
        )
        assert result.status_code == 200, (campaign.id, result.text[:500])
        assert result.text.count('<details class="explanation"') == len(document["candidates"])
        well_formed_references(result.text)
        expected = evaluate(campaign, document)
        assert result.text.count('<article class="allocation"') == len(expected.allocations)


def well_formed_references(html: str) -> None:
    """Ids are unique, and every label, aria-labelledby, aria-describedby and in-page link
    points to an element of the page."""
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    known = set(ids)
    for attribute in ("for", "aria-labelledby", "aria-describedby"):
        for target in re.findall(rf' {attribute}="([^"]+)"', html):
            assert target in known, (attribute, target)
    for target in re.findall(r' href="#([^"]+)"', html):
        assert target in known, ("href", target)


def test_a_campaign_file_served_with_plan(limited: Server, sample: dict[str, Any]) -> None:
    """``serve --plan FILE``: a work plan (targets only) beside the installed campaigns."""
    from emulation_rules import load_campaign

    work_plan = load_campaign(EXAMPLE_PLAN)
    measures = json.loads((EXAMPLE_PLAN.parent / "measures.json").read_text(encoding="utf-8"))
    with limited.client() as client:
        ids = [c["id"] for c in client.get(f"{API}/campaigns").json()["campaigns"]]
        assert work_plan.id in ids and CAMPAIGN in ids
        got = client.post(f"{API}/campaigns/{work_plan.id}/targets", json=measures)
        assert got.status_code == 200, got.text
        assert got.json() == evaluate_targets(work_plan, measures, origin="request body").to_dict()
        few = {**sample, "candidates": sample["candidates"][:1]}
        no_criteria = problem(
            client.post(f"{API}/campaigns/{work_plan.id}/evaluate", json=few), 422, "unprocessable"
        )
        assert "report its targets instead" in no_criteria["detail"]
        assert client.get(f"/campaigns/{work_plan.id}").status_code == 200
