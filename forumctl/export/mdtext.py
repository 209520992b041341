"""Record text made safe for Markdown, read by CommonMark renderers and MkDocs alike.

Two kinds of record text:

- *plain text* (titles, names, rooms, quotes): every character means itself. It is put
  on one line and its Markdown punctuation is backslash-escaped, ``<``, ``>``, ``&`` and
  ``~`` written as entities (Python-Markdown, which MkDocs uses, has no backslash escape
  for them). A title cannot start a list, break a table or open a link.
- *Markdown text* (``summary`` and ``bio`` fields): rendered as Markdown, but ``<`` is
  written as ``&lt;`` so no raw HTML (nor ``<...>`` autolink) survives, and text holding
  a link whose destination is not http(s), mailto or a relative path (as CommonMark,
  through markdown-it-py, resolves it) loses its links.

:class:`Markdown` marks text that is already safe, so that the template layer escapes
everything else by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class Markdown(str):
    """Text that is already Markdown-safe; the templates' finalize leaves it alone."""

    __slots__ = ()


# One pass (str.translate): Markdown punctuation backslash-escaped, and entities for what
# Python-Markdown cannot backslash-escape.
_INLINE_TABLE = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]#!|"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;"}
)
# What would open a block at the start of a line: a list item, a setext underline.
_LEADING_BLOCK = re.compile(r"^([-+=])|^(\d+)([.)])")


def _escape_leading(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def escape_inline(text: object) -> Markdown:
    """Plain text as one line of Markdown that shows exactly that text."""
    line = " ".join(str(text).split()).translate(_INLINE_TABLE)
    if line[:1] in "-+=" or line[:1].isdigit():  # cheap test first: most lines start with neither
        line = _LEADING_BLOCK.sub(_escape_leading, line)
    return Markdown(line)


_SAFE_SCHEMES = ("", "http", "https", "mailto")


def _destinations(text: str) -> Iterator[str]:
    """Every link and image destination CommonMark finds in the text, as a renderer
    resolves it (entities decoded, reference definitions anywhere, in block quotes and
    list items too): markdown-it-py parses, with its own link filter off so that it
    reports what other renderers would link."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    setattr(parser, "validateLink", lambda url: True)  # noqa: B010  (a method, for mypy)
    env: dict[str, Any] = {}
    for token in parser.parse(text, env):
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                yield str(child.attrs.get("href", child.attrs.get("src", "")))
    for reference in env.get("references", {}).values():
        yield str(reference["href"])


def _safe_destination(url: str) -> bool:
    """http(s), mailto, or a relative path: no scheme a browser would run or open."""
    from urllib.parse import unquote, urlsplit

    try:
        scheme = urlsplit(unquote(url).strip()).scheme.lower()
    except ValueError:  # e.g. an unbalanced "[" in what would be the host
        return False
    return scheme in _SAFE_SCHEMES


def markdown_block(text: object) -> Markdown:
    """Markdown record text, kept as Markdown but without raw HTML or unsafe links.

    When CommonMark finds a destination that is not safe (``javascript:``, ``data:``...,
    however it is spelt), every bracket is escaped: the text keeps its emphasis and
    lists, but no link or image of it survives.
    """
    safe = str(text).strip().replace("<", "&lt;")
    # "](" or "]:" is in every link and definition: most text has neither, and no parse
    linked = "](" in safe or "]:" in safe
    if linked and not all(_safe_destination(url) for url in _destinations(safe)):
        # backslashes first, so that an escaped bracket of the text stays one
        safe = safe.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return Markdown(safe)


def link(text: object, url: str | None) -> Markdown:
    """A Markdown link to an http(s) URL, or the escaped text alone for any other URL."""
    label = escape_inline(text)
    if url is None or not re.match(r"https?://", url, re.IGNORECASE):
        return label
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    target = target.replace("<", "%3C").replace(">", "%3E")
    return Markdown(f"[{label}]({target})")


# Besides letters and marks, what Ruby's \p{Word} (GitHub's id rule) keeps.
_WORD = ("Nd", "Nl", "Pc")


# In ASCII, the letters, digits and connectors GitHub keeps are a-z, 0-9 and "_".
_GITHUB_DROPPED_ASCII = re.compile(r"[^a-z0-9_\- ]")


def github_slug(text: str) -> str:
    """A heading's id on GitHub: lower case, every character but letters, marks, digits,
    connectors, ``-`` and spaces dropped, each space a ``-`` (no collapsing)."""
    lowered = text.lower()
    if lowered.isascii():  # most headings: one regex instead of a look-up per character
        return _GITHUB_DROPPED_ASCII.sub("", lowered).replace(" ", "-")
    import unicodedata

    kept = (
        c
        for c in lowered
        if c in "- " or unicodedata.category(c)[0] in "LM" or unicodedata.category(c) in _WORD
    )
    return "".join(kept).replace(" ", "-")


def mkdocs_slug(text: str) -> str:
    """A heading's id in MkDocs: Python-Markdown's ``toc`` ``slugify`` (ASCII only, runs
    of spaces and ``-`` collapsed)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^\w\s-]", "", ascii_text).strip().lower()
    return re.sub(r"[-\s]+", "-", kept)


