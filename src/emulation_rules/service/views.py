"""What the pages show, as plain data for the templates: a campaign as its plan states it (the
explorer), and a result (the allocation, every candidate's explanation).

The templates hold the Vietnamese words; this module resolves ids to the plan's labels, dates and
numbers to Vietnamese notation, and citations to their documents, so that a template only
lays out what it is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from emulation_rules.engine.compiler import resolve_parameters
from emulation_rules.evaluation.allocation.model import STATUSES
from emulation_rules.evaluation.result import CandidateResult, Result
from emulation_rules.messages import messages
from emulation_rules.outputs.common import explanation_words, form_name
from emulation_rules.plan.campaign import Award, Campaign, Citation, Parameter
from emulation_rules.plan.citing import citation_dict
from emulation_rules.plan.facts import ParamValue
from emulation_rules.plugins.registry import RegisteredCampaign
from emulation_rules.service.wording import (
    KIND_WORDS,
    ORDER_WORDS,
    Phrase,
    guard_phrase,
    rule_phrase,
    vn_date,
    vn_value,
)

#: the short names of the three forms the shipped plans use; any other form of the law's
#: catalogue, or a form the campaign declares, by its own name
FORM_WORDS = {"bang_khen": "Bằng khen", "co_thi_dua": "Cờ thi đua", "giay_khen": "Giấy khen"}
#: what a share quota is a share of
SHARE_WORDS = {
    "eligible": "số đủ điều kiện",
    "candidates": "số ứng viên",
    "award": "số được nhận",
}
ROUNDING_WORDS = {
    "down": "làm tròn xuống",
    "half_up": "làm tròn (từ 0,5 lên)",
    "up": "làm tròn lên",
}
LEVEL_WORDS = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}


def anchor(prefix: str, ident: str) -> str:
    """An HTML id from a plan id (ids are ``[a-z0-9_.]``; dots become dashes)."""
    return f"{prefix}-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ident)


def cite(campaign: Campaign, citation: Citation) -> dict[str, Any]:
    """A citation with its document, in Vietnamese notation."""
    src = campaign.sources[citation.source]
    data = citation_dict(campaign, citation)
    return {
        **data,
        "document": src.document(),  # "Trang tin (không số)" for a source without a number
        "date": vn_date(src.date),
        "title": src.title,
    }


def campaign_card(entry: RegisteredCampaign) -> dict[str, Any]:
    campaign = entry.campaign
    return {
        "id": campaign.id,
        "title": campaign.title,
        "jurisdiction": campaign.jurisdiction.name,
        "start": vn_date(campaign.period.start),
        "end": vn_date(campaign.period.end),
        "legal_basis": [_source_line(campaign, k) for k in campaign.legal_basis],
        "evaluates": bool(campaign.criteria),
        "interpretations": sum(c.interpretation for _, c in campaign.citations()),
    }


def _source_line(campaign: Campaign, key: str) -> str:
    src = campaign.sources[key]
    day = f"ngày {vn_date(src.date)}" if src.date else vn_date(None)  # "không rõ ngày"
    return f"{src.document()}, {day}, {src.issuer}"


def _shown_on(campaign: Campaign, today: dt.date) -> dt.date:
    return min(max(today, campaign.period.start), campaign.period.end)


def _parameter(campaign: Campaign, param: Parameter) -> dict[str, Any]:
    unit = param.unit

    def shown(value: ParamValue | None) -> str:
        if param.type == "rounding":
            return ROUNDING_WORDS.get(str(value), str(value))
        return vn_value(value, unit)

    if param.values is None:
        values = [{"since": None, "value": shown(param.value)}]
    else:
        values = [
            {"since": vn_date(day), "value": shown(param.values[day])}
            for day in sorted(param.values)
        ]
    return {
        "id": param.id,
        "anchor": anchor("tham-so", param.id),
        "label": param.label,
        "type": param.type,
        "dated": values,
        "citation": cite(campaign, param.citation),
    }


def _award(campaign: Campaign, award: Award, params: Mapping[str, ParamValue]) -> dict[str, Any]:
    criteria = {c.id: c for c in campaign.criteria}
    quota: dict[str, Any] | None = None
    if award.quota_param is not None:
        quota = {
            "param": award.quota_param,
            "anchor": anchor("tham-so", award.quota_param),
            "value": vn_value(params.get(award.quota_param)),
        }
    share = award.quota_share
    if share is not None:
        quota = {
            "share": vn_value(params.get(share.percent_param)),
            "param": share.percent_param,
            "anchor": anchor("tham-so", share.percent_param),
            "of": SHARE_WORDS[share.of]
            + (f" «{campaign.award(share.award).label}»" if share.award else ""),
            "rounding": ROUNDING_WORDS.get(str(params.get(share.rounding_param)), "—"),
            "rounding_param": share.rounding_param,
            "rounding_anchor": anchor("tham-so", share.rounding_param),
            "citation": cite(campaign, share.citation),
            # a share a province may switch on: shown with its switch (off: no quota)
            "switch": share.applies_param,
            "switch_anchor": anchor("tham-so", share.applies_param or ""),
            "switch_on": bool(params.get(share.applies_param or "")),
        }
    groups: dict[str, Any] | None = None
    if award.groups is not None:
        groups = {
            "by": [_attribute_words(campaign, b) for b in award.groups.by],
            "citation": cite(campaign, award.groups.citation),
        }
    elif award.per_group is not None:
        groups = {"by": [_attribute_words(campaign, award.per_group)], "citation": None}
    cap = None
    if award.cap is not None:
        cap = {
            "by": _attribute_words(campaign, award.cap.by),
            "count": vn_value(params.get(award.cap.count_param)),
            "param": award.cap.count_param,
            "anchor": anchor("tham-so", award.cap.count_param),
            "citation": cite(campaign, award.cap.citation),
        }
    return {
        "id": award.id,
        "anchor": anchor("hinh-thuc", award.id),
        "label": award.label,
        "groups": groups,
        "cap": cap,
        "form": FORM_WORDS.get(award.form) or form_name(campaign, award.form),
        "authority": award.authority,
        "kind": KIND_WORDS.get(award.kind, award.kind),
        "quota": quota,
        "requires": [
            {
                "id": cid,
                "anchor": anchor("tieu-chi", cid),
                "label": criteria[cid].label if cid in criteria else cid,
            }
            for cid in award.requires
        ],
        "after": [
            {"anchor": anchor("hinh-thuc", a), "label": campaign.award(a).label}
            for a in award.after
        ],
        "ranking": None
        if award.ranking is None
        else {
            "order": [
                {"label": campaign.fact(k.fact).label, "order": ORDER_WORDS[k.order]}
                for k in award.ranking.keys
            ],
            "citation": cite(campaign, award.ranking.citation),
        },
        "span": None
        if award.span is None
        else {"start": vn_date(award.span.start), "end": vn_date(award.span.end)},
        "citation": cite(campaign, award.citation),
    }


def explorer(entry: RegisteredCampaign, today: dt.date | None = None) -> dict[str, Any]:
    """The plan explorer's data: everything a legal officer checks, each with its citation."""
    campaign = entry.campaign
    day = _shown_on(campaign, today or dt.date.today())
    params = resolve_parameters(campaign, day, None)
    j = campaign.jurisdiction
    successor = j.carried_on_by(today or dt.date.today())
    criteria_by_kind: dict[str, list[dict[str, Any]]] = {}
    for crit in campaign.criteria:
        criteria_by_kind.setdefault(crit.kind, []).append(
            {
                "id": crit.id,
                "anchor": anchor("tieu-chi", crit.id),
                "label": crit.label,
                "rule": rule_phrase(campaign, crit.rule, params, crit.kind),
                "guard": guard_phrase(campaign, crit.applies_if, params, crit.kind),
                "citation": cite(campaign, crit.citation),
            }
        )
    interpretations = []
    for element, citation in campaign.citations():
        if citation.interpretation:
            interpretations.append(
                {"element": _element_words(campaign, element), "note": citation.note}
            )
    board = campaign.scoreboard
    return {
        "id": campaign.id,
        "title": campaign.title,
        "plugin": entry.plugin,
        "plugin_version": entry.plugin_version,
        "has_sample": entry.sample is not None,
        "evaluates": bool(campaign.criteria),
        "jurisdiction": {
            "name": j.name,
            "level": LEVEL_WORDS.get(j.level, j.level),
            "parent": j.parent,
            "valid_until": vn_date(j.valid_until) if j.valid_until else None,
        },
        "successor": None
        if successor is None
        else {
            "name": successor.name,
            "since": vn_date(successor.since),
            "note": successor.note,
            "citation": cite(campaign, successor.citation),
        },
        "legal_basis": [_source_line(campaign, k) for k in campaign.legal_basis],
        "sources": [
            {
                "key": key,
                "line": _source_line(campaign, key),
                "title": src.title,
                "date_note": src.date_note,
                "url": src.url,
                "number_note": src.number_note,
            }
            for key, src in campaign.sources.items()
        ],
        "period": {
            "start": vn_date(campaign.period.start),
            "end": vn_date(campaign.period.end),
            "citation": cite(campaign, campaign.period.citation),
        },
        "participants": [
            {"label": p.label, "unit_type": p.unit_type, "citation": cite(campaign, p.citation)}
            for p in campaign.participants
        ],
        "attributes": [
            {
                "id": a.id,
                "label": a.label,
                "kinds": [KIND_WORDS.get(k, k) for k in a.kinds],
                "unit_types": [
                    next((p.label for p in campaign.participants if p.unit_type == u), u)
                    for u in a.unit_types
                ],
                "allowed": list(a.values) if a.values is not None else None,
                "citation": cite(campaign, a.citation),
            }
            for a in campaign.candidate_attributes
        ],
        "content_areas": [
            {"label": a.label, "citation": cite(campaign, a.citation)}
            for a in campaign.content_areas
        ],
        "scales": [
            {
                "label": s.label,
                "levels": list(s.levels),
                "aliases": dict(s.aliases),
                "citation": cite(campaign, s.citation),
            }
            for s in campaign.scales
        ],
        "facts": [
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                "kinds": [KIND_WORDS.get(k, k) for k in f.kinds],
                "unit": f.unit,
                "minimum": vn_value(f.minimum) if f.minimum is not None else None,
                "maximum": vn_value(f.maximum) if f.maximum is not None else None,
                "scale": campaign.scale(f.scale).label if f.scale else None,
                "year": f.year,
                "description": f.description,
            }
            for f in campaign.facts
        ],
        "shown_on": vn_date(day),
        "criteria": [
            {"kind": KIND_WORDS.get(kind, kind), "entries": items}
            for kind, items in criteria_by_kind.items()
        ],
        "awards": [_award(campaign, a, params) for a in campaign.awards],
        "parameters": [_parameter(campaign, p) for p in campaign.parameters],
        "targets": [
            {"label": t.label, "citation": cite(campaign, t.citation)} for t in campaign.targets
        ],
        "scoreboard": None
        if board is None
        else {
            "label": board.label,
            "citation": cite(campaign, board.citation),
            "entries": [
                {
                    "label": i.label,
                    "max_points": vn_value(i.max_points),
                    "bonus": i.bonus,
                    "citation": cite(campaign, i.citation),
                }
                for i in board.items
            ],
        },
        "interpretations": interpretations,
    }


