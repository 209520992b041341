"""The change layer: checked first, all or nothing, the user's file kept."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE
from conftest import SAMPLE_FORUM, Cli

from forumctl import change as change_module
from forumctl.archive import Archive
from forumctl.change import (
    ArchiveLocked,
    Change,
    ChangedMeanwhile,
    ChangeRefused,
    locked,
    recover,
)
from forumctl.errors import RecordExists
from forumctl.records import Speaker

SESSION = f"{SAMPLE_FORUM}/speeches"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not {".forumctl", ".forumctl-cache"} & set(path.parts)
    }


def test_create_update_and_delete_in_one_change(sample_archive: Path) -> None:
    archive = Archive.open(sample_archive)
    change = Change(archive)
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    data = change.data("session", SESSION)
    data["chairs"] = ["li-na"]
    change.update("session", SESSION, data)
    applied = change.apply()
    assert [(f.rel, f.action) for f in applied.files] == [
        ("speakers/li-na.toml", "created"),
        (f"forums/{SAMPLE_FORUM}/sessions/speeches.toml", "edited"),
    ]
    assert Archive.open(sample_archive).session(SESSION).chairs == ("li-na",)
    assert (sample_archive / "speakers/li-na.toml").read_text() == (
        '#:schema ../schemas/speaker.schema.json\nname = "Li Na"\n'
    )
    assert sorted(os.listdir(sample_archive / ".forumctl")) == ["lock"]  # journal gone


def test_a_change_adding_an_error_is_refused_and_writes_nothing(sample_archive: Path) -> None:
    before = _snapshot(sample_archive)
    change = Change(Archive.open(sample_archive))
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    data = change.data("session", SESSION)
    data["chairs"] = ["nobody"]
    change.update("session", SESSION, data)
    with pytest.raises(ChangeRefused) as refused:
        change.apply()
    rel = f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"
    assert refused.value.details == (
        f"{rel}:6:5: FC401 no speaker 'nobody' (speakers/nobody.toml does not exist)",
    )
    assert _snapshot(sample_archive) == before
    forced = change.apply(force=True)
    assert [f.code for f in forced.findings] == ["FC401"]
    assert "nobody" in (sample_archive / rel).read_text()


def test_findings_already_there_do_not_block(sample_archive: Path) -> None:
    rel = sample_archive / f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"
    rel.write_text(rel.read_text().replace("[[talks]]", "room = 3\n\n[[talks]]", 1))
    change = Change(Archive.open(sample_archive))
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    assert change.apply().files[0].rel == "speakers/li-na.toml"


def test_dry_run_shows_the_diff_and_writes_nothing(sample_archive: Path) -> None:
    before = _snapshot(sample_archive)
    change = Change(Archive.open(sample_archive))
    data = change.data("speaker", "sheng-shihao")
    data["bio"] = "Economist."
    change.update("speaker", "sheng-shihao", data)
    change.move("speakers/sheng-shihao.toml", "speakers/sheng-s.toml")
    change.delete(f"forums/{SAMPLE_FORUM}/sessions/speeches.toml")
    applied = change.apply(dry_run=True, force=True)
    diff = applied.diff()
    assert diff.startswith(
        "rename from speakers/sheng-shihao.toml\nrename to speakers/sheng-s.toml\n"
        "--- a/speakers/sheng-shihao.toml\n+++ b/speakers/sheng-s.toml\n"
    )
    assert '+bio = "Economist."\n' in diff
    assert f"--- a/forums/{SAMPLE_FORUM}/sessions/speeches.toml\n+++ /dev/null\n" in diff
    assert _snapshot(sample_archive) == before
    assert not (sample_archive / ".forumctl").exists()


def test_an_occupied_path_is_refused_when_queued(sample_archive: Path) -> None:
    change = Change(Archive.open(sample_archive))
    with pytest.raises(RecordExists):
        change.create("speaker", "sheng-shihao", Speaker(name="Other"))


def test_a_file_changed_after_it_was_read_is_not_overwritten(sample_archive: Path) -> None:
    change = Change(Archive.open(sample_archive))
    data = change.data("speaker", "sheng-shihao")
    data["bio"] = "Mine."
    change.update("speaker", "sheng-shihao", data)
    path = sample_archive / "speakers/sheng-shihao.toml"
    path.write_text(path.read_text() + 'bio = "Theirs."\n')  # another writer, meanwhile
    with pytest.raises(ChangedMeanwhile):
        change.apply()
    assert path.read_text().endswith('bio = "Theirs."\n')


def test_a_second_writer_gets_the_lock_error(sample_archive: Path) -> None:
    change = Change(Archive.open(sample_archive))
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    with locked(sample_archive), pytest.raises(ArchiveLocked) as error:
        change.apply()
    assert str(error.value) == (
        f".forumctl/lock: another forumctl is changing this archive (process {os.getpid()})"
        " (try again when it has finished)"
    )
    assert not (sample_archive / "speakers/li-na.toml").exists()


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler sees it."""


