"""Load a campaign YAML document into a validated :class:`~emulation_rules.plan.campaign.Campaign`.

Every problem of a document is reported at once, as a :class:`~.problems.PlanProblems` (a
:class:`~emulation_rules.errors.PlanError`) with one line per problem naming the file, the key
path, the line, the element's kind and id, and — for a name that is not declared — the declared
name it is probably a typo of::

    plan.yaml: criteria[0].rule.op (line 41), criterion 'tap_the.truc_tuyen': Input should be …
    plan.yaml: criteria[1].rule.fact (line 52), criterion 'tap_the.bao_cao': reads undeclared fact
    'report_on_time' (did you mean 'reports_on_time'?)

Field errors (a wrong type, a missing key, an impossible date) and cross-reference errors (an
undeclared fact, parameter, criterion or source) come together: when some elements have field
errors, the cross-references are checked again without those elements, and only the problems
that do not involve them are added. Reading the YAML itself (encoding, size, alias bombs,
duplicate keys) is :mod:`.yaml_reading`'s.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from emulation_rules.errors import PlanError
from emulation_rules.limits import Limits, current_limits
from emulation_rules.plan.campaign import Campaign, deep_criteria_locations
from emulation_rules.plan.criteria import EXPR_TAGS, NODE_KEY_TAGS
from emulation_rules.plan.problems import (
    ELEMENT_GROUPS,
    CrossReferenceError,
    Loc,
    PlanProblem,
    PlanProblems,
    clean_loc,
    declared_names,
    did_you_mean,
    element_at,
    key_hint,
    locate_element,
    misfit_name,
    split_cross_reference,
    undeclared_name,
)
from emulation_rules.plan.yaml_reading import (
    YamlDocument,
    find_scalar,
    line_of,
    node_at,
    path_at_line,
    read_yaml,
)
from emulation_rules.text import nfc_deep

_TOP_LEVEL = ("legal_basis", "period", "jurisdiction", "scoreboard")
_AFTER_FIXES = (
    "(undeclared names and other cross-references are checked once the problems above are fixed)"
)


def load_campaign(path: str | Path, *, limits: Limits | None = None) -> Campaign:
    """Read, NFC-normalise and validate one campaign YAML file (every problem at once).

    A file is parsed (by libyaml) and validated once per process: the campaign is kept by the
    file's path and the SHA-256 digest of its bytes (a changed file is read again)."""
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        digest = None  # read_yaml says why, in its words
    key = (str(path), digest, repr(limits or current_limits()))
    if digest is not None and key in _LOADED:
        return _LOADED[key]
    document = read_yaml(path, limits=limits, what="campaign")
    campaign = campaign_from_document(document)
    if digest is not None:
        with _LOADED_LOCK:
            _LOADED[key] = campaign
            while len(_LOADED) > 64:
                _LOADED.pop(next(iter(_LOADED)))
    return campaign


#: campaigns loaded in this process, by (path, digest of the file, limits)
_LOADED: dict[tuple[str, str | None, str], Campaign] = {}
_LOADED_LOCK = threading.Lock()


def campaign_from_document(document: YamlDocument) -> Campaign:
    """Validate a campaign document read by :func:`~.yaml_reading.read_yaml`."""
    raw = document.data
    if not isinstance(raw, dict):
        kind = "an empty file" if raw is None else type(raw).__name__
        raise PlanError(f"{document.origin}: a campaign document is a mapping of keys, not {kind}")
    reading = [
        PlanProblem(
            document.origin,
            path_at_line(document.root, p.line),
            p.line,
            _element_of_line(raw, document.root, p.line)[0],
            p.message,
        )
        for p in document.problems
    ]
    return _validate(raw, document.origin, document.root, reading)


def campaign_from_mapping(
    raw: Mapping[str, Any], *, origin: str = "<mapping>", node: yaml.Node | None = None
) -> Campaign:
    """Validate an already-parsed campaign document (used for plans built in Python)."""
    if not isinstance(raw, Mapping):
        raise PlanError(f"{origin}: a campaign document is a mapping of keys")
    return _validate(dict(raw), origin, node, [])


def plan_problems(
    raw: Mapping[str, Any], *, origin: str = "<mapping>", node: yaml.Node | None = None
) -> tuple[list[PlanProblem], str | None]:
    """Every problem of a campaign document, and a note if some could not be checked yet."""
    try:
        _validate(dict(raw), origin, node, [])
    except PlanProblems as exc:
        text = str(exc).splitlines()
        note = text[-1] if text and text[-1] == _AFTER_FIXES else None
        return list(exc.problems), note
    return [], None


def _validate(
    raw: dict[str, Any], origin: str, node: yaml.Node | None, reading: list[PlanProblem]
) -> Campaign:
    # criteria nested beyond the limit are refused before anything walks them recursively
    deep = [
        PlanProblem(
            origin,
            loc,
            line_of(node, loc) if node is not None else None,
            element_at(raw, loc)[0],
            message,
        )
        for loc, message in deep_criteria_locations(raw)
    ]
    if deep:
        raise PlanProblems(_sorted(reading + deep))
    try:
        data = nfc_deep(raw)
    except RecursionError:
        raise PlanError(f"{origin}: the document is nested too deeply") from None
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        problems, note = _explain(exc, data, origin, node)
        raise PlanProblems(_sorted(reading + problems), note=note) from None
    except RecursionError:
        raise PlanError(f"{origin}: the criteria are nested too deeply") from None
    if reading:
        raise PlanProblems(_sorted(reading))
    return campaign


