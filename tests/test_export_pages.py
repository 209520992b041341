"""The page data of only some pages (``pages(..., forums=, speakers=)``): what a re-export
renders when only those pages changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from export_archives import CONF, OLD, TIMED

from forumctl.archive import Archive
from forumctl.export.model import ResolvedArchive, resolve
from forumctl.export.pages import Page, pages


def _resolved(make_archive: Callable[[dict[str, str]], Path]) -> ResolvedArchive:
    return resolve(Archive.open(make_archive(TIMED)))


def _by_id(found: list[Page]) -> dict[str, Page]:
    return {page["id"]: page for page in found}


def test_the_wanted_forums_and_speakers_get_the_page_data_of_a_whole_export(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    resolved = _resolved(make_archive)
    every = pages(resolved)
    some = pages(resolved, forums=[OLD], speakers=["cy"])
    assert [forum["id"] for forum in some.forums] == [OLD]
    assert [speaker["id"] for speaker in some.speakers] == ["cy"]
    assert some.forums == [_by_id(every.forums)[OLD]]
    # cy appears only in conf-2021, which is not wanted: the appearances are as in full
    assert some.speakers == [_by_id(every.speakers)["cy"]]
    assert [a["forum"]["id"] for a in some.speakers[0]["appearances"]] == [CONF, CONF]
    assert [year["year"] for year in some.years] == [2015]
    assert [speaker["id"] for letter in some.letters for speaker in letter["speakers"]] == ["cy"]
    assert some.archive == every.archive


def test_no_forum_wanted_lists_none(make_archive: Callable[[dict[str, str]], Path]) -> None:
    some = pages(_resolved(make_archive), forums=[], speakers=[])
    assert (some.forums, some.years, some.latest, some.speakers, some.letters) == (
        [],
        [],
        [],
        [],
        [],
    )


def test_without_a_selection_every_page_is_made(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    every = pages(_resolved(make_archive))
    assert [forum["id"] for forum in every.forums] == [OLD, CONF]
    assert [speaker["id"] for speaker in every.speakers] == ["bo", "cy", "dee", "ada"]
