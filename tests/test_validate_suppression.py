"""``# forumctl: ignore[CODE]`` comments: each silences the findings it names, there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from base_archive import BASE

from forumctl.archive import Archive
from forumctl.validate import validate

MakeArchive = Callable[[dict[str, str]], Path]
EMPTY = 'title = "C"\ndate = 2020-12-12\n'  # a session without talks: FC503 at line 1
VENU = 'title = "Forum"\nstart = 2020-12-12\nend = 2020-12-13\nvenu = "Hall"{comment}\n'


def found(root: Path) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in validate(Archive.open(root)).findings]


def test_a_comment_on_the_line_silences_that_finding_there(make_archive: MakeArchive) -> None:
    forum = "forums/f/forum.toml"
    silenced = VENU.format(comment="  # forumctl: ignore[FC104]  kept from the old site")
    assert found(make_archive({**BASE, forum: silenced})) == []
    # another code, or the comment on another line, silences nothing
    other = VENU.format(comment="  # forumctl: ignore[FC105]")
    assert found(make_archive({**BASE, forum: other})) == [("FC104", forum, 4)]
    above = "# forumctl: ignore[FC104]\n" + VENU.format(comment="")
    assert found(make_archive({**BASE, forum: above})) == [("FC104", forum, 5)]


def test_several_codes_and_prefixes(make_archive: MakeArchive) -> None:
    session = "forums/f/sessions/c.toml"
    text = "#:schema ../../../schemas/session.schema.json\n" + EMPTY
    loud = {**BASE, session: text.replace('title = "C"', 'title = "C"\nroom = 3')}
    assert [code for code, _, _ in found(make_archive(loud))] == ["FC503", "FC102"]
    quiet = {
        **BASE,
        session: text.replace(
            'title = "C"', 'title = "C"\nroom = 3  # forumctl: ignore[FC503, FC1]'
        ),
    }
    assert [code for code, _, _ in found(make_archive(quiet))] == ["FC503"]  # FC503 is at line 1


def test_a_finding_about_the_whole_file_is_silenced_at_the_top(make_archive: MakeArchive) -> None:
    """A file-level finding (line 1) is silenced by a comment line before the first key,
    under the `#:schema` line, where the reason can be given."""
    session = "forums/f/sessions/c.toml"
    header = (
        "#:schema ../../../schemas/session.schema.json\n"
        "# forumctl: ignore[FC503]: the report names no speakers for this session\n"
    )
    assert found(make_archive({**BASE, session: header + EMPTY})) == []
    below = (
        "#:schema ../../../schemas/session.schema.json\n" + EMPTY + "# forumctl: ignore[FC503]\n"
    )
    assert found(make_archive({**BASE, session: below})) == [("FC503", session, 1)]


def test_text_in_a_string_is_no_comment(make_archive: MakeArchive) -> None:
    forum = "forums/f/forum.toml"
    text = VENU.format(comment="").replace('"Hall"', '"Hall # forumctl: ignore[FC104]"')
    assert found(make_archive({**BASE, forum: text})) == [("FC104", forum, 4)]
