"""Self-contained notes: a citation's note is read by people who have the plan and nothing else
(the dossier lists it, ``explain`` prints it), so it must not send them to a file they do not
have (``plans.md §1``, ``legal-frame.md``).

:func:`check_notes` finds every file a note names (a name ending in a document suffix — ``.md``,
``.txt``, ``.yaml``, ``.pdf``, ``.docx`` … — with or without a directory) and warns about each one
that is not in the plugin: looked up beside the campaign's YAML file and in the directories above
it up to the plugin's root (the first one holding a ``pyproject.toml``), when the campaign's file
is known (``origin``); with no file to look beside, every file a note names is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from emulation_rules.authoring.checks.findings import Finding
from emulation_rules.plan.campaign import Campaign

#: a file name in a note: optional directories, a name, a document suffix
FILE_REFERENCE = re.compile(
    r"(?<![\w/.@-])((?:[\w.-]+/)*[\w-][\w.-]*\.(?:md|markdown|rst|txt|ya?ml|json|csv|xlsx?|docx?|"
    r"pdf|py|toml|html?))(?![\w/-])",
    re.IGNORECASE,
)

#: at most this many directories above the campaign file are searched for the plugin's root
_MAX_LEVELS = 4


def _search_dirs(origin: str | None) -> list[Path]:
    if origin is None:
        return []
    path = Path(origin)
    if not path.is_file():
        return []
    dirs = [path.parent]
    for parent in list(path.parents)[1 : _MAX_LEVELS + 1]:
        dirs.append(parent)
        if (parent / "pyproject.toml").is_file():
            break
    return dirs


def _exists(name: str, dirs: list[Path]) -> bool:
    return any((d / name).is_file() for d in dirs)


def check_notes(campaign: Campaign, origin: str | None = None) -> Iterator[Finding]:
    """A warning per citation note naming a file the plugin does not hold."""
    dirs = _search_dirs(origin)
    for element, citation in campaign.citations():
        if citation is None or not citation.note:
            continue
        for name in dict.fromkeys(FILE_REFERENCE.findall(citation.note)):
            if _exists(name, dirs):
                continue
            where = "the plugin" if dirs else "the distribution (the plan's file is not known)"
            yield (
                element,
                "warning",
                f"citation note points to '{name}', which is not in {where}: a reader of the "
                "plan cannot open it; say in the note what it says",
            )