def _explain(
    exc: ValidationError, raw: dict[str, Any], origin: str, node: yaml.Node | None
) -> tuple[list[PlanProblem], str | None]:
    """Field errors and cross-reference errors, placed; and a note if cross-references could
    not be checked."""
    fields, cross = _split(exc)
    problems = [_field_problem(err, raw, origin, node) for err in fields]
    problems += [_cross_problem(m, raw, origin, node) for m in cross]
    if not fields:
        return problems, None
    pruned, removed = _prune(raw, fields)
    if pruned is None:
        return problems, _AFTER_FIXES
    try:
        Campaign.model_validate(pruned)
    except ValidationError as again:
        more_fields, more_cross = _split(again)
        if more_fields:
            return problems, _AFTER_FIXES
        for message in more_cross:
            names = set(_quoted(message))
            if names & removed or message.startswith(("a campaign needs", *removed)):
                continue
            if "period" in removed and "campaign starts" in message:
                continue
            problems.append(_cross_problem(message, raw, origin, node))
    except RecursionError:
        return problems, _AFTER_FIXES
    return problems, None


def _split(exc: ValidationError) -> tuple[list[Any], list[str]]:
    """The field errors, and the cross-reference messages of the campaign's own validator."""
    fields: list[Any] = []
    cross: list[str] = []
    for err in exc.errors():
        error = (err.get("ctx") or {}).get("error")
        if not err["loc"] and isinstance(error, CrossReferenceError):
            cross.extend(error.problems)
        elif not err["loc"] and isinstance(error, ValueError):
            cross.extend(str(error).split("; "))
        else:
            fields.append(err)
    return fields, cross


def _field_problem(err: Any, raw: Any, origin: str, node: yaml.Node | None) -> PlanProblem:
    loc = clean_loc(raw, tuple(err["loc"]))
    element, _ = element_at(raw, loc)
    message = str(err["msg"]).removeprefix("Value error, ")
    suggestion = None
    if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
        names = _fields_fitting(raw, loc) or _field_names()
        suggestion = did_you_mean(loc[-1], names, list_up_to=0) or None
    elif err["type"] in ("criteria_node", "expression_node"):
        # a node (or an arithmetic expression) whose kind no key names: suggest the key meant
        keys = NODE_KEY_TAGS if err["type"] == "criteria_node" else EXPR_TAGS
        written = err.get("input")
        if isinstance(written, Mapping):
            for key in written:
                if isinstance(key, str) and key not in keys:
                    suggestion = did_you_mean(key, keys, list_up_to=0) or None
                    if suggestion:
                        break
    line = line_of(node, loc) if node is not None else None
    return PlanProblem(origin, loc, line, element, message, suggestion)


def _cross_problem(message: str, raw: Any, origin: str, node: yaml.Node | None) -> PlanProblem:
    kind, ident, rest = split_cross_reference(message)
    loc: Loc = locate_element(raw, kind, ident) if kind and ident else ()
    element = f"{kind} '{ident}'" if kind and ident else None
    if not loc:
        loc = next(((key,) for key in _TOP_LEVEL if message.startswith(key)), ())
    suggestion = None
    line = line_of(node, loc) if node is not None and loc else None
    # an undeclared name (with "did you mean") or a declared one that does not fit is placed
    # at the value that names it
    undeclared = undeclared_name(message)
    name: str | None
    if undeclared is not None:
        name, namespace = undeclared
        suggestion = did_you_mean(name, declared_names(raw, namespace))
    else:
        name = misfit_name(message)
    if name is not None:
        if node is not None:
            found = find_scalar(node_at(node, loc), name, loc, key_hint(message))
            if found is not None:
                loc, line = found
        else:
            found_loc = _find_value(raw, loc, name)
            if found_loc is not None:
                loc = found_loc
    return PlanProblem(origin, loc, line, element, rest if element else message, suggestion)


