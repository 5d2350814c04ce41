"""``emulation-rules new-plugin``: generate a jurisdiction plugin that validates and passes.

The files come from ``templates/plugin/`` (package data) rendered with :class:`string.Template`::

    plugins/<slug>/pyproject.toml                    dist emulation-rules-<slug with ->
    plugins/<slug>/README.md
    plugins/<slug>/src/emulation_rules_<slug>/__init__.py     the register_campaigns hook
    plugins/<slug>/src/emulation_rules_<slug>/<campaign>.yaml  every field explained
    plugins/<slug>/src/emulation_rules_<slug>/sample.json
    plugins/<slug>/src/emulation_rules_<slug>/py.typed
    plugins/<slug>/tests/test_cases.yaml

The generated campaign is a small but complete example (one source, one participant, one fact,
one parameter with an interpretation citation, one criterion, one award) whose cases pass.
"""

from __future__ import annotations

import importlib.metadata
import json
import keyword
import re
import shlex
import unicodedata
from importlib.resources import files
from pathlib import Path
from string import Template

import attrs

from emulation_rules.errors import EmulationRulesError
from emulation_rules.plugins.manager import ENTRY_POINT_GROUP

SLUG_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")  # matched whole (fullmatch)
CAMPAIGN_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
DEFAULT_CAMPAIGN = "cchc_2025"
DEFAULT_YEAR = 2025
MAX_NAME = 60
GUIDE = "writing-a-province-plugin.md"
#: longest slug and campaign name: the module directory is ``emulation_rules_<slug>``, well
#: within any file system's limit on a file name
MAX_SLUG = 40
#: words YAML (1.1, which PyYAML and many tools follow) reads as a boolean or null, not text
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})

# template (relative to templates/plugin) -> generated path; {module} and {campaign} filled in
_FILES: tuple[tuple[str | None, str], ...] = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("module/__init__.py.tmpl", "src/{module}/__init__.py"),
    ("module/campaign.yaml.tmpl", "src/{module}/{campaign}.yaml"),
    ("module/sample.json.tmpl", "src/{module}/sample.json"),
    (None, "src/{module}/py.typed"),
    ("tests/test_cases.yaml.tmpl", "tests/test_cases.yaml"),
)


class ScaffoldError(EmulationRulesError):
    """The plugin cannot be generated as asked (a bad slug or name, an existing directory)."""


@attrs.frozen
class PluginNames:
    """Every name a plugin derives from its slug (see the design's "one name everywhere")."""

    slug: str
    name: str
    campaign: str

    @property
    def dist_name(self) -> str:
        return "emulation-rules-" + self.slug.replace("_", "-")

    @property
    def module(self) -> str:
        return "emulation_rules_" + self.slug

    @property
    def campaign_id(self) -> str:
        return f"{self.slug}.{self.campaign}"

    @property
    def campaign_file(self) -> str:
        return f"{self.campaign}.yaml"


def validate_slug(slug: str) -> str:
    """The slug if it is lowercase snake case (``binh_dinh``); a :class:`ScaffoldError` if not.

    Also refused: a slug longer than :data:`MAX_SLUG`, a Python keyword, and a word YAML reads
    as a boolean or null (``yes``, ``off``, ``null`` …: the generated plan writes the slug as
    the jurisdiction's id, unquoted).
    """
    if len(slug) > MAX_SLUG:
        raise ScaffoldError(
            f"slug '{slug[:MAX_SLUG]}…' has {len(slug)} characters; a plugin slug has at most "
            f"{MAX_SLUG}"
        )
    if not SLUG_PATTERN.fullmatch(slug):
        hint = ""
        candidate = re.sub(r"[^a-z0-9]+", "_", _ascii(slug).lower()).strip("_")
        if candidate and SLUG_PATTERN.fullmatch(candidate) and candidate not in YAML_WORDS:
            hint = f" (did you mean '{candidate}'?)"
        raise ScaffoldError(
            f"slug {_shown(slug)}: a plugin slug is lowercase snake case — ASCII letters, digits "
            f"and single underscores, starting with a letter, e.g. binh_dinh{hint}"
        )
    if keyword.iskeyword(slug):
        raise ScaffoldError(f"slug '{slug}' is a Python keyword")
    if slug in YAML_WORDS:
        raise ScaffoldError(
            f"slug '{slug}': YAML reads this word as a boolean or null, not as a name; choose "
            "another (the jurisdiction's name, e.g. quang_tri)"
        )
    return slug


