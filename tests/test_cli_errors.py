"""Every bad input is one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM, Cli


def test_no_archive_anywhere(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("list", "forums")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"forumctl: error: no archive: no forumctl.toml in {tmp_path.resolve()} or any parent"
        " (use --archive PATH, set FORUMCTL_ARCHIVE, or run 'forumctl init')\n"
    )


def test_archive_found_upward_and_by_environment(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_archive / "speakers")
    assert cli("list", "speakers").exit_code == 0
    monkeypatch.chdir(sample_archive.parent)
    result = cli("show", "speaker", "sheng-shihao", env={"FORUMCTL_ARCHIVE": str(sample_archive)})
    assert result.exit_code == 0


def test_missing_id(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "speaker", "nobody")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: no speaker 'nobody' (speakers/nobody.toml does not exist)"
        " ('forumctl list speakers' shows the IDs)\n"
    )


def test_session_id_without_forum(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "session", "speeches")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: 'speeches' is not a session ID (expected"
        " '<forum-id>/<session-id>') ('forumctl list sessions' shows the IDs)\n"
    )


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [("speaker", "../forumctl"), ("speaker", ".hidden"), ("speaker", "a/b"), ("session", "./f/x")],
)
def test_an_id_is_never_followed_as_a_path(
    cli: Cli, sample_archive: Path, kind: str, record_id: str
) -> None:
    result = cli("--archive", sample_archive, "show", kind, record_id)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"forumctl: error: {record_id!r} is not a {kind} ID")


def test_new_session_in_a_path_like_forum_writes_nothing(cli: Cli, sample_archive: Path) -> None:
    before = sorted(p for p in sample_archive.rglob("*") if p.is_file())
    result = cli(
        "--archive", sample_archive, "new", "session", "Dot", "--forum", "./f", "--no-input"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("forumctl: error: ")
    assert sorted(p for p in sample_archive.rglob("*") if p.is_file()) == before


def test_malformed_toml_names_file_line_and_column(cli: Cli, sample_archive: Path) -> None:
    (sample_archive / "speakers" / "yang-kaizhong.toml").write_text('name = "Yang\n')
    result = cli("--archive", sample_archive, "show", "speaker", "yang-kaizhong")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: speakers/yang-kaizhong.toml:1:13: invalid TOML: invalid basic string,"
        ' expected `"`\n'
    )


def test_record_that_does_not_match_its_definition(cli: Cli, sample_archive: Path) -> None:
    forum = sample_archive / "forums" / SAMPLE_FORUM / "forum.toml"
    forum.write_text(forum.read_text().replace("edition = 5", 'edition = "5"'))
    result = cli("--archive", sample_archive, "show", "forum", SAMPLE_FORUM)
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: forums/{SAMPLE_FORUM}/forum.toml:4:1: 'edition' must be an integer,"
        " not a string ('forumctl validate' lists every problem)\n"
    )


def test_manifest_of_a_newer_format(cli: Cli, sample_archive: Path) -> None:
    manifest = sample_archive / "forumctl.toml"
    manifest.write_text(re.sub(r"format = \d+", "format = 99", manifest.read_text()))
    result = cli("--archive", sample_archive, "list", "forums")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: forumctl.toml:2: archive format 99 is newer than what this forumctl reads"
        " (formats 1 to 2) (upgrade forumctl)\n"
    )


def test_manifest_of_an_unknown_older_format(cli: Cli, sample_archive: Path) -> None:
    (sample_archive / "forumctl.toml").write_text('format = 0\nname = "x"\n')
    result = cli("--archive", sample_archive, "list", "forums")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: forumctl.toml:1: archive format 0 is not one this forumctl reads"
        " (formats 1 to 2) (set format = 1)\n"
    )


def test_manifest_defects_stop_reading_commands_but_not_validate(
    cli: Cli, sample_archive: Path
) -> None:
    (sample_archive / "forumctl.toml").write_text('name = "x"\n')
    listing = cli("--archive", sample_archive, "show", "speaker", "sheng-shihao")
    assert (listing.exit_code, listing.stdout) == (2, "")
    assert listing.stderr == (
        "forumctl: error: forumctl.toml:1:1: missing required key 'format' in manifest"
        " ('forumctl validate' lists every problem)\n"
    )
    report = cli("--archive", sample_archive, "validate")
    assert report.exit_code == 1
    assert "forumctl.toml" in report.stdout
    assert "missing required key 'format' in manifest" in report.stdout


def test_archive_path_that_is_not_a_directory(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x")
    listing = cli("--archive", file, "list", "forums")
    assert (listing.exit_code, listing.stderr) == (
        2,
        f"forumctl: error: --archive {file}: not a directory\n",
    )
    init = cli("init", file, "--no-input", "--name", "x")
    assert (init.exit_code, init.stderr) == (2, f"forumctl: error: {file}: not a directory\n")


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every temporary file fail as in a read-only directory. (The tests run as root
    here, where chmod does not stop writes; the error path is the same.)"""
    from forumctl.change import TEMP_MARK

    real_open = os.open

    def refuse(path: str, flags: int, *args: int, **kwargs: object) -> int:
        if flags & os.O_CREAT and TEMP_MARK in str(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)