def _element_words(campaign: Campaign, element: str) -> dict[str, str]:
    """``criterion:tap_the.bao_cao`` -> what it is in words, its label and its anchor."""
    what, _, ident = element.partition(":")
    words = {
        "period": ("Thời gian", "thoi-gian", "Thời gian thực hiện"),
        "jurisdiction": ("Cơ quan kế thừa", "co-quan", "Cơ quan tiếp tục thực hiện kế hoạch"),
        "scoreboard": ("Bảng điểm", "bang-diem", "Bảng điểm"),
    }
    if what in words:
        kind, target, label = words[what]
        return {"kind": kind, "label": label, "href": f"#{target}"}
    if what == "criterion":
        return {
            "kind": "Tiêu chí",
            "label": campaign.criterion(ident).label,
            "href": "#" + anchor("tieu-chi", ident),
        }
    if what == "award":
        return {
            "kind": "Hình thức khen thưởng",
            "label": campaign.award(ident).label,
            "href": "#" + anchor("hinh-thuc", ident),
        }
    if what == "parameter":
        return {
            "kind": "Tham số",
            "label": campaign.parameter(ident).label,
            "href": "#" + anchor("tham-so", ident),
        }
    if what == "participant":
        label = next((p.label for p in campaign.participants if p.unit_type == ident), ident)
        return {"kind": "Đối tượng", "label": label, "href": "#doi-tuong"}
    if what == "attribute":
        label = next((a.label for a in campaign.candidate_attributes if a.id == ident), ident)
        return {"kind": "Thuộc tính của ứng viên", "label": label, "href": "#thuoc-tinh"}
    if what == "scale":
        return {"kind": "Thang xếp loại", "label": campaign.scale(ident).label, "href": "#thang"}
    kinds = {"content_area": "Nội dung", "target": "Chỉ tiêu", "score_item": "Mục chấm điểm"}
    return {"kind": kinds.get(what, what), "label": ident, "href": "#"}


