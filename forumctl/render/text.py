"""Readable layouts of one record for ``forumctl show`` (rich renderables).

Record text is never parsed as rich markup: it goes into Text objects as it is.
:func:`programme_table` is the forum programme on its own, for reuse (e.g. a timetable
view that falls back to it when sessions have no times).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from forumctl.display import (
    affiliation_text,
    date_range,
    name_with_affiliation,
    session_when,
    with_status,
)
from forumctl.query import Appearance, SessionRow, affiliation_at
from forumctl.records import Forum, Speaker, Talk
from forumctl.references import referred_ids
from forumctl.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text


def _text(value: object, style: str = "") -> Text:
    """Record text as rich Text: never markup, control characters shown, not executed."""
    from rich.text import Text

    return Text(visible(str(value)), style=style)


def _heading(text: str) -> Text:
    return _text(text, style="bold")


def _line(label: str, value: object) -> Text:
    from rich.text import Text

    return Text.assemble((f"{label}: ", "dim"), visible(str(value)))


def _group(parts: Sequence[RenderableType | None]) -> RenderableType:
    from rich.console import Group

    return Group(*(part for part in parts if part is not None))


def _names(speaker_ids: Sequence[str], speakers: Mapping[str, Speaker]) -> str:
    return ", ".join(speakers[sid].name if sid in speakers else sid for sid in speaker_ids)


def _indented(text: str, columns: int, style: str = "") -> RenderableType:
    from rich.padding import Padding

    return Padding(_text(text, style=style), (0, 0, 0, columns), expand=False)


def _blank() -> Text:
    return _text("")


def programme_table(rows: Sequence[SessionRow], speakers: Mapping[str, Speaker]) -> Table:
    """The programme of a forum: one row per session, in programme order."""
    from rich import box
    from rich.table import Table

    result = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for header in ("#", "When", "Session", "Kind", "Room", "Chairs", "Speakers"):
        result.add_column(header, overflow="fold")
    for row in rows:
        session = row.session
        talk_speakers = [sid for talk in session.talks for sid in referred_ids(talk, keys=False)]
        cells = (
            "" if session.order is None else str(session.order),
            session_when(session, row.forum),
            with_status(session),
            session.kind or "",
            session.room or "",
            _names(session.chairs, speakers),
            _names(list(dict.fromkeys(talk_speakers)), speakers),
        )
        result.add_row(*map(_text, cells))
    return result


def forum_layout(
    forum_id: str,
    forum: Forum,
    rows: Sequence[SessionRow],
    speakers: Mapping[str, Speaker],
    editions: tuple[str | None, str | None] = (None, None),
) -> RenderableType:
    """A forum: title, series, dates and place, summary, programme, outcomes, sources;
    ``editions`` are the IDs of the series' previous and next edition, where known."""

    series = forum.series or ""
    if forum.edition is not None:
        series = f"{series}, edition {forum.edition}" if series else f"Edition {forum.edition}"
    place = ", ".join(p for p in (forum.venue, forum.city) if p)
    parts: list[RenderableType | None] = [
        _heading(forum.title),
        _text(series) if series else None,
        _line("ID", forum_id),
        _line("Previous edition", editions[0]) if editions[0] else None,
        _line("Next edition", editions[1]) if editions[1] else None,
        _line("Kind", forum.kind) if forum.kind else None,
        _line("Dates", date_range(forum.start, forum.end)),
        _line("Place", place) if place else None,
        _line("Organizers", "; ".join(forum.organizers)) if forum.organizers else None,
        _line("Tags", ", ".join(forum.tags)) if forum.tags else None,
    ]
    if forum.summary:
        parts += [_blank(), _text(forum.summary)]
    parts += [_blank(), _heading("Programme")]
    parts.append(programme_table(rows, speakers) if rows else _text("(no sessions)"))
    if forum.outcomes:
        parts.append(_heading("Outcomes"))
        for outcome in forum.outcomes:
            text = f"- {outcome.kind}: {outcome.title}"
            parts.append(_text(f"{text}. {outcome.summary}" if outcome.summary else text))
    if forum.sources:
        parts += [_blank(), _heading("Sources")]
        for source in forum.sources:
            details = [", ".join(source.authors), source.publisher, source.date, source.url]
            extra = "; ".join(str(d) for d in details if d)
            parts.append(_text(f"- {source.title}" + (f" ({extra})" if extra else "")))
    return _group(parts)