def test_read_only_directory_for_new_and_init(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _read_only(monkeypatch)
    new = cli("--archive", sample_archive, "new", "speaker", "Wang Wu", "--no-input")
    assert (new.exit_code, new.stdout) == (2, "")
    assert new.stderr == (
        f"forumctl: error: {sample_archive}/speakers/wang-wu.toml: cannot write:"
        " Permission denied\n"
    )
    init = cli("init", tmp_path / "new", "--no-input", "--name", "x")
    assert init.exit_code == 2
    assert init.stderr == (
        f"forumctl: error: {tmp_path}/new/.gitignore: cannot write: Permission denied\n"
    )
    assert not (sample_archive / "speakers" / "wang-wu.toml").exists()
    assert not (tmp_path / "new" / "forumctl.toml").exists()  # init can simply be rerun


def test_init_where_a_file_is_in_the_way_leaves_no_manifest(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "speakers").write_text("not a directory")
    result = cli("init", tmp_path / "new", "--no-input", "--name", "x")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {tmp_path}/new: cannot make speakers/: a file is in the way\n"
    )
    assert not (tmp_path / "new" / "forumctl.toml").exists()


def test_unknown_option_is_a_usage_error(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "speakers", "--kind", "x")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: no such option: --kind (see 'forumctl list speakers --help')\n"
    )


def test_paths_in_errors_are_relative_to_the_working_directory(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_archive)  # the archive is found upward: its root is absolute
    result = cli("new", "speaker", "Sheng Shihao", "--no-input")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: speakers/sheng-shihao.toml: already exists"
        " (use --force to overwrite it)\n"
    )


def test_links_in_a_loop_and_names_not_utf8_are_skipped_with_a_warning(
    cli: Cli, sample_archive: Path
) -> None:
    (sample_archive / "speakers/loop.toml").symlink_to("loop.toml")
    sessions = sample_archive / "forums" / SAMPLE_FORUM / "sessions"
    (sessions / "a.toml").symlink_to("b.toml")
    (sessions / "b.toml").symlink_to("a.toml")
    (sample_archive / os.fsdecode(b"speakers/cy\xff.toml")).write_text('name = "Cy"\n')
    sessions_skipped = [
        f"forumctl: warning: forums/{SAMPLE_FORUM}/sessions/a.toml: a symbolic link to b.toml,"
        " which leads in a loop; correct or remove the link (skipped)",
        f"forumctl: warning: forums/{SAMPLE_FORUM}/sessions/b.toml: a symbolic link to a.toml,"
        " which leads in a loop; correct or remove the link (skipped)",
    ]
    speakers_skipped = [
        "forumctl: warning: speakers/cy\\xff.toml: the name is not UTF-8, so it is not a slug;"
        " rename it (skipped)",
        "forumctl: warning: speakers/loop.toml: a symbolic link to loop.toml, which leads in a"
        " loop; correct or remove the link (skipped)",
    ]
    for command, skipped in (
        (["list", "speakers", "--format", "json"], speakers_skipped),
        (["list", "sessions", "--format", "json"], sessions_skipped),
        (["show", "speaker", "sheng-shihao", "--format", "json"], sessions_skipped),
        (["export", "json"], speakers_skipped + sessions_skipped),
        (["export", "ical"], speakers_skipped + sessions_skipped),
        (
            ["fmt", "--check"],
            ["0 would be reformatted, 10 already canonical.", *speakers_skipped, *sessions_skipped],
        ),
    ):
        result = cli("--archive", sample_archive, *command)
        assert (result.exit_code, sorted(result.stderr.splitlines())) == (0, sorted(skipped))
        if "json" in command:
            assert json.loads(result.stdout)["version"] == 1


def test_an_unreadable_directory_is_a_one_line_error_for_readers(
    cli: Cli, sample_archive: Path, unreadable: Callable[[Path], None]
) -> None:
    unreadable(sample_archive / "speakers")
    result = cli("--archive", sample_archive, "list", "speakers")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: speakers: cannot read the directory: Permission denied (make it"
        " readable; 'forumctl validate' lists what else is wrong)\n"
    )
    result = cli("--archive", sample_archive, "validate")
    assert result.exit_code == 1
    assert "  1:1  error    FC001  cannot read the directory: Permission denied" in result.stdout
