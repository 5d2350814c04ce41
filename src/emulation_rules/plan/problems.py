"""The problems of a campaign document, each placed where its author can act on it.

A :class:`PlanProblem` names the file, the key path in the document, the line, the element (its
kind and id, not only its index) and, for a name that is not declared, the declared name it is
probably a typo of ("did you mean"). :class:`PlanProblems` is the :class:`PlanError` that carries
every problem of one document at once; its message has one problem per line::

    plan.yaml: criteria[0].rule.fact (line 41), criterion 'tap_the.truc_tuyen': reads undeclared
    fact 'ty_le_truc_tuyen' (did you mean 'ty_le_ho_so_truc_tuyen'?)

:class:`CrossReferenceError` is what the campaign model's cross-reference validator raises: one
message per problem, kept apart so that the loader can place each one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.errors import PlanError
from emulation_rules.plan.criteria import EXPR_TAGS, NODE_KEY_TAGS
from emulation_rules.plan.forms import CATALOGUE

Loc = tuple[int | str, ...]

#: the lists and mappings of a campaign document whose entries are elements with an id
ELEMENT_GROUPS: Mapping[str, str] = {
    "scales": "scale",
    "facts": "fact",
    "parameters": "parameter",
    "criteria": "criterion",
    "awards": "award",
    "targets": "target",
    "measures": "measure",
    "content_areas": "content area",
    "participants": "participant",
    "sources": "source",
    "candidate_attributes": "attribute",
    "forms": "form",
}
_GROUP_OF_KIND = {kind: group for group, kind in ELEMENT_GROUPS.items()}
#: names a namespace has without declaring them: every candidate has a unit type and a unit,
#: usable in an award's ``groups.by`` and ``cap.by`` (``campaign.BUILTIN_ATTRIBUTES``)
BUILT_IN_NAMES: Mapping[str, tuple[str, ...]] = {
    "candidate_attributes": ("unit_type", "unit_id"),
    "forms": tuple(CATALOGUE),  # the law's forms of award (plan.forms.CATALOGUE)
}

#: "did you mean" for names that are not declared: (pattern capturing the name, namespace)
_UNDECLARED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), namespace)
    for pattern, namespace in (
        (r"undeclared fact '([^']+)'", "facts"),
        (r"ranking fact '([^']+)' is unknown", "facts"),
        (r"scoreboard: fact '([^']+)' is not declared", "facts"),
        (r"parameter '([^']+)' is not declared", "parameters"),
        (r"(?:quota|share|rounding|cap) parameter '([^']+)' unknown", "parameters"),
        (r"(?:groups\.by|cap\.by) names '([^']+)', neither", "candidate_attributes"),
        (r"unknown criterion '([^']+)'", "criteria"),
        (r"reads criterion '([^']+)', which is not declared", "criteria"),
        (r"unknown award '([^']+)'", "awards"),
        (r"reads award '([^']+)', which is not declared", "awards"),
        (r"form '([^']+)' is neither a form of the law", "forms"),
        (r"source '([^']+)'(?:, which)? is not in sources", "sources"),
        (r"scale '([^']+)' is not declared", "scales"),
        (r"unit type '([^']+)' is not a participant", "participants"),
        (r"undeclared measure '([^']+)'", "measures"),
    )
)
#: names a message is about that are declared but do not fit (placed at the value, no
#: suggestion): a parameter of the wrong type, an attribute or award of the other kind
_MISFIT: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?:quota|share|rounding|cap) parameter '([^']+)' is not",
        r"names attribute '([^']+)', which",
        r"share of award '([^']+)', which",
        r"partial_span_param '([^']+)' is not",
        # the criteria language's references that are declared but do not fit
        r"parameter '([^']+)' \([a-z]+\) cannot compare",
        r"(?:margin|if_zero_)?param(?:eter)? '([^']+)' is (?:not numeric|a boolean parameter)",
        r"parameter '([^']+)' is (?:\w+; arithmetic|not a declared integer parameter)",
        r"fact '([^']+)' is (?:\w+; arithmetic|an? \w+, not a yearly series|a yearly series)",
        r"fact '([^']+)' is not carried by",
        r"(?:award|criterion) '([^']+)' is for \w+s, but it is read",
        r"reads award '([^']+)', which requires",
        r"series '([^']+)' (?:covers|holds ids|is compared)",
        r"'count_distinct' reads an ids series; '([^']+)' holds",
        r"form '([^']+)' \(.*\) is not given to",
        r"ranking fact '([^']+)' is a yearly series",
    )
)
#: the key a named value is written under, where a message says it (to place the problem at
#: that value rather than at an earlier mention of the same name)
_KEY_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"'count_distinct' reads an ids series", "count_distinct"),
        (r"series '[^']+' (?:holds ids|is compared)", "series"),
        (r"reads award '", "award"),
        (r"reads criterion '", "criterion"),
        (r"award '[^']+' is for \w+s, but it is read", "award"),
        (r"criterion '[^']+' is for \w+s, but it is read", "criterion"),
        (r"form '[^']+' (?:is neither|\(.*\) is not given)", "form"),
        (r"if_zero_param '", "if_zero_param"),
        (r"margin parameter '", "margin_param"),
    )
)
_ELEMENT_PREFIX = re.compile(
    r"^(scale|fact|parameter|criterion|award|target|measure|content area|participant|source"
    r"|attribute|form)"
    r"(?: id)? '([^']+)'(?::\s*|\s+)"
)
_CITED_PREFIX = re.compile(r"^([a-z_]+):([^:\s]+): ")


class CrossReferenceError(ValueError):
    """The campaign's cross-reference problems (undeclared names, ids used twice, cycles …).

    Raised by the campaign model's validator; ``problems`` keeps one message per problem.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@attrs.frozen
