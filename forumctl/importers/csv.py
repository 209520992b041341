"""A CSV table with a header row: one event per row, or per session when rows share a
``session`` value (``export csv`` writes one row per talk, so its rows import back as the
talks of their sessions).

Headers name fields (:data:`FIELDS`, case and spaces ignored); ``--column NAME=field``
maps any other header to a field. A session of several rows takes its title from a
``session_title`` column, else from its ID ("speeches" -> "Speeches").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from forumctl.errors import InvalidSource, UsageError
from forumctl.importers import source as src
from forumctl.importers.model import Event, Person, Programme, Talk

FIELDS = (
    "session", "forum", "date", "start", "end", "end_date", "room", "speakers",
    "affiliations", "title", "session_title", "order", "track", "language", "kind",
    "subtitle", "abstract", "url",
)  # fmt: skip
T = TypeVar("T")
SEPARATOR = "|"  # between speakers (export csv joins them with " | ")


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    values: Mapping[str, str]


def parse_columns(pairs: list[str]) -> dict[str, str]:
    """``--column NAME=field`` options as header (normalized) to field."""
    mapping = {}
    for pair in pairs:
        name, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not name.strip():
            raise UsageError(f"--column {pair!r}: expected NAME=field", hint=_fields_hint())
        if target not in FIELDS:
            raise UsageError(f"--column {pair!r}: unknown field {target!r}", hint=_fields_hint())
        mapping[_header(name)] = target
    return mapping


def _fields_hint() -> str:
    return f"fields: {', '.join(FIELDS)}"


def _header(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def read(
    data: bytes, display: str, *, timezone: str | None, columns: Mapping[str, str]
) -> Programme:
    import csv
    import io

    text = src.decode(data, display)
    if src.first_character(data) in "<{[":
        raise InvalidSource(
            "not a CSV table (it looks like XML or JSON)", path=display, line=1,
            hint="for a frab or pretalx schedule use 'forumctl import frab' or 'import pretalx'",
        )  # fmt: skip
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidSource("empty file: no header row", path=display, line=1) from None
    except csv.Error as error:
        raise InvalidSource(f"malformed CSV: {error}", path=display, line=1) from None
    fields = [columns.get(_header(name), _header(name)) for name in header]
    warnings = tuple(
        f"{display}: column {name!r} is not imported (map it with --column {name}=FIELD)"
        for name, field in zip(header, fields, strict=True)
        if field not in FIELDS
    )
    if "title" not in fields and "session_title" not in fields:
        raise InvalidSource(
            "missing column 'title'", path=display, line=1,
            hint=f"the header has {', '.join(header)}; map one with --column NAME=title",
        )  # fmt: skip
    rows: list[_Row] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise InvalidSource(f"malformed CSV: {error}", path=display, line=line) from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InvalidSource(
                f"row has {len(cells)} cells, the header {len(header)}",
                path=display,
                line=line,
                hint="quote cells that hold commas",
            )
        values = {f: c.strip() for f, c in zip(fields, cells, strict=True) if f in FIELDS}
        rows.append(_Row(line, values))
    src.zone_of(timezone, display, "--timezone")  # checked; CSV times are local already
    groups: dict[str, list[_Row]] = {}
    for number, row in enumerate(rows):
        groups.setdefault(row.values.get("session") or f"\0{number}", []).append(row)
    events = tuple(_event(key, group, display) for key, group in groups.items())
    return Programme(source="csv", path=display, timezone=timezone, events=events,
                     warnings=warnings)  # fmt: skip


def _event(key: str, rows: list[_Row], display: str) -> Event:
    first = rows[0]
    values = first.values
    session_id = None if key.startswith("\0") else key
    title = values.get("session_title") or (values.get("title") if len(rows) == 1 else None)
    if not title and session_id:
        title = session_id.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    if not title:
        raise InvalidSource("row without a title", path=display, line=first.line)
    day = _parse(first, "date", dt.date.fromisoformat, "a date (YYYY-MM-DD)", display)
    start_time = _parse(first, "start", src.clock_time, "a time (HH:MM)", display)
    end_time = _parse(first, "end", src.clock_time, "a time (HH:MM)", display)
    end_day = _parse(first, "end_date", dt.date.fromisoformat, "a date (YYYY-MM-DD)", display)
    order = _parse(first, "order", int, "a whole number", display)
    if start_time is not None and day is None:
        raise InvalidSource("a start time without a date", path=display, line=first.line)
    start = dt.datetime.combine(day, start_time) if day and start_time else None
    end = None
    if start is not None and end_time is not None:
        end = dt.datetime.combine(end_day or start.date(), end_time)
        if end <= start and end_day is None:
            end += dt.timedelta(days=1)  # ends past midnight
    talks = tuple(
        Talk(row.values.get("title") or None, _persons(row))
        for row in rows
        if row.values.get("speakers")
    )
    if len(rows) == 1 and talks and talks[0].title == title:
        talks = (Talk(None, talks[0].persons),)
    return Event(
        title=title,
        start=start,
        end=end,
        id=session_id,
        room=values.get("room") or None,
        track=values.get("track") or None,
        language=values.get("language") or None,
        kind=values.get("kind") or None,
        subtitle=values.get("subtitle") or None,
        abstract=src.markdown(values.get("abstract")),
        url=values.get("url") or None,
        talks=talks,
        order=order,
        day=day,
        line=first.line,
    )


def _parse(
    row: _Row, field: str, parse: Callable[[str], T | None], what: str, display: str
) -> T | None:
    text = row.values.get(field)
    if not text:
        return None
    try:
        value = parse(text)
    except ValueError:
        value = None
    if value is None:
        raise InvalidSource(f"{field} {text!r} is not {what}", path=display, line=row.line)
    return value


def _persons(row: _Row) -> tuple[Person, ...]:
    names = [name.strip() for name in row.values.get("speakers", "").split(SEPARATOR)]
    affiliations = [a.strip() for a in row.values.get("affiliations", "").split(SEPARATOR)]
    affiliations += [""] * (len(names) - len(affiliations))
    return tuple(
        Person(name, affiliation=affiliation or None)
        for name, affiliation in zip(names, affiliations, strict=False)
        if name
    )
