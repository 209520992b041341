"""References: every chair, talk speaker, author and affiliation key names a speaker
file; every speaker is referred to by some session (a warning); every `track` names one
of its forum's tracks and every quote's `source` one of its forum's sources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from forumctl.records import KeyPath, Quote
from forumctl.references import references, referred_ids
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read


def check_references(index: ArchiveIndex) -> Iterator[Issue]:
    known = index.speakers
    choices: list[str] | None = None  # for did-you-mean, listed once if needed
    referenced: set[str] = set()
    for _, _, loaded, session in index.valid_sessions():
        named = referred_ids(session, "speaker")
        referenced.update(named)
        # the key paths only for a session that names someone unknown (40,000 talks on M)
        if not all(map(known.__contains__, named)):
            for path, speaker_id, *_ in references(session, "speaker"):
                if speaker_id not in known:
                    if choices is None:
                        choices = index.all_speaker_ids()
                    yield Issue(
                        loaded.rel,
                        path,
                        rules.MISSING_SPEAKER,
                        f"no speaker '{speaker_id}' (speakers/{speaker_id}.toml does not exist)"
                        + _suggestion(speaker_id, choices),
                    )
        for t, talk in enumerate(session.talks):
            if talk.speakers is None:
                continue  # missing or wrong (reported): no telling who the speakers are
            for speaker_id in talk.affiliations:
                if speaker_id not in talk.speakers:
                    yield Issue(
                        loaded.rel,
                        ("talks", t, "affiliations", speaker_id),
                        rules.AFFILIATION_NOT_IN_TALK,
                        f"affiliation for '{speaker_id}', who is not a speaker of this talk"
                        f" ({', '.join(talk.speakers)})",
                    )
    yield from _forum_references(index)
    # A session that is no TOML may refer to anyone: no guesses then.
    if all(record_as_read(loaded) is not None for loaded in index.sessions.values()):
        for speaker_id, loaded in index.speakers.items():
            if speaker_id not in referenced and loaded.syntax_error is None:
                yield Issue(
                    loaded.rel,
                    (),
                    rules.UNREFERENCED_SPEAKER,
                    f"speaker '{speaker_id}' is not a chair or speaker of any session",
                )


def _suggestion(speaker_id: str, known: Iterable[str]) -> str:
    from forumctl.suggest import did_you_mean

    hint = did_you_mean(speaker_id, known)
    return f"; {hint}" if hint else ""


def _tracks_and_sources(session: Any) -> Iterator[tuple[KeyPath, str, str]]:
    """(key path, "track" or "source", ID) of what a session names in its forum."""
    if session.track is not None:
        yield ("track",), "track", session.track
    for t, talk in enumerate(session.talks):
        if talk.track is not None:
            yield ("talks", t, "track"), "track", talk.track
        for q, quote in enumerate(talk.quotes):
            if isinstance(quote, Quote) and quote.source is not None:
                yield ("talks", t, "quotes", q), "source", quote.source


def _forum_references(index: ArchiveIndex) -> Iterator[Issue]:
    """FC404 for a track, FC405 for a quote's source, that the session's forum lacks."""
    for forum_id, _, loaded, session in index.valid_sessions():
        forum = index.forum_record(forum_id)
        if forum is None:
            continue  # no forum file (FC302): nothing to compare with
        known = {
            "track": {track.id for track in forum.tracks},
            "source": {source.id for source in forum.sources if source.id is not None},
        }
        for path, kind, named in _tracks_and_sources(session):
            if named in known[kind]:
                continue
            listed = ", ".join(sorted(known[kind])) or "none"
            code = rules.UNKNOWN_TRACK if kind == "track" else rules.UNKNOWN_QUOTE_SOURCE
            what = "[[tracks]] id" if kind == "track" else "[[sources]] id"
            yield Issue(
                loaded.rel,
                path,
                code,
                f"no {kind} '{named}' in forum '{forum_id}' ({what}s: {listed})",
                related=index.forums[forum_id].rel,
            )