class PlanProblem:
    """One problem of a campaign document, placed: file, key path, line, element, suggestion."""

    origin: str
    loc: Loc
    line: int | None
    element: str | None
    message: str
    suggestion: str | None = None

    @property
    def where(self) -> str:
        """``criteria[0].rule.op (line 41)``, or ``document`` for the whole document."""
        place = loc_text(self.loc) or "document"
        return f"{place} (line {self.line})" if self.line else place

    def __str__(self) -> str:
        element = f", {self.element}" if self.element else ""
        return f"{self.origin}: {self.where}{element}: {self.message}{self.suggestion or ''}"


class PlanProblems(PlanError):
    """Every problem of one campaign document; the message has one problem per line."""

    def __init__(self, problems: Sequence[PlanProblem], *, note: str | None = None) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        if note:
            lines.append(note)
        super().__init__("\n".join(lines))


def loc_text(loc: Loc) -> str:
    """``('criteria', 2, 'rule', 'op')`` -> ``criteria[2].rule.op``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def element_at(raw: Any, loc: Loc) -> tuple[str | None, Loc]:
    """The element a key path falls in (``criterion 'x'``) and the path of that element."""
    if not loc or not isinstance(raw, Mapping):
        return None, ()
    head = loc[0]
    kind = ELEMENT_GROUPS.get(str(head))
    if kind is None or len(loc) < 2:
        return None, ()
    items = raw.get(head)
    key = loc[1]
    if head == "sources":
        return (f"source '{key}'", loc[:2]) if isinstance(key, str) else (None, ())
    if isinstance(items, list) and isinstance(key, int) and 0 <= key < len(items):
        item = items[key]
        ident = None
        if isinstance(item, Mapping):
            ident = item.get("unit_type" if head == "participants" else "id")
        if isinstance(ident, str) and ident:
            return f"{kind} '{ident}'", loc[:2]
        return f"{kind} {key + 1}", loc[:2]
    return None, ()


def locate_element(raw: Any, kind: str, ident: str) -> Loc:
    """The key path of the element ``kind`` with id ``ident`` (the last if used twice)."""
    group = _GROUP_OF_KIND.get(kind)
    if group is None or not isinstance(raw, Mapping):
        return ()
    items = raw.get(group)
    if group == "sources":
        return (group, ident) if isinstance(items, Mapping) and ident in items else ()
    found: Loc = ()
    if isinstance(items, list):
        key = "unit_type" if group == "participants" else "id"
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and item.get(key) == ident:
                found = (group, i)
    return found


def split_cross_reference(message: str) -> tuple[str | None, str | None, str]:
    """(kind, id, rest) of a cross-reference message that starts with its element.

    ``"criterion 'c.par': reads undeclared fact 'x'"`` -> ``("criterion", "c.par", "reads
    undeclared fact 'x'")``; ``"criterion:c.par: citation source …"`` likewise; a message about
    no element in particular gives ``(None, None, message)``.
    """
    match = _ELEMENT_PREFIX.match(message)
    if match:
        rest = message[match.end() :]
        # a cycle (``criterion 'a' -> award 'b' -> …``) is told whole, from its first element
        return match.group(1), match.group(2), message if rest.startswith("->") else rest
    match = _CITED_PREFIX.match(message)
    if match and match.group(1).replace("_", " ") in _GROUP_OF_KIND:
        return match.group(1).replace("_", " "), match.group(2), message[match.end() :]
    return None, None, message


def undeclared_name(message: str) -> tuple[str, str] | None:
    """(name, namespace) of the undeclared name a message is about, if any."""
    for pattern, namespace in _UNDECLARED:
        match = pattern.search(message)
        if match:
            return match.group(1), namespace
    return None


def key_hint(message: str) -> str | None:
    """The key the name a message is about is written under, when the message says it."""
    for pattern, key in _KEY_HINTS:
        if pattern.search(message):
            return key
    return None


def misfit_name(message: str) -> str | None:
    """The declared name a message says does not fit (a parameter of the wrong type …)."""
    for pattern in _MISFIT:
        match = pattern.search(message)
        if match:
            return match.group(1)
    return None


def declared_names(raw: Any, namespace: str) -> list[str]:
    """The names a campaign document declares in one namespace (``facts``, ``sources`` …),
    with those the namespace has without declaring them (:data:`BUILT_IN_NAMES`)."""
    built_in = list(BUILT_IN_NAMES.get(namespace, ()))
    if not isinstance(raw, Mapping):
        return sorted(built_in)
    items = raw.get(namespace)
    if isinstance(items, Mapping):
        return sorted(str(k) for k in items)
    key = "unit_type" if namespace == "participants" else "id"
    if isinstance(items, list):
        return sorted(
            {str(i[key]) for i in items if isinstance(i, Mapping) and isinstance(i.get(key), str)}
            | set(built_in)
        )
    return sorted(built_in)


def did_you_mean(name: str, known: Iterable[str], *, list_up_to: int = 12) -> str:
    """`` (did you mean 'x'?)`` for a close declared name, else the declared names if few."""
    names = sorted(set(known))
    close = difflib.get_close_matches(name, names, n=2, cutoff=0.6)
    if close:
        return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"
    if not names:
        return " (none is declared)"
    if len(names) <= list_up_to:
        return f" (declared: {', '.join(names)})"
    return ""


def clean_loc(raw: Any, loc: Loc) -> Loc:
    """A pydantic error location as a key path of the document: the union tags of the criteria
    tree and of its arithmetic expressions (``cmp``, ``all``, ``at_least``, ``compute``, ``sum``
    …, which pydantic inserts after a node's position) are dropped."""
    out: list[int | str] = []
    current = raw
    tag_skipped = False
    for part in loc:
        if (
            not tag_skipped
            and isinstance(current, Mapping)
            and isinstance(part, str)
            and part in _tag_of(current)
        ):
            tag_skipped = True
            continue
        tag_skipped = False
        out.append(part)
        if isinstance(current, Mapping):
            current = current.get(part) if isinstance(part, str) else None
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return tuple(out)


def _tag_of(node: Mapping[Any, Any]) -> set[str]:
    """The tags pydantic may insert after this mapping's position: as a criteria node, or as
    an arithmetic expression (the same mapping cannot tell which it is)."""
    out: set[str] = set()
    for keys in (NODE_KEY_TAGS, EXPR_TAGS):
        for key, tag in keys.items():
            if key in node:
                out.add(tag)
                break
    return out