def _prune(raw: dict[str, Any], fields: list[Any]) -> tuple[dict[str, Any] | None, set[str]]:
    """The document without the elements that have field errors (and with a stand-in for a
    broken ``id``, ``title``, ``jurisdiction``, ``period`` or ``legal_basis``), and the names
    whose problems are then not to be trusted; None if the cross-references cannot be checked."""
    drop: dict[str, set[Any]] = {}
    stand_ins: set[str] = set()
    for err in fields:
        loc = clean_loc(raw, tuple(err["loc"]))
        if loc and str(loc[0]) in _STAND_INS:
            stand_ins.add(str(loc[0]))
        elif len(loc) >= 2 and str(loc[0]) in ELEMENT_GROUPS:
            drop.setdefault(str(loc[0]), set()).add(loc[1])
        else:
            return None, set()
    pruned = dict(raw)
    removed: set[str] = set(stand_ins)
    for group, keys in drop.items():
        items = raw.get(group)
        if isinstance(items, dict):
            removed |= {str(k) for k in keys}
            pruned[group] = {k: v for k, v in items.items() if k not in keys}
        elif isinstance(items, list):
            kept = []
            for i, item in enumerate(items):
                if i in keys:
                    key = "unit_type" if group == "participants" else "id"
                    if isinstance(item, dict) and isinstance(item.get(key), str):
                        removed.add(item[key])
                else:
                    kept.append(item)
            pruned[group] = kept
        else:
            return None, set()
    sources = pruned.get("sources")
    if stand_ins and not (isinstance(sources, dict) and sources):
        return None, set()
    for key in stand_ins:
        pruned[key] = _STAND_INS[key](next(iter(sources))) if isinstance(sources, dict) else None
    return pruned, removed


# stand-ins for a broken top-level value, so that the rest can still be cross-checked; the
# problems they could cause (those starting with the key's name, or about the campaign's start)
# are not reported
_STAND_INS: dict[str, Any] = {
    "id": lambda source: "stand_in.stand_in",
    "title": lambda source: "-",
    "jurisdiction": lambda source: {"id": "stand_in", "name": "-", "level": "province"},
    "period": lambda source: {
        "start": "9999-12-30",
        "end": "9999-12-31",
        "citation": {"source": source, "clause": "-"},
    },
    "legal_basis": lambda source: [source],
}


def _find_value(raw: Any, loc: Loc, name: str) -> Loc | None:
    """The key path of the first value ``name`` under ``loc`` in plain data."""
    current = raw
    for part in loc:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    todo: list[tuple[Any, Loc]] = [(current, loc)]
    while todo:
        value, path = todo.pop(0)
        if value == name and isinstance(value, str):
            return path
        if isinstance(value, Mapping):
            todo.extend((v, (*path, str(k))) for k, v in value.items())
        elif isinstance(value, list | tuple):
            todo.extend((v, (*path, i)) for i, v in enumerate(value))
    return None


def _element_of_line(raw: Any, root: yaml.Node | None, line: int) -> tuple[str | None, Loc]:
    """The element (and its key path) whose YAML text spans ``line``."""
    if root is None or not isinstance(raw, Mapping):
        return None, ()
    for group in ELEMENT_GROUPS:
        group_node = node_at(root, (group,))
        if isinstance(group_node, yaml.SequenceNode):
            pairs: list[tuple[int | str, yaml.Node]] = list(enumerate(group_node.value))
        elif isinstance(group_node, yaml.MappingNode):
            pairs = [(str(getattr(k, "value", "")), v) for k, v in group_node.value]
        else:
            continue
        for key, item in pairs:
            if item.start_mark.line + 1 <= line <= item.end_mark.line + 1:
                element, loc = element_at(raw, (group, key))
                return element, loc
    return None, ()


def _quoted(message: str) -> list[str]:
    parts = message.split("'")
    return parts[1::2]


def _sorted(problems: list[PlanProblem]) -> list[PlanProblem]:
    """In document order (by line, then key path), those without a line last."""
    return sorted(
        problems,
        key=lambda p: (p.line is None, p.line or 0, str(p.loc), p.message),
    )


_FIELD_NAMES: set[str] = set()
_MODEL_FIELDS: list[frozenset[str]] = []


def _fields_fitting(raw: Any, loc: Loc) -> set[str]:
    """The keys of the models an unknown key's mapping can be (those accepting every other key
    written beside it): "did you mean" then suggests a key of the right element, not any key of
    any model. Empty when none fits."""
    current = raw
    for part in loc[:-1]:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return set()
    if not isinstance(current, Mapping):
        return set()
    siblings = {k for k in current if isinstance(k, str) and k != loc[-1]}
    if not siblings:
        return set()
    _field_names()
    out: set[str] = set()
    for names in _MODEL_FIELDS:
        if siblings <= names:
            out |= names
    return out


def _field_names() -> set[str]:
    """Every key a campaign document may use (for "did you mean" on an unknown key)."""
    if not _FIELD_NAMES:
        todo: list[Any] = [Campaign]
        seen: set[Any] = set()
        while todo:
            cls = todo.pop()
            if cls in seen:
                continue
            seen.add(cls)
            if isinstance(cls, type) and issubclass(cls, BaseModel):
                _MODEL_FIELDS.append(
                    frozenset(field.alias or name for name, field in cls.model_fields.items())
                )
                for name, field in cls.model_fields.items():
                    _FIELD_NAMES.add(field.alias or name)
                    todo.append(field.annotation)
            for arg in getattr(cls, "__args__", ()) or ():
                todo.append(arg)
            origin = getattr(cls, "__origin__", None)
            if origin is not None:
                todo.append(origin)
            metadata = getattr(cls, "__metadata__", None)
            if metadata is not None:
                todo.append(getattr(cls, "__origin__", None))
    return _FIELD_NAMES