# --- a result ------------------------------------------------------------------------------
#: the keys of an object-valued ``observed`` entry (member counts, distinct ids), in words
OBSERVED_KEYS = {
    "met": "đạt",
    "unknown": "chưa rõ",
    "members": "số thành viên",
    "distinct": "số khác nhau",
    "every_year_known": "đủ số liệu các năm",
}


def observed_value(value: Any) -> str:
    if value is None:
        return "chưa có số liệu"
    if isinstance(value, dict):  # a series by year, member counts, distinct ids
        return "; ".join(
            f"{OBSERVED_KEYS.get(str(k), k)}: {observed_value(v)}" for k, v in value.items()
        )
    return vn_value(value)


def _observed_label(campaign: Campaign, column: str) -> tuple[str, str | None]:
    """An ``observed`` key in words, and the unit of its values: a fact (the unit's, for
    ``unit.x``) by its label; anything else the rule reads (a computed quantity, another award
    or criterion, members) as the output names it."""
    bare = column.removeprefix("unit.")
    fact = next((f for f in campaign.facts if f.id == bare), None)
    if fact is None:
        return column, None
    return fact.label + (" (của đơn vị)" if column != bare else ""), fact.unit


#: most candidates the result page lists and explains one by one; past it, the page says how
#: many it leaves to the downloads (the allocation is always shown whole)
PAGE_CANDIDATES = 500


