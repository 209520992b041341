"""Files written without an fsync each, then made durable together (forumctl/durable.py)."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli

from forumctl import durable


def _write(root: Path) -> list[str]:
    (root / "people").mkdir()
    names = ["index.md", *(f"people/p{n}.md" for n in range(5))]
    for name in names:
        durable.write_file(root / name, name.encode(), sync=False)
    return names


def _synced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths fsynced from now on (as the kernel names the descriptors)."""
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs(2) is Linux's")
def test_on_linux_one_syncfs_makes_every_file_durable_and_no_file_is_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _write(tmp_path)
    synced = _synced(monkeypatch)
    durable.make_durable(tmp_path, names, ["", "people"])
    assert synced == []
    assert durable.syncfs() is not None


def test_without_syncfs_each_file_and_directory_is_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the synced descriptors")
    names = _write(tmp_path)
    monkeypatch.setattr(durable, "syncfs", lambda: None)
    synced = _synced(monkeypatch)
    durable.make_durable(tmp_path, names, ["", "people", "gone"])
    assert sorted(synced) == sorted(
        [*(str(tmp_path / name) for name in names), str(tmp_path), str(tmp_path / "people")]
    )


def test_without_syncfs_a_file_that_cannot_be_synced_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _write(tmp_path)
    monkeypatch.setattr(durable, "syncfs", lambda: None)
    (tmp_path / names[3]).unlink()
    with pytest.raises(FileNotFoundError):
        durable.make_durable(tmp_path, names, [""])


def _failing_syncfs(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Make syncfs(2) fail as libc does: -1, with ``code`` in errno."""

    def failing(fd: int) -> int:
        ctypes.set_errno(code)
        return -1

    def flush() -> Callable[[int], int]:
        return failing

    monkeypatch.setattr(durable, "syncfs", flush)


def test_a_failed_syncfs_fails_the_change_with_its_error_and_nothing_is_written(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_syncfs(monkeypatch, errno.EIO)
    new = cli("--archive", sample_archive, "new", "speaker", "Wang Wu", "--no-input")
    assert (new.exit_code, new.stdout) == (2, "")
    assert new.stderr == (
        f"forumctl: error: {sample_archive}/speakers/wang-wu.toml: cannot write:"
        " Input/output error\n"
    )
    assert not (sample_archive / "speakers/wang-wu.toml").exists()


@pytest.mark.parametrize("code", [errno.ENOSYS, errno.EOPNOTSUPP])
def test_an_unsupported_syncfs_falls_back_to_an_fsync_of_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the synced descriptors")
    names = _write(tmp_path)
    _failing_syncfs(monkeypatch, code)
    synced = _synced(monkeypatch)
    durable.make_durable(tmp_path, names, [""])
    assert sorted(synced) == sorted([*(str(tmp_path / name) for name in names), str(tmp_path)])


def test_a_file_is_written_whole_with_the_mode_less_the_umask_never_through_a_link(
    tmp_path: Path,
) -> None:
    data = bytes(range(256)) * 5000  # more than one write(2) may take
    durable.write_file(tmp_path / "a", data, 0o640)
    assert (tmp_path / "a").read_bytes() == data
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o640 & ~durable.umask()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    with pytest.raises(OSError):
        durable.write_file(tmp_path / "link", b"x")
    assert (tmp_path / "a").read_bytes() == data
