"""forumctl/export/output.py: an export's staging directory, which no export leaves behind.

An export stages its files in a hidden directory (``.OUT.XXXXXXXX.tmp``: inside --out
when it exists, beside it otherwise) and removes it when done, failed or interrupted; one
killed outright cannot, so the next export into that --out removes it, unless an export
still running uses it."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLI_ENV, Cli

from forumctl.export.output import MARKER

# the rendering processes die with a parent killed outright (PR_SET_PDEATHSIG), and are
# found through /proc: Linux's
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc")

# A forum page that renders for as long as a test needs to act on the export meanwhile
# (the page clock would end it after 30 s; the tests end it in a second or two).
_SLOW_FORUM = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


def _staging(directory: Path, out: Path) -> list[Path]:
    return sorted(directory.glob(f".{out.name}.*.tmp"))


def _slow_export(archive: Path, out: Path, templates: Path) -> subprocess.Popen[str]:
    """``export site`` in a process of its own, rendering the slow forum page, once it has
    staged its first files (its staging directory holds ``tree``)."""
    templates.mkdir(exist_ok=True)
    (templates / "forum.md.j2").write_text(_SLOW_FORUM, encoding="utf-8")
    env = {key: value for key, value in {**os.environ, **CLI_ENV}.items() if value is not None}
    argv = [sys.executable, "-m", "forumctl", "--archive", str(archive), "export", "site"]
    export = subprocess.Popen(
        [*argv, "--out", str(out), "--templates", str(templates), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    parent = out if out.is_dir() else out.parent
    deadline = time.monotonic() + 60
    while not any((staging / "tree" / "docs").is_dir() for staging in _staging(parent, out)):
        assert export.poll() is None, export.communicate()
        assert time.monotonic() < deadline, "the export never staged its files"
        time.sleep(0.02)
    time.sleep(0.3)  # rendering: its processes forked
    return export


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
        return [int(child) for child in children.read().split()]


def _gone(pids: list[int]) -> bool:
    """Whether none of ``pids`` runs any more (within ten seconds)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        running = []
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                    if stat.read().rpartition(")")[2].split()[0] != "Z":
                        running.append(pid)
            except FileNotFoundError:
                pass
        if not running:
            return True
        time.sleep(0.05)
    return False


def _export(cli: Cli, archive: Path, out: Path) -> str:
    result = cli("--archive", archive, "export", "site", "--out", out)
    assert result.exit_code == 0, result.stderr
    return str(result.stderr)


@linux_only
def test_the_staging_left_by_a_killed_export_is_removed_by_the_next(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    # killed before --out exists: its staging directory is beside it
    first = _slow_export(sample_archive, out, tmp_path / "templates")
    first.kill()
    first.communicate()
    assert len(_staging(tmp_path, out)) == 1
    assert _export(cli, sample_archive, out) == f"wrote a MkDocs site (11 files) to {out}\n"
    assert _staging(tmp_path, out) == [] and not out.with_name(out.name + ".tmp").exists()
    # killed re-exporting into it: inside --out
    again = _slow_export(sample_archive, out, tmp_path / "templates")
    again.kill()
    again.communicate()
    assert len(_staging(out, out)) == 1
    assert _export(cli, sample_archive, out) == (
        f"nothing to write: a MkDocs site in {out} is up to date (11 files)\n"
    )
    assert _staging(out, out) == []
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [MARKER, "docs", "forumctl.mkdocs.yml", "mkdocs.yml"]
    )


def test_a_staging_directory_in_use_is_left_as_it_is(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _export(cli, sample_archive, out)
    # as an export running at the same time holds its own: locked
    in_use = out / ".site.abcd1234.tmp"
    (in_use / "tree").mkdir(parents=True)
    (in_use / "tree" / "index.md").write_text("# being written\n", encoding="utf-8")
    held = os.open(in_use, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        _export(cli, sample_archive, out)
        assert (in_use / "tree" / "index.md").read_text(encoding="utf-8") == "# being written\n"
    finally:
        os.close(held)  # the export holding it has ended
    _export(cli, sample_archive, out)
    assert not in_use.exists()


def test_a_directory_named_like_a_staging_one_that_is_not_is_kept(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _export(cli, sample_archive, out)
    theirs = tmp_path / ".site.notes123.tmp"  # beside --out, not an export's: other files
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine\n", encoding="utf-8")
    _export(cli, sample_archive, out)
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("name", [".site.my-old-copy.tmp", ".site.abc.tmp", ".site.abcd1234X.tmp"])
def test_a_users_directory_named_almost_like_a_staging_one_is_kept(
    cli: Cli, sample_archive: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "site"
    _export(cli, sample_archive, out)
    for parent in (out, tmp_path):
        (parent / name / "tree").mkdir(parents=True)
        (parent / name / "tree" / "notes.txt").write_text("mine\n", encoding="utf-8")
    (sample_archive / "forumctl.toml").write_text(
        (sample_archive / "forumctl.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )  # (an edit: the export writes, and sweeps its abandoned staging directories first)
    _export(cli, sample_archive, out)
    for parent in (out, tmp_path):
        assert (parent / name / "tree" / "notes.txt").read_text(encoding="utf-8") == "mine\n"


@linux_only
def test_sigterm_ends_the_rendering_and_removes_the_staging_with_status_143(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _export(cli, sample_archive, out)
    before = sorted(path.name for path in out.rglob("*"))
    export = _slow_export(sample_archive, out, tmp_path / "templates")
    workers = _children(export.pid)  # the one rendering the forum page (the other is done)
    assert workers
    export.send_signal(signal.SIGTERM)
    stdout, stderr = export.communicate(timeout=30)
    assert (export.returncode, stdout, stderr) == (143, "", "forumctl: error: terminated\n")
    assert _gone(workers)
    assert _staging(out, out) == []
    assert sorted(path.name for path in out.rglob("*")) == before


def test_an_export_up_to_date_before_loading_removes_an_abandoned_staging_too(
    sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    env = {key: value for key, value in {**os.environ, **CLI_ENV}.items() if value is not None}
    argv = [sys.executable, "-m", "forumctl", "--archive", str(sample_archive), "export"]

    def export() -> str:
        done = subprocess.run(
            [*argv, "site", "--out", str(out)], capture_output=True, text=True, env=env
        )
        assert (done.returncode, done.stdout) == (0, ""), done.stderr
        return done.stderr

    for _ in range(3):  # until the export finds it up to date from the file state alone
        export()
    left = out / ".site.x1y2z3w4.tmp"  # as a killed export leaves it: its tree, unlocked
    (left / "tree" / "docs").mkdir(parents=True)
    (left / "tree" / "docs" / "index.md").write_text("# half\n", encoding="utf-8")
    assert export() == f"nothing to write: a MkDocs site in {out} is up to date (11 files)\n"
    assert not left.exists()
