"""The page data of only some pages (``pages(..., only=Selection(...))``): what a re-export
renders when only those pages changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from export_archives import CONF, OLD, TIMED

from forumctl.archive import Archive
from forumctl.export.model import ResolvedArchive, resolve
from forumctl.export.pages import Page, Selection, pages


def _resolved(make_archive: Callable[[dict[str, str]], Path]) -> ResolvedArchive:
    return resolve(Archive.open(make_archive(TIMED)))


def _by_id(found: list[Page]) -> dict[str, Page]:
    return {page["id"]: page for page in found}


def _only(forums: list[str], speakers: list[str]) -> Selection:
    return Selection(frozenset(), frozenset(forums), frozenset(speakers))


def test_the_wanted_forums_and_speakers_get_the_page_data_of_a_whole_export(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    resolved = _resolved(make_archive)
    every = pages(resolved)
    some = pages(resolved, only=_only([OLD], ["cy"]))
    # cy appears only in conf-2021, which is not asked for: made too, as in full
    assert some.forums == every.forums
    assert [forum["id"] for forum in some.forums] == [OLD, CONF]
    assert some.speakers == [_by_id(every.speakers)["cy"]]
    assert [a["forum"]["id"] for a in some.speakers[0]["appearances"]] == [CONF, CONF]
    # the listings are of every forum and speaker, as summaries
    assert (some.years, some.latest, some.series, some.letters) == (
        every.years,
        every.latest,
        every.series,
        every.letters,
    )
    assert some.archive == every.archive


def test_no_forum_wanted_makes_no_forum_or_speaker_page_data(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    resolved = _resolved(make_archive)
    some = pages(resolved, only=_only([], []))
    assert (some.forums, some.speakers) == ([], [])
    assert some.years == pages(resolved).years


def test_without_a_selection_every_page_is_made(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    every = pages(_resolved(make_archive))
    assert [forum["id"] for forum in every.forums] == [OLD, CONF]
    assert [speaker["id"] for speaker in every.speakers] == ["bo", "cy", "dee", "ada"]
