"""Record text made safe for Markdown, read by CommonMark renderers and MkDocs alike.

Two kinds of record text:

- *plain text* (titles, names, rooms, quotes): every character means itself. It is put
  on one line and its Markdown punctuation is backslash-escaped; ``<``, ``>``, ``&``,
  ``~`` and ``{`` are written as entities (Python-Markdown, which MkDocs uses, has no
  backslash escape for them, and its attr_list would read ``{: ...}`` as attributes). A
  title cannot start a list, break a table or open a link.
- *Markdown text* (``summary`` and ``bio`` fields): rendered as Markdown, but ``<`` is
  written as ``&lt;`` so no raw HTML (nor ``<...>`` autolink) survives, ``{`` as
  ``&#123;`` so no attribute list does, and text holding a link whose destination is not
  http(s), mailto or a relative path (as CommonMark, through markdown-it-py, resolves
  it) loses its links.

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
_INLINE_ESCAPES = {c: "\\" + c for c in "\\`*_[]#!|"} | {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "~": "&#126;",
    "{": "&#123;",
}
_INLINE_TABLE = str.maketrans(_INLINE_ESCAPES)
# Whether a text holds any of them: a search is several times quicker than the translation
# (which looks every character up), and most names and titles hold none.
_INLINE_ESCAPED = re.compile("[" + re.escape("".join(_INLINE_ESCAPES)) + "]")
# What would open a block at the start of a line: a list item, a setext underline.
_LEADING_BLOCK = re.compile(r"^([-+=])|^(\d+)([.)])")


def _escape_leading(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def escape_inline(text: object) -> Markdown:
    """Plain text as one line of Markdown that shows exactly that text."""
    line = " ".join(str(text).split())
    if _INLINE_ESCAPED.search(line) is not None:
        line = line.translate(_INLINE_TABLE)
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
    # no raw HTML; and no "{", which MkDocs' attr_list would read as attributes
    # (`*x*{: onclick="..."}`) of the element before it
    safe = str(text).strip().replace("<", "&lt;").replace("{", "&#123;")
    # "](" or "]:" is in every link and definition: most text has neither, and no parse
    linked = "](" in safe or "]:" in safe
    if linked and not all(_safe_destination(url) for url in _destinations(safe)):
        # backslashes first, so that an escaped bracket of the text stays one
        safe = safe.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return Markdown(safe)


_WEB_URL = re.compile(r"https?://", re.IGNORECASE)


def is_web_url(url: str | None) -> bool:
    """Whether ``url`` is http(s), the only links forumctl writes from record text (no
    ``javascript:``, ``data:`` ... however a page or its reader would take them)."""
    return url is not None and _WEB_URL.match(url) is not None


def link(text: object, url: str | None) -> Markdown:
    """A Markdown link to an http(s) URL, or the escaped text alone for any other URL."""
    label = escape_inline(text)
    if url is None or not is_web_url(url):
        return label
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    target = target.replace("<", "%3C").replace(">", "%3E")
    return Markdown("[" + label + "](" + target + ")")
