"""The documents for people through a real server process (uvicorn on 127.0.0.1) and httpx:
``evaluate`` as CSV, the result workbook and the proposal dossier; ``explain`` as the letter
(Markdown, Word); ``diff`` over two results; chosen by ``format`` or ``Accept``; their
OpenAPI description and examples; every error status they answer; and the result page's
download form as a browser sends it."""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import docx
import httpx
import openpyxl
import pytest
from servers import (  # the fixtures, imported for pytest to find them
    CAMPAIGN,
    LIMITED_BODY,
    OWN_LAYOUT,
    Server,
    limited,
    problem,
    sample,
    server,
)

from emulation_rules import Registry, evaluate
from emulation_rules.evaluation.diff import diff_documents
from emulation_rules.evaluation.evaluate import library_version
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs import workbook as workbook_module
from emulation_rules.outputs.diff import render_diff
from emulation_rules.outputs.dossier import render_dossier
from emulation_rules.outputs.explain import render_explanation
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import render_csv
from emulation_rules.outputs.workbook import write_workbook
from emulation_rules.service.problems import MEDIA_TYPE, ServiceProblem

__all__ = ["limited", "sample", "server"]
API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EVALUATE = f"{API}/campaigns/{CAMPAIGN}/evaluate"


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def result(registry: Registry, sample: dict[str, Any]) -> Result:
    return evaluate(registry.campaign(CAMPAIGN), sample)


def versions(registry: Registry, campaign_id: str = CAMPAIGN) -> dict[str, str]:
    """The versions the service's documents name: the library's and the campaign's plugin's."""
    entry = registry.entry(campaign_id)
    return {"emulation-rules": library_version(), entry.plugin: str(entry.plugin_version)}


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a Word document, its footers', one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def attachment_name(response: httpx.Response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    found = re.search(r'filename="([^"]+)"', disposition)
    assert found, disposition
    return found.group(1)


# --- evaluate: the result as CSV, workbook, dossier ---------------------------------------------
def test_evaluate_answers_the_result_workbook(
    client: httpx.Client, registry: Registry, sample: dict[str, Any], result: Result
) -> None:
    got = client.post(EVALUATE, json=sample, params={"format": "xlsx"})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == XLSX
    assert got.headers["vary"] == "Accept"
    assert attachment_name(got) == f"{CAMPAIGN}.ket-qua.{result.as_of.isoformat()}.xlsx"
    assert got.content == write_workbook(result, lang="vi", versions=versions(registry))
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    assert wb.sheetnames == [
        "Thông tin",
        *[a.id for a in registry.campaign(CAMPAIGN).awards],
        "Ứng viên",
        "Tiêu chí",
        "Căn cứ",
    ]
    candidates = wb["Ứng viên"]
    assert candidates.max_row == 1 + len(result.candidates)
    ids = {row[0] for row in candidates.iter_rows(min_row=2, values_only=True)}
    assert ids == {c.id for c in result.candidates}
    firm = result.allocation("bang_khen_tap_the").awarded
    seats = [r for r in wb["bang_khen_tap_the"].iter_rows(min_row=2, values_only=True)]
    assert [r for r in seats if "awarded" in r][: len(firm)]
    assert {r[2] for r in seats if "awarded" in r} == set(firm)
    # by Accept, the same bytes; in English, English sheets
    accepted = client.post(EVALUATE, json=sample, headers={"accept": XLSX})
    assert accepted.content == got.content
    english = client.post(EVALUATE, json=sample, params={"format": "xlsx", "lang": "en"})
    assert openpyxl.load_workbook(io.BytesIO(english.content)).sheetnames[0] == "About"


def test_evaluate_answers_the_proposal_dossier(
    client: httpx.Client, registry: Registry, sample: dict[str, Any], result: Result
) -> None:
    agency = "Sở Nội vụ tỉnh An Giang"
    got = client.post(EVALUATE, json=sample, params={"format": "docx", "agency": agency})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == DOCX
    assert attachment_name(got) == f"{CAMPAIGN}.to-trinh.{result.as_of.isoformat()}.docx"
    assert got.content == render_dossier(result, versions=versions(registry), agency=agency)
    text = docx_text(got.content)
    assert "TỜ TRÌNH" in text and f"{agency} kính trình" in text
    names = {c.id: c.name for c in result.candidates}
    for alloc in result.allocations:  # the firm seats are proposed, the provisional are not
        for cid in alloc.awarded:
            assert names[cid] in text
    assert result.fingerprint in text
    by_accept = client.post(EVALUATE, json=sample, headers={"accept": DOCX})
    assert by_accept.status_code == 200
    assert "TỜ TRÌNH" in docx_text(by_accept.content)
    assert "………………… kính trình" in docx_text(by_accept.content)  # no agency: a blank


