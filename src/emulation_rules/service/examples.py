"""The OpenAPI description's examples, from the shipped samples.

* the input samples (:func:`sample_examples`), one per campaign, as the examples of the
  evaluating endpoints' request bodies;
* from the first campaign with a sample and a quota set by a parameter
  (:func:`document_examples`): the CSV answer of ``evaluate`` on its sample, the answer of
  ``explain`` for the first candidate awarded a seat and that candidate's letter (Markdown),
  and a diff request with its answers — the best-ranked candidates of that quota's allocation
  (the quota and two more, so that the example stays short) evaluated as is (``before``) and
  with one seat fewer (``after``, the what-if ``override=QUOTA=n-1``), and what changed, as data
  and as the report.

Each is computed by the library, the first time the description is asked for; a plugin whose
sample cannot be evaluated leaves its examples out and nothing else.
"""

from __future__ import annotations

import json
from typing import Any

from emulation_rules.evaluation.diff import diff_documents
from emulation_rules.evaluation.evaluate import evaluate
from emulation_rules.evaluation.result import Result
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import render_csv
from emulation_rules.plugins.registry import RegisteredCampaign, Registry
from emulation_rules.service import operations as ops

#: where each document example goes: (path under /api/v1, media type of the request body, or
#: of the 200 answer when ``"answer"``) -> the example's key suffix
PLACES: dict[tuple[str, str, str], str] = {
    ("/campaigns/{campaign_id}/evaluate", "answer", "text/csv"): "evaluate-csv",
    ("/campaigns/{campaign_id}/explain/{candidate_id}", "answer", "application/json"): "explain",
    ("/campaigns/{campaign_id}/explain/{candidate_id}", "answer", "text/markdown"): "letter",
    ("/diff", "request", "application/json"): "diff-request",
    ("/diff", "answer", "application/json"): "diff",
    ("/diff", "answer", "text/plain"): "diff-text",
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


def _what_if(entry: RegisteredCampaign) -> tuple[str, str, int] | None:
    """An award whose quota is a parameter above 1, that parameter, and one seat fewer."""
    campaign = entry.campaign
    values = {p.id: p.value for p in campaign.parameters}
    for award in campaign.awards:
        value = values.get(award.quota_param or "")
        if isinstance(value, int) and not isinstance(value, bool) and value > 1:
            assert award.quota_param is not None
            return award.id, award.quota_param, value - 1
    return None


def _diff_pair(
    registry: Registry,
    entry: RegisteredCampaign,
    document: dict[str, Any],
    before: Result,
    award: str,
    quota: str,
    seats: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two results of the diff example: on the best-ranked ``seats + 3`` candidates of
    ``award``'s allocation when that still shows a change, else on the whole sample."""
    alloc = next(a for a in before.allocations if a.award == award)
    order = {cid: i for i, cid in enumerate(c.id for c in before.candidates)}
    best = sorted(alloc.ranks, key=lambda cid: (alloc.ranks[cid], order.get(cid, 0)))
    chosen = set(best[: seats + 3])
    short = {**document, "candidates": [c for c in document["candidates"] if c["id"] in chosen]}
    for candidates in (short, document):
        try:
            old = evaluate(entry.campaign, candidates, registry=registry)
            new = evaluate(entry.campaign, candidates, registry=registry, overrides={quota: seats})
        except Exception:  # the short list may not stand alone (a unit left out): the whole
            continue
        pair = _document(old), _document(new)
        if diff_documents(*pair).changed:
            return pair
    pair = (
        _document(before),
        _document(evaluate(entry.campaign, document, registry=registry, overrides={quota: seats})),
    )
    return pair


def _document(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.to_json(indent=None))
    return data


def document_examples(registry: Registry) -> dict[str, dict[str, Any]]:
    """The answer and diff examples (keys ``CAMPAIGN.SUFFIX``, suffixes of :data:`PLACES`)."""
    for entry in registry.entries:
        if entry.sample is None or not entry.campaign.criteria:
            continue
        what_if = _what_if(entry)
        if what_if is None:
            continue
        try:
            return _examples(registry, entry, *what_if)
        except Exception:  # a plugin's sample that fails leaves these examples out
            continue
    return {}


def _examples(
    registry: Registry, entry: RegisteredCampaign, award: str, quota: str, seats: int
) -> dict[str, dict[str, Any]]:
    cid = entry.campaign.id
    document = entry.sample_document()
    before = evaluate(entry.campaign, document, registry=registry)
    old, new = _diff_pair(registry, entry, document, before, award, quota, seats)
    diff = diff_documents(old, new)
    awarded = next((a.awarded[0] for a in before.allocations if a.awarded), None)
    examples: dict[str, dict[str, Any]] = {
        "evaluate-csv": {
            "summary": f"the sample of {cid} evaluated, as CSV (the file has a byte-order mark)",
            "value": render_csv(before),
        },
        "diff-request": {
            "summary": f"candidates of the sample of {cid} evaluated, then with {quota}={seats}",
            "value": {"before": old, "after": new},
        },
        "diff": {
            "summary": f"what one seat fewer under {quota} changes",
            "value": diff.to_dict(),
        },
        "diff-text": {
            "summary": f"what one seat fewer under {quota} changes, as the report (Vietnamese)",
            "value": ops.diff_answer(registry, old, new, "text", "vi").decode("utf-8"),
        },
    }
    if awarded is not None:
        explained = json.loads(ops.explanation(before, awarded, "json", "vi")[0])
        examples["explain"] = {
            "summary": f"candidate '{awarded}' of the sample of {cid}",
            "value": explained,
        }
        letter = render_letter(before, before.candidate(awarded), "md", lang="vi")
        examples["letter"] = {
            "summary": f"the letter to candidate '{awarded}' of the sample of {cid}",
            "value": letter,
        }
    return {f"{cid}.{key}": value for key, value in examples.items()}


def add_document_examples(spec: dict[str, Any], examples: dict[str, dict[str, Any]]) -> None:
    """Put ``examples`` (from :func:`document_examples`) into the description ``spec``: into
    ``components/examples``, referred to where each belongs (:data:`PLACES`)."""
    if not examples:
        return
    spec.setdefault("components", {}).setdefault("examples", {}).update(examples)
    prefix = "/api/v1"
    for (path, side, media), suffix in PLACES.items():
        keys = [k for k in examples if k.endswith(f".{suffix}")]
        operation = spec.get("paths", {}).get(prefix + path, {}).get("post")
        if not keys or operation is None:
            continue
        if side == "request":
            content = operation.get("requestBody", {}).get("content", {})
        else:
            content = operation.get("responses", {}).get("200", {}).get("content", {})
        if media in content:
            content[media]["examples"] = {
                key.rpartition(".")[0] or key: {"$ref": f"#/components/examples/{key}"}
                for key in keys
            }
