"""``forumctl fmt`` end to end: writes, --check, --diff, comments, bad files, twice."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE
from conftest import Cli

MakeArchive = Callable[[dict[str, str]], Path]
UNTIDY = 'name="Ada Lovelace"\n'
TIDY = '#:schema ../schemas/speaker.schema.json\nname = "Ada Lovelace"\n'


def canonical_archive(cli: Cli, make_archive: MakeArchive, changes: dict[str, str]) -> Path:
    """The base archive made canonical by fmt, then ``changes`` written over it."""
    root = make_archive(BASE)
    assert cli("--archive", root, "fmt").exit_code == 0
    for rel, text in changes.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_fmt_rewrites_and_twice_changes_nothing(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/ada.toml": UNTIDY})
    first = cli("--archive", root, "fmt")
    assert first.exit_code == 0
    assert first.stdout == ""
    assert (root / "speakers/ada.toml").read_text() == TIDY
    snapshot = {p: p.read_bytes() for p in root.rglob("*.toml")}
    second = cli("--archive", root, "fmt")
    assert second.exit_code == 0
    assert second.stderr == "0 reformatted, 6 already canonical.\n"
    assert {p: p.read_bytes() for p in root.rglob("*.toml")} == snapshot
    assert cli("--archive", root, "fmt", "--check").exit_code == 0


def test_check_lists_files_and_writes_nothing(cli: Cli, make_archive: MakeArchive) -> None:
    root = canonical_archive(cli, make_archive, {"speakers/ada.toml": UNTIDY})
    result = cli("--archive", root, "fmt", "--check", root / "speakers")
    assert result.exit_code == 1
    assert result.stdout == "would reformat speakers/ada.toml\n"
    assert (root / "speakers/ada.toml").read_text() == UNTIDY


def test_diff_prints_a_unified_diff(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/ada.toml": UNTIDY})
    result = cli("--archive", root, "fmt", "--diff", root / "speakers" / "ada.toml")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/speakers/ada.toml\n+++ b/speakers/ada.toml\n")
    assert (root / "speakers/ada.toml").read_text() == UNTIDY


def test_comments_hold_a_file_back_until_forced(cli: Cli, make_archive: MakeArchive) -> None:
    commented = "# Ada, as printed\n" + UNTIDY
    root = canonical_archive(cli, make_archive, {"speakers/ada.toml": commented})
    held = cli("--archive", root, "fmt")
    assert held.exit_code == 1
    assert held.stderr.split("\n")[0] == (
        "speakers/ada.toml: not formatted: comments on line 1 would be lost"
        " (remove them, or use --force)"
    )
    assert (root / "speakers/ada.toml").read_text() == commented
    forced = cli("--archive", root, "fmt", "--force")
    assert forced.exit_code == 0
    assert (root / "speakers/ada.toml").read_text() == TIDY


def test_a_file_that_does_not_load_exits_2_and_others_are_formatted(
    cli: Cli, make_archive: MakeArchive
) -> None:
    root = canonical_archive(
        cli, make_archive, {"speakers/ada.toml": UNTIDY, "speakers/bo.toml": "name = \n"}
    )
    result = cli("--archive", root, "fmt")
    assert result.exit_code == 2
    assert result.stderr.split("\n") == [
        "reformatted speakers/ada.toml",
        "forumctl: error: speakers/bo.toml:1:8: invalid TOML: string values must be quoted,"
        " expected literal string"
        " (cannot format: run 'forumctl validate')",
        "1 reformatted, 4 already canonical.",
        "",
    ]
    assert (root / "speakers/ada.toml").read_text() == TIDY


def test_a_symlinked_record_is_formatted_through_the_link(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive(BASE)
    elsewhere = tmp_path / "kept" / "ada.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(UNTIDY, encoding="utf-8")
    link = root / "speakers/ada.toml"
    link.unlink()
    link.symlink_to(elsewhere)
    result = cli("--archive", root, "fmt", link)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "reformatted speakers/ada.toml\n1 reformatted, 0 already canonical.\n"
    assert link.is_symlink()
    assert os.readlink(link) == str(elsewhere)
    assert elsewhere.read_text(encoding="utf-8") == TIDY
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["ada.toml"]  # no temp file


def test_files_outside_the_archive_are_skipped_and_counted(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the pre-commit hook passes with `args: [--archive, archive, fmt]`: every
    changed .toml of the repository, the archive's and others (.taplo.toml, pyproject)."""
    root = make_archive({**BASE, "speakers/ada.toml": UNTIDY})
    repository = root.parent / "repository"
    repository.mkdir()
    root.rename(repository / "archive")
    (repository / "pyproject.toml").write_text('[project]\nname="x"\n', encoding="utf-8")
    (repository / "archive" / ".taplo.toml").write_text('include=["*.toml"]\n', encoding="utf-8")
    monkeypatch.chdir(repository)
    given = ["pyproject.toml", "archive/.taplo.toml", "archive/speakers/ada.toml"]
    result = cli("--archive", "archive", "fmt", *given)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "reformatted speakers/ada.toml\n"
        "1 reformatted, 0 already canonical, 2 skipped (not records of the archive).\n"
    )
    assert (repository / "archive/speakers/ada.toml").read_text() == TIDY
    assert (repository / "pyproject.toml").read_text() == '[project]\nname="x"\n'
    check = cli("--archive", "archive", "fmt", "--check", *given)
    assert (check.exit_code, check.stdout) == (0, "")
    assert (
        check.stderr
        == "0 would be reformatted, 1 already canonical, 2 skipped (not records of the archive).\n"
    )