def test_evaluate_answers_csv_and_json_by_default(
    client: httpx.Client, sample: dict[str, Any], result: Result
) -> None:
    csv = client.post(EVALUATE, json=sample, params={"format": "csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.content == render_csv(result, bom=True).encode("utf-8")
    assert attachment_name(csv).endswith(".csv")
    by_accept = client.post(EVALUATE, json=sample, headers={"accept": "text/csv"})
    assert by_accept.content == csv.content
    browser_like = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (None, "*/*", "application/json", browser_like, "text/csv;q=0.5, */*"):
        headers = {"accept": accept} if accept else {}
        got = client.post(EVALUATE, json=sample, headers=headers)
        assert got.headers["content-type"] == "application/json", accept
        assert "content-disposition" not in got.headers
    assert client.post(EVALUATE, json=sample, headers={"accept": "text/*"}).content == csv.content
    # the format parameter wins over Accept, also as a form field of an upload
    upload = client.post(
        EVALUATE,
        files={"file": ("in.json", json.dumps(sample).encode())},
        data={"format": "csv"},
        headers={"accept": "application/json"},
    )
    assert upload.content == csv.content


def test_the_plugin_s_own_dossier_layout_and_a_broken_one(limited: Server) -> None:
    with limited.client() as client:
        sample = client.get(f"{API}/campaigns/tinh_mau.mini_2024/sample").json()
        got = client.post(
            f"{API}/campaigns/tinh_mau.mini_2024/evaluate",
            json=sample,
            params={"format": "docx", "agency": "Sở Nội vụ"},
        )
        assert got.status_code == 200, got.text
        text = docx_text(got.content)
        assert text.startswith(f"{OWN_LAYOUT} — tinh_mau.mini_2024 — 1/6/2024 — Sở Nội vụ")
        assert "TỜ TRÌNH" not in text  # the plugin's layout, not the built-in one
        broken = client.post(
            f"{API}/campaigns/mau_hong.mini_2024/evaluate", json=sample, params={"format": "docx"}
        )
        body = problem(broken, 500, "internal")
        assert "cannot be rendered" in body["detail"] and "reference" in body["detail"]
        workbook = client.post(
            f"{API}/campaigns/mau_hong.mini_2024/evaluate", json=sample, params={"format": "xlsx"}
        )
        assert workbook.status_code == 200  # only the dossier is the layout's


# --- explain: the letter ------------------------------------------------------------------------
def test_explain_answers_the_letter(
    client: httpx.Client, sample: dict[str, Any], result: Result
) -> None:
    awarded = result.allocation("bang_khen_tap_the").awarded[0]
    candidate = result.candidate(awarded)
    url = f"{API}/campaigns/{CAMPAIGN}/explain/{awarded}"
    md = client.post(url, json=sample, params={"format": "md"})
    assert md.status_code == 200, md.text
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.text == render_letter(result, candidate, "md")
    assert candidate.name in md.text and "Giải trình" in md.text
    day = result.as_of.isoformat()
    assert attachment_name(md) == f"{CAMPAIGN}.{awarded}.giai-trinh.{day}.md"
    word = client.post(url, json=sample, headers={"accept": DOCX})
    assert word.headers["content-type"] == DOCX
    assert word.content == render_letter(result, candidate, "docx")
    text = docx_text(word.content)
    assert candidate.name in text and "Kính gửi" in text and result.fingerprint in text
    for verdict in candidate.criteria:
        assert verdict.id in text
    english = client.post(url, json=sample, params={"format": "md", "lang": "en"})
    assert english.text == render_letter(result, candidate, "md", lang="en")
    data = client.post(url, json=sample, params={"lang": "en"}).json()
    assert data["text"] == render_explanation(result, candidate, lang="en")
    by_markdown = client.post(url, json=sample, headers={"accept": "text/markdown"})
    assert by_markdown.text == md.text


def test_a_letter_s_file_name_is_made_safe(client: httpx.Client, sample: dict[str, Any]) -> None:
    odd = {**sample["candidates"][0], "id": 'Đơn vị "A"\\B..'}
    document = {**sample, "candidates": [odd, *sample["candidates"][1:]]}
    got = client.post(
        f"{API}/campaigns/{CAMPAIGN}/explain/{odd['id']}", json=document, params={"format": "md"}
    )
    assert got.status_code == 200, got.text
    name = attachment_name(got)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name
    assert name.startswith(f"{CAMPAIGN}.n-v-A-B.giai-trinh.")
    assert got.headers["content-disposition"].endswith("filename*=UTF-8''" + name)


# --- diff -------------------------------------------------------------------------------------
def test_diff_two_results(client: httpx.Client, registry: Registry, sample: dict[str, Any]) -> None:
    before = client.post(EVALUATE, json=sample).json()
    after = client.post(EVALUATE, json=sample, params={"override": "quota_collectives=3"}).json()
    expected = diff_documents(before, after)
    assert expected.changed
    got = client.post(f"{API}/diff", json={"before": before, "after": after})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "application/json"
    assert got.headers["vary"] == "Accept"
    assert got.json() == json.loads(json.dumps(expected.to_dict()))
    assert got.json()["parameters"] == {"quota_collectives": [5, 3]}
    labels = {a.id: a.label for a in registry.campaign(CAMPAIGN).awards}
    text = client.post(
        f"{API}/diff", json={"before": before, "after": after}, params={"format": "text"}
    )
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == render_diff(expected, award_labels=labels)
    assert "quota_collectives: 5 → 3" in text.text
    english = client.post(
        f"{API}/diff",
        json={"before": before, "after": after},
        headers={"accept": "text/plain"},
        params={"lang": "en"},
    )
    assert english.text == render_diff(expected, lang="en", award_labels=labels)
    form = client.post(
        f"{API}/diff",
        files={
            "before": ("truoc.json", json.dumps(before).encode()),
            "after": ("sau.json", json.dumps(after).encode()),
        },
        data={"format": "text"},
    )
    assert form.status_code == 200, form.text
    assert form.text == text.text
    same = client.post(f"{API}/diff", json={"before": before, "after": before}).json()
    assert same["candidates"] == [] and same["parameters"] == {}
    # the verbose form of a result compares the same
    verbose = json.loads(
        evaluate(registry.campaign(CAMPAIGN), sample).to_json(verbose_citations=True)
    )
    mixed = client.post(f"{API}/diff", json={"before": verbose, "after": after})
    assert mixed.json() == got.json()


# --- errors -----------------------------------------------------------------------------------
def test_406_an_accept_that_admits_no_answer(client: httpx.Client, sample: dict[str, Any]) -> None:
    refused = problem(
        client.post(EVALUATE, json=sample, headers={"accept": "image/png"}),
        406,
        "not-acceptable",
    )
    assert "format=xlsx" in refused["detail"] and "format=docx" in refused["detail"]
    assert refused["problems"][0]["field"] == "header 'Accept'"
    problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/explain/so-noi-vu",
            json=sample,
            headers={"accept": "application/pdf"},
        ),
        406,
        "not-acceptable",
    )
    problem(
        client.post(
            f"{API}/diff", json={"before": {}, "after": {}}, headers={"accept": "text/csv"}
        ),
        406,
        "not-acceptable",
    )
    problem(
        client.post(EVALUATE, json=sample, headers={"accept": "application/json;q=0"}),
        406,
        "not-acceptable",
    )
    # the format parameter answers whatever Accept says
    asked = client.post(
        EVALUATE, json=sample, params={"format": "json"}, headers={"accept": "image/png"}
    )
    assert asked.status_code == 200


