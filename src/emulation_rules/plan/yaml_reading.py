"""Reading YAML written by people (campaign plans, YAML test cases) safely and strictly.

What :func:`read_yaml` guarantees, for any file:

* the file is at most ``Limits.max_plan_bytes`` bytes (checked before it is read whole) and is
  UTF-8 text (a UTF-8 byte-order mark is allowed; UTF-16 and other encodings are refused naming
  the first byte that is not UTF-8, with its line and column);
* only plain data is built (the safe loader: no ``!!python`` tags), with libyaml's C parser when
  PyYAML was built with it;
* a YAML alias bomb is refused before anything is built: the document, with every alias counted
  each time it is used, has at most ``Limits.max_plan_nodes`` nodes, and is nested at most
  :func:`max_depth` levels deep; an alias that contains itself is refused;
* a key written twice in one mapping is a problem naming both lines (a merge key ``<<`` is not a
  duplicate: keys written beside it override the merged ones, as YAML intends);
* a date that does not exist (``2022-13-30``) is kept as its text, so that the schema reports it
  where it stands; a number written with more than ``Limits.max_number_digits`` digits is a
  problem; any other value YAML cannot build is a problem with its line, never a traceback.

Problems of the last two kinds do not stop reading: they come back in :attr:`YamlDocument.problems`
so that a caller can report them with every other problem of the document.
"""

from __future__ import annotations

import codecs
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import attrs
import yaml
from yaml.constructor import ConstructorError

from emulation_rules.errors import PlanError
from emulation_rules.limits import Limits, current_limits

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"


@attrs.frozen
class YamlProblem:
    """A problem found while building the data: its 1-based line and message."""

    line: int
    message: str


@attrs.frozen
class YamlDocument:
    """The data of a YAML file, its node tree (for lines) and the problems found building it."""

    data: Any
    root: yaml.Node | None
    problems: tuple[YamlProblem, ...]
    origin: str


def max_depth(limits: Limits) -> int:
    """The deepest nesting accepted: two YAML levels per criteria level, and room around them."""
    return max(limits.max_json_depth, 2 * limits.max_criteria_depth + 16)


def read_yaml(
    path: str | Path, *, limits: Limits | None = None, what: str = "YAML"
) -> YamlDocument:
    """Read and build one YAML file (see the module's guarantees); a :class:`PlanError` if not."""
    limits = limits or current_limits()
    path = Path(path)
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_plan_bytes:
            raise PlanError(_too_big(origin, size, limits))
        with path.open("rb") as handle:
            data = handle.read(limits.max_plan_bytes + 1)
    except OSError as exc:
        raise PlanError(f"{origin}: cannot read the {what} file ({exc.strerror or exc})") from None
    return parse_yaml(data, origin=origin, limits=limits)


def parse_yaml(
    source: bytes | str, *, origin: str = "<yaml>", limits: Limits | None = None
) -> YamlDocument:
    """Build one YAML document from bytes (UTF-8) or text, under the limits."""
    limits = limits or current_limits()
    if isinstance(source, bytes):
        if len(source) > limits.max_plan_bytes:
            raise PlanError(_too_big(origin, len(source), limits))
        text = decode_utf8(source, origin)
    else:
        if len(source.encode("utf-8", "surrogatepass")) > limits.max_plan_bytes:
            raise PlanError(_too_big(origin, len(source.encode("utf-8", "surrogatepass")), limits))
        text = source.removeprefix("\ufeff")
    loader = _Loader(text, limits)
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:
            raise PlanError(
                f"{origin}: not valid YAML: nested too deeply to read "
                f"(at most {max_depth(limits)} levels)"
            ) from None
        except yaml.YAMLError as exc:
            raise PlanError(f"{origin}: not valid YAML: {exc}") from None
        if root is None:
            return YamlDocument(None, None, (), origin)
        _check_size(root, origin, limits)
        try:
            data = loader.construct_document(root)
        except RecursionError:  # pragma: no cover - the depth check comes first
            raise PlanError(f"{origin}: nested too deeply to read") from None
        except yaml.YAMLError as exc:
            raise PlanError(f"{origin}: not valid YAML: {exc}") from None
        return YamlDocument(data, root, tuple(loader.problems), origin)
    finally:
        loader.dispose()


