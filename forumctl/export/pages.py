"""What the Markdown templates print, computed once: page data of plain dicts.

Every text value is already escaped (:class:`~forumctl.export.mdtext.Markdown`), so the
templates only lay it out; the sandbox then resolves a name with one dict lookup and the
environment's ``finalize`` passes the value through. Rendering the resolved model's
objects directly spent most of the export in attribute checks and in escaping the same
names and titles thousands of times. Each forum, session and speaker is turned into
page data once and shared by every page that shows it.

The pages (the same in the Markdown export and the site, so links are the same):
``index.md``; ``<forum-id>.md``; ``years/<year>.md``; ``series.md`` and
``series/<slug>.md``; ``speakers.md`` and ``people/<speaker-id>.md``. Page addresses in
the data are relative to the top directory; a template in a subdirectory puts ``root``
(``../``) before them.

Every heading has an explicit id (:func:`session_anchor`, :func:`talk_anchor`, and fixed
ids starting with ``_``), never one a renderer derives from the heading's text, so every
link resolves whatever the script of a title, and in GitHub and MkDocs alike.

An optional value is None when the record leaves it out or empty, so that templates test
``is not none``: a value present but blank still prints (as nothing), as it always did.
Each dict keeps its ``record`` for templates that want a field the built-in ones do not
print (``finalize`` escapes it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from forumctl.collation import sort_key
from forumctl.display import clock, time_span
from forumctl.export.dates import Dates
from forumctl.export.mdtext import Markdown, escape_inline, link, markdown_block
from forumctl.export.model import (
    Person,
    ResolvedAppearance,
    ResolvedArchive,
    ResolvedForum,
    ResolvedSession,
    ResolvedTalk,
    SpeakerEntry,
)
from forumctl.records import Affiliation, Forum, Outcome, Quote, Session, Source, Speaker, Talk
from forumctl.slugs import make_slug
from forumctl.standards import doi_url
from forumctl.timetable import NO_ROOM, grid

Page = dict[str, Any]

PEOPLE = "people"  # the directory of speaker pages
YEARS = "years"
SERIES_DIRECTORY = "series"
SERIES_INDEX = "series.md"
SPEAKERS_INDEX = "speakers.md"
BELOW = Markdown("../")  # what a page one directory down puts before a page's address
# Statuses whose title is struck through: the talk or session did not take place.
STRUCK = frozenset({"cancelled", "withdrawn"})
_CHAIR, _SPEAKER = Markdown("chair"), Markdown("speaker")  # an appearance's role
# How many of the newest forums the front page names (the year pages list them all).
LATEST = 10
_NOTHING = Markdown("")


def forum_page(forum_id: str) -> Markdown:
    """The file name of a forum's page; IDs are slugs, so it is a safe link target."""
    return Markdown(f"{forum_id}.md")


def speaker_page(speaker_id: str) -> Markdown:
    return Markdown(f"{PEOPLE}/{speaker_id}.md")


def year_page(year: int) -> Markdown:
    return Markdown(f"{YEARS}/{year}.md")


def session_anchor(session_id: str) -> Markdown:
    """A session heading's id: its ID in the forum (``_`` first when that starts with a
    digit, since a CSS id selector cannot, and themes look ids up as selectors)."""
    local = session_id.rpartition("/")[2]
    return Markdown(local if local[:1].isalpha() else f"_{local}")


def former_anchors(session_id: str, former_ids: Iterable[str]) -> Markdown:
    """Empty ``<a id>`` elements for the IDs a session had in the same forum, so that links
    to its old anchor still reach its heading (an id both GitHub and MkDocs keep)."""
    if not former_ids:  # most sessions
        return _NOTHING
    forum_id = session_id.rpartition("/")[0]
    return Markdown(
        "".join(
            f' <a id="{session_anchor(former)}"></a>'
            for former in former_ids
            if former.rpartition("/")[0] == forum_id and former != session_id
        )
    )


