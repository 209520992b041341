"""One row per talk (RFC 4180: CRLF line ends, quoting as needed; UTF-8).

Speakers and their affiliations are joined with " | " in the same order, so the n-th
affiliation belongs to the n-th speaker (an unknown one is left empty); "|" because one
speaker's several affiliations are already joined with "; ".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from forumctl.display import clock
from forumctl.export.model import ResolvedArchive
from forumctl.textsafe import spreadsheet_cell

COLUMNS = (
    "forum", "date", "session", "order", "start", "end", "room", "speakers", "affiliations",
    "title",
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
        ]
        for forum in resolved.forums
        for session in forum.sessions
        for talk in session.talks
    )
    return table(COLUMNS, rows), []
