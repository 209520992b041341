"""A crash harness: SIGKILL a forumctl process at random moments while it applies a
change, run the next forumctl command, and check that every file is all old or all new.

Reusable for any writing command (tests/test_crash.py runs it on ``fmt`` over 232 files;
``rename speaker`` can run it the same way)::

    from crash import crash_runs
    report = crash_runs(template, ["rename", "speaker", "old", "new"], runs=200, seed=1)
    assert report.mixed == [] and report.stray == []

``template`` is an archive directory that is copied afresh for every run. One run without
a kill gives the expected result, its duration ``T`` and how long its journal existed
``W``; each run then starts the command in a subprocess and kills it with SIGKILL at a
random moment: half the runs anywhere in ``[0, T]``, half within ``W`` after the journal
appears (the writing: what a timer alone rarely hits on a loaded machine), then runs
``forumctl list forums`` (which recovers an interrupted change before anything else) and
compares every file with the archive before and with the expected one after. How many
kills landed while the change's journal existed (mid-change) is counted, so a harness
whose kills all miss the writing shows it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

IGNORED = (".forumctl", ".forumctl-cache")  # the lock and the parse cache are no records
TEMP_MARK = ".forumctl-"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the archive (the lock and the cache aside), by relative path."""
    found = {}
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d not in IGNORED]
        for name in names:
            path = Path(directory, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def forumctl(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "forumctl", "--archive", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )


def _wait_for_journal(root: Path, process: subprocess.Popen[bytes]) -> float | None:
    """When the change's journal appeared (perf_counter), or None if the process ended
    first."""
    journal = root / ".forumctl" / "journal"
    while process.poll() is None:
        if journal.exists():
            return time.perf_counter()
        time.sleep(0.0005)
    return None


@dataclass
class CrashReport:
    runs: int = 0
    old: int = 0  # runs after which every file was as before
    new: int = 0  # runs after which every file was as the uninterrupted run left it
    mid_change: int = 0  # kills that landed while the journal existed
    recovered: int = 0  # next commands that said they finished or rolled back a change
    mixed: list[str] = field(default_factory=list)  # what was neither, per failing run
    stray: list[str] = field(default_factory=list)  # temporary files or journals left


def crash_runs(template: Path, command: list[str], *, runs: int, seed: int = 1) -> CrashReport:
    rng = random.Random(seed)
    report = CrashReport()
    with tempfile.TemporaryDirectory(prefix="forumctl-crash-") as scratch:
        before = snapshot(template)
        reference = Path(scratch, "reference")
        shutil.copytree(template, reference, symlinks=True)
        started = time.perf_counter()
        process = forumctl(reference, *command)
        journal_seen = _wait_for_journal(reference, process)
        _, error = process.communicate()
        ended = time.perf_counter()
        duration, writing = ended - started, ended - (journal_seen or ended)
        assert process.returncode == 0, error.decode()
        after = snapshot(reference)
        assert after != before, "the command changed nothing: no crash test then"
        for run in range(runs):
            root = Path(scratch, f"run{run}")
            shutil.copytree(template, root, symlinks=True)
            process = forumctl(root, *command)
            if run % 2 == 0:
                time.sleep(duration * rng.random())
            elif _wait_for_journal(root, process) is not None and run > 1:
                # later than the first: a random moment of the change as the reference
                # run wrote it (on a loaded machine it may be over by then; the first
                # kill, at once, lands in it)
                time.sleep(writing * rng.random())
            process.send_signal(signal.SIGKILL)
            process.communicate()
            report.mid_change += (root / ".forumctl" / "journal").exists()
            next_command = forumctl(root, "list", "forums")
            _, said = next_command.communicate()
            report.recovered += b"interrupted change" in said
            now = snapshot(root)
            report.runs += 1
            if now == before:
                report.old += 1
            elif now == after:
                report.new += 1
            else:
                changed = sorted(rel for rel in now.keys() | before.keys()
                                 if now.get(rel) != before.get(rel))  # fmt: skip
                report.mixed.append(f"run {run}: {len(changed)} files differ, e.g. {changed[:3]}")
            left = [rel for rel in now if TEMP_MARK in rel.rsplit("/", 1)[-1]]
            state = root / ".forumctl"
            if state.is_dir():  # the journal is gone once recovered: only the lock stays
                left += [f".forumctl/{name}" for name in os.listdir(state) if name != "lock"]
            report.stray += [f"run {run}: {rel}" for rel in left]
            shutil.rmtree(root)
    return report
