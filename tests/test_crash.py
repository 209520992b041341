"""kill -9 while a change is written, and two writers at once (the harness: crash.py).

``FORUMCTL_CRASH_RUNS`` sets the number of killed runs (default 6 in the suite; the
issue's profile is 200: ``FORUMCTL_CRASH_RUNS=200 pytest tests/test_crash.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from crash import crash_runs, forumctl, snapshot
from generated import generated_archive

REPO = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("FORUMCTL_CRASH_RUNS", "6"))


@pytest.fixture(scope="module")
def untidy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive of 233 files, none canonical (no #:schema line): fmt rewrites
    232 of them in one change."""
    root = generated_archive(tmp_path_factory.mktemp("crash") / "archive", 8)
    for path in root.rglob("*.toml"):
        if path.name != "forumctl.toml":
            text = path.read_text(encoding="utf-8")
            path.write_text(text.split("\n", 1)[1], encoding="utf-8")
    return root


def test_kill_9_during_a_change_of_232_files(untidy: Path) -> None:
    report = crash_runs(untidy, ["fmt"], runs=RUNS, seed=int(os.environ.get("SEED", "1")))
    print(report)
    assert report.mixed == []
    assert report.stray == []
    assert report.old + report.new == report.runs == RUNS
    assert report.mid_change > 0  # some kills landed while the change was being written
    assert report.recovered >= report.mid_change


def _record_texts(root: Path) -> list[str]:
    """The texts of the archive's records (not forumctl.toml or .taplo.toml)."""
    paths = [*root.glob("speakers/*.toml"), *root.glob("forums/**/*.toml")]
    assert len(paths) == 232
    return [path.read_text(encoding="utf-8") for path in paths]


def test_a_second_writer_gets_the_lock_error_at_once(untidy: Path, tmp_path: Path) -> None:
    """While one writer holds the archive's lock, another forumctl that would write fails
    at once with the lock error and writes nothing; once the lock is free, it writes."""
    import shutil

    from forumctl.change import locked

    root = Path(shutil.copytree(untidy, tmp_path / "held"))
    before = snapshot(root)
    with locked(root):
        writer = forumctl(root, "fmt")
        code, said = writer.wait(timeout=120), writer.communicate()[1].decode()
    assert code == 2
    assert "another forumctl is changing this archive" in said
    assert said.endswith("(try again when it has finished)\n")
    assert snapshot(root) == before
    writer = forumctl(root, "fmt")
    assert writer.wait(timeout=120) == 0, writer.communicate()[1].decode()
    assert all(text.startswith("#:schema ") for text in _record_texts(root))


def test_two_writers_at_once(untidy: Path, tmp_path: Path) -> None:
    """Two fmt runs started together: one writes all 232 files; the other gets the lock
    error (or, coming after, finds the files changed and writes nothing). Never a mix.
    Which of the two happens is the machine's timing; the test above pins the lock error."""
    import shutil

    for attempt in range(3):
        root = tmp_path / f"attempt{attempt}"
        shutil.copytree(untidy, root)
        writers = [forumctl(root, "fmt"), forumctl(root, "fmt")]
        results = [(w.wait(), w.communicate()[1].decode()) for w in writers]
        assert sorted(code for code, _ in results) in ([0, 0], [0, 2]), results
        for code, said in results:
            if code == 2:
                assert said.endswith("(try again when it has finished)\n") or (
                    "changed on disk while this command ran; nothing was written" in said
                ), said
        # one whole change: every record rewritten
        assert all(text.startswith("#:schema ") for text in _record_texts(root))
        shutil.rmtree(root)