def decode_utf8(data: bytes, origin: str) -> str:
    """UTF-8 text (a byte-order mark dropped); other encodings refused, naming where."""
    boms = (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    )
    for bom, name in boms:
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF8):
            raise PlanError(f"{origin}: the file is {name} text; save it as UTF-8")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise PlanError(
            f"{origin}: not UTF-8 text: byte 0x{data[exc.start]:02X} at line {line}, byte "
            f"{column} of the line; save the file as UTF-8"
        ) from None


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest node along the key path ``loc`` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if nxt is None:
                key = next(
                    (k for k, _ in node.value if getattr(k, "value", None) == str(part)), None
                )
                return key.start_mark.line + 1 if key is not None else line
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def node_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> yaml.Node | None:
    """The node at the key path ``loc`` (None if the path leaves the document)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return None
    return node


def find_scalar(
    node: yaml.Node | None, value: str, loc: tuple[int | str, ...] = (), key: str | None = None
) -> tuple[tuple[int | str, ...], int] | None:
    """The key path and line of the first scalar ``value`` (not a key) under ``node``; with
    ``key``, the first written under that key if any (``count_distinct: x`` rather than an
    earlier ``series: x``)."""
    if node is None:
        return None
    if key is not None:
        found = _find_scalar(node, value, loc, key)
        if found is not None:
            return found
    return _find_scalar(node, value, loc, None)


def _find_scalar(
    node: yaml.Node, value: str, loc: tuple[int | str, ...], key: str | None
) -> tuple[tuple[int | str, ...], int] | None:
    todo: list[tuple[yaml.Node, tuple[int | str, ...]]] = [(node, loc)]
    seen: set[int] = set()
    while todo:
        current, path = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            if current.value == value and (key is None or (path and path[-1] == key)):
                return path, current.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode):
            todo.extend((child, (*path, i)) for i, child in enumerate(current.value))
        elif isinstance(current, yaml.MappingNode):
            todo.extend((v, (*path, str(getattr(k, "value", "?")))) for k, v in current.value)
    return None


def path_at_line(root: yaml.Node | None, line: int) -> tuple[int | str, ...]:
    """The key path of the outermost key (or list item) written on ``line`` (1-based)."""
    todo: list[tuple[yaml.Node, tuple[int | str, ...]]] = [(root, ())] if root is not None else []
    seen: set[int] = set()
    while todo:  # breadth first: the outermost match is found first
        node, path = todo.pop(0)
        if id(node) in seen or not node.start_mark.line + 1 <= line <= node.end_mark.line + 1:
            continue
        seen.add(id(node))
        if path and node.start_mark.line + 1 == line and isinstance(path[-1], int):
            return path
        if isinstance(node, yaml.SequenceNode):
            todo.extend((child, (*path, i)) for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(getattr(key, "value", "?")))
                if key.start_mark.line + 1 == line:
                    return sub
                todo.append((value, sub))
    return ()


def _too_big(origin: str, size: int, limits: Limits) -> str:
    return (
        f"{origin}: the file has {size} bytes, above the limit max_plan_bytes = "
        f"{limits.max_plan_bytes} (EMULATION_RULES_LIMITS raises it)"
    )


def _check_size(root: yaml.Node, origin: str, limits: Limits) -> None:
    """Refuse a document that expands (aliases counted each time) past the limits, or that
    contains itself, before anything is built from it. Linear in the number of distinct nodes."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    deepest = max_depth(limits)
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            active.discard(key)
            if size[key] > limits.max_plan_nodes:
                raise PlanError(
                    f"{origin}: line {node.start_mark.line + 1}: the document expands to more "
                    f"than max_plan_nodes = {limits.max_plan_nodes} values (an alias counts each "
                    "time it is used); is it an alias bomb? (EMULATION_RULES_LIMITS raises it)"
                )
            if depth[key] > deepest:
                raise PlanError(
                    f"{origin}: line {node.start_mark.line + 1}: nested more than {deepest} "
                    "levels deep"
                )
            continue
        if key in size:
            continue
        if key in active:
            raise PlanError(
                f"{origin}: line {node.start_mark.line + 1}: an alias refers to a value that "
                "contains it (a recursive structure)"
            )
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader with duplicate-key, digit-count and impossible-date handling."""

    def __init__(self, text: str, limits: Limits) -> None:
        super().__init__(text)
        self.limits = limits
        self.problems: list[YamlProblem] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError, IndexError) as exc:
            if isinstance(exc, yaml.YAMLError):
                raise
            self.recursive_objects.pop(node, None)
            self._problem(node, f"YAML cannot build this value: {exc}")
            return None

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self._refuse_duplicates(node)
        return super().construct_mapping(node, deep=deep)

    def _refuse_duplicates(self, node: yaml.MappingNode) -> None:
        first: dict[Hashable, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            try:
                key = super().construct_object(key_node, deep=True)
                hash(key)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):
                key = (key_node.tag, key_node.value)
            line = key_node.start_mark.line + 1
            if key in first:
                self._problem(
                    key_node,
                    f"key '{key_node.value}' is written twice in one mapping (lines "
                    f"{first[key]} and {line}); YAML would keep only the last",
                )
            else:
                first[key] = line

    def _too_many_digits(self, node: yaml.ScalarNode) -> bool:
        """Whether a number is written with more digits than the limit (then a problem)."""
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits <= self.limits.max_number_digits:
            return False
        self._problem(
            node,
            f"a number of {digits} digits, above the limit max_number_digits = "
            f"{self.limits.max_number_digits}",
        )
        return True

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        return 0 if self._too_many_digits(node) else super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        return 0.0 if self._too_many_digits(node) else super().construct_yaml_float(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            # not a real day (2022-13-30): keep the text, the schema says what is wrong there
            return str(node.value)

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(YamlProblem(node.start_mark.line + 1, message))


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

__all__ = [
    "ConstructorError",
    "YamlDocument",
    "YamlProblem",
    "decode_utf8",
    "find_scalar",
    "line_of",
    "max_depth",
    "node_at",
    "parse_yaml",
    "path_at_line",
    "read_yaml",
]