_MKDOCS_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


class HeadingIds:
    """The ids one page's headings get, in page order, on GitHub and in MkDocs.

    Both make an id from the heading's text and number repeats, but differently
    (``-1`` on GitHub, ``_1`` in MkDocs), and MkDocs drops what is not ASCII. A heading
    has an anchor that works in both only when the two ids agree; a heading that asks
    for one and repeats an earlier id gets `` (2)``, `` (3)``... appended to its text.
    """

    def __init__(self) -> None:
        self._github: set[str] = set()
        self._mkdocs: set[str] = set()
        # Where the search for a free number last stopped, per text, GitHub slug and MkDocs
        # base: the sets only grow, so every number below it is still taken, and a page of
        # n repeated titles costs n steps rather than n * n.
        self._shown_number: dict[str, int] = {}
        self._github_number: dict[str, int] = {}
        self._mkdocs_number: dict[str, int] = {}

    def add(self, text: str, *, anchored: bool = False) -> tuple[str, str | None]:
        """The heading's text (numbered if needed) and its common id, or None."""
        plain = " ".join(text.split())  # the text the renderers see (escape_inline)
        shown, github, mkdocs = plain, github_slug(plain), mkdocs_slug(plain)
        number = self._shown_number.get(plain, 1)
        while (
            anchored
            and github == mkdocs != ""
            and (github in self._github or mkdocs in self._mkdocs)
        ):
            number += 1
            shown = f"{plain} ({number})"
            github, mkdocs = github_slug(shown), mkdocs_slug(shown)
            if github != mkdocs:  # numbering cannot help: keep the text as it is
                shown, github, mkdocs = plain, github_slug(plain), mkdocs_slug(plain)
                break
        if anchored:
            self._shown_number[plain] = number
        github = self._github_unique(github)
        mkdocs = self._mkdocs_unique(mkdocs)
        return shown, github if anchored and github == mkdocs else None

    def _github_unique(self, slug: str) -> str:
        unique, number = slug, self._github_number.get(slug, 0)
        if number:
            unique = f"{slug}-{number}"
        while unique in self._github:
            number += 1
            unique = f"{slug}-{number}"
        self._github.add(unique)
        self._github_number[slug] = number
        return unique

    def _mkdocs_unique(self, slug: str) -> str:
        """Python-Markdown's ``toc.unique``: ``_1``, ``_2``... (and ``_1`` for no text)."""
        unique = slug
        if unique in self._mkdocs or not unique:
            counted = _MKDOCS_COUNTED.match(unique)
            base, number = (counted[1], int(counted[2])) if counted else (unique, 0)
            number = max(number + 1, self._mkdocs_number.get(base, 0))
            while f"{base}_{number}" in self._mkdocs:
                number += 1
            unique = f"{base}_{number}"
            self._mkdocs_number[base] = number
        self._mkdocs.add(unique)
        return unique
