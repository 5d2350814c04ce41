"""An mkdocs hook (see mkdocs.yml): the docstrings use reStructuredText roles such as
``:class:`Registry``` for Python's own help(); the API reference shows them as plain code
(``~a.b.C`` as ``C``, as Sphinx would)."""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:class|func|attr|meth|mod|data|exc|obj):<code>(~?)([^<]*)</code>")


def _code(match: re.Match[str]) -> str:
    target = match.group(2)
    return f"<code>{target.rsplit('.', 1)[-1] if match.group(1) else target}</code>"


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub(_code, html)
