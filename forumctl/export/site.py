"""A MkDocs site: the Markdown proceedings under ``docs/`` and a ``mkdocs.yml``.

``mkdocs build --strict`` succeeds on it: every page is in the navigation and every
link points at a page that exists. Titles in ``mkdocs.yml`` are HTML-escaped, because
MkDocs themes print them into the pages as they are.

When the archive is in a git repository with tags, a Changes page (``changes.md``, from
``changes.md.j2``) lists, newest first, each tag's changes in the proceedings since the
tag before it (:mod:`forumctl.history`); only tags on the history of the commit exported
count, so the same commit gives the same site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forumctl.export import markdown
from forumctl.export.model import ResolvedArchive
from forumctl.export.pages import forum_page

CONFIG = "mkdocs.yml"
DOCS = "docs"
CHANGES = "changes.md"


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one, escapes included)."""
    import json

    return json.dumps(text)


def render(resolved: ResolvedArchive, user_templates: Path | None = None) -> dict[str, str]:
    """The site's files, by path relative to the site directory."""
    pages = markdown.render(resolved, user_templates)
    import html

    # MkDocs themes print nav titles (and site_name) into the HTML unescaped.
    nav = [("Home", markdown.INDEX)]
    nav += [
        (html.escape(forum.forum.title), str(forum_page(forum.id))) for forum in resolved.forums
    ]
    nav.append(("Speakers", markdown.SPEAKERS))
    releases = _releases(resolved)
    if releases:
        env = markdown.environment(user_templates)
        pages[CHANGES] = markdown.render_page(
            env, "changes" + markdown.TEMPLATE_SUFFIX, archive=resolved.manifest, releases=releases
        )
        nav.append(("Changes", CHANGES))
    config = [
        f"site_name: {_yaml_string(html.escape(resolved.manifest.name))}",
        f"docs_dir: {DOCS}",
        "strict: true",
        "validation:",  # so that --strict also fails on a link to a missing heading
        "  anchors: warn",
        "nav:",
        *(f"  - {_yaml_string(title)}: {_yaml_string(page)}" for title, page in nav),
    ]
    files = {f"{DOCS}/{name}": text for name, text in pages.items()}
    files[CONFIG] = "\n".join(config) + "\n"
    return files


def _releases(resolved: ResolvedArchive) -> list[dict[str, Any]]:
    """Each tag (newest first) with the Markdown lines of its changes since the tag before
    it, for the exported forums and speakers; [] outside git or without tags."""
    from forumctl.errors import ForumctlError, GitError
    from forumctl.export.mdtext import Markdown
    from forumctl.history import report
    from forumctl.history.diff import between
    from forumctl.history.git import Repository

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
            release: dict[str, Any] = {"tag": tag, "previous": previous, "lines": [], "error": None}
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