@pytest.mark.parametrize(
    ("stop_at", "kept"),
    [
        ("prepared", False),
        ("temp", False),
        ("journal-next", False),
        ("committed", True),
        ("renamed", True),
        ("deleted", True),
    ],
)
def test_recovery_after_a_crash_at_each_step(
    sample_archive: Path, monkeypatch: pytest.MonkeyPatch, stop_at: str, kept: bool
) -> None:
    before = _snapshot(sample_archive)

    def crash(step: str) -> None:
        if step == stop_at:
            raise Crash

    change = Change(Archive.open(sample_archive))
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    data = change.data("speaker", "sheng-shihao")
    data["bio"] = "Economist."
    change.update("speaker", "sheng-shihao", data)
    change.delete(f"forums/{SAMPLE_FORUM}/sessions/pilot-free-trade-zone.toml")
    monkeypatch.setattr(change_module, "_step", crash)
    with pytest.raises(Crash):
        change.apply()
    monkeypatch.setattr(change_module, "_step", lambda step: None)
    message = recover(sample_archive)
    after = _snapshot(sample_archive)
    if kept:
        assert message == "finished an interrupted change (3 files written or removed)"
        assert "speakers/li-na.toml" in after
        assert f"forums/{SAMPLE_FORUM}/sessions/pilot-free-trade-zone.toml" not in after
        assert b"Economist." in after["speakers/sheng-shihao.toml"]
    else:
        assert message == (
            "rolled back an interrupted change (3 files; none of them had been changed)"
        )
        assert after == before
    assert not [rel for rel in after if change_module.TEMP_MARK in rel.rsplit("/", 1)[-1]]
    assert recover(sample_archive) is None  # nothing left to do


def test_the_next_command_recovers_first_and_says_so(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(step: str) -> None:
        if step == "renamed":
            raise Crash

    change = Change(Archive.open(sample_archive))
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    change.create("speaker", "wang-wu", Speaker(name="Wang Wu"))
    monkeypatch.setattr(change_module, "_step", crash)
    with pytest.raises(Crash):
        change.apply()
    monkeypatch.setattr(change_module, "_step", lambda step: None)
    assert (sample_archive / "speakers/li-na.toml").exists()  # half done: one of two
    assert not (sample_archive / "speakers/wang-wu.toml").exists()
    result = cli("--archive", sample_archive, "list", "speakers", "--format", "csv")
    assert result.exit_code == 0
    assert result.stderr == (
        "forumctl: warning: finished an interrupted change (2 files written or removed)\n"
    )
    assert "li-na,Li Na" in result.stdout and "wang-wu,Wang Wu" in result.stdout


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_an_edited_file_keeps_its_mode_and_a_new_one_is_0644_whatever_the_umask(
    sample_archive: Path, umask: int
) -> None:
    private, shared = (
        sample_archive / "speakers/private.toml",
        sample_archive / "speakers/shared.toml",
    )
    for path, mode in ((private, 0o600), (shared, 0o666)):
        path.write_text('name = "Someone"\n')
        os.chmod(path, mode)
    archive = Archive.open(sample_archive)
    change = Change(archive)
    change.update("speaker", "private", {"name": "Someone Else"})
    change.update("speaker", "shared", {"name": "Someone Else"})
    change.create("speaker", "li-na", Speaker(name="Li Na"))
    before = os.umask(umask)
    try:
        change.apply()
    finally:
        os.umask(before)
    modes = {p.name: os.stat(p).st_mode & 0o777 for p in (private, shared)}
    assert modes == {"private.toml": 0o600, "shared.toml": 0o666}
    assert os.stat(sample_archive / "speakers/li-na.toml").st_mode & 0o777 == 0o644
    assert private.read_text() == 'name = "Someone Else"\n'


@pytest.mark.parametrize(
    "command",
    [
        ["edit", "speaker", "ada", "--bio", "X"],
        ["new", "speaker", "Ada King", "--id", "ada", "--force"],
        ["rename", "speaker", "ada", "ada-l"],
        ["merge", "speaker", "ada", "bo"],
        ["edit", "session", "f/b", "--title", "Y"],
        ["rename", "session", "f/b", "f/c"],
        ["rename", "forum", "f", "g"],
        ["rm", "session", "f/b"],
    ],
)
def test_no_writer_writes_through_a_link_to_a_file_outside_the_archive(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path, command: list[str]
) -> None:
    """Records may be links (a shared checkout); a change never writes, moves or deletes
    through one that leads out of the archive (issue 14 point 9: "every writer")."""
    root = make_archive(BASE)
    outside = tmp_path / "outside"
    outside.mkdir()
    for rel, depth in (("speakers/ada.toml", 1), ("forums/f/sessions/b.toml", 3)):
        (outside / Path(rel).name).write_text(BASE[rel], encoding="utf-8")
        (root / rel).unlink()
        (root / rel).symlink_to(Path("../" * (depth + 1)) / "outside" / Path(rel).name)
    result = cli("--archive", root, *command)
    assert (result.exit_code, result.stdout) == (2, "")
    error = result.stderr.splitlines()[-1]  # (after format 1's warning about GUIDs)
    assert error.startswith("forumctl: error: ")
    assert error.endswith("outside the archive; not written (replace the link by the file)")
    for rel in ("speakers/ada.toml", "forums/f/sessions/b.toml"):
        assert (root / rel).is_symlink()
        assert (outside / Path(rel).name).read_text(encoding="utf-8") == BASE[rel]
