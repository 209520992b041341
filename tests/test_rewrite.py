"""forumctl.rewrite: the plans of rename, merge and rm (which files move, the new text of
every file edited, what is deleted), before the change layer applies them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE

from forumctl.archive import Archive
from forumctl.errors import RecordExists, RecordNotFound, UsageError
from forumctl.rewrite import Difference, RecordInUse, plan_merge, plan_remove, plan_rename

MakeArchive = Callable[[dict[str, str]], Path]

COMMENTED = (
    "# kept as the organizers wrote it\n"
    'title = "C"\n'
    "chairs = ['ada', \"bo\"]  # two chairs\n"
    "\n"
    "[[talks]]\n"
    "speakers = [\n"
    '    "bo",  # the opening\n'
    '    "ada",\n'
    "]\n"
    'affiliations = { ada = "CASS", bo = "ZJU" }\n'
)


@pytest.fixture
def archive(make_archive: MakeArchive) -> Archive:
    return Archive.open(make_archive({**BASE, "forums/f/sessions/c.toml": COMMENTED}))


def test_rename_speaker_moves_its_file_and_rewrites_every_reference(archive: Archive) -> None:
    plan = plan_rename(archive, "speaker", "ada", "ada-lovelace")
    assert plan.moves == {"speakers/ada.toml": "speakers/ada-lovelace.toml"}
    assert plan.rewritten == {"forums/f/sessions/a.toml": 1, "forums/f/sessions/c.toml": 3}
    assert plan.texts["forums/f/sessions/a.toml"] == BASE["forums/f/sessions/a.toml"].replace(
        '["ada"]', '["ada-lovelace"]'
    )
    assert plan.texts["forums/f/sessions/c.toml"] == (
        COMMENTED.replace("'ada'", "'ada-lovelace'")  # the quoting stays
        .replace('    "ada",', '    "ada-lovelace",')
        .replace("{ ada =", "{ ada-lovelace =")
    )
    assert plan.deletions == []
    assert plan.warnings == [
        "a format-1 archive has no uid: the speaker's exported frab person GUIDs change with"
        " the ID; 'forumctl migrate' to format 2 keeps them across renames"
    ]


def test_rename_session_to_another_forum_and_rename_forum_move_files(
    make_archive: MakeArchive,
) -> None:
    files = {**BASE, "forums/g/forum.toml": BASE["forums/f/forum.toml"]}
    files["forums/f/notes.txt"] = "not a record, but the forum's\n"
    archive = Archive.open(make_archive(files))
    plan = plan_rename(archive, "session", "f/a", "g/a2")
    assert (plan.moves, plan.texts) == (
        {"forums/f/sessions/a.toml": "forums/g/sessions/a2.toml"},
        {},
    )
    plan = plan_rename(archive, "forum", "f", "f-2020")
    assert plan.moves == {
        "forums/f/forum.toml": "forums/f-2020/forum.toml",
        "forums/f/notes.txt": "forums/f-2020/notes.txt",
        "forums/f/sessions/a.toml": "forums/f-2020/sessions/a.toml",
        "forums/f/sessions/b.toml": "forums/f-2020/sessions/b.toml",
    }


def test_rename_refuses_taken_and_bad_ids_and_suggests_for_unknown_ones(
    archive: Archive,
) -> None:
    with pytest.raises(RecordExists) as taken:
        plan_rename(archive, "speaker", "ada", "bo")
    assert str(taken.value) == (
        "speakers/bo.toml: speaker 'bo' already exists (to make them one person:"
        " forumctl merge speaker OLD bo)"
    )
    with pytest.raises(UsageError, match="'Ada L' is not a valid speaker ID"):
        plan_rename(archive, "speaker", "ada", "Ada L")
    with pytest.raises(RecordNotFound, match="did you mean 'ada'"):
        plan_rename(archive, "speaker", "adda", "x")
    with pytest.raises(RecordNotFound, match="no forum 'h'"):
        plan_rename(archive, "session", "f/a", "h/a")


def test_merge_rewrites_references_fills_in_fields_and_lists_differences(
    make_archive: MakeArchive,
) -> None:
    files = {
        **BASE,
        "forums/f/sessions/c.toml": COMMENTED,
        "speakers/ada.toml": (
            'name = "Ada Lovelace"  # as printed\nbio = "Mathematician."\n\n'
            '[links]\nwebsite = "https://ada.example"\n'
        ),
        "speakers/bo.toml": (
            'name = "Bo Li"\nname_original = "李博"\nbio = "Writer."\n\n'
            '[links]\nwebsite = "https://bo.example"\nblog = "https://blog.example"\n'
        ),
    }
    archive = Archive.open(make_archive(files))
    plan = plan_merge(archive, "bo", "ada")
    assert plan.deletions == ["speakers/bo.toml"]
    assert plan.rewritten == {
        "forums/f/sessions/a.toml": 1,
        "forums/f/sessions/b.toml": 1,
        "forums/f/sessions/c.toml": 3,
    }
    assert plan.texts["speakers/ada.toml"] == (
        'name = "Ada Lovelace"  # as printed\nname_original = "李博"\nbio = "Mathematician."\n\n'
        '[links]\nwebsite = "https://ada.example"\nblog = "https://blog.example"\n'
    )
    assert plan.texts["forums/f/sessions/c.toml"] == (
        "# kept as the organizers wrote it\n"
        'title = "C"\n'
        "chairs = ['ada']  # two chairs\n"
        "\n"
        "[[talks]]\n"
        "speakers = [\n"
        '    "ada",\n'
        "]\n"
        'affiliations = { ada = "CASS" }\n'
    )
    assert plan.differences == [
        Difference("name", "Ada Lovelace", "Bo Li", False),
        Difference("bio", "Mathematician.", "Writer.", False),
        Difference("links.website", "https://ada.example", "https://bo.example", False),
    ]
    taken = plan_merge(archive, "bo", "ada", take=["bio", "links.website"])
    assert taken.differences[1:] == [
        Difference("bio", "Writer.", "Mathematician.", True),
        Difference("links.website", "https://bo.example", "https://ada.example", True),
    ]
    assert 'bio = "Writer."\n' in taken.texts["speakers/ada.toml"]
    with pytest.raises(UsageError) as wrong:
        plan_merge(archive, "bo", "ada", take=["boi"])
    assert str(wrong.value) == "--take boi: no such speaker field (did you mean 'bio'?)"
    with pytest.raises(UsageError, match="into itself"):
        plan_merge(archive, "bo", "bo")


def test_rm_refuses_what_is_referred_to_and_lists_each_reference(archive: Archive) -> None:
    with pytest.raises(RecordInUse) as in_use:
        plan_remove(archive, "speaker", "bo")
    assert str(in_use.value) == (
        "speaker 'bo' is named 5 times in 3 files; nothing removed (--force removes those"
        " references too: forumctl rm speaker bo --force)"
    )
    assert in_use.value.details == (
        "forums/f/sessions/a.toml:6: chairs",
        "forums/f/sessions/b.toml:8: talk 1 speakers",
        "forums/f/sessions/c.toml:3: chairs",
        "forums/f/sessions/c.toml:7: talk 1 speakers",
        "forums/f/sessions/c.toml:10: talk 1 affiliations",
    )


def test_rm_force_removes_references_but_never_leaves_a_talk_without_speaker(
    make_archive: MakeArchive,
) -> None:
    chaired = COMMENTED.replace("chairs = ['ada', \"bo\"]", "chairs = ['ada', \"cy\"]")
    files = {**BASE, "speakers/cy.toml": 'name = "Cy"\n', "forums/f/sessions/c.toml": chaired}
    archive = Archive.open(make_archive(files))
    with pytest.raises(UsageError) as emptied:
        plan_remove(archive, "speaker", "bo", force=True)
    assert str(emptied.value) == (
        "removing speaker 'bo' would leave talk 1 of session 'f/b' without a speaker;"
        " nothing removed (give the talk another speaker or remove it first"
        " (forumctl edit session))"
    )
    plan = plan_remove(archive, "speaker", "cy", force=True)
    assert plan.deletions == ["speakers/cy.toml"]
    assert plan.rewritten == {"forums/f/sessions/c.toml": 1}
    assert plan.texts == {"forums/f/sessions/c.toml": COMMENTED.replace(', "bo"]', "]")}


def test_rm_session_and_forum(archive: Archive) -> None:
    assert plan_remove(archive, "session", "f/c").deletions == ["forums/f/sessions/c.toml"]
    with pytest.raises(RecordInUse) as in_use:
        plan_remove(archive, "forum", "f")
    assert str(in_use.value) == (
        "forum 'f' has 3 sessions; nothing removed (--force removes them too:"
        " forumctl rm forum f --force)"
    )
    assert plan_remove(archive, "forum", "f", force=True).deletions == [
        "forums/f/forum.toml",
        "forums/f/sessions/a.toml",
        "forums/f/sessions/b.toml",
        "forums/f/sessions/c.toml",
    ]
