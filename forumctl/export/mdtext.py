"""Record text made safe for Markdown, read by CommonMark renderers and MkDocs alike.

Two kinds of record text:

- *plain text* (titles, names, rooms, quotes): every character means itself. It is put
  on one line and its Markdown punctuation is backslash-escaped, ``<``, ``>``, ``&`` and
  ``~`` written as entities (Python-Markdown, which MkDocs uses, has no backslash escape
  for them). A title cannot start a list, break a table or open a link.
- *Markdown text* (``summary`` and ``bio`` fields): rendered as Markdown, but ``<`` is
  written as ``&lt;`` so no raw HTML (nor ``<...>`` autolink) survives, and a link whose
  destination is not http(s), mailto or a relative path is pointed at ``#`` instead.

:class:`Markdown` marks text that is already safe, so that the template layer escapes
everything else by default.
"""

from __future__ import annotations

import re


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


_LINK_DESTINATION = re.compile(
    r"(\]\(\s*|^ {0,3}\[[^\]\n]+\]:[ \t]*)([^\s()]*(?:\([^\s()]*\)[^\s()]*)*)", re.MULTILINE
)
_SAFE_DESTINATION = re.compile(r"(?:https?://|mailto:)[^\s]*|[^:&\\]*", re.IGNORECASE)


def _neutralise_link(match: re.Match[str]) -> str:
    opening, destination = match.groups()
    if _SAFE_DESTINATION.fullmatch(destination):
        return match.group()
    return opening + "#"


def markdown_block(text: object) -> Markdown:
    """Markdown record text, kept as Markdown but without raw HTML or unsafe links."""
    safe = str(text).strip().replace("<", "&lt;")
    if "](" in safe or "]:" in safe:  # what every link and definition holds; most text has none
        safe = _LINK_DESTINATION.sub(_neutralise_link, safe)
    return Markdown(safe)


def link(text: object, url: str | None) -> Markdown:
    """A Markdown link to an http(s) URL, or the escaped text alone for any other URL."""
    label = escape_inline(text)
    if url is None or not re.match(r"https?://", url, re.IGNORECASE):
        return label
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    target = target.replace("<", "%3C").replace(">", "%3E")
    return Markdown(f"[{label}]({target})")
