"""Every link of an export, checked as a reader follows it.

``markdown_links`` reads a Markdown export as GitHub would: CommonMark with tables, the
ids of ``<a id>`` anchors (GitHub keeps them, as ``user-content-<id>``, and scrolls to them
for ``#<id>``). ``site_links`` reads a built MkDocs site: every ``href`` of every page,
against the files and the ``id`` attributes of the pages. Each returns the links that
do not resolve (empty when all do) and how many it followed.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

_ANCHOR = re.compile(r'<a id="([^"]+)"></a>|<a id="([^"]+)">')
_parser = MarkdownIt("commonmark").enable("table")


def _markdown_ids(text: str) -> set[str]:
    ids = set()
    for token in _parser.parse(text):
        for child in token.children or ():
            if child.type == "html_inline":
                found = _ANCHOR.fullmatch(child.content)
                if found:
                    ids.add(found[1] or found[2])
    return ids


def _markdown_hrefs(text: str) -> list[str]:
    return [
        str(child.attrs["href"])
        for token in _parser.parse(text)
        for child in token.children or ()
        if child.type == "link_open"
    ]


def markdown_links(directory: Path) -> tuple[list[str], int]:
    """The broken links of every ``.md`` under ``directory``, and the count of links."""
    pages = {p.relative_to(directory).as_posix(): p for p in directory.rglob("*.md")}
    ids = {name: _markdown_ids(path.read_text(encoding="utf-8")) for name, path in pages.items()}
    broken, followed = [], 0
    for name, path in sorted(pages.items()):
        for href in _markdown_hrefs(path.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme:
                continue  # http(s), mailto: outside the export
            followed += 1
            target = name
            if parts.path:
                target = _join(name, unquote(parts.path))
            if target not in pages:
                broken.append(f"{name}: {href} (no page {target})")
            elif parts.fragment and unquote(parts.fragment) not in ids[target]:
                broken.append(f"{name}: {href} (no id {parts.fragment} in {target})")
    return broken, followed


def _join(page: str, path: str) -> str:
    """A relative link's target from ``page``, both relative to the top directory."""
    parts: list[str] = []
    for part in (PurePosixPath(page).parent / path).parts:
        if part == "..":
            if parts:
                parts.pop()
            else:
                parts.append("..")
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def site_links(directory: Path) -> tuple[list[str], int]:
    """The broken links of every page of a built site (``href`` of ``<a>`` and
    ``<link>``), and the count of links followed."""
    from lxml import html

    pages = {p.relative_to(directory).as_posix(): p for p in directory.rglob("*.html")}
    trees = {name: html.parse(str(path)).getroot() for name, path in pages.items()}
    ids = {name: set(tree.xpath("//@id")) for name, tree in trees.items()}
    broken, followed = [], 0
    for name, tree in sorted(trees.items()):
        for href in tree.xpath("//a/@href | //link/@href"):
            parts = urlsplit(str(href))
            if parts.scheme or str(href).startswith("//"):
                continue
            followed += 1
            path = unquote(parts.path)
            if path.startswith("/"):  # from the site's top (404.html, served anywhere)
                target = path.lstrip("/")
            else:
                target = _join(name, path) if path else name
            if target == "" or target.endswith("/") or (directory / target).is_dir():
                target = (target.rstrip("/") + "/index.html").lstrip("/")
            if not (directory / target).is_file():
                broken.append(f"{name}: {href} (no file {target})")
            elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
                broken.append(f"{name}: {href} (no id {parts.fragment} in {target})")
    return broken, followed