def test_400_bad_answer_parameters_all_at_once(
    client: httpx.Client, sample: dict[str, Any]
) -> None:
    body = problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/explain/so-noi-vu",
            json=sample,
            params={"format": "pdf", "lang": "fr", "agency": "Sở Nội vụ"},
        ),
        400,
        "bad-input",
    )
    assert {p["field"] for p in body["problems"]} == {
        "parameter 'format'",
        "parameter 'lang'",
        "parameter 'agency'",
    }
    fmt = next(p for p in body["problems"] if p["field"] == "parameter 'format'")
    assert fmt["rule"] == "one of json, md, docx"
    only_json = problem(
        client.post(f"{API}/campaigns/{CAMPAIGN}/missing", json=sample, params={"format": "xlsx"}),
        400,
        "bad-input",
    )
    assert only_json["problems"][0]["rule"] == "this endpoint answers JSON only"
    long = problem(
        client.post(EVALUATE, json=sample, params={"format": "docx", "agency": "x" * 201}),
        400,
        "bad-input",
    )
    assert "at most 200" in long["detail"]
    malformed = problem(
        client.post(EVALUATE, json=sample, headers={"accept": "garbage;;q=x"}), 400, "bad-input"
    )
    assert malformed["problems"][0]["field"] == "header 'Accept'"