def talk_anchor(session_id: str, number: int) -> Markdown:
    """A talk heading's id: its session's and its place in it from 1 (``--`` does not
    occur in a slug, so no session's id can be the same)."""
    return _numbered(session_anchor(session_id), number)


def _numbered(parent: str, number: int) -> Markdown:
    """The id of a session's talk from the session heading's id (:func:`talk_anchor`)."""
    return Markdown(parent + "--" + str(number))


def day_anchor(day: Any) -> Markdown:
    return Markdown(f"_day-{day.isoformat()}")


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
        if not value:
            return None
        escaped = self._escaped.get(value)
        if escaped is None:
            escaped = self._escaped[value] = escape_inline(value)
        return escaped

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


def _struck(text: Markdown, status: str | None) -> Markdown:
    """The text struck through when what it names did not take place."""
    return Markdown(f"<del>{text}</del>") if status in STRUCK else text


def _own_page(record: Forum | Session | Talk) -> Page:
    """A record's own page (``url``, a link when it is http(s)) and its DOI (linked at
    the DOI resolver), None when it has none."""
    return {
        "url": link(record.url, record.url) if record.url else None,
        "doi": link(record.doi, doi_url(record.doi)) if record.doi else None,
    }


def _with_affiliation(person: Page, form: str) -> Markdown:
    """A person's linked name, then the affiliation held then in ``form`` when known."""
    link: Markdown = person["link"]
    affiliation = person["affiliation"]
    return link if affiliation is None else Markdown(link + form.format(affiliation))


def _joined(separator: str, parts: Iterable[Markdown]) -> Markdown:
    return Markdown(separator.join(parts))


