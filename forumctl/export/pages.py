"""What the Markdown templates print, computed once: page data of plain dicts.

Every text value is already escaped (:class:`~forumctl.export.mdtext.Markdown`), so the
templates only lay it out; the sandbox then resolves a name with one dict lookup and the
environment's ``finalize`` passes the value through. Rendering the resolved model's
objects directly spent most of the export in attribute checks and in escaping the same
names and titles thousands of times. Each forum, session and speaker is turned into
page data once and shared by every page that shows it.

An optional value is None when the record leaves it out or empty, so that templates test
``is not none``: a value present but blank still prints (as nothing), as it always did.
Each dict keeps its ``record`` for templates that want a field the built-in ones do not
print (``finalize`` escapes it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from forumctl.display import date_range, session_when, time_span
from forumctl.export.mdtext import HeadingIds, Markdown, escape_inline, link, markdown_block
from forumctl.export.model import (
    Person,
    ResolvedArchive,
    ResolvedForum,
    ResolvedSession,
    ResolvedTalk,
)
from forumctl.records import Affiliation, Outcome, Quote, Session, Source, Speaker, Talk

Page = dict[str, Any]

# The forum template's headings before the first session's: they take ids first.
PROGRAMME = "Programme"


def forum_page(forum_id: str) -> Markdown:
    """The file name of a forum's page; IDs are slugs, so it is a safe link target."""
    return Markdown(f"{forum_id}.md")


class _Text:
    """Record text escaped once: names and titles recur on many pages."""

    def __init__(self) -> None:
        self._escaped: dict[object, Markdown] = {}

    def __call__(self, value: object) -> Markdown:
        escaped = self._escaped.get(value)
        if escaped is None:
            escaped = self._escaped[value] = escape_inline(value)
        return escaped

    def optional(self, value: object) -> Markdown | None:
        return self(value) if value else None

    def joined(self, separator: str, values: Iterable[object]) -> Markdown:
        """The values joined and escaped as one text."""
        return self(separator.join(map(str, values)))

    def selected(self, separator: str, values: Iterable[object]) -> Markdown | None:
        """The values that are set, joined and escaped as one text; None when none is."""
        present = [value for value in values if value]
        return self.joined(separator, present) if present else None

    def listed(self, separator: str, values: tuple[str, ...]) -> Markdown | None:
        """A list field joined and escaped as one text; None when the list is empty."""
        return self.joined(separator, values) if values else None


def _markdown(value: str | None) -> Markdown | None:
    return markdown_block(value) if value else None


