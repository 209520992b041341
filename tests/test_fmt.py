"""fmt's core: canonical text, values kept, comments detected, idempotence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE

from forumctl.archive import Archive
from forumctl.fmt import comment_lines, format_archive, unified_diff
from forumctl.records import Session, load
from forumctl.toml_io import parse

MakeArchive = Callable[[dict[str, str]], Path]
# b.toml with its keys out of order, odd spacing and a literal string
SCRAMBLED_B = (
    'room="Hall 1"\n'
    "end = 11:00:00\n"
    "title = 'B'\n"
    "start   = 10:00:00\n"
    "date = 2020-12-12\n"
    "\n"
    "[[talks]]\n"
    "speakers = [ 'bo' ]\n"
)  # fmt: skip
CANONICAL_B = (
    "#:schema ../../../schemas/session.schema.json\n"
    'title = "B"\n'
    "date = 2020-12-12\n"
    "start = 10:00:00\n"
    "end = 11:00:00\n"
    'room = "Hall 1"\n'
    "\n"
    "[[talks]]\n"
    "speakers = [\n"
    '    "bo",\n'
    "]\n"
)


def test_rewrites_to_canonical_keeping_values(make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "forums/f/sessions/b.toml": SCRAMBLED_B})
    results = {r.rel: r for r in format_archive(Archive.open(root))}
    result = results["forums/f/sessions/b.toml"]
    assert result.status == "changed"
    assert result.canonical == CANONICAL_B
    before = load(Session, parse(SCRAMBLED_B, "b"))[0]
    assert load(Session, parse(result.canonical, "b"))[0] == before


def test_only_the_given_paths(make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "forums/f/sessions/b.toml": SCRAMBLED_B})
    results = format_archive(Archive.open(root), ["speakers"])
    assert [r.rel for r in results] == ["speakers/ada.toml", "speakers/bo.toml"]


def test_diff_is_unified(make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/ada.toml": 'name="Ada Lovelace"\n'})
    results = {r.rel: r for r in format_archive(Archive.open(root))}
    assert unified_diff(results["speakers/ada.toml"]).split("\n") == [
        "--- a/speakers/ada.toml",
        "+++ b/speakers/ada.toml",
        "@@ -1 +1,2 @@",
        '-name="Ada Lovelace"',
        "+#:schema ../schemas/speaker.schema.json",
        '+name = "Ada Lovelace"',
        "",
    ]


def test_comments_are_kept_and_placeless_ones_hold_a_file_back(
    make_archive: MakeArchive,
) -> None:
    commented = 'name = "Ada Lovelace"  # as printed\n'
    root = make_archive({**BASE, "speakers/ada.toml": commented})
    kept = {r.rel: r for r in format_archive(Archive.open(root))}["speakers/ada.toml"]
    assert (kept.status, kept.canonical) == (
        "changed",
        '#:schema ../schemas/speaker.schema.json\nname = "Ada Lovelace"  # as printed\n',
    )
    (root / "speakers/ada.toml").write_text('name = "Ada"\nbio = """\nA\n"""  # x\n')
    held = {r.rel: r for r in format_archive(Archive.open(root))}["speakers/ada.toml"]
    assert held.status == "has-comments"
    forced = {r.rel: r for r in format_archive(Archive.open(root), force=True)}
    assert forced["speakers/ada.toml"].status == "changed"


def test_files_that_do_not_load_are_not_touched(make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/ada.toml": 'name = "Ada"\nnmae = "x"\n'})
    result = {r.rel: r for r in format_archive(Archive.open(root))}["speakers/ada.toml"]
    assert result.status == "invalid"
    assert result.problem == (
        "speakers/ada.toml:2:1: unknown key 'nmae' in speaker; did you mean 'name'?"
    )


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('a = "x" # c\n', [1]),
        ("# top\na = 1\n", [1]),
        ("#:schema ../s.json\na = 1\n", []),
        ("a = 1\n#:schema ../s.json\n", [2]),
        ("a = \"# not a comment\"\nb = '#'\n", []),
        ('a = """\n# inside\n"""  # after\n', [3]),
        ("a = '''\n# inside ''\n'''\n", []),
        ('a = "say \\"#\\"" # c\n', [1]),
        ('a = """x""""  # c\n', [1]),
        ("a = [\n  1, # one\n  2,\n]\n", [2]),
        ('a = """one \\\n  two \\\n  three"""\n# c\nb = 1 # d\n', [4, 5]),
    ],
)
def test_comment_lines(text: str, lines: list[int]) -> None:
    assert comment_lines(text) == lines


def test_the_sample_archive_is_canonical() -> None:
    sample = Path(__file__).resolve().parent.parent / "archive"
    statuses = {r.rel: r.status for r in format_archive(Archive.open(sample))}
    assert set(statuses.values()) == {"unchanged"}
    assert len(statuses) == 10
