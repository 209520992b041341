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


def test_comments_are_carried_along(cli: Cli, make_archive: MakeArchive) -> None:
    commented = (
        "# Ada, as printed\n"
        'sort_name="Lovelace, Ada"\n'
        'name="Ada Lovelace"   # as reported\n'
        "\n"
        "# where she worked\n"
        "[[affiliations]]\n"
        'organization="Analytical Society"\n'
        "# the end\n"
    )
    root = canonical_archive(cli, make_archive, {"speakers/ada.toml": commented})
    result = cli("--archive", root, "fmt")
    assert (result.exit_code, result.stderr) == (
        0,
        "reformatted speakers/ada.toml\n1 reformatted, 5 already canonical.\n",
    )
    assert (root / "speakers/ada.toml").read_text() == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Ada Lovelace"  # as reported\n'
        "# Ada, as printed\n"
        'sort_name = "Lovelace, Ada"\n'
        "\n"
        "# where she worked\n"
        "[[affiliations]]\n"
        'organization = "Analytical Society"\n'
        "# the end\n"
    )
    assert cli("--archive", root, "fmt", "--check").exit_code == 0  # twice: nothing


def test_a_comment_without_a_place_holds_the_file_back(cli: Cli, make_archive: MakeArchive) -> None:
    commented = 'name="Ada Lovelace"\nbio = """\nAn\n"""  # after a long value\n'
    root = canonical_archive(cli, make_archive, {"speakers/ada.toml": commented})
    held = cli("--archive", root, "fmt")
    assert held.exit_code == 1
    assert held.stderr.split("\n")[0] == (
        "speakers/ada.toml: not formatted: a comment on line 4 has no place in the canonical"
        " layout (move it, or use --force to drop it)"
    )
    assert (root / "speakers/ada.toml").read_text() == commented
    forced = cli("--archive", root, "fmt", "--force")
    assert forced.exit_code == 0
    assert "# after" not in (root / "speakers/ada.toml").read_text()


def test_a_file_that_does_not_load_exits_2_and_others_are_formatted(
    cli: Cli, make_archive: MakeArchive
) -> None:
    root = canonical_archive(
        cli, make_archive, {"speakers/ada.toml": UNTIDY, "speakers/bo.toml": "name = \n"}
    )
    result = cli("--archive", root, "fmt")
    assert result.exit_code == 2
    assert result.stderr.split("\n") == [
        "forumctl: error: speakers/bo.toml:1:8: invalid TOML: string values must be quoted,"
        " expected literal string"
        " (cannot format: run 'forumctl validate')",
        "reformatted speakers/ada.toml",
        "1 reformatted, 4 already canonical.",
        "",
    ]
    assert (root / "speakers/ada.toml").read_text() == TIDY


def test_a_symlinked_record_is_formatted_through_the_link(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive(BASE)
    elsewhere = root / "kept" / "ada.toml"  # inside the archive
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


def test_a_link_to_outside_the_archive_is_not_written(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive(BASE)
    outside = tmp_path / "outside.toml"
    outside.write_text(UNTIDY, encoding="utf-8")
    link = root / "speakers/ada.toml"
    link.unlink()
    link.symlink_to(outside)
    result = cli("--archive", root, "fmt", link)
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: speakers/ada.toml: is a symbolic link to {outside}, outside the"
        " archive; not written (replace the link by the file)\n"
    )
    assert outside.read_text(encoding="utf-8") == UNTIDY


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


def test_a_write_while_fmt_runs_is_not_lost(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fmt reads everything first and writes later: a record written in between (by
    another forumctl, which waits for no one) is kept, and fmt writes nothing."""
    from forumctl import fmt as fmt_module

    root = make_archive({**BASE, "speakers/ada.toml": UNTIDY})
    real = fmt_module.format_archive
    newer = 'name="Ada King"\n'  # new --force edits in place: the file's own layout

    def read_then_another_writes(*args: object, **kwargs: object) -> object:
        results = real(*args, **kwargs)  # type: ignore[arg-type]
        new = cli("--archive", root, "new", "speaker", "Ada King", "--id", "ada", "--force",
                  "--no-input")  # fmt: skip
        assert new.exit_code == 0, new.stderr
        return results

    monkeypatch.setattr(fmt_module, "format_archive", read_then_another_writes)
    result = cli("--archive", root, "fmt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {root}/speakers/ada.toml: changed on disk while this command ran;"
        " nothing was written (run the command again)\n"
    )
    assert (root / "speakers/ada.toml").read_text() == newer


def test_a_record_linked_to_a_file_outside_the_archive_is_never_rewritten(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('name    =   "Outside"\n', encoding="utf-8")
    (sample_archive / "speakers/victim.toml").symlink_to(outside)
    result = cli("--archive", sample_archive, "fmt")
    assert result.exit_code == 2
    assert (
        f"forumctl: error: speakers/victim.toml: is a symbolic link to {outside}, outside the"
        " archive; not written (replace the link by the file)\n"
    ) in result.stderr
    assert outside.read_text(encoding="utf-8") == 'name    =   "Outside"\n'


def test_dry_run_is_the_diff(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/ada.toml": UNTIDY})
    diff = cli("--archive", root, "fmt", "--diff")
    dry_run = cli("--archive", root, "fmt", "--dry-run")
    assert (dry_run.exit_code, dry_run.stdout) == (diff.exit_code, diff.stdout)
    assert "--- a/speakers/ada.toml\n+++ b/speakers/ada.toml\n" in dry_run.stdout
    assert (root / "speakers/ada.toml").read_text() == UNTIDY