def validate_campaign(campaign: str) -> str:
    """The campaign name if it is lowercase snake case (``par_2025``) of at most
    :data:`MAX_SLUG` characters and not a YAML boolean or null word."""
    if len(campaign) > MAX_SLUG or not CAMPAIGN_PATTERN.fullmatch(campaign):
        raise ScaffoldError(
            f"campaign {_shown(campaign)}: the campaign name is lowercase snake case of at most "
            f"{MAX_SLUG} characters, e.g. par_2025"
        )
    if campaign in YAML_WORDS:
        raise ScaffoldError(
            f"campaign '{campaign}': YAML reads this word as a boolean or null; choose another"
        )
    return campaign


def _shown(text: str) -> str:
    """A value quoted for a message: escapes visible (a trailing newline), long ones cut."""
    shown = text if len(text) <= MAX_SLUG + 20 else text[: MAX_SLUG + 20] + "…"
    return repr(shown) if not shown.isprintable() else f"'{shown}'"


def validate_name(name: str) -> str:
    """A jurisdiction name, NFC-normalised: one line, no quotes or backslashes."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise ScaffoldError("--name is empty")
    if len(name) > MAX_NAME:
        raise ScaffoldError(f"--name '{name}' is longer than {MAX_NAME} characters")
    bad = sorted({ch for ch in name if ch in '"\\$`' or unicodedata.category(ch).startswith("C")})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise ScaffoldError(f"--name '{name}' contains characters a name does not need: {shown}")
    return name


def default_name(slug: str) -> str:
    """``binh_dinh`` -> ``tỉnh Binh Dinh`` (the author adds the diacritics)."""
    return "tỉnh " + " ".join(part.capitalize() for part in slug.split("_"))


def installed_plugins() -> dict[str, str]:
    """Installed plugin names (entry points of the ``emulation_rules`` group) -> distribution."""
    out: dict[str, str] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        out[ep.name] = ep.dist.name if ep.dist else "?"
    return out


def render_plugin(names: PluginNames) -> dict[str, str]:
    """Every generated file: relative path -> text."""
    year = _year_of(names.campaign)
    title = f"Phát động thi đua cải cách hành chính {names.name} năm {year}"
    authority = f"Chủ tịch UBND {names.name}"
    values = {
        "slug": names.slug,
        "name": names.name,
        "dist_name": names.dist_name,
        "module": names.module,
        "campaign": names.campaign,
        "campaign_id": names.campaign_id,
        "campaign_file": names.campaign_file,
        "year": str(year),
        "core_requirement": _core_requirement(),
        "core_testing_requirement": _core_requirement(extra="testing"),
        "name_yaml": _yaml_str(names.name),
        "title_yaml": _yaml_str(title),
        "issuer_yaml": _yaml_str(f"UBND {names.name}"),
        "authority_yaml": _yaml_str(authority),
        "award_label_yaml": _yaml_str(f"Bằng khen của {authority} (tập thể)"),
    }
    out: dict[str, str] = {}
    root = files("emulation_rules.authoring").joinpath("templates", "plugin")
    for template, target in _FILES:
        path = target.format(module=names.module, campaign=names.campaign)
        if template is None:
            out[path] = ""
            continue
        text = root.joinpath(*template.split("/")).read_text(encoding="utf-8")
        out[path] = Template(text).substitute(values)
    return out


def new_plugin(
    slug: str,
    *,
    directory: str | Path | None = None,
    name: str | None = None,
    campaign: str = DEFAULT_CAMPAIGN,
    force: bool = False,
) -> list[Path]:
    """Generate the plugin ``slug`` into ``directory`` (default ``plugins/<slug>``).

    Refuses a bad slug, campaign name or jurisdiction name, a directory that exists and is not
    empty, and a slug an installed plugin already uses — unless ``force``, which overwrites the
    generated files (and only those). Returns the paths written.
    """
    names = PluginNames(
        validate_slug(slug),
        validate_name(name) if name is not None else default_name(slug),
        validate_campaign(campaign),
    )
    target = Path(directory) if directory is not None else Path("plugins") / slug
    try:
        exists, is_dir = target.exists(), target.is_dir()
        not_empty = is_dir and any(target.iterdir())
    except OSError as exc:
        raise ScaffoldError(
            f"{_shown(str(target))}: cannot use this directory ({exc.strerror or exc})"
        ) from None
    if exists and not is_dir:
        raise ScaffoldError(f"{target} exists and is not a directory")
    if not force:
        if not_empty:
            raise ScaffoldError(
                f"{target} already exists and is not empty (--force overwrites the generated files)"
            )
        taken = installed_plugins().get(slug)
        if taken is not None:
            raise ScaffoldError(
                f"a plugin named '{slug}' is already installed (distribution {taken}); choose "
                "another slug or pass --force"
            )
    written: list[Path] = []
    for rel, text in render_plugin(names).items():
        path = target / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            if not force:  # nothing half-generated is left behind
                for done in written:
                    done.unlink(missing_ok=True)
            raise ScaffoldError(f"cannot write {path} ({exc.strerror or exc})") from None
        written.append(path)
    return written


def guide_path() -> Path | None:
    """Where the guide *Writing a province plugin* is on this machine: the copy shipped in the
    installed core, else the one of the source tree it runs from (None if neither is there)."""
    shipped = Path(str(files("emulation_rules"))) / "docs" / GUIDE
    source_tree = Path(__file__).resolve().parents[3] / "docs" / GUIDE
    return next((p for p in (shipped, source_tree) if p.is_file()), None)


def next_steps(root: Path, names: PluginNames) -> str:
    """The commands that take a freshly generated plugin to passing cases, wherever it is."""
    where = shlex.quote(str(root))
    guide = guide_path()
    return (
        "next:\n"
        f"  pip install -e {shlex.quote(f'{root}[test]')}    # the plugin, and pytest\n"
        f"  emulation-rules check {names.slug}\n"
        f"  emulation-rules show {names.campaign_id}\n"
        f"  pytest {where}\n"
        f"guide: {guide if guide is not None else GUIDE + ' (in the emulation-rules sources)'}"
    )


def _year_of(campaign: str) -> int:
    match = re.search(r"(?<![0-9])(20[0-9]{2})(?![0-9])", campaign)
    return int(match.group(1)) if match else DEFAULT_YEAR


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _core_requirement(extra: str | None = None) -> str:
    """``emulation-rules>=V,<X.(Y+1)`` for the installed core V = X.Y.… (0.x minor versions may
    break): the installed core satisfies it, so installing the plugin needs no index to have
    the core."""
    try:
        version = importlib.metadata.version("emulation-rules")
    except importlib.metadata.PackageNotFoundError:  # running from a source tree
        version = "0.1.0"
    release = re.match(r"\d+(?:\.\d+)*", version)
    lower = release.group(0) if release else "0"
    if version != lower and re.fullmatch(r"\d+(?:\.\d+)*(?:(?:a|b|rc|\.dev)\d+)+", version):
        lower = version  # a pre-release core: name it, or the specifier would exclude it
    parts = [*re.findall(r"\d+", lower)[:2], "0", "0"]
    major, minor = int(parts[0]), int(parts[1])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    name = f"emulation-rules[{extra}]" if extra else "emulation-rules"
    return f"{name}>={lower},<{upper}"
