"""A MkDocs site with Material for MkDocs: the Markdown proceedings under ``docs/``,
forumctl's configuration ``forumctl.mkdocs.yml`` (rewritten by every export) and the
user's ``mkdocs.yml``, which inherits it (MkDocs' ``INHERIT``) and which an export writes
only when it is missing: the user's settings survive every export.

``mkdocs build --strict`` succeeds on it: every link points at a page and a heading that
exist. Titles in the configuration are HTML-escaped, because MkDocs themes print them
into the pages as they are.

When the archive is in a git repository with tags, a Changes page (``changes.md``, from
``changes.md.j2``) lists, newest first, each tag's changes in the proceedings since the
tag before it (:mod:`forumctl.history`); only tags on the history of the commit exported
count, so the same commit gives the same site.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from forumctl.export import jsonld, markdown
from forumctl.export.mdtext import Markdown
from forumctl.export.model import ResolvedArchive
from forumctl.export.output import Tree, UserFile
from forumctl.export.pages import (
    PEOPLE,
    SERIES_DIRECTORY,
    SERIES_INDEX,
    Selection,
    forum_page,
    series_pages,
    speaker_page,
    year_page,
)

CONFIG = "mkdocs.yml"  # the user's: written once, never changed by an export
GENERATED = "forumctl.mkdocs.yml"  # forumctl's: rewritten by every export
DOCS = "docs"
CHANGES = "changes.md"

# Material for MkDocs' own translations (material/templates/partials/languages/): the
# theme's language is the archive's when Material has it, else its primary language.
# fmt: off
_MATERIAL_LANGUAGES = frozenset({
    "af", "ar", "az", "be", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es",
    "et", "eu", "fa", "fi", "fr", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja",
    "ka", "kn", "ko", "ku-IQ", "lb", "lt", "lv", "mk", "mn", "ms", "my", "nb", "nl", "nn", "pl",
    "pt-BR", "pt", "ro", "ru", "sa", "sh", "si", "sk", "sl", "sq", "sr", "sv", "ta", "te", "th",
    "tl", "tr", "uk", "ur", "uz", "vi", "zh-Hant", "zh-TW", "zh",
})
# fmt: on

USER_CONFIG = f"""\
# Your MkDocs settings. forumctl export site writes this file only when it is missing
# and never changes it: edit it freely. The site's theme, navigation and extensions are
# in {GENERATED}, which every export rewrites; a key set here replaces its value
# there, and a mapping (theme, plugins, markdown_extensions, extra) is merged with it:
#   theme:
#     palette:
#       primary: teal
INHERIT: {GENERATED}
"""

Yaml = str | int | bool | list["Yaml"] | dict[str, "Yaml"]


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one, escapes included)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: Yaml, indent: str = "") -> list[str]:
    """Block YAML of a mapping or list of strings, numbers, booleans, lists and mappings
    (empty ones as ``{}``): all the generated configuration needs."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{indent}{_key(key)}:")
                lines += _yaml_lines(item, indent + "  ")
            else:
                lines.append(f"{indent}{_key(key)}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml_lines(item, indent + "  ")
                lines.append(f"{indent}- {nested[0].lstrip()}")
                lines += nested[1:]
            else:
                lines.append(f"{indent}- {_scalar(item)}")
    return lines


def _key(key: str) -> str:
    """A key as it is when it is a name (``site_name``), else quoted (nav titles)."""
    return key if key.replace(".", "_").isidentifier() else _yaml_string(key)


def _scalar(value: Yaml) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _yaml_string(value)
    return "{}" if isinstance(value, dict) else "[]"


def theme_language(language: str | None) -> str:
    """Material's language for the archive's BCP 47 tag (English without one)."""
    if language is None:
        return "en"
    for candidate in (language, language.split("-")[0]):
        if candidate in _MATERIAL_LANGUAGES:
            return candidate
    return "en"


def config(resolved: ResolvedArchive, nav: list[Yaml]) -> str:
    """forumctl's MkDocs configuration, which the user's mkdocs.yml inherits."""
    import html

    settings: dict[str, Yaml] = {
        # MkDocs themes print nav titles (and site_name) into the HTML unescaped.
        "site_name": html.escape(resolved.manifest.name),
        "docs_dir": DOCS,
        "strict": True,
        "theme": {
            "name": "material",
            "language": theme_language(resolved.language),
            "font": False,  # the system's fonts: nothing is fetched from outside
            "features": ["navigation.top", "search.highlight", "search.suggest"],
        },
        # mappings, not lists, so that the user's mkdocs.yml adds to them
        "markdown_extensions": {"attr_list": {}, "tables": {}, "toc": {"permalink": True}},
        "plugins": {"search": {}, **_redirect_plugin(resolved)},
        # so that --strict also fails on a link to a missing heading
        "validation": {"links": {"anchors": "warn"}},
        "nav": nav,
        # the forum, series and speaker pages, reached through the year, series and
        # speakers pages: not in the navigation on purpose
        "not_in_nav": f"/*.md\n/{PEOPLE}/\n/{SERIES_DIRECTORY}/\n",
    }
    header = [
        "# Written by forumctl export site: every export rewrites this file. Your own",
        f"# settings go in {CONFIG}, which inherits this one.",
    ]
    return "\n".join(header + _yaml_lines(settings)) + "\n"


def _redirect_plugin(resolved: ResolvedArchive) -> dict[str, Yaml]:
    """mkdocs-redirects with a page at each renamed record's old address (none: no plugin,
    so that a site without renamed records builds without it)."""
    from forumctl.export.redirects import redirects

    found: dict[str, Yaml] = dict(redirects(resolved))
    return {"redirects": {"redirect_maps": found}} if found else {}


def user_config(resolved: ResolvedArchive) -> UserFile:
    """The user's mkdocs.yml: made when missing, else left alone.

    A mkdocs.yml that an older forumctl wrote whole (no INHERIT, listed in the export's
    marker) is migrated once: the blocks forumctl wrote, as it wrote them, are dropped
    (site name, docs_dir, strict, validation, a navigation of only its own entries), and
    every other line, the user's, is kept below the INHERIT line."""
    import html

    old_generated = {
        f"site_name: {_yaml_string_ascii(html.escape(resolved.manifest.name))}\n",
        "docs_dir: docs\n",
        "strict: true\n",
        "validation:\n  anchors: warn\n",
    }

    def decide(existing: str | None, written_by_forumctl: bool) -> str | None:
        if existing is None:
            return USER_CONFIG
        if not written_by_forumctl or _inherits(existing):
            return None
        blocks = _top_level_blocks(existing)
        kept = [b for b in blocks if b not in old_generated and not _old_navigation(b)]
        return USER_CONFIG + "".join(kept)

    return decide


def _yaml_string_ascii(text: str) -> str:
    """A YAML double-quoted scalar as forumctl 0.x wrote it (non-ASCII escaped)."""
    import json

    return json.dumps(text)


def _inherits(text: str) -> bool:
    return any(line.startswith("INHERIT:") for line in text.splitlines())


def _top_level_blocks(text: str) -> list[str]:
    """The text cut before each line that starts a top-level key (or comment)."""
    blocks: list[str] = []
    for line in text.splitlines(keepends=True):
        if blocks and (line[:1].isspace() or not line.strip()):
            blocks[-1] += line
        else:
            blocks.append(line)
    return blocks


def _old_navigation(block: str) -> bool:
    """A ``nav:`` of only the entries forumctl 0.x wrote: ``  - "Title": "page.md"``."""
    import re

    lines = block.splitlines()
    entry = re.compile(r'  - "(?:[^"\\]|\\.)*": "[a-z0-9-]+\.md"')
    return lines[0] == "nav:" and all(entry.fullmatch(line) for line in lines[1:] if line.strip())


def render(
    resolved: ResolvedArchive,
    user_templates: Path | None = None,
    only: Selection | None = None,
    *,
    workers: int | None = None,
) -> Tree:
    """The site's files, by path relative to the site directory, its pages rendered as
    they are written by ``workers`` processes (the user's mkdocs.yml is not among them:
    see :func:`user_config`); ``only`` the pages it selects (by their Markdown paths:
    ``index.md``, not ``docs/index.md``), with the configuration and the Changes, which
    are always made (unless ``only`` was resolved in part: they are kept)."""
    scripts = _Scripts(resolved)
    pages = markdown.render(
        resolved, user_templates, only, site=True, scripts=scripts, workers=workers
    )
    scripts.prepare(only)
    years = sorted({forum.forum.start.year for forum in resolved.forums}, reverse=True)
    # Forum and speaker pages are reached from the year, series and speakers pages: a
    # navigation listing a thousand forums is a wall of links on every page (and makes
    # MkDocs' build quadratic).
    nav: list[Yaml] = [{"Home": markdown.INDEX}]
    if years:
        nav.append({"Years": [{str(year): str(year_page(year))} for year in years]})
    series = series_pages(resolved.forums)
    if series:  # (from the archive: ``pages`` may hold only some pages)
        nav.append({"Series": SERIES_INDEX})
    nav.append({"Speakers": markdown.SPEAKERS})
    jobs = pages.jobs
    whole = only is None or only.archive_wide
    releases = _releases(resolved) if whole else []
    if releases:
        context = {"archive": resolved.manifest, "releases": releases}
        jobs = [*jobs, markdown.Job(CHANGES, "changes" + markdown.TEMPLATE_SUFFIX, context)]
        nav.append({"Changes": CHANGES})
    titles = {
        markdown.INDEX: resolved.manifest.name,
        markdown.SPEAKERS: "Speakers",
        SERIES_INDEX: "Series",
        CHANGES: "Changes",
    }
    titles |= {str(forum_page(forum.id)): forum.forum.title for forum in resolved.forums}
    titles |= {str(year_page(year)): str(year) for year in years}
    titles |= {str(page): name for name, page in series.items()}
    titles |= {str(speaker_page(entry.id)): entry.speaker.name for entry in resolved.speakers}
    in_docs = [
        replace(job, name=f"{DOCS}/{job.name}", before=_front_matter(titles.get(job.name)))
        for job in jobs
    ]
    return Tree({GENERATED: config(resolved, nav)} if whole else {}, replace(pages, jobs=in_docs))


class _Scripts:
    """Each forum's and each speaker's JSON-LD script element (:mod:`jsonld`), made by
    the process that renders the page, from one :class:`jsonld.JsonLd` whose shared
    nodes are made before those processes are forked (:meth:`prepare`)."""

    def __init__(self, resolved: ResolvedArchive) -> None:
        self._resolved = resolved
        self._forums = {forum.id: forum for forum in resolved.forums}
        self._speakers = {entry.id: entry for entry in resolved.speakers}
        self._nodes = jsonld.JsonLd(resolved)

    def prepare(self, only: Selection | None) -> None:
        """The nodes of the forum and speaker pages to render (``only`` those it selects)."""
        forums = self._resolved.forums
        speakers = self._resolved.speakers
        if only is not None:
            forums = tuple(f for f in forums if str(forum_page(f.id)) in only.pages)
            speakers = tuple(e for e in speakers if str(speaker_page(e.id)) in only.pages)
        self._nodes.prepare(forums, speakers)

    def forum(self, forum_id: str) -> Markdown:
        data = self._nodes.forum(self._forums[forum_id])
        return Markdown(jsonld.element(jsonld.encoded(data)))

    def speaker(self, speaker_id: str) -> Markdown:
        data = self._nodes.speaker(self._speakers[speaker_id])
        return Markdown(jsonld.element(jsonld.encoded(data)))


def _front_matter(title: str | None) -> str:
    """The page's title for the theme, HTML-escaped: Material prints ``title`` into the
    page's <title> as it is, and would otherwise take the heading's text unescaped."""
    import html

    if title is None:
        return ""
    return f"---\ntitle: {_yaml_string(html.escape(title))}\n---\n\n"


def _releases(resolved: ResolvedArchive) -> list[dict[str, Any]]:
    """Each tag (newest first) with the Markdown lines of its changes since the tag before
    it, for the exported forums and speakers; [] outside git or without tags."""
    from forumctl.errors import ForumctlError, GitError
    from forumctl.export.mdtext import Markdown
    from forumctl.history import report
    from forumctl.history.diff import between
    from forumctl.history.git import Repository
    from forumctl.slugs import make_slug

    if resolved.root is None:
        return []
    try:
        repo = Repository.containing(resolved.root)
    except GitError:
        return []
    forums = {forum.id for forum in resolved.forums}
    speakers = {entry.id for entry in resolved.speakers}
    releases: list[dict[str, Any]] = []
    previous: str | None = None
    try:
        for tag, _ in repo.tags():
            release: dict[str, Any] = {
                "tag": tag,
                "anchor": Markdown(f"_tag-{make_slug(tag)}"),
                "previous": previous,
                "lines": [],
                "error": None,
            }
            if previous is not None:
                try:
                    changes = between(repo, [previous, tag]).changes
                except ForumctlError as error:
                    release["error"] = str(error)
                else:
                    shown = [c for c in changes if _exported(c, forums, speakers)]
                    release["lines"] = [Markdown(line) for line in report.markdown_lines(shown)]
            releases.append(release)
            previous = tag
    finally:
        repo.close()
    return releases[::-1]


def _exported(change: Any, forums: set[str], speakers: set[str]) -> bool:
    """Whether a change concerns what the site shows (selected forums, their speakers)."""
    if change.kind == "manifest":
        return True
    if change.kind == "speaker":
        return bool({change.id, change.old_id} & speakers)
    ids = {change.id, change.old_id} - {None}
    return any(record_id.partition("/")[0] in forums for record_id in ids)