class _Builder:
    def __init__(self) -> None:
        self.text = _Text()
        self._speakers: dict[str, Page] = {}
        self._persons: dict[tuple[str, str | None], Page] = {}
        self.talks: dict[int, Page] = {}  # by id() of the resolved talk, for appearances

    def speaker(self, speaker_id: str, speaker: Speaker) -> Page:
        """A speaker's own data (the speakers page adds the appearances)."""
        page = self._speakers.get(speaker_id)
        if page is None:
            text = self.text
            page = self._speakers[speaker_id] = {
                "id": speaker_id,
                "name": text(speaker.name),
                "name_original": text.optional(speaker.name_original),
                "affiliations": [self._affiliation(a) for a in speaker.affiliations],
                "bio": _markdown(speaker.bio),
                "record": speaker,
            }
        return page

    def _affiliation(self, affiliation: Affiliation) -> Page:
        text = self.text
        return {
            "organization": text(affiliation.organization),
            "role": text.optional(affiliation.role),
            "since": text.optional(affiliation.since),
            "until": text.optional(affiliation.until),
            "record": affiliation,
        }

    def person(self, person: Person) -> Page:
        key = (person.id, person.affiliation)
        page = self._persons.get(key)
        if page is None:
            page = self._persons[key] = {
                "id": person.id,
                "name": self.speaker(person.id, person.speaker)["name"],
                "affiliation": self.text.optional(person.affiliation),
                "record": person.speaker,
            }
        return page

    def talk(self, talk: ResolvedTalk, forum: ResolvedForum, headings: HeadingIds) -> Page:
        record = talk.talk
        heading, anchor = headings.add(
            record.title or ", ".join(p.name for p in talk.speakers), anchored=True
        )
        page = self.talks[id(talk)] = {
            "title": self.text.optional(record.title),
            "heading": self.text(heading),
            "anchor": anchor,
            "speakers": [self.person(p) for p in talk.speakers],
            "speaker_names": self.text.joined(", ", (p.name for p in talk.speakers)),
            "summary": _markdown(record.summary),
            "quotes": [self._quote(q) for q in record.quotes],
            **self._format_2(record, forum),
            "when": self.text.optional(time_span(record) if record.start else None),
            "record": record,
        }
        return page

    def _quote(self, quote: str | Quote) -> Markdown:
        """A quote's text; a quote table's with its original words after it."""
        if isinstance(quote, str):
            return self.text(quote)
        if quote.original:
            return self.text(f"{quote.text} ({quote.original})")
        return self.text(quote.text)

    def _format_2(self, record: Session | Talk, forum: ResolvedForum) -> Page:
        """What format 2 adds to a session or talk: subtitle, abstract, status, track,
        and its links (a video or slides link shows under its talk)."""
        track = forum.track(record.track)
        return {
            "subtitle": self.text.optional(record.subtitle),
            "abstract": _markdown(record.abstract),
            "status": self.text.optional(record.status),
            "track": self.text.optional(track.name if track is not None else None),
            "links": [
                link(f"{item.kind.capitalize()}: {item.title or item.url}", item.url)
                for item in record.links
            ],
            "url": link(record.url, record.url) if record.url else None,
        }

    def session(self, session: ResolvedSession, forum: ResolvedForum, headings: HeadingIds) -> Page:
        record = session.session
        text = self.text
        when = session_when(record, forum.forum, with_day=False)
        heading, anchor = headings.add(record.title, anchored=True)
        return {
            "id": session.id,
            "title": text(record.title),
            "heading": text(heading),
            "anchor": anchor,
            "kind": text.optional(record.kind),
            "room": text.optional(record.room),
            "order": record.order,
            "when": text(when),
            "details": text.selected(
                " · ", (record.status and record.status.upper(), record.kind, when, record.room)
            ),
            "chairs": [self.person(p) for p in session.chairs],
            "chair_names": text.joined(", ", (p.name for p in session.chairs)),
            "summary": _markdown(record.summary),
            "talks": [self.talk(t, forum, headings) for t in session.talks],
            **self._format_2(record, forum),
            "record": record,
        }

    def _outcome(self, outcome: Outcome) -> Page:
        return {
            "title": self.text(outcome.title),
            "kind": self.text(outcome.kind),
            "summary": _markdown(outcome.summary),
            "record": outcome,
        }

    def _source(self, source: Source) -> Page:
        return {
            "link": link(source.title, source.url),
            "details": [self.text(part) for part in (source.publisher, source.date) if part],
            "authors": self.text.listed(", ", source.authors),
            "record": source,
        }

    def forum(self, forum: ResolvedForum) -> Page:
        record = forum.forum
        text = self.text
        headings = HeadingIds()  # in the order the forum template prints them
        headings.add(record.title)
        if forum.sessions:
            headings.add(PROGRAMME)
        return {
            "id": forum.id,
            "page": forum_page(forum.id),
            "title": text(record.title),
            "series": text.optional(record.series),
            "edition": text.optional(record.edition),
            "dates": text(date_range(record.start, record.end)),
            "year": record.start.year,
            "city": text.optional(record.city),
            "place": text.selected(", ", (record.venue, record.city)),
            "kind": text.optional(record.kind),
            "organizers": text.listed("; ", record.organizers),
            "tags": text.listed(", ", record.tags),
            "summary": _markdown(record.summary),
            "url": link(record.url, record.url) if record.url else None,
            "tracks": [
                {"name": text(t.name), "color": text.optional(t.color)} for t in record.tracks
            ],
            "timed": any(s.session.start for s in forum.sessions),
            "sessions": [self.session(s, forum, headings) for s in forum.sessions],
            "outcomes": [self._outcome(o) for o in record.outcomes],
            "sources": [self._source(s) for s in record.sources],
            "record": record,
        }


SPEAKER = Markdown("speaker")  # an untitled talk, in a speaker's appearances


def _heading_link(label: Markdown, page: str, target: Page) -> Markdown:
    """The label linked to a heading of the page, or alone when it has no common id."""
    anchor = target["anchor"]
    return label if anchor is None else Markdown(f"[{label}]({page}#{anchor})")


def pages(resolved: ResolvedArchive) -> tuple[Page, list[Page], list[Page]]:
    """The archive (name, description), the forums (oldest first) and the speakers (by
    sort name, each with its appearances), as the templates get them."""
    build = _Builder()
    forums = [build.forum(f) for f in resolved.forums]
    sessions = {s["id"]: (forum, s) for forum in forums for s in forum["sessions"]}
    speakers = []
    for entry in resolved.speakers:
        appearances = []
        for appearance in entry.appearances:
            forum, session = sessions[appearance.session.id]
            talk = None if appearance.talk is None else build.talks[id(appearance.talk)]
            appearances.append(
                {
                    "forum": forum,
                    "session": session,
                    "talk": talk,
                    "session_link": _heading_link(session["title"], forum["page"], session),
                    "talk_link": None
                    if talk is None
                    else _heading_link(talk["title"] or SPEAKER, forum["page"], talk),
                }
            )
        speakers.append({**build.speaker(entry.id, entry.speaker), "appearances": appearances})
    manifest = resolved.manifest
    archive = {
        "name": build.text(manifest.name),
        "description": _markdown(manifest.description),
        "record": manifest,
    }
    return archive, forums, speakers
