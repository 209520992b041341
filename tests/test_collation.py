"""forumctl.collation: names in the order a reader expects, sort_name first, always the
same order."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli, lines

from forumctl.collation import sort_key, sorted_speakers
from forumctl.records import Speaker

# each tuple is in the order a reader of an English-language list expects
READING_ORDER = [
    ("Eden Hazard", "Émile Durand", "Eva Adams"),
    ("Anna Berg", "Åsa Lindqvist", "Axel Roth", "Zoë Baker"),
    ("Nils Ohlsson", "Ølberg Hansen", "Otto Weber"),
    ("Lars Olsen", "Łukasz Nowak", "Lydia Chen"),
    ("Dora Maar", "Đorđe Petrović", "Dvořák Antonín"),
    ("Strasbourg Eva", "Straße Anna", "Strauss Eva"),
    ("Yang Kaizhong", "张伟", "Zhang Xueliang"),
    ("李娜", "Liu Yang", "盛世豪", "Sheng Wei", "王小敏"),
    ("abel", "Abel", "ábel", "Ábel"),
    ("Zhang Wei", "张伟"),  # the same reading: Latin letters first
]


@pytest.mark.parametrize("expected", READING_ORDER, ids=lambda case: case[1])
def test_names_sort_as_a_reader_expects(expected: tuple[str, ...]) -> None:
    for seed in range(5):
        shuffled = list(expected)
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=sort_key) == list(expected)


def test_sort_name_wins_and_the_id_breaks_ties() -> None:
    speakers = [
        ("b-twin", Speaker(name="Wei Li")),
        ("zola", Speaker(name="Émile Zola", sort_name="Zola, Émile")),
        ("a-twin", Speaker(name="Wei Li")),
        ("adams", Speaker(name="Eva Adams", sort_name="Adams, Eva")),
    ]
    assert [sid for sid, _ in sorted_speakers(speakers)] == ["adams", "a-twin", "b-twin", "zola"]


SPEAKERS = {
    "zoe": 'name = "Zoë Baker"\n',
    "asa": 'name = "Åsa Lindqvist"\n',
    "emile": 'name = "Émile Durand"\n',
    "eva": 'name = "Eva Adams"\n',
    "zhang-wei": 'name = "张伟"\n',
    "yang": 'name = "Yang Kaizhong"\n',
    "zola": 'name = "Émile Zola"\nsort_name = "Zola, Émile"\n',
}
READ_IN_ORDER = ["asa", "emile", "eva", "yang", "zhang-wei", "zoe", "zola"]


def _archive(make_archive: Callable[[dict[str, str]], Path]) -> Path:
    talks = "".join(f'\n[[talks]]\nspeakers = ["{sid}"]\ntitle = "T {sid}"\n' for sid in SPEAKERS)
    return make_archive(
        {
            "forums/f/forum.toml": 'title = "F"\nstart = 2024-05-01\nend = 2024-05-01\n',
            "forums/f/sessions/s.toml": f'title = "S"\n{talks}',
            **{f"speakers/{sid}.toml": text for sid, text in SPEAKERS.items()},
        }
    )


def test_list_speakers_in_reading_order(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", _archive(make_archive), "list", "speakers", "--format", "csv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [line.split(",")[0] for line in lines(result.stdout)[1:]] == READ_IN_ORDER


def test_exported_speakers_page_in_reading_order(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = cli("--archive", _archive(make_archive), "export", "markdown", "--out", out)
    assert result.exit_code == 0, result.stderr
    page = (out / "speakers.md").read_text(encoding="utf-8")
    # under the letter of their name as collation reads it
    assert page.split("\n\n", 2)[2] == (
        '## A <a id="_letter-a"></a>\n\n'
        "- [Åsa Lindqvist](people/asa.md): 1 appearance\n\n"
        '## E <a id="_letter-e"></a>\n\n'
        "- [Émile Durand](people/emile.md): 1 appearance\n"
        "- [Eva Adams](people/eva.md): 1 appearance\n\n"
        '## Y <a id="_letter-y"></a>\n\n'
        "- [Yang Kaizhong](people/yang.md): 1 appearance\n\n"
        '## Z <a id="_letter-z"></a>\n\n'
        "- [张伟](people/zhang-wei.md): 1 appearance\n"
        "- [Zoë Baker](people/zoe.md): 1 appearance\n"
        "- [Émile Zola](people/zola.md): 1 appearance\n"
    )


def test_an_ascii_name_has_the_key_of_the_general_rule() -> None:
    from forumctl.collation import _key

    every_ascii = "".join(map(chr, range(128)))
    names = [every_ascii, "  Abel\tVAN  der\nBerg ", "", "O'Neil-Smith", "ZZ top"]
    names += ["".join(random.Random(seed).choices(every_ascii, k=12)) for seed in range(200)]

    assert [sort_key(name) for name in names] == [_key(name) for name in names]
