"""The order of people's names as a reader expects it: Émile with the E's, Åsa before
Zoë, 张伟 (Zhāng Wěi) beside Zhang Xueliang; a speaker's ``sort_name`` wins over the name.

Every listing of speakers (``list speakers``, exports, the site's speaker pages, ``diff``)
sorts with :func:`speaker_key`; any other name, with :func:`sort_key`. The key is a
three-level comparison, as the Unicode Collation Algorithm's, on the name as read in
Latin letters:

1. the reading: the name transliterated by text-unidecode (the transliteration that
   IDs and ``--search`` already use, so a name is filed where its ID and search put it:
   Chinese by its pinyin, Å as A, Ø as O, ß as ss), casefolded, white space as one space;
2. accents: the unaccented name first ("abel" before "ábel");
3. case: lower case first ("abel" before "Abel").

Why not a collation library: pyuca (DUCET) and PyICU's collators file Chinese names after
every Latin one, in code point order, which a reader cannot look a name up by; pyuca
also costs 0.1 to 0.6 s to set up in every command that sorts; PyICU installs from source
except on Linux x86-64 and Windows (docs/performance.md, "Collation";
``benchmarks/collation.py``). The key is the same on every machine: it depends only on
text-unidecode's tables and Python's Unicode data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from forumctl.slugs import ascii_text

if TYPE_CHECKING:
    from forumctl.records import Speaker

SortKey = tuple[str, str, str]


def sort_key(text: str) -> SortKey:
    """The key that puts names in the order a reader expects (the module's three levels)."""
    if text.isascii():  # two in three names on M: ASCII is its own reading, NFD and casefold
        folded = text.lower()
        return " ".join(folded.split()), folded, text.swapcase()
    return _key(text)


def _key(text: str) -> SortKey:
    reading = " ".join(ascii_text(text).casefold().split())
    accents = unicodedata.normalize("NFD", text).casefold()
    return reading, accents, text.swapcase()


def speaker_key(speaker_id: str, speaker: Speaker) -> tuple[SortKey, str]:
    """A speaker's place in a listing: by ``sort_name`` if set, else by name; the ID
    breaks ties, so the order is total and the same on every run."""
    return sort_key(speaker.sort_name or speaker.name), speaker_id


def sorted_speakers(speakers: Iterable[tuple[str, Speaker]]) -> list[tuple[str, Speaker]]:
    """(ID, speaker) pairs in reading order (:func:`speaker_key`)."""
    return sorted(speakers, key=lambda item: speaker_key(*item))