def test_404_the_letter_of_a_candidate_not_in_the_input(
    client: httpx.Client, sample: dict[str, Any]
) -> None:
    body = problem(
        client.post(
            f"{API}/campaigns/{CAMPAIGN}/explain/nobody", json=sample, params={"format": "docx"}
        ),
        404,
        "not-found",
    )
    assert "nobody" in body["detail"]
    problem(
        client.post(f"{API}/campaigns/nowhere.x/evaluate", json=sample, params={"format": "xlsx"}),
        404,
        "unknown-campaign",
    )


def test_diff_errors(client: httpx.Client, registry: Registry, sample: dict[str, Any]) -> None:
    url = f"{API}/diff"
    result = client.post(EVALUATE, json=sample).json()
    both = problem(
        client.post(url, json={"before": {"campaign": "x"}, "after": [], "extra": 1}),
        400,
        "bad-input",
    )
    assert [(p["where"], p["field"]) for p in both["problems"]] == [
        ("request body", "key 'extra'"),
        ("before", "result document"),
        ("after", "result document"),
    ]
    assert "no 'as_of'" in both["problems"][1]["rule"]
    missing = problem(client.post(url, json={"after": result}), 400, "bad-input")
    assert missing["problems"][0]["field"] == "key 'before'"
    problem(client.post(url, json=[result, result]), 400, "bad-input")
    syntax = problem(
        client.post(url, content=b'{"before": ', headers={"content-type": "application/json"}),
        400,
        "bad-input",
    )
    assert "line 1" in syntax["detail"]
    form = problem(
        client.post(url, files={"before": ("a.json", b"{not json")}, data={"colour": "red"}),
        400,
        "bad-input",
    )
    fields = {(p["where"], p["field"]) for p in form["problems"]}
    assert ("form", "field 'colour'") in fields and ("form", "field 'after'") in fields
    assert any(p["where"].startswith("a.json") for p in form["problems"])
    problem(
        client.post(url, content=b"a,b", headers={"content-type": "text/csv"}),
        415,
        "unsupported-media-type",
    )
    other = registry.entry("tien_giang.par_2023")
    elsewhere = client.post(
        f"{API}/campaigns/{other.campaign.id}/evaluate", json=other.sample_document()
    ).json()
    two = problem(
        client.post(url, json={"before": result, "after": elsewhere}), 422, "unprocessable"
    )
    assert "different campaigns" in two["detail"]
    wrong = client.get(url)
    problem(wrong, 405, "method-not-allowed")
    assert wrong.headers["allow"] == "POST"


def test_413_a_diff_past_the_body_limit(limited: Server, sample: dict[str, Any]) -> None:
    with limited.client() as client:
        few = {**sample, "candidates": sample["candidates"][:1]}
        document = client.post(EVALUATE, json=few).json()
        body = json.dumps({"before": document, "after": document}).encode()
        assert len(body) > LIMITED_BODY
        problem(
            client.post(f"{API}/diff", content=body, headers={"content-type": "application/json"}),
            413,
            "too-large",
        )


def test_422_a_workbook_past_excel_s_rows(
    monkeypatch: pytest.MonkeyPatch, registry: Registry, result: Result
) -> None:
    """Excel holds 1,048,576 rows a sheet: a larger result is refused before anything is
    written, saying to ask for CSV or JSON (here with the limit lowered, in process)."""
    from emulation_rules.service import operations as ops
    from emulation_rules.service.requests import Options

    monkeypatch.setattr(workbook_module, "MAX_ROWS", 10)
    with pytest.raises(ServiceProblem) as raised:
        ops.result_answer(registry.entry(CAMPAIGN), result, "xlsx", Options())
    assert raised.value.status == 422
    assert "format=csv or format=json" in raised.value.detail