class _Builder:
    def __init__(self, dates: Dates) -> None:
        self.text = _Text()
        self.dates = dates
        self._speakers: dict[str, Page] = {}
        self._persons: dict[tuple[str, str | None], Page] = {}
        self.talks: dict[int, Page] = {}  # by id() of the resolved talk, for appearances
        self.sessions: dict[str, Page] = {}
        self._appearing_in: dict[str | int, Page] = {}
        self._session_shown: dict[str, tuple[str, Markdown, Markdown, Markdown]] = {}

    def _named(self, speaker_id: str, speaker: Speaker) -> Page:
        """A speaker's ID, page, names and name linked to their page."""
        name = self.text(speaker.name)
        address = speaker_page(speaker_id)
        return {
            "id": speaker_id,
            "page": address,
            "name": name,
            "name_original": self.text.optional(speaker.name_original),
            "link": Markdown("[" + name + "](" + address + ")"),
        }

    def speaker_summary(self, entry: SpeakerEntry) -> Page:
        """A speaker as the speakers page lists them: names, page and number of
        appearances (not the appearances: see :func:`_listings`)."""
        return {
            **self._named(entry.id, entry.speaker),
            "appearance_count": len(entry.appearances),
            "record": entry.speaker,
        }

    def speaker(self, speaker_id: str, speaker: Speaker) -> Page:
        """A speaker's own data (their page adds the appearances)."""
        page = self._speakers.get(speaker_id)
        if page is None:
            page = self._speakers[speaker_id] = {
                **self._named(speaker_id, speaker),
                "affiliations": [self._affiliation(a) for a in speaker.affiliations],
                "links": [
                    link(f"{kind.upper() if kind == 'orcid' else kind.capitalize()}: {url}", url)
                    for kind, url in _speaker_links(speaker)
                ],
                "bio": _markdown(speaker.bio),
                "record": speaker,
            }
        return page

    def _affiliation(self, affiliation: Affiliation) -> Page:
        text, dates = self.text, self.dates
        return {
            "organization": text(affiliation.organization),
            "role": text.optional(affiliation.role),
            "since": text(dates.day(affiliation.since)) if affiliation.since else None,
            "until": text(dates.day(affiliation.until)) if affiliation.until else None,
            "record": affiliation,
        }

    def person(self, person: Person) -> Page:
        """A chair or speaker where a session names them, with the affiliation held then;
        ``link`` is their name linked to their page (from the top directory)."""
        key = (person.id, person.affiliation)
        page = self._persons.get(key)
        if page is None:
            speaker = self.speaker(person.id, person.speaker)
            page = self._persons[key] = {
                "id": person.id,
                "name": speaker["name"],
                "page": speaker["page"],
                "link": speaker["link"],
                "affiliation": self.text.optional(person.affiliation),
                "record": person.speaker,
            }
            page["listed"] = _with_affiliation(page, ", {}")  # as a talk lists its speakers
        return page

    def talk(self, talk: ResolvedTalk, parent: str, number: int, forum: ResolvedForum) -> Page:
        """A talk's data; ``parent`` is its session heading's id, ``number`` its place."""
        record = talk.talk
        text = self.text
        speakers = [self.person(p) for p in talk.speakers]
        title = text.optional(record.title)
        anchor = _numbered(parent, number)
        names = Markdown(", ".join([p["link"] for p in speakers]))
        # in the programme: the title linked to its heading, then the speakers
        entry = (
            _struck(Markdown("[" + title + "](#" + anchor + ")"), record.status)
            if title is not None
            else names
        )
        when = text.optional(time_span(record) if record.start else None)
        format_2 = self._format_2(record, forum)
        parts = [part for part in (format_2["status"], when, format_2["track"]) if part is not None]
        page = self.talks[id(talk)] = {
            "title": title,
            # the heading: the title, else the speakers' names linked to their pages
            "heading": _struck(title if title is not None else names, record.status),
            "anchor": anchor,
            "entry": entry,
            # the programme's cell: the entry, and the speakers after a title
            "programme_entry": Markdown(entry + " (" + names + ")") if title is not None else entry,
            "speakers": speakers,
            "speaker_names": text(", ".join([p.speaker.name for p in talk.speakers])),
            "speaker_links": names,
            "summary": _markdown(record.summary),
            "quotes": [self._quote(q) for q in record.quotes],
            **format_2,
            "when": when,
            "details": _joined(" · ", parts) if parts else None,  # status · when · track
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
            "struck": record.status in STRUCK,
            "track": self.text.optional(track.name if track is not None else None),
            "links": [
                link(f"{item.kind.capitalize()}: {item.title or item.url}", item.url)
                for item in record.links
            ],
            **_own_page(record),
        }

    def _when(self, session: ResolvedSession, several_days: bool) -> str:
        """The session's times, after its day when the forum lasts several days."""
        times = time_span(session.session)
        if several_days and session.day is not None:
            return ", ".join(part for part in (self.dates.day(session.day), times) if part)
        return times

    def session(self, session: ResolvedSession, forum: ResolvedForum, several_days: bool) -> Page:
        record = session.session
        text = self.text
        when = self._when(session, several_days)
        anchor = session_anchor(session.id)
        title = text(record.title)
        chairs = [self.person(p) for p in session.chairs]
        talks = [
            self.talk(t, anchor, number, forum) for number, t in enumerate(session.talks, start=1)
        ]
        page = self.sessions[session.id] = {
            "id": session.id,
            "title": title,
            "heading": _struck(title, record.status),
            "anchor": anchor,
            "former_anchors": former_anchors(session.id, getattr(record, "former_ids", ())),
            "link": _struck(Markdown("[" + title + "](#" + anchor + ")"), record.status),
            "kind": text.optional(record.kind),
            "room": text.optional(record.room),
            "order": record.order,
            "when": text(when),
            "details": text.selected(
                " · ", (record.status and record.status.upper(), record.kind, when, record.room)
            ),
            "chairs": chairs,
            "chair_names": text(", ".join([p.speaker.name for p in session.chairs])),
            "chair_links": Markdown(", ".join([p["link"] for p in chairs])),
            "chair_entries": Markdown("; ".join([_with_affiliation(p, " ({})") for p in chairs])),
            "summary": _markdown(record.summary),
            "talks": talks,
            "programme_talks": Markdown("<br>".join([t["programme_entry"] for t in talks])),
            **self._format_2(record, forum),
            "record": record,
        }
        return page

    def _timetable(self, forum: ResolvedForum, sessions: dict[str, Page]) -> list[Page]:
        """One grid per day, rooms as columns, each cell linking to its sessions; none
        unless a timed session has a room."""
        layout = grid(forum.sessions, lambda s: s.session, lambda s: s.day)
        if not any(room is not None for room in layout.rooms):
            return []
        days = []
        for day in layout.days:
            one_day = layout.day(day)
            rows = [
                {
                    "time": Markdown(clock(slot.start)),
                    "cells": [
                        _joined("<br>", (self._cell(sessions[s.id], s.session) for s in cell))
                        for cell in slot.cells
                    ],
                }
                for slot in one_day.slots
            ]
            days.append(
                {
                    "day": self.text(self.dates.weekday(day)),
                    "anchor": day_anchor(day),
                    "rooms": [self.text(room or NO_ROOM) for room in one_day.rooms],
                    "rows": rows,
                }
            )
        return days

    @staticmethod
    def _cell(page: Page, session: Session) -> Markdown:
        until = f" (until {clock(session.end)})" if session.end else ""
        return Markdown(page["link"] + until)

    def _outcome(self, outcome: Outcome) -> Page:
        return {
            "title": self.text(outcome.title),
            "kind": self.text(outcome.kind),
            "summary": _markdown(outcome.summary),
            "record": outcome,
        }

    def _source(self, source: Source) -> Page:
        date = self.dates.day(source.date) if source.date else None
        return {
            "link": link(source.title, source.url),
            "details": [self.text(part) for part in (source.publisher, date) if part],
            "authors": self.text.listed(", ", source.authors),
            "record": source,
        }

    def _forum_head(self, forum: ResolvedForum, series_pages: dict[str, Markdown]) -> Page:
        """What a forum's page and the lists of forums both show."""
        record = forum.forum
        text = self.text
        title = text(record.title)
        return {
            "id": forum.id,
            "page": forum_page(forum.id),
            "link": Markdown(f"[{title}]({forum_page(forum.id)})"),
            "title": title,
            "series": text.optional(record.series),
            "series_page": series_pages.get(record.series) if record.series else None,
            "edition": text.optional(record.edition),
            "dates": text(self.dates.span(record.start, record.end)),
            "year": record.start.year,
            "year_page": year_page(record.start.year),
            "city": text.optional(record.city),
            "place": text.selected(", ", (record.venue, record.city)),
        }

    def forum_summary(self, forum: ResolvedForum, series_pages: dict[str, Markdown]) -> Page:
        """A forum as the front page, the years and the series list it: its head and
        record (not its programme: see :func:`_listings`)."""
        return {**self._forum_head(forum, series_pages), "record": forum.forum}

    def forum(self, forum: ResolvedForum, series_pages: dict[str, Markdown]) -> Page:
        record = forum.forum
        text = self.text
        several_days = record.start != record.end
        sessions = [self.session(s, forum, several_days) for s in forum.sessions]
        by_id = {page["id"]: page for page in sessions}
        return {
            **self._forum_head(forum, series_pages),
            "kind": text.optional(record.kind),
            "organizers": text.listed("; ", record.organizers),
            "tags": text.listed(", ", record.tags),
            "summary": _markdown(record.summary),
            **_own_page(record),
            "tracks": [
                {"name": text(t.name), "color": text.optional(t.color)} for t in record.tracks
            ],
            "timed": any(s.session.start for s in forum.sessions),
            "timetable": self._timetable(forum, by_id),
            "untimed": [
                by_id[s.id] for s in forum.sessions if s.session.start is None or s.day is None
            ],
            "sessions": sessions,
            "outcomes": [self._outcome(o) for o in record.outcomes],
            "sources": [self._source(s) for s in record.sources],
            "jsonld": None,
            "record": record,
        }

    def _appearing(self, appearance: ResolvedAppearance, forum: Page) -> Page:
        """What the appearances in one session (as chair) or talk share on speakers' pages:
        the forum, session and talk, linked from ``people/``, the role and the day. Made
        once for all who appear there."""
        # a session's ID for its chairs, the resolved talk (kept by the resolved archive)
        # for its speakers: a talk's anchor is unique within its forum only
        resolved_talk = appearance.talk
        key = appearance.session.id if resolved_talk is None else id(resolved_talk)
        found = self._appearing_in.get(key)
        if found is None:
            session = self.sessions[appearance.session.id]
            talk = None if resolved_talk is None else self.talks[id(resolved_talk)]
            page, forum_link, session_link, date = self._from_people(appearance, forum, session)
            found = self._appearing_in[key] = {
                "forum": forum,
                "session": session,
                "talk": talk,
                "forum_link": forum_link,
                "session_link": session_link,
                "talk_link": None
                if talk is None
                else Markdown(
                    "[" + (talk["title"] or "talk") + "](" + page + "#" + talk["anchor"] + ")"
                ),
                "role": _CHAIR if talk is None else _SPEAKER,
                "date": date,
            }
        return found

    def _from_people(
        self, appearance: ResolvedAppearance, forum: Page, session: Page
    ) -> tuple[str, Markdown, Markdown, Markdown]:
        """What every appearance in a session shows alike: the forum's page from
        ``people/``, the links to the forum and the session there, and the day."""
        found = self._session_shown.get(session["id"])
        if found is None:
            page = BELOW + forum["page"]
            day = appearance.session.day
            found = self._session_shown[session["id"]] = (
                page,
                Markdown("[" + forum["title"] + "](" + page + ")"),
                Markdown("[" + session["title"] + "](" + page + "#" + session["anchor"] + ")"),
                self.text(self.dates.day(day)) if day is not None else forum["dates"],
            )
        return found

    def appearance(self, speaker_id: str, appearance: ResolvedAppearance, forum: Page) -> Page:
        """One appearance on a speaker's page: the forum, the session, the talk (none when
        chairing), the day, and the affiliation held then."""
        persons = appearance.session.chairs if appearance.talk is None else appearance.talk.speakers
        for person in persons:  # a loop: quicker than next() of a generator, 73,000 times on M
            if person.id == speaker_id:
                break
        else:
            raise AssertionError(f"{speaker_id} does not appear in {appearance.session.id}")
        return {
            **self._appearing(appearance, forum),
            "affiliation": self.text.optional(person.affiliation),
        }


