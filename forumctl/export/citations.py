"""Citations: BibTeX (``export bibtex``) and CSL JSON (``export csl-json``).

Both cite the same things, in archive order: each forum as its proceedings and each talk
that has a title. BibTeX gets an ``@proceedings`` per forum and an ``@inproceedings`` per
talk; CSL JSON a ``speech`` per talk (``paper-conference`` when the talk has a DOI or
co-authors who did not speak, i.e. it is a paper), with ``event``, ``event-place`` and
``event-date``. Names are cited whole (BibTeX ``{Sheng Shihao}``, CSL ``literal``): the
archive does not split a name into given and family parts, and guessing would misorder
Chinese names. Keys are the record IDs (``forum-id``, ``forum-id:session-id:N``, N the
talk's place in its session from 1), so they stay the same across exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from forumctl.export.model import ResolvedArchive, ResolvedForum, ResolvedSession, ResolvedTalk
from forumctl.records import Speaker


@dataclass(frozen=True, slots=True)
class CitedTalk:
    key: str
    forum: ResolvedForum
    session: ResolvedSession
    talk: ResolvedTalk
    authors: tuple[str, ...]  # names: the speakers, then the co-authors who did not speak

    @property
    def day(self) -> dt.date:
        return self.session.day or self.forum.forum.start

    @property
    def is_paper(self) -> bool:
        return bool(self.talk.talk.doi or self.talk.talk.authors)


def cited_talks(resolved: ResolvedArchive, forum: ResolvedForum) -> Iterator[CitedTalk]:
    """The forum's talks that have a title, in programme order."""
    speakers: dict[str, Speaker] = {entry.id: entry.speaker for entry in resolved.speakers}
    for session in forum.sessions:
        for number, talk in enumerate(session.talks, start=1):
            if not talk.talk.title:
                continue
            co_authors = (speakers[sid].name for sid in talk.talk.authors if sid in speakers)
            names = (*(person.name for person in talk.speakers), *co_authors)
            yield CitedTalk(f"{session.id.replace('/', ':')}:{number}", forum, session, talk, names)


def place(forum: ResolvedForum) -> str | None:
    """Venue and city, as a citation prints the place of an event."""
    return ", ".join(p for p in (forum.forum.venue, forum.forum.city) if p) or None


# -- BibTeX ---------------------------------------------------------------------------

# Every character that means something to BibTeX or LaTeX. Braces are \{ and \} (as
# Zotero writes them, and LaTeX decoders read them) while they balance; BibTeX counts a
# brace even after a backslash, so unbalanced ones are spelt without a brace.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\n": " ",
    "\r": " ",
}
_LATEX = str.maketrans({**_SPECIAL, "{": r"\{", "}": r"\}"})
_LATEX_UNBALANCED = str.maketrans({**_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"})


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_text(text: str) -> str:
    """Record text as a BibTeX field value (between braces): LaTeX's special characters
    escaped, line breaks as spaces; UTF-8 kept (biber and bibtexparser read it)."""
    return text.translate(_LATEX if _balanced(text) else _LATEX_UNBALANCED)


def _bibtex_entry(kind: str, key: str, fields: list[tuple[str, str | None]]) -> str:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}}}\n"


def _bibtex_names(names: tuple[str, ...]) -> str:
    return " and ".join(f"{{{bibtex_text(name)}}}" for name in names)


def _optional(text: str | None) -> str | None:
    return None if text is None else bibtex_text(text)


def render_bibtex(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """An ``@proceedings`` per forum, then an ``@inproceedings`` per talk with a title."""
    entries = []
    for forum in resolved.forums:
        record = forum.forum
        common = [
            ("year", str(record.start.year)),
            ("address", _optional(place(forum))),
        ]
        entries.append(
            _bibtex_entry(
                "proceedings",
                forum.id,
                [
                    ("title", bibtex_text(record.title)),
                    ("series", _optional(record.series)),
                    ("organization", _optional(" and ".join(record.organizers) or None)),
                    *common,
                    ("date", record.start.isoformat()),
                    ("url", record.url),
                    ("doi", record.doi),
                ],
            )
        )
        for cited in cited_talks(resolved, forum):
            talk = cited.talk.talk
            entries.append(
                _bibtex_entry(
                    "inproceedings",
                    cited.key,
                    [
                        ("author", _bibtex_names(cited.authors)),
                        ("title", bibtex_text(talk.title or "")),
                        ("booktitle", bibtex_text(record.title)),
                        *common,
                        ("date", cited.day.isoformat()),
                        ("url", talk.url),
                        ("doi", talk.doi),
                    ],
                )
            )
    return "\n".join(entries), []


# -- CSL JSON -------------------------------------------------------------------------


def _csl_date(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_items(resolved: ResolvedArchive) -> list[dict[str, object]]:
    """The CSL JSON items (CSL-JSON 1.0 input schema): one per talk with a title."""
    items: list[dict[str, object]] = []
    for forum in resolved.forums:
        for cited in cited_talks(resolved, forum):
            talk = cited.talk.talk
            item: dict[str, object] = {
                "id": cited.key,
                "type": "paper-conference" if cited.is_paper else "speech",
                "title": talk.title,
                "author": [{"literal": name} for name in cited.authors],
                "event": forum.forum.title,
                "event-place": place(forum),
                "event-date": _csl_date(cited.day),
                "issued": _csl_date(cited.day),
                "container-title": forum.forum.title if cited.is_paper else None,
                "abstract": talk.abstract,
                "language": talk.language or forum.forum.language or resolved.manifest.language,
                "URL": talk.url,
                "DOI": talk.doi,
            }
            items.append({name: value for name, value in item.items() if value})
    return items


def render_csl_json(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    from forumctl import jsondoc

    return jsondoc.dumps(csl_items(resolved)), []
