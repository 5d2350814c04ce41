"""A campaign's input form filled in as a clerk would, from its bundled sample: shared by the
form's own tests and the service's (which upload it)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from emulation_rules import Registry
from emulation_rules.inputs.headers import BASE_LABELS
from emulation_rules.inputs.template import SHEET_KIND, attribute_headers, fact_headers


def fill_form(registry: Registry, campaign_id: str, form: bytes) -> bytes:
    """The sample's candidates written into ``form`` (the campaign's template): labels for unit
    types, Có/Không for yes/no, grades and figures as given, a district's cluster under its
    attribute header."""
    campaign = registry.campaign(campaign_id)
    document = registry.entry(campaign_id).sample_document()
    wb = openpyxl.load_workbook(io.BytesIO(form))
    headers = fact_headers(campaign)
    attributes = attribute_headers(campaign)
    unit_labels = {p.unit_type: p.label for p in campaign.participants}
    for cand in document["candidates"]:
        ws = wb[SHEET_KIND[cand["kind"]]]
        columns = [c.value for c in ws[1]]
        row = ws.max_row + 1
        values: dict[str, Any] = {BASE_LABELS["id"]: cand["id"], BASE_LABELS["name"]: cand["name"]}
        if cand["kind"] == "collective":
            values[BASE_LABELS["unit_type"]] = unit_labels[cand["unit_type"]]
        else:
            values[BASE_LABELS["unit_id"]] = cand["unit_id"]
        for fact, value in (cand.get("facts") or {}).items():
            if isinstance(value, bool):
                value = "Có" if value else "Không"
            values[headers[fact]] = value
        for attribute, value in (cand.get("attributes") or {}).items():
            values[attributes[attribute]] = value
        for header, value in values.items():
            ws.cell(row=row, column=columns.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