# --- OpenAPI ----------------------------------------------------------------------------------
def test_openapi_describes_the_answers_with_examples_that_are_true(
    client: httpx.Client, registry: Registry, sample: dict[str, Any], result: Result
) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    evaluate_op = paths[f"{API}/campaigns/{{campaign_id}}/evaluate"]["post"]
    answers = evaluate_op["responses"]["200"]["content"]
    assert set(answers) == {"application/json", "text/csv", XLSX, DOCX}
    assert set(evaluate_op["responses"]["200"]["headers"]) == {"Content-Disposition", "Vary"}
    params = {p["name"]: p for p in evaluate_op["parameters"]}
    assert params["format"]["schema"]["enum"] == ["json", "csv", "xlsx", "docx"]
    assert {"lang", "agency"} <= set(params)
    assert MEDIA_TYPE in evaluate_op["responses"]["406"]["content"]
    explain_op = paths[f"{API}/campaigns/{{campaign_id}}/explain/{{candidate_id}}"]["post"]
    assert set(explain_op["responses"]["200"]["content"]) == {
        "application/json",
        "text/markdown",
        DOCX,
    }
    assert "agency" not in {p["name"] for p in explain_op["parameters"]}
    diff_op = paths[f"{API}/diff"]["post"]
    assert set(diff_op["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    request_schema = diff_op["requestBody"]["content"]["application/json"]["schema"]
    assert request_schema["properties"]["before"] == {"$ref": "#/components/schemas/OutputDocument"}

    examples = spec["components"]["examples"]

    def example(content: dict[str, Any]) -> Any:
        (ref,) = content["examples"].values()
        return examples[ref["$ref"].rpartition("/")[2]]["value"]

    # every document example is what the server answers for it
    assert example(answers["text/csv"]) == render_csv(result)
    diff_request = example(diff_op["requestBody"]["content"]["application/json"])
    diff_json = client.post(f"{API}/diff", json=diff_request).json()
    assert example(diff_op["responses"]["200"]["content"]["application/json"]) == diff_json
    assert diff_json["candidates"]  # the example shows a change
    diff_text = client.post(f"{API}/diff", json=diff_request, params={"format": "text"}).text
    assert example(diff_op["responses"]["200"]["content"]["text/plain"]) == diff_text
    explained = example(explain_op["responses"]["200"]["content"]["application/json"])
    awarded = explained["candidate"]["id"]
    url = f"{API}/campaigns/{CAMPAIGN}/explain/{awarded}"
    assert client.post(url, json=sample).json() == explained
    letter = example(explain_op["responses"]["200"]["content"]["text/markdown"])
    assert client.post(url, json=sample, params={"format": "md"}).text == letter


# --- the result page's download form, as a browser sends it ------------------------------------
def hidden_fields(page: str) -> list[tuple[str, str]]:
    form = re.search(r'<form id="tai-ve-form".*?</form>', page, re.S)
    assert form, "the result page has no download form"
    return [
        (html.unescape(name), html.unescape(value))
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0)
        )
    ]


def test_the_result_page_s_download_form(
    client: httpx.Client, registry: Registry, sample: dict[str, Any], result: Result
) -> None:
    page = client.post(
        f"/campaigns/{CAMPAIGN}/evaluate",
        files={"file": ("mau.json", json.dumps(sample).encode())},
    )
    assert page.status_code == 200, page.text[:500]
    fields = hidden_fields(page.text)
    names = [n for n, _ in fields]
    assert names[:3] == ["input", "filename", "fingerprint"]
    assert dict(fields)["fingerprint"] == result.fingerprint
    assert base64.b64decode(dict(fields)["input"]) == json.dumps(sample).encode()
    assert page.text.count('name="letter"') == len(result.candidates)
    url = f"/campaigns/{CAMPAIGN}/evaluate/download"

    def send(extra: list[tuple[str, str]], base: list[tuple[str, str]] = fields) -> httpx.Response:
        parts = [(name, (None, value.encode())) for name, value in [*base, *extra]]
        return client.post(url, files=parts)

    wb = send([("document", "workbook")])
    assert wb.status_code == 200, wb.text[:500]
    assert wb.content == write_workbook(result, versions=versions(registry))
    assert attachment_name(wb) == f"{CAMPAIGN}.ket-qua.{result.as_of.isoformat()}.xlsx"
    dossier = send([("document", "dossier")])
    assert dossier.content == render_dossier(result, versions=versions(registry))
    chosen = result.candidates[-1]
    letter = send([("letter", chosen.id)])
    assert letter.headers["content-type"] == DOCX
    assert letter.content == render_letter(result, chosen, "docx")
    # errors are pages, in Vietnamese: every problem of the form at once
    bad = send([("document", "pdf"), ("colour", "red")], base=fields[1:])
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "Yêu cầu chưa đúng" in bad.text
    for what in ("field &#39;input&#39;", "field &#39;colour&#39;", "field &#39;document&#39;"):
        assert what in bad.text, what
    stale = [(n, "sha256:0" if n == "fingerprint" else v) for n, v in fields]
    changed = send([("document", "workbook")], base=stale)
    assert changed.status_code == 422 and "Bộ quy tắc trên máy chủ đã thay đổi" in changed.text
    nobody = send([("letter", "nobody")])
    assert nobody.status_code == 404 and "nobody" in nobody.text
    not_a_form = client.post(url, json={"document": "workbook"})
    assert not_a_form.status_code == 415
    assert not_a_form.headers["content-type"].startswith("text/html")