def session_layout(row: SessionRow, speakers: Mapping[str, Speaker]) -> RenderableType:
    """A session: where and when, chairs, and each talk with its speakers' affiliations."""

    session, forum = row.session, row.forum

    def with_affiliations(speaker_ids: Sequence[str], talk: Talk | None = None) -> str:
        return "; ".join(
            name_with_affiliation(
                speakers[sid].name, affiliation_at(sid, speakers[sid], forum, talk)
            )
            if sid in speakers
            else sid
            for sid in speaker_ids
        )

    when = session_when(session, forum)
    parts: list[RenderableType | None] = [
        _heading(session.title),
        _line("ID", row.session_id),
        _line("Forum", f"{forum.title} ({row.forum_id})"),
        _line("Kind", session.kind) if session.kind else None,
        _line("Status", session.status) if session.status else None,
        _line("Order", session.order) if session.order is not None else None,
        _line("When", when) if when else None,
        _line("Room", session.room) if session.room else None,
        _line("Chairs", with_affiliations(session.chairs)) if session.chairs else None,
    ]
    if session.summary:
        parts += [_blank(), _text(session.summary)]
    parts += [_blank(), _heading("Talks")]
    if not session.talks:
        parts.append(_text("(no talks)"))
    for number, talk in enumerate(session.talks, start=1):
        parts.append(_text(f"{number}. {with_affiliations(talk.speakers, talk)}"))
        if talk.title:
            parts.append(_indented(talk.title, 3, "italic"))
        if talk.summary:
            parts.append(_indented(talk.summary, 3))
        for quote in talk.quotes:
            parts.append(_indented(f"\u201c{quote}\u201d", 3))
    return _group(parts)


def speaker_layout(
    speaker_id: str, speaker: Speaker, found: Sequence[Appearance]
) -> RenderableType:
    """A speaker: names, affiliations, links, and every appearance with the affiliation
    held at the time."""

    name = speaker.name + (f" ({speaker.name_original})" if speaker.name_original else "")
    parts: list[RenderableType | None] = [_heading(name), _line("ID", speaker_id)]
    if speaker.sort_name:
        parts.append(_line("Sort name", speaker.sort_name))
    for label, url in speaker.links.items():
        parts.append(_line(label, url))
    if speaker.bio:
        parts += [_blank(), _text(speaker.bio)]
    if speaker.affiliations:
        parts += [_blank(), _heading("Affiliations")]
        for affiliation in speaker.affiliations:
            dated = " ".join(
                f"{word} {day}"
                for word, day in (("since", affiliation.since), ("until", affiliation.until))
                if day
            )
            text = affiliation_text(affiliation)
            parts.append(_text(f"- {text}" + (f" ({dated})" if dated else "")))
    parts += [_blank(), _heading("Appearances")]
    if not found:
        parts.append(_text("(none)"))
    for appearance in found:
        row = appearance.row
        when = session_when(row.session, row.forum) or date_range(row.forum.start, row.forum.end)
        parts.append(_text(f"- {when}  {row.forum.title}: {row.session.title}"))
        talk = appearance.talk
        what = "chair" if talk is None else ("talk: " + talk.title if talk.title else "talk")
        details = [what, f"as {appearance.affiliation}" if appearance.affiliation else None]
        parts.append(_indented(", ".join(d for d in details if d), 2))
        parts.append(_indented(row.session_id, 2, "dim"))
    return _group(parts)
