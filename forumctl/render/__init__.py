"""The render layer: records and query results to rich tables, text layouts, JSON and CSV.

Used by every command; nothing here reads files or raises user errors. rich, json and
csv are imported inside the functions that need them, to keep start-up short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from forumctl.records import Forum, Session, to_data

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

JSON_VERSION = 1


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr). Colour follows NO_COLOR, FORCE_COLOR and
    TERM=dumb and is off when not a terminal (rich's own rules); width follows COLUMNS."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def show(renderable: RenderableType) -> None:
    console().print(renderable)


def jsonable(value: Any) -> Any:
    """Plain data for json.dumps: dates and times become ISO 8601 strings."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def record_data(record_id: str, record: Any) -> dict[str, Any]:
    """A record as JSON-ready data, with its ID first."""
    data: dict[str, Any] = jsonable(to_data(record))
    return {"id": record_id, **data}


def json_document(**content: Any) -> str:
    """The versioned envelope of every ``--format json`` output: {"version": 1, ...}."""
    from forumctl.jsondoc import dumps

    return dumps({"version": JSON_VERSION, **content})


def csv_document(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """RFC 4180 CSV (CRLF line ends) with a header row."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def dates(forum: Forum) -> str:
    """A forum's days: "2020-12-12", or "2020-12-12 to 2020-12-14"."""
    return str(forum.start) if forum.end == forum.start else f"{forum.start} to {forum.end}"


def session_when(session: Session, forum: Forum) -> str:
    """Day and times of a session, e.g. "2020-12-12 09:00-10:30"; the day of a one-day
    forum when the session gives none."""
    times = "-".join(t.strftime("%H:%M") for t in (session.start, session.end) if t)
    day = session.date or (forum.start if forum.end == forum.start else None)
    return " ".join(part for part in (str(day or ""), times) if part)