def _speaker_links(speaker: Speaker) -> list[tuple[str, str]]:
    """A speaker's links as (kind, URL): the ORCID iD as its URL, the others as given."""
    links = []
    for kind, value in speaker.links.items():
        url = f"https://orcid.org/{value}" if kind == "orcid" else value
        links.append((kind, url))
    return links


def _initial(speaker: Speaker) -> str:
    """The letter a speaker is listed under: the first of their name as collation reads
    it (:mod:`forumctl.collation`: 张伟 under Z, Émile under E), else "#"."""
    first = sort_key(speaker.sort_name or speaker.name)[0][:1].upper()
    return first if first.isascii() and first.isalpha() else "#"


def series_pages(forums: Iterable[ResolvedForum]) -> dict[str, Markdown]:
    """Each series' page, ``series/<slug>.md``, its slug numbered when two names give one."""
    pages: dict[str, Markdown] = {}
    taken: set[str] = set()
    for forum in forums:
        name = forum.forum.series
        if not name or name in pages:
            continue
        base = make_slug(name) or "series"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        pages[name] = Markdown(f"{SERIES_DIRECTORY}/{slug}.md")
    return pages


@dataclass(frozen=True, slots=True)
class Selection:
    """The pages an incremental export renders (their paths) and the forums and speakers
    (by ID) whose whole page data they hold (:func:`forumctl.export.incremental.reached`):
    only those are made."""

    pages: frozenset[str]
    forums: frozenset[str]
    speakers: frozenset[str]
    listings: bool = True  # whether a listing page is among them (else none is made)
    # whether the archive was resolved whole: else what is made from all of it (a site's
    # configuration and Changes page) is not made, and its files are kept as they are
    archive_wide: bool = True


