"""The criteria language: a typed tree, never a string evaluated as code.

A node is one of

* ``{all: [node, ...]}`` — every child holds (Kleene AND: one ``not_met`` decides, else one
  ``unknown`` makes the whole ``unknown``);
* ``{any: [node, ...]}`` — at least one child holds (Kleene OR);
* ``{not: node}``;
* a comparison of a fact with a literal, a named parameter, or another fact (plus a margin):
  ``{fact: sipas, op: ">=", param: sipas_threshold}``,
  ``{fact: ddci_grade, op: ">=", value: "Tốt"}`` (ordinal facts compare by rank in their scale),
  ``{fact: score, op: ">", to_fact: score_previous_year}``,
  ``{fact: score, op: ">=", to_fact: score_previous_year, margin_param: gain}``;
  ``of: unit`` reads the fact of the unit an individual works in instead of its own;
* an attribute test on the candidate itself, which is always known:
  ``{attribute: unit_type, in: [so_ban_nganh, ubnd_huyen]}`` (attributes: ``kind``,
  ``unit_type``, ``unit.unit_type``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Op = Literal[">=", ">", "<=", "<", "==", "!="]
Scope = Literal["self", "unit"]
Attribute = Literal["kind", "unit_type", "unit.unit_type"]
Literal_ = bool | int | float | str

OP_WORDS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AllNode(_Node):
    all: tuple[Node, ...] = Field(min_length=1)


class AnyNode(_Node):
    any: tuple[Node, ...] = Field(min_length=1)


class NotNode(_Node):
    not_: Node = Field(alias="not")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Comparison(_Node):
    """``fact OP operand``, where the operand is a literal, a parameter or another fact."""

    fact: str
    of: Scope = "self"
    op: Op
    value: Literal_ | None = None
    param: str | None = None
    to_fact: str | None = None
    margin: float | None = None
    margin_param: str | None = None

    @model_validator(mode="after")
    def _one_operand(self) -> Comparison:
        given = [k for k in ("value", "param", "to_fact") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "a comparison needs exactly one of 'value', 'param' or 'to_fact'"
                f" (got {', '.join(given) or 'none'})"
            )
        if (self.margin is not None or self.margin_param is not None) and self.to_fact is None:
            raise ValueError("'margin' and 'margin_param' only go with 'to_fact'")
        if self.margin is not None and self.margin_param is not None:
            raise ValueError("give 'margin' or 'margin_param', not both")
        return self


class AttributeTest(_Node):
    """The candidate's own attribute is one of the listed values (always known)."""

    attribute: Attribute
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


_KEYS = {"all": "all", "any": "any", "not": "not", "fact": "cmp", "attribute": "attr"}


def _node_tag(raw: Any) -> str | None:
    if isinstance(raw, dict):
        for key, tag in _KEYS.items():
            if key in raw:
                return tag
        return None
    for cls, tag in (
        (AllNode, "all"),
        (AnyNode, "any"),
        (NotNode, "not"),
        (Comparison, "cmp"),
        (AttributeTest, "attr"),
    ):
        if isinstance(raw, cls):
            return tag
    return None


Node = Annotated[
    Annotated[AllNode, Tag("all")]
    | Annotated[AnyNode, Tag("any")]
    | Annotated[NotNode, Tag("not")]
    | Annotated[Comparison, Tag("cmp")]
    | Annotated[AttributeTest, Tag("attr")],
    Discriminator(
        _node_tag,
        custom_error_type="criteria_node",
        custom_error_message=(
            "a criteria node must have one of the keys all, any, not, fact, attribute"
        ),
    ),
]

AllNode.model_rebuild()
AnyNode.model_rebuild()
NotNode.model_rebuild()


def children(node: Node) -> tuple[Node, ...]:
    """The direct children of a node (empty for leaves)."""
    if isinstance(node, AllNode):
        return node.all
    if isinstance(node, AnyNode):
        return node.any
    if isinstance(node, NotNode):
        return (node.not_,)
    return ()


def walk(node: Node) -> list[Node]:
    """Every node of the tree, depth first, the root first."""
    out: list[Node] = [node]
    for child in children(node):
        out.extend(walk(child))
    return out


def comparisons(node: Node) -> list[Comparison]:
    """Every comparison in the tree, in document order."""
    return [n for n in walk(node) if isinstance(n, Comparison)]
