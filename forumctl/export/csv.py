"""One row per talk (RFC 4180: CRLF line ends, quoting as needed; UTF-8).

Speakers and their affiliations are joined with " | " in the same order, so the n-th
affiliation belongs to the n-th speaker (an unknown one is left empty); "|" because one
speaker's several affiliations are already joined with "; ".
"""

from __future__ import annotations

import datetime as dt

from forumctl.export.model import ResolvedArchive

COLUMNS = (
    "forum", "date", "session", "order", "start", "end", "room", "speakers", "affiliations",
    "title",
)  # fmt: skip
SEPARATOR = " | "


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return str(value)


def render(resolved: ResolvedArchive) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for forum in resolved.forums:
        for session in forum.sessions:
            record = session.session
            for talk in session.talks:
                writer.writerow(
                    [
                        forum.id,
                        _text(session.day),
                        session.id,
                        _text(record.order),
                        _text(record.start),
                        _text(record.end),
                        _text(record.room),
                        SEPARATOR.join(p.name for p in talk.speakers),
                        SEPARATOR.join(p.affiliation or "" for p in talk.speakers),
                        _text(talk.talk.title),
                    ]
                )
    return buffer.getvalue()
