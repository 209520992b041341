"""One row per talk (RFC 4180: CRLF line ends, quoting as needed; UTF-8).

Speakers and their affiliations are joined with " | " in the same order, so the n-th
affiliation belongs to the n-th speaker (an unknown one is left empty); "|" because one
speaker's several affiliations are already joined with "; ".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from forumctl.display import clock
from forumctl.export.model import ResolvedArchive, ResolvedForum, ResolvedSession, ResolvedTalk
from forumctl.textsafe import spreadsheet_cell

COLUMNS = (
    "forum", "date", "session", "order", "start", "end", "room", "speakers", "affiliations",
    "title",
    # format 2: the talk's own times; status, track and language the talk's, else its
    # session's (else its forum's or the archive's language); links as "kind url"
    "talk_start", "talk_end", "status", "track", "language", "subtitle", "abstract", "summary",
    "url", "doi", "authors", "links",
)  # fmt: skip
SEPARATOR = " | "


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return clock(value)
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """RFC 4180 text: a header row, then the rows (CRLF line ends, quoting as needed); a
    cell that a spreadsheet would run as a formula starts with ``'``."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _format_2_cells(
    resolved: ResolvedArchive, forum: ResolvedForum, session: ResolvedSession, talk: ResolvedTalk
) -> list[str]:
    record, held_in = talk.talk, session.session
    track = forum.track(record.track or held_in.track)
    language = (
        record.language or held_in.language or forum.forum.language or resolved.manifest.language
    )
    return [
        _text(record.start),
        _text(record.end),
        _text(record.status or held_in.status),
        track.name if track is not None else "",
        _text(language),
        _text(record.subtitle),
        _text(record.abstract),
        _text(record.summary),
        _text(record.url),
        _text(record.doi),
        SEPARATOR.join(record.authors),
        SEPARATOR.join(f"{link.kind} {link.url}" for link in record.links),
    ]


def render(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """The CSV document, and no warnings (every talk has a row)."""
    rows = (
        [
            forum.id,
            _text(session.day),
            session.id,
            _text(session.session.order),
            _text(session.session.start),
            _text(session.session.end),
            _text(session.session.room),
            SEPARATOR.join(p.name for p in talk.speakers),
            SEPARATOR.join(p.affiliation or "" for p in talk.speakers),
            _text(talk.talk.title),
            *_format_2_cells(resolved, forum, session, talk),
        ]
        for forum in resolved.forums
        for session in forum.sessions
        for talk in session.talks
    )
    return table(COLUMNS, rows), []
