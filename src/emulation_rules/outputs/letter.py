"""``explain --format md|docx``: one candidate's result as a short letter, for the agency that
asks why it was (or was not) proposed.

The letter (Vietnamese by default) names the campaign and the day the result stands on, then for
every award of the candidate's kind: its eligibility and its place in the allocation in words,
and criterion by criterion what was seen, what the plan requires, the clause it comes from (with
the note where the rule is an interpretation), and what is still missing. It closes with the
facts still to be sent and the rules fingerprint.

It is built once as :class:`Block` s (headings, paragraphs, list items) and written as Markdown
(:func:`letter_markdown`) or as a Word document (:func:`letter_docx`, python-docx), so the two
say the same thing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import attrs

from emulation_rules.archive import fixed_zip
from emulation_rules.evaluation.result import CandidateResult, Result
from emulation_rules.messages import messages
from emulation_rules.outputs.common import (
    citation_words,
    eligibility_word,
    explanation_words,
    fact_label,
    inactive_line,
    kind_word,
    missing_observed,
    observed_words,
    provenance_line,
    source_words,
    verdict_word,
)
from emulation_rules.outputs.explain import position_words


@attrs.frozen
class Block:
    """One piece of the letter: ``title``, ``heading``, ``paragraph``, ``item`` (a bullet,
    ``level`` 0 or 1) or ``small`` (the closing line)."""

    kind: str
    text: str
    level: int = 0
    strong: str = ""  # a bold lead-in before the text


def letter_blocks(
    result: Result, candidate: CandidateResult, *, lang: str | None = None
) -> list[Block]:
    """The letter's content."""
    t = messages(lang)
    campaign = result.campaign
    out: list[Block] = [Block("title", t._("Explanation of the emulation result"))]
    out.append(Block("paragraph", f"{candidate.name} ({candidate.id})", strong=t._("To: ")))
    out.append(Block("paragraph", campaign.title, strong=t._("Campaign: ")))
    out.append(
        Block(
            "paragraph",
            t._("{date}, on the facts known that day").format(date=t.date(result.as_of)),
            strong=t._("Result as of: "),
        )
    )
    basis = "; ".join(source_words(t, campaign, k) for k in campaign.legal_basis)
    out.append(
        Block(
            "paragraph",
            t._(
                "Under {basis}, the result of {kind} {name} is as follows. Each criterion gives "
                "what was seen, what the plan requires and the clause it comes from; a missing "
                "figure is never counted as a failure: the criterion stays undetermined until "
                "it is sent."
            ).format(
                basis=basis or campaign.title,
                kind=kind_word(t, candidate.kind).lower(),
                name=candidate.name,
            ),
        )
    )
    by_id = {v.id: v for v in candidate.criteria}
    for award_id, state in candidate.awards.items():
        award = campaign.award(award_id)
        out.append(Block("heading", f"{award.label}"))
        if state == "not_applicable":
            line = inactive_line(t, result, award_id, candidate.id)
        else:
            line = position_words(t, result, award_id, candidate.id)
        out.append(
            Block(
                "paragraph",
                f"{eligibility_word(t, state)} — {line}",
                strong=t._("Result: "),
            )
        )
        for crit_id in award.requires:
            v = by_id.get(crit_id)
            if v is None:
                continue
            out.append(
                Block("item", f"{v.label} ({v.id})", strong=f"{verdict_word(t, v.verdict)}: ")
            )
            seen = observed_words(t, campaign, v.observed)
            out.append(Block("item", seen, 1, strong=t._("Seen: ")))
            for col in v.observed:
                info = (candidate.provenance or {}).get(col)
                if info:
                    out.append(
                        Block(
                            "item",
                            f"{fact_label(campaign, col, t)}: {provenance_line(t, info)}",
                            1,
                            strong=t._("From: "),
                        )
                    )
            out.append(Block("item", v.required, 1, strong=t._("The plan requires: ")))
            why = explanation_words(t, campaign, v)
            if why:
                out.append(Block("item", why, 1, strong=t._("Why: ")))
            cite = citation_words(t, v.citation)
            out.append(Block("item", cite, 1, strong=t._("Source: ")))
            if v.citation["interpretation"]:
                out.append(
                    Block(
                        "item",
                        str(v.citation["note"]),
                        1,
                        strong=t._("Interpretation (the plan does not say it): "),
                    )
                )
            missing = missing_observed(t, campaign, v.observed)
            if missing and v.verdict == "unknown":
                out.append(
                    Block(
                        "item",
                        ", ".join(missing),
                        1,
                        strong=t._("Still missing: "),
                    )
                )
    report = result.missing()
    mine = next((c for c in report.candidates if c.id == candidate.id), None)
    if mine is not None and mine.facts:
        out.append(Block("heading", t._("What is still missing")))
        out.append(
            Block(
                "paragraph",
                t._("Once these figures are sent, the undetermined criteria can be decided:"),
            )
        )
        for f in mine.facts:
            out.append(Block("item", f"{f.label} ({f.fact})"))
    out.append(
        Block(
            "small",
            t._(
                "Prepared by emulation-rules from the data known on {date}; rules fingerprint "
                "{fingerprint}. The emulation office reviews this explanation before it is sent."
            ).format(date=t.date(result.as_of), fingerprint=result.fingerprint),
        )
    )
    return out


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))")


