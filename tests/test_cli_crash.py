"""kill -9 during every writing command: afterwards each file is entirely old or entirely
new, and the archive (or export directory) as a whole is the one before or the one after.

Each case runs forumctl in a child process that sends itself SIGKILL at one point of
its writing: at each step of the change layer (``forumctl.change._step``: journal
prepared, temporary files written, journal committed, files renamed, deleted, done),
or, for the export directories and the single-file writers, at the n-th rename
(``os.replace``/``os.rename``/``os.link``). Then ``forumctl validate`` runs (which
first finishes or rolls back an interrupted change) and the files are compared with
the archive before and with the archive the command writes when it is not killed.

CI runs ``rename speaker`` (several files, a move) at every step and ``export markdown``
at two renames; ``FORUMCTL_CRASH=full`` runs every writing command (docs/reliability.md).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM

# CI runs one change-layer command and one export; FORUMCTL_CRASH=full runs them all
FULL = os.environ.get("FORUMCTL_CRASH") == "full"

STEPS = ("prepared", "temp", "journal-next", "committed", "renamed", "deleted", "done")
RENAMES = (1, 2, 3, 5, 8)
# The child: SIGKILL itself at the chosen step of the change layer, or at the n-th rename.
CHILD = """
import os, signal, sys
kind, point = sys.argv[1], sys.argv[2]
def die():
    os.kill(os.getpid(), signal.SIGKILL)
if kind == "step":
    import forumctl.change as change
    def step(name, *rest):
        if name == point:
            die()
    change._step = step
else:
    count = [0]
    def counting(real):
        def call(*args, **kwargs):
            count[0] += 1
            if count[0] == int(point):
                die()
            return real(*args, **kwargs)
        return call
    os.replace, os.rename, os.link = counting(os.replace), counting(os.rename), counting(os.link)
