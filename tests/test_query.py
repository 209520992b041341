"""query: affiliation_at's rule, sort orders, filters, appearances, lazy loading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE, SAMPLE_FORUM

from forumctl.archive import Archive
from forumctl.query import (
    Filters,
    affiliation_at,
    affiliations_held,
    appearances,
    list_forums,
    list_sessions,
    list_speakers,
)
from forumctl.records import Affiliation, Forum, Speaker, Talk

FORUM = Forum(title="F", start=dt.date(2020, 12, 12), end=dt.date(2020, 12, 13))


def _speaker(*affiliations: Affiliation) -> Speaker:
    return Speaker(name="A", affiliations=affiliations)


def test_affiliation_at_prefers_the_talks_own() -> None:
    speaker = _speaker(Affiliation(organization="Org", role="dean"))
    talk = Talk(speakers=("a",), affiliations={"a": "visiting professor, Elsewhere"})
    assert affiliation_at("a", speaker, FORUM, talk) == "visiting professor, Elsewhere"
    assert affiliation_at("b", speaker, FORUM, talk) == "dean, Org"


def test_affiliation_at_prefers_dated_ones_that_include_the_forum() -> None:
    speaker = _speaker(
        Affiliation(organization="Now", role="dean", since=dt.date(2021, 1, 1)),
        Affiliation(organization="Then", since=dt.date(2015, 1, 1), until=dt.date(2020, 12, 12)),
        Affiliation(organization="Undated"),
    )
    assert affiliation_at("a", speaker, FORUM) == "Then"


def test_affiliation_at_falls_back_to_undated_ones_joined() -> None:
    speaker = _speaker(
        Affiliation(organization="Later", since=dt.date(2022, 1, 1)),
        Affiliation(organization="One", role="chair"),
        Affiliation(organization="Two"),
    )
    assert affiliation_at("a", speaker, FORUM) == "chair, One; Two"
    assert affiliation_at("a", _speaker(), FORUM) is None


def test_affiliations_at_answers_with_records() -> None:
    dean = Affiliation(organization="Org", role="dean")
    talk = Talk(speakers=("a",), affiliations={"a": "visiting professor, Elsewhere"})
    assert affiliations_held("a", _speaker(dean), FORUM, talk) == (
        Affiliation(organization="visiting professor, Elsewhere"),
    )
    assert affiliations_held("a", _speaker(dean), FORUM) == (dean,)
    assert affiliations_held("a", _speaker(), FORUM) == ()


def test_appearances_of_a_sample_speaker() -> None:
    found = appearances(Archive.open(SAMPLE), "sheng-shihao")
    assert [(a.role, a.row.session_id, a.affiliation) for a in found] == [
        (
            "talk",
            f"{SAMPLE_FORUM}/speeches",
            "deputy director, Propaganda Department of the Zhejiang Provincial Party Committee;"
            " chairman, Zhejiang Provincial Federation of Social Sciences",
        )
    ]


ForumFiles = dict[str, str]


def _forums(make_archive: Callable[[ForumFiles], Path]) -> Archive:
    return Archive.open(
        make_archive(
            {
                "forums/b/forum.toml": 'title = "B"\nstart = 2021-05-01\nend = 2021-05-01\n',
                "forums/a/forum.toml": (
                    'title = "A"\nstart = 2022-01-01\nend = 2022-01-02\ncity = "Ningbo"\n'
                    'tags = ["Trade"]\n'
                ),
                "forums/a/sessions/late.toml": 'title = "Late"\ndate = 2022-01-02\n',
                "forums/a/sessions/second.toml": 'title = "Second"\norder = 2\nstart = 09:00:00\n',
                "forums/a/sessions/first.toml": (
                    'title = "First"\norder = 1\nchairs = ["zed"]\n'
                    '[[talks]]\nspeakers = ["amy"]\ntitle = "On trade"\n'
                ),
                "speakers/zed.toml": 'name = "Zed Able"\nsort_name = "Able, Zed"\n',
                "speakers/amy.toml": 'name = "Amy Zhu"\nsort_name = "Zhu, Amy"\n',
                "speakers/bob.toml": 'name = "Bob"\n',
            }
        )
    )


def test_sort_orders(make_archive: Callable[[ForumFiles], Path]) -> None:
    archive = _forums(make_archive)
    assert [fid for fid, _ in list_forums(archive, Filters())] == ["b", "a"]
    assert [row.session_id for row in list_sessions(archive, Filters())] == [
        "a/first",
        "a/second",
        "a/late",
    ]
    assert [sid for sid, _ in list_speakers(archive, Filters())] == ["zed", "bob", "amy"]


def test_filters(make_archive: Callable[[ForumFiles], Path]) -> None:
    archive = _forums(make_archive)
    assert [f for f, _ in list_forums(archive, Filters(year=2022))] == ["a"]
    assert [f for f, _ in list_forums(archive, Filters(tag="trade", city="NINGBO"))] == ["a"]
    assert [f for f, _ in list_forums(archive, Filters(speaker="amy"))] == ["a"]
    sessions = list_sessions(archive, Filters(search="trade"))
    assert [row.session_id for row in sessions] == ["a/first"]
    sessions = list_sessions(archive, Filters(search="zhu"))
    assert [row.session_id for row in sessions] == ["a/first"]
    assert [s for s, _ in list_speakers(archive, Filters(forum="a"))] == ["zed", "amy"]
    assert [s for s, _ in list_speakers(archive, Filters(search="BO"))] == ["bob"]


def test_list_speakers_reads_no_session_without_a_forum_filter(
    make_archive: Callable[[ForumFiles], Path],
) -> None:
    archive = _forums(make_archive)
    assert [sid for sid, _ in list_speakers(archive, Filters(search="a"))] == ["zed", "amy"]
    # exactly the speaker files were read: an empty set would mean the test checks nothing
    assert sorted(archive._files) == ["speakers/amy.toml", "speakers/bob.toml", "speakers/zed.toml"]


def _names_in_two_scripts(make_archive: Callable[[ForumFiles], Path]) -> Archive:
    return Archive.open(
        make_archive(
            {
                "forums/f/forum.toml": (
                    'title = "Forum über Städte"\nstart = 2024-05-01\nend = 2024-05-01\n'
                ),
                "forums/f/sessions/s.toml": 'title = "S"\n[[talks]]\nspeakers = ["zhang-wei"]\n',
                "forums/f/sessions/t.toml": 'title = "T"\n[[talks]]\nspeakers = ["dupont"]\n',
                "speakers/zhang-wei.toml": 'name = "Zhāng Wěi"\nname_original = "张伟"\n',
                "speakers/dupont.toml": 'name = "Cé  Dupont"\n',
            }
        )
    )


def test_search_ignores_case_and_script_in_every_listing(
    make_archive: Callable[[ForumFiles], Path],
) -> None:
    archive = _names_in_two_scripts(make_archive)

    def speakers(search: str) -> list[str]:
        return [sid for sid, _ in list_speakers(archive, Filters(search=search))]

    def sessions(search: str) -> list[str]:
        return [row.session_id for row in list_sessions(archive, Filters(search=search))]

    assert speakers("zhang wei") == speakers("张伟") == speakers("ZHĀNG") == ["zhang-wei"]
    assert speakers("ce dupont") == speakers("CÉ DUPONT") == ["dupont"]
    assert sessions("张伟") == sessions("zhang wei") == ["f/s"]
    assert sessions("ce dupont") == ["f/t"]
    assert [fid for fid, _ in list_forums(archive, Filters(search="UBER stadte"))] == ["f"]
