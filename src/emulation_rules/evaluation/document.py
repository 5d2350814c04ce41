"""The output document written from the result's arrays, in chunks, without a Python object per
candidate.

:func:`write_json` writes the text of ``Result.to_json()`` (indent 2, UTF-8 characters kept,
a final newline) piece by piece, the same characters as ``json.dumps(result.to_dict(),
ensure_ascii=False, indent=2)`` — the reference, which a test compares it with on every shipped
sample and on synthetic campaigns with missing facts, report mode, provenance, shares, groups
and the criteria language's nodes.

How: a verdict's text is the same for every candidate but for its verdict word and the values it
observed, so each criterion's fixed parts are written once, each observed fact column is turned
into JSON text once per distinct value, and the candidates' texts are put together by Polars
(``concat_str``, in Rust) a chunk of :data:`CHUNK` rows at a time: memory holds one chunk's text,
whatever the number of candidates. What is not the same for every candidate is written by the
reference path for the candidates concerned only: a verdict with an explanation (a guard not yet
decidable, a zero denominator, members), a criterion observing more than plain facts (series,
member counts, other outcomes), candidates with a scoreboard or with provenance. Everything else
(the head of the document, the allocations, the refused candidates) goes through
:func:`dump`: orjson, with the few floats it writes differently from Python's ``json`` (below
1e-4) given in Python's form.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import numpy.typing as npt

from emulation_rules.engine.columnar import (
    ELIGIBILITY,
    MET,
    NOT_APPLICABLE,
    OTHER_KIND,
    UNKNOWN,
    VERDICTS,
)

if TYPE_CHECKING:  # the result module imports this one
    from emulation_rules.evaluation.result import Result

#: candidates put together at a time (memory holds one chunk's text)
CHUNK = 8192
_PAD = "  "


def text(value: Any) -> str:
    """One JSON value on one line, exactly as ``json.dumps(value, ensure_ascii=False)``."""
    return json.dumps(value, ensure_ascii=False)


def _compat(value: Any) -> Any:
    """``value`` with every float orjson would write differently from Python's ``json`` (a
    magnitude below 1e-4: ``0.00001`` against ``1e-05``) replaced by Python's text. Containers
    holding no float and no container (lists of ids, ranks) are passed over whole."""
    import orjson

    if isinstance(value, float):
        if value != 0.0 and abs(value) < 1e-4:
            return orjson.Fragment(repr(value))
        return value
    if isinstance(value, dict):
        if set(map(type, value.values())) <= _PLAIN:
            return value
        return {k: _compat(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if set(map(type, value)) <= _PLAIN:
            return value
        return [_compat(v) for v in value]
    return value


#: types orjson writes exactly as Python's ``json`` does
_PLAIN = frozenset({str, int, bool, type(None)})


def dump(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` placed at nesting ``level`` (every
    line after the first indented by ``2 * level`` more spaces), written by orjson; a value
    orjson refuses (a key that is not text, an integer beyond 64 bits, a lone surrogate) is
    written by Python's ``json``."""
    import orjson

    try:
        out = orjson.dumps(_compat(value), option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        out = json.dumps(value, ensure_ascii=False, indent=2)
    return out.replace("\n", "\n" + _PAD * level) if level else out


def write_json(result: Result, stream: BinaryIO, *, verbose_citations: bool = False) -> None:
    """Write the output document (``Result.to_json()``, UTF-8) to a binary ``stream``, one
    chunk of candidates at a time."""
    lean = not verbose_citations
    plan = result.plan
    head: dict[str, Any] = {
        "campaign": plan.campaign.id,
        "as_of": plan.as_of.isoformat(),
        "fingerprint": result.fingerprint,
        "engine": result.engine,
        "parameters": {k: plan.parameters[k] for k in sorted(plan.parameters)},
        "carried_on_by": dict(result.carried_on_by) if result.carried_on_by else None,
    }
    if lean:
        head["citations"] = result.citations()
    out = "{\n" + ",\n".join(f"{_PAD}{text(k)}: {dump(v, 1)}" for k, v in head.items())
    stream.write((out + f",\n{_PAD}" + '"candidates": ').encode("utf-8"))
    if len(result.table):
        stream.write(b"[")
        write_candidates(result, stream, verbose_citations=verbose_citations)
        stream.write(f"\n{_PAD}]".encode())
    else:
        stream.write(b"[]")
    allocations = [{**a.to_dict(), "depends_on": result.depends_on(a)} for a in result.allocations]
    tail = f",\n{_PAD}" + '"allocations": ' + dump(allocations, 1)
    if result.validated is not None and result.validated.on_invalid == "report":
        tail += f",\n{_PAD}" + '"rejected": ' + dump([r.to_dict() for r in result.rejected], 1)
    stream.write((tail + "\n}\n").encode("utf-8"))


def write_candidates(result: Result, stream: BinaryIO, *, verbose_citations: bool = False) -> None:
    """The candidates of the output document, each at nesting level 2 after ``\n`` (``,\n``
    after the first), :data:`CHUNK` at a time."""
    n = len(result.table)
    if _per_candidate(result):
        for start in range(0, n, CHUNK):
            stream.write(
                "".join(
                    ("\n" if i == 0 else ",\n")
                    + _PAD * 2
                    + dump(result._candidate(i).to_dict(verbose_citations=verbose_citations), 2)
                    for i in range(start, min(n, start + CHUNK))
                ).encode("utf-8")
            )
        return
    writer = _Columns(result, verbose_citations=verbose_citations)
    for start in range(0, n, CHUNK):
        writer.write(stream, start, min(n, start + CHUNK))


def _per_candidate(result: Result) -> bool:
    """Whether candidates carry what only the reference path writes (scores, provenance)."""
    if result.plan.campaign.scoreboard is not None:
        return True
    v = result.validated
    return v is None or bool(v.provenance)


# --- the columnar writer --------------------------------------------------------------------
def string_texts(values: Sequence[str | None]) -> Any:
    """JSON text of each string (``null`` for None) as a Polars column: quoted as it is where no
    character needs an escape, by Python's ``json`` where one does."""
    import polars as pl

    s = pl.Series(values, dtype=pl.String)
    quoted = pl.concat_str([pl.lit('"'), s, pl.lit('"')], ignore_nulls=False)
    out = pl.select(quoted.fill_null("null")).to_series()
    escape = s.str.contains(r'[\x00-\x1f"\\]').fill_null(False)
    if escape.any():
        rows = escape.arg_true().to_list()
        fixed = [text(values[i]) for i in rows]
        out = out.scatter(rows, pl.Series(fixed, dtype=pl.String))
    return out


def value_texts(
    values: npt.NDArray[np.float64], known: npt.NDArray[np.bool_], say: Callable[[float], Any]
) -> tuple[Any, npt.NDArray[np.intp]]:
    """The JSON text of ``say(value)`` (``null`` where unknown) per row, computed once per
    distinct value: (the distinct texts as a Polars column, each row's index into it)."""
    import polars as pl

    key = np.where(known, values, np.nan)
    distinct, inverse = np.unique(key, return_inverse=True)
    texts = ["null" if v != v else text(say(float(v))) for v in distinct.tolist()]
    return pl.Series(texts, dtype=pl.String), inverse.reshape(-1)


class _Columns:
    """Writes candidates from the arrays, a chunk of rows at a time."""

    def __init__(self, result: Result, *, verbose_citations: bool) -> None:
        from emulation_rules.engine.fact_table import display_value
        from emulation_rules.plan.citing import citation_dict

        self.result = result
        self.verbose = verbose_citations
        plan, table = result.plan, result.table
        campaign = plan.campaign
        records = result.validated.records if result.validated is not None else None
        assert records is not None
        self.ids = string_texts(list(records.ids))
        self.names = string_texts(list(records.names))
        self.kinds = string_texts(list(records.kinds))
        self.unit_types = string_texts(list(records.unit_types))
        self.unit_ids = string_texts(list(records.unit_ids))
        pad4, pad5, pad6 = _PAD * 4, _PAD * 5, _PAD * 6
        # per criterion: the fixed text before the observed values (by verdict code), the
        # observed entries (label, value texts, row index), the fixed text after them
        self.criteria: list[tuple[int, list[str], list[tuple[str, Any, Any]], str]] = []
        self.slow: dict[int, set[int]] = {}
        for k, crit in enumerate(plan.criteria):
            labels = [o.label for o in crit.observations]
            plain = len(set(labels)) == len(labels) and all(
                o.what in ("fact", "quantity") for o in crit.observations
            )
            codes = result.verdicts.criteria[k]
            if not plain:
                self.slow[k] = set(np.flatnonzero(codes != OTHER_KIND).tolist())
                self.criteria.append((k, [], [], ""))
                continue
            self.slow[k] = self._explained_rows(k)
            pre = [
                f"{pad4}{{\n{pad5}"
                + '"id": '
                + text(crit.id)
                + f",\n{pad5}"
                + '"label": '
                + text(crit.label)
                + f",\n{pad5}"
                + '"verdict": '
                + text(word)
                + f",\n{pad5}"
                + '"observed": '
                for word in VERDICTS
            ]
            observed: list[tuple[str, Any, Any]] = []
            for o in crit.observations:
                say: Callable[[float], Any] = float  # a quantity: the number
                if o.what == "fact":
                    say = functools.partial(
                        display_value, campaign, campaign.fact(o.fact), known=True
                    )
                distinct, inverse = value_texts(table.values[o.key], table.known[o.key], say)
                observed.append((text(o.label), distinct, inverse))
            citation = (
                dump(citation_dict(campaign, crit.citation), 5)
                if verbose_citations
                else text(crit.id)
            )
            post = (
                f",\n{pad5}"
                + '"required": '
                + text(crit.required)
                + f",\n{pad5}"
                + '"citation": '
                + citation
                + f"\n{pad4}}}"
            )
            if not observed:
                pre = [p + "{}" for p in pre]
            self.criteria.append((k, pre, observed, post))
        self.pad6 = pad6
        self.pad5 = pad5

    def _explained_rows(self, k: int) -> set[int]:
        """Rows whose verdict of criterion ``k`` has an explanation (written per candidate)."""
        from emulation_rules.engine.fact_table import QExpr
        from emulation_rules.evaluation.explaining import (
            _members_nodes,
            _parts,
            explain_reasons,
        )

        r = self.result
        plan, table, verdicts = r.plan, r.table, r.verdicts
        crit = plan.criteria[k]
        codes = verdicts.criteria[k]
        n = len(codes)
        maybe = np.zeros(n, dtype=bool)
        for den, _ in crit.zero_guards:
            maybe |= table.known[den] & (table.values[den] == 0.0)
        for o in crit.observations:
            q = plan.quantities.get(o.key) if o.what == "quantity" else None
            for part in _parts(q) if isinstance(q, QExpr) else []:
                if part.op != "ratio":
                    continue
                bottom = part.parts[1]
                if bottom.op == "const":
                    maybe |= bottom.value == 0.0
                else:
                    key = bottom.column if bottom.op == "column" else bottom.key
                    assert key is not None
                    maybe |= table.known[key] & (table.values[key] == 0.0)
        for node in _members_nodes(crit.rule):
            counts = verdicts.members.get(node.index)
            if counts is not None:
                _, unknown, members = counts
                maybe |= (members == 0) | (unknown > 0)
        guards = verdicts.guards[k] if k < len(verdicts.guards) else None
        if guards is not None:
            maybe |= (guards == UNKNOWN) & ((codes == MET) | (codes == UNKNOWN))
        if crit.members_guard:
            maybe |= codes == NOT_APPLICABLE
        maybe &= codes != OTHER_KIND
        return {
            i
            for i in np.flatnonzero(maybe).tolist()
            if explain_reasons(plan, table, verdicts, k, i)
        }

    def _awards(self, start: int, stop: int) -> list[Any]:
        import polars as pl

        out = []
        for j, award in enumerate(self.result.plan.awards):
            codes = self.result.verdicts.awards[j][start:stop]
            words = [f"{_PAD * 4}{text(award.id)}: {text(w)}" for w in ELIGIBILITY]
            col = pl.Series(codes.astype(np.int64))
            expr: Any = pl.lit(None, dtype=pl.String)
            for code, word in enumerate(words):
                expr = pl.when(pl.lit(col) == code).then(pl.lit(word)).otherwise(expr)
            out.append(expr)
        return out

    def write(self, stream: BinaryIO, start: int, stop: int) -> None:
        import polars as pl

        r = self.result
        pad2, pad3, pad4 = _PAD * 2, _PAD * 3, _PAD * 4
        verdict_exprs = []
        for k, pre, observed, post in self.criteria:
            codes = r.verdicts.criteria[k][start:stop]
            slow = [i for i in range(start, stop) if i in self.slow[k]] if self.slow[k] else []
            if pre:
                code_col = pl.lit(pl.Series(codes.astype(np.int64)))
                parts: list[Any] = []
                head: Any = pl.lit(None, dtype=pl.String)
                for code, p in enumerate(pre):
                    head = pl.when(code_col == code).then(pl.lit(p)).otherwise(head)
                parts.append(head)
                for n, (label, distinct, inverse) in enumerate(observed):
                    opener = "{\n" if n == 0 else ",\n"
                    parts.append(pl.lit(opener + self.pad6 + label + ": "))
                    parts.append(pl.lit(distinct.gather(inverse[start:stop])))
                if observed:
                    parts.append(pl.lit("\n" + self.pad5 + "}"))
                parts.append(pl.lit(post))
                expr: Any = pl.concat_str(parts)
            else:
                expr = pl.lit(None, dtype=pl.String)
            if slow:
                texts: list[str | None] = [None] * (stop - start)
                for i in slow:
                    texts[i - start] = pad4 + dump(
                        r._verdict(k, i).to_dict(verbose_citations=self.verbose), 4
                    )
                fixed = pl.lit(pl.Series(texts, dtype=pl.String))
                expr = pl.when(fixed.is_not_null()).then(fixed).otherwise(expr)
            verdict_exprs.append(expr)
        criteria = pl.concat_str(verdict_exprs, separator=",\n", ignore_nulls=True)
        criteria = (
            pl.when(criteria == "")
            .then(pl.lit("[]"))
            .otherwise(pl.concat_str([pl.lit("[\n"), criteria, pl.lit(f"\n{pad3}]")]))
        )
        awards = pl.concat_str(self._awards(start, stop), separator=",\n", ignore_nulls=True)
        awards = (
            pl.when(awards == "")
            .then(pl.lit("{}"))
            .otherwise(pl.concat_str([pl.lit("{\n"), awards, pl.lit(f"\n{pad3}}}")]))
        )

        def field(name: str, first: bool = False) -> Any:
            return pl.lit(("" if first else ",\n") + pad3 + text(name) + ": ")

        candidate = pl.concat_str(
            [
                pl.lit(",\n" + pad2 + "{\n"),
                field("id", first=True),
                pl.lit(self.ids.slice(start, stop - start)),
                field("name"),
                pl.lit(self.names.slice(start, stop - start)),
                field("kind"),
                pl.lit(self.kinds.slice(start, stop - start)),
                field("unit_type"),
                pl.lit(self.unit_types.slice(start, stop - start)),
                field("unit_id"),
                pl.lit(self.unit_ids.slice(start, stop - start)),
                field("criteria"),
                criteria,
                field("awards"),
                awards,
                pl.lit(f"\n{pad2}}}"),
            ]
        )
        frame = pl.select(candidate)
        if start == 0:  # the first candidate follows "[" on a line of its own
            first = frame.to_series()
            frame = pl.DataFrame({"text": first.scatter(0, first[0][1:])})
        frame.write_csv(stream, include_header=False, quote_style="never", line_terminator="")