from forumctl.cli.main import main
sys.argv = ["forumctl", *sys.argv[3:]]
main()
"""
IGNORED = (".forumctl", ".forumctl-cache")  # the lock and journal; the parse cache


def _staging(rel: str) -> bool:
    """A hidden temporary file or directory of a write that was killed (``.x.tmp``)."""
    return any(part.startswith(".") and part.endswith(".tmp") for part in rel.split("/"))


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, but the lock, journal and cache, and what a killed write
    left in hidden temporary names (never read as records or pages); an export's marker
    without its "#state" lines (the record files' status as that export saw it: whether
    a file was within the racy window depends on when the export ran)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in IGNORED or _staging(rel) or not path.is_file():
            continue
        found[rel] = path.read_bytes()
        if path.name == ".forumctl-export":
            lines = found[rel].splitlines(keepends=True)
            found[rel] = b"".join(line for line in lines if not line.startswith(b"#state\t"))
    return found


def _forumctl(*args: str | Path, cwd: Path, kill: tuple[str, str] | None = None) -> int:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "EDITOR": "true"}
    env.pop("FORUMCTL_ARCHIVE", None)
    kind, point = kill or ("none", "0")
    argv = [sys.executable, "-c", CHILD, kind, point, *map(str, args)]
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=60)
    return done.returncode


WRITERS: list[tuple[str, list[str]]] = [
    ("new speaker", ["new", "speaker", "Li Na", "--no-input"]),
    ("new speaker --force", ["new", "speaker", "Sheng Shihao", "--force", "--no-input"]),
    ("new session", ["new", "session", "--forum", SAMPLE_FORUM, "Closing", "--talk",
                     "li-na", "--create-missing-speakers", "--no-input"]),
    ("edit", ["edit", "speaker", "sheng-shihao", "--bio", "Economist."]),
    ("fmt", ["fmt"]),
    ("rename speaker", ["rename", "speaker", "sheng-shihao", "shihao-sheng"]),
    ("merge speaker", ["merge", "speaker", "yang-kaizhong", "zhang-xueliang"]),
    ("rm session", ["rm", "session", f"{SAMPLE_FORUM}/pilot-free-trade-zone"]),
]  # fmt: skip


def _prepare(sample_archive: Path, name: str) -> None:
    if name == "fmt":  # something for fmt to rewrite
        speaker = sample_archive / "speakers/sheng-shihao.toml"
        speaker.write_text(speaker.read_text(encoding="utf-8").replace(" = ", "   =   "))


RUN_WRITERS = [w for w in WRITERS if FULL or w[0] == "rename speaker"]


@pytest.mark.parametrize(("name", "args"), RUN_WRITERS, ids=[w[0] for w in RUN_WRITERS])
def test_kill_9_at_every_step_of_a_writing_command(
    sample_archive: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    _prepare(sample_archive, name)
    before = _snapshot(sample_archive)
    finished = tmp_path / "finished"
    shutil.copytree(sample_archive, finished)
    assert _forumctl(*args, cwd=finished) in (0, 1), name  # fmt exits 1 when it rewrote
    after = _snapshot(finished)
    assert after != before, name
    kills = 0
    for step in STEPS:
        work = tmp_path / f"killed-{step}"
        shutil.copytree(sample_archive, work, symlinks=True)
        code = _forumctl(*args, cwd=work, kill=("step", step))
        kills += code == -signal.SIGKILL
        _forumctl("validate", cwd=work)  # recovers first
        state = _snapshot(work)
        assert state in (before, after), (name, step, set(state) ^ set(after))
        assert not (work / ".forumctl" / "journal").exists(), (name, step)
    assert kills >= 4, name  # the steps a change passes through were each killed


EXPORTS: list[tuple[str, list[str]]] = [
    ("export markdown", ["export", "markdown", "--out", "out"]),
    ("export site", ["export", "site", "--out", "out"]),
    ("export json --out", ["export", "json", "--out", "out/archive.json", "--force"]),
    ("validate --output", ["validate", "--output", "out/report.txt"]),
    ("schema --write", ["schema", "--write", "schemas", "--force"]),
]


RUN_EXPORTS = EXPORTS if FULL else EXPORTS[:1]


@pytest.mark.parametrize(("name", "args"), RUN_EXPORTS, ids=[e[0] for e in RUN_EXPORTS])
def test_kill_9_at_every_rename_of_an_export(
    sample_archive: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    # an earlier export (into an existing directory) and one from scratch (a new one)
    for earlier in (True, False):
        base = tmp_path / f"base-{earlier}"
        shutil.copytree(sample_archive, base)
        if earlier:
            _forumctl(*args, cwd=base)
            title = base / "forums" / SAMPLE_FORUM / "forum.toml"
            text = title.read_text(encoding="utf-8")
            title.write_text(text.replace("Yangtze River Delta", "Yangtze Delta"))
        before = _snapshot(base)
        finished = tmp_path / f"finished-{earlier}"
        shutil.copytree(base, finished)
        assert _forumctl(*args, cwd=finished) in (0, 1), name
        after = _snapshot(finished)
        for point in RENAMES if FULL else RENAMES[1:3]:
            work = tmp_path / f"killed-{earlier}-{point}"
            shutil.copytree(base, work)
            _forumctl(*args, cwd=work, kill=("rename", str(point)))
            state = _snapshot(work)
            changed = {rel for rel in set(state) | set(after) | set(before)
                       if state.get(rel) not in (before.get(rel), after.get(rel))}  # fmt: skip
            assert changed == set(), (name, earlier, point)  # every file old or new
            if name in ("export markdown", "export site"):
                # the next export, incremental, finishes what the killed one left
                assert _forumctl(*args, cwd=work) == 0, (name, earlier, point)
                assert _snapshot(work) == after, (name, earlier, point)
            if not earlier and name in ("export markdown", "export site"):
                # a new export directory appears whole, or not at all
                assert state in (before, after), (name, point)
