"""IDs are slugs made with python-slugify (it transliterates Chinese and other scripts)."""

from __future__ import annotations

import re

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# Text of ASCII letters, digits, spaces and hyphens only, which python-slugify turns into
# its words lowercased and joined by single hyphens: made here without importing it
# (17 ms) or running its pipeline (tests/test_slugs.py checks the two agree)
_PLAIN = re.compile(r"[A-Za-z0-9 -]*")
_SPACES_AND_HYPHENS = re.compile(r"[ -]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Forum IDs that the export's own pages take: index.md, speakers.md, series.md, the site's
# changes.md, and the directories people/, years/ and series/ (in MkDocs, a page
# `people.md` is `people/index.html`, as `people/index.md` of a speaker named "index").
RESERVED_FORUM_IDS = frozenset({"index", "speakers", "changes", "series", "people", "years"})


def make_slug(text: str) -> str:
    """A readable ASCII ID for a title or a name: 'Sheng Shihao' -> 'sheng-shihao'."""
    if _PLAIN.fullmatch(text):
        return _SPACES_AND_HYPHENS.sub("-", text.lower()).strip("-")
    from slugify import slugify

    return str(slugify(text))


def is_slug(text: str) -> bool:
    return SLUG_PATTERN.match(text) is not None


def ascii_text(text: str) -> str:
    """Text transliterated to ASCII with text-unidecode (python-slugify's own backend,
    called directly: slugify looks for the optional unidecode package on every call);
    ASCII text, the usual case, is returned as it is."""
    if text.isascii():
        return text
    from text_unidecode import unidecode

    return str(unidecode(text))


def name_key(name: str) -> str:
    """'Sheng Shihao', 'SHENG Shi-hao' and '盛世豪' all give 'shengshihao'."""
    return _NOT_ALPHANUMERIC.sub("", ascii_text(name).lower())