def result_view(result: Result, limit: int = PAGE_CANDIDATES) -> dict[str, Any]:
    """The allocation and the candidates' explanations (the first ``limit``), for the page."""
    campaign = result.campaign
    names = {c.id: c.name for c in result.candidates}
    awards = {a.id: a for a in campaign.awards}
    params = result.plan.parameters
    phrases: dict[str, Phrase] = {
        c.id: rule_phrase(campaign, c.rule, params, c.kind) for c in campaign.criteria
    }
    explained = {c.id for c in result.candidates[:limit]}

    def person(cid: str) -> dict[str, Any]:
        return {
            "id": cid,
            "name": names.get(cid, cid),
            "anchor": anchor("ung-vien", cid) if cid in explained else None,
        }

    allocations = []
    for alloc in result.allocations:
        depends = result.depends_on(alloc)
        lists: dict[str, list[dict[str, Any]]] = {}
        for word in STATUSES:
            entries = []
            for cid in getattr(alloc, word):
                entry = {
                    **person(cid),
                    "rank": alloc.ranks.get(cid),
                    "contenders": [],
                    "earlier_awards": [],
                    "fewer_seats": False,
                    "waits_for": [],
                    "waits_for_awards": [],
                }
                threat = alloc.threats.get(cid) if word == "provisional" else None
                if threat is not None:
                    entry["contenders"] = [person(x) for x in threat.contenders]
                    entry["earlier_awards"] = [
                        awards[a].label if a in awards else a for a in threat.earlier_awards
                    ]
                    entry["fewer_seats"] = threat.fewer_seats
                if word in ("possible", "undetermined", "unranked") and cid in depends:
                    entry["waits_for"] = _fact_labels(campaign, depends[cid].get("facts", []))
                    entry["waits_for_awards"] = [
                        awards[a].label if a in awards else a
                        for a in depends[cid].get("awards", [])
                    ]
                entries.append(entry)
            lists[word] = entries
        award = awards.get(alloc.award)
        allocations.append(
            {
                "award": award.label if award else alloc.award,
                "award_id": alloc.award,
                "kind": KIND_WORDS.get(alloc.kind, alloc.kind),
                "group": _group_words(campaign, alloc),
                "quota": alloc.quota,
                "seats_undecided": alloc.seats_undecided,
                "lists": lists,
            }
        )
    candidates = [_candidate(result, c, phrases, awards, names) for c in result.candidates[:limit]]
    return {
        "campaign": {"id": campaign.id, "title": campaign.title},
        "as_of": vn_date(result.as_of),
        "fingerprint": result.fingerprint,
        "engine": result.engine,
        "count": len(result.candidates),
        "left_out": len(result.candidates) - len(candidates),
        "award_columns": [{"id": a.id, "label": a.label} for a in campaign.awards],
        "allocations": allocations,
        "candidates": candidates,
        "rejected": [r.to_dict() for r in result.rejected],
    }