@dataclass(frozen=True, slots=True)
class Pages:
    """The page data of every page, as the templates get them."""

    archive: Page
    forums: list[Page]  # oldest first
    years: list[Page]  # newest first: year, page, forums (oldest first)
    latest: list[Page]  # the newest forums, newest first
    series: list[Page]  # by name: name, page, forums (by edition, then date)
    letters: list[Page]  # letter, anchor, speakers (by sort name)
    speakers: list[Page]  # by sort name, each with its appearances


def pages(resolved: ResolvedArchive, *, only: Selection | None = None) -> Pages:
    """The page data of the archive (its name and description), the forums, years,
    series and speakers (``jsonld`` of a forum or speaker is None: the site gives the
    JSON-LD to its page alone, where the page is rendered); ``only`` the forums and
    speakers it selects (and the forums those speakers appear in: their appearances show
    them). The listings (years, latest, series, letters) hold every forum and speaker,
    as summaries."""
    build = _Builder(Dates(resolved.language))
    series_by_name = series_pages(resolved.forums)  # of all: a slug is numbered by those before
    chosen, entries = resolved.forums, resolved.speakers
    if only is not None:
        entries = tuple(entry for entry in entries if entry.id in only.speakers)
        wanted = {*only.forums, *(a.forum.id for entry in entries for a in entry.appearances)}
        chosen = tuple(forum for forum in chosen if forum.id in wanted)
    forums = [build.forum(forum, series_by_name) for forum in chosen]
    by_id = {forum["id"]: forum for forum in forums}
    speakers = [
        {
            **build.speaker(entry.id, entry.speaker),
            "appearances": [
                build.appearance(entry.id, a, by_id[a.forum.id]) for a in entry.appearances
            ],
            "jsonld": None,
        }
        for entry in entries
    ]
    years, latest, series, letters = (
        _listings(build, resolved, series_by_name)
        if only is None or only.listings
        else ([], [], [], [])  # (no listing page is rendered: their summaries are not made)
    )
    manifest = resolved.manifest
    archive = {
        "name": build.text(manifest.name),
        "description": _markdown(manifest.description),
        "record": manifest,
    }
    return Pages(archive, forums, years, latest, series, letters, speakers)


