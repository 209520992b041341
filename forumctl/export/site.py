"""A MkDocs site: the Markdown proceedings under ``docs/`` and a ``mkdocs.yml``.

``mkdocs build --strict`` succeeds on it: every page is in the navigation and every
link points at a page that exists. Titles in ``mkdocs.yml`` are HTML-escaped, because
MkDocs themes print them into the pages as they are.
"""

from __future__ import annotations

from pathlib import Path

from forumctl.export import markdown
from forumctl.export.model import ResolvedArchive
from forumctl.export.pages import forum_page

CONFIG = "mkdocs.yml"
DOCS = "docs"


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