def _candidate(
    result: Result,
    c: CandidateResult,
    phrases: Mapping[str, Phrase],
    awards: Mapping[str, Award],
    names: Mapping[str, str],
) -> dict[str, Any]:
    campaign = result.campaign
    groups = {p.unit_type: p.label for p in campaign.participants}
    places: dict[str, list[dict[str, Any]]] = {}
    for alloc in result.allocations:
        status = alloc.status(c.id)
        if status is not None:
            places.setdefault(alloc.award, []).append(
                {
                    "status": status,
                    "rank": alloc.ranks.get(c.id),
                    "group": _group_words(campaign, alloc),
                }
            )
    criteria = []
    for v in c.criteria:
        observed = []
        for column, value in v.observed.items():
            label, unit = _observed_label(campaign, column)
            shown = observed_value(value)
            if isinstance(value, int | float) and not isinstance(value, bool) and unit:
                shown += f" {unit}"
            observed.append({"label": label, "value": shown, "missing": value is None})
        criteria.append(
            {
                "id": v.id,
                "label": v.label,
                "verdict": v.verdict,
                "observed": observed,
                "explanation": explanation_words(messages("vi"), campaign, v),
                "rule": phrases.get(v.id),
                "required": v.required,
                "citation": cite(campaign, campaign.criterion(v.id).citation),
            }
        )
    return {
        "id": c.id,
        "anchor": anchor("ung-vien", c.id),
        "name": c.name,
        "kind": KIND_WORDS.get(c.kind, c.kind),
        "unit": groups.get(c.unit_type, c.unit_type)
        if c.unit_type
        else (names.get(c.unit_id, c.unit_id) if c.unit_id else None),
        "awards": [
            {
                "id": award_id,
                "label": awards[award_id].label if award_id in awards else award_id,
                "state": state,
                "places": places.get(award_id, []),
            }
            for award_id, state in c.awards.items()
        ],
        "criteria": criteria,
    }


def _fact_labels(campaign: Campaign, columns: list[str]) -> list[str]:
    """``unit.par_index`` -> the fact's label, said to be the unit's."""
    out = []
    for column in columns:
        fact_id = column.removeprefix("unit.")
        try:
            label = campaign.fact(fact_id).label
        except KeyError:
            label = fact_id
        out.append(label + (" (của đơn vị)" if column != fact_id else ""))
    return out


def _group_words(campaign: Campaign, alloc: Any) -> str | None:
    """An allocation's group in words: participants by their labels, other values as given."""
    if alloc.group is None:
        return None
    labels = {p.unit_type: p.label for p in campaign.participants}
    values = alloc.group_values or {}
    if not values:
        return str(labels.get(alloc.group, alloc.group))
    return " / ".join(
        labels.get(v, v) if attribute == "unit_type" else str(v)
        for attribute, v in values.items()
        if v is not None
    )


def _attribute_words(campaign: Campaign, attribute: str) -> str:
    """What a grouping or a cap counts by, in words."""
    builtin = {"unit_type": "loại đơn vị (đối tượng tham gia)", "unit_id": "đơn vị"}
    if attribute in builtin:
        return builtin[attribute]
    return next((a.label for a in campaign.candidate_attributes if a.id == attribute), attribute)