def _md(text: str) -> str:
    """Text as Markdown shows it literally (a name's ``*`` or ``[`` is not markup)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def letter_markdown(blocks: Sequence[Block]) -> str:
    """The letter as Markdown."""
    lines: list[str] = []
    for b in blocks:
        lead = f"**{_md(b.strong.strip())}** " if b.strong else ""
        if b.kind == "title":
            lines += [f"# {_md(b.text)}", ""]
        elif b.kind == "heading":
            if lines and lines[-1]:
                lines.append("")
            lines += [f"## {_md(b.text)}", ""]
        elif b.kind == "item":
            lines.append("  " * b.level + f"- {lead}{_md(b.text)}")
        elif b.kind == "small":
            if lines and lines[-1]:
                lines.append("")
            lines += ["---", "", f"*{_md(b.text)}*"]
        else:
            lines += [f"{lead}{_md(b.text)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def letter_docx(blocks: Sequence[Block], *, stamp: str) -> bytes:
    """The letter as a Word document (python-docx), with the same bytes for the same letter."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for b in blocks:
        if b.kind == "title":
            document.add_heading(_plain(b.text), level=0)
        elif b.kind == "heading":
            document.add_heading(_plain(b.text), level=1)
        else:
            para = document.add_paragraph(
                style="List Bullet 2"
                if b.kind == "item" and b.level
                else "List Bullet"
                if b.kind == "item"
                else None
            )
            if b.strong:
                para.add_run(_plain(b.strong)).bold = True
            run = para.add_run(_plain(b.text))
            if b.kind == "small":
                run.italic = True
                run.font.size = Pt(10)
    document.core_properties.author = "emulation-rules"
    raw = io.BytesIO()
    document.save(raw)
    return fixed_zip(raw.getvalue(), stamp)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain(text: str) -> str:
    """Text Word can hold: characters XML 1.0 forbids are shown as escapes."""
    return _XML_BAD.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_letter(
    result: Result, candidate: CandidateResult, fmt: str, *, lang: str | None = None
) -> str | bytes:
    """The letter in ``fmt`` (``md``: text, ``docx``: bytes)."""
    blocks = letter_blocks(result, candidate, lang=lang)
    if fmt == "md":
        return letter_markdown(blocks)
    if fmt == "docx":
        return letter_docx(blocks, stamp=f"{result.as_of.isoformat()}T00:00:00Z")
    raise ValueError(f"unknown letter format {fmt!r}")