def _listings(
    build: _Builder, resolved: ResolvedArchive, series_by_name: dict[str, Markdown]
) -> tuple[list[Page], list[Page], list[Page], list[Page]]:
    """The years, the newest forums, the series and the letters of speakers, for the
    listing pages (the front page, ``years/``, ``series.md``, ``series/``, ``speakers.md``).
    They hold every forum and speaker as a summary, not their whole page data: a listing
    page then depends only on what it can show, and an incremental export renders it again
    only when a summary changes, not after every edit of a programme."""
    forums = [build.forum_summary(forum, series_by_name) for forum in resolved.forums]
    by_year: dict[int, list[Page]] = {}
    for forum in forums:
        by_year.setdefault(forum["year"], []).append(forum)
    years = [
        {"year": year, "page": year_page(year), "anchor": Markdown(f"_year-{year}"), "forums": f}
        for year, f in sorted(by_year.items(), reverse=True)
    ]
    series = []
    for name in sorted(series_by_name, key=str.casefold):
        editions = [f for f in forums if f["record"].series == name]
        editions.sort(key=lambda f: (f["record"].edition is None, f["record"].edition or 0))
        series.append({"name": build.text(name), "page": series_by_name[name], "forums": editions})
    by_letter: dict[str, list[Page]] = {}
    for entry in resolved.speakers:
        by_letter.setdefault(_initial(entry.speaker), []).append(build.speaker_summary(entry))
    letters = [
        {
            "letter": build.text(letter),
            "anchor": Markdown("_letter-other" if letter == "#" else f"_letter-{letter.lower()}"),
            "speakers": group,
        }
        for letter, group in sorted(by_letter.items(), key=lambda item: (item[0] == "#", item[0]))
    ]
    return years, forums[::-1][:LATEST], series, letters
