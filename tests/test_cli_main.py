"""The console entry point as a user runs it: a real process, exit codes and whole output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE


def forumctl(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forumctl", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_version_is_answered() -> None:
    result = forumctl("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("forumctl ")


def test_output_is_complete_and_the_exit_code_kept() -> None:
    listing = forumctl("--archive", SAMPLE, "--no-cache", "list", "speakers", "--format", "json")
    assert (listing.returncode, listing.stderr) == (0, "")
    document = json.loads(listing.stdout)  # the whole document arrived before the exit
    assert [speaker["id"] for speaker in document["speakers"]] == [
        "sheng-shihao",
        "yang-kaizhong",
        "zhang-xueliang",
    ]
    missing = forumctl("--archive", SAMPLE, "--no-cache", "show", "speaker", "nobody")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == (
        "forumctl: error: no speaker 'nobody' (speakers/nobody.toml does not exist)"
        " ('forumctl list speakers' shows the IDs)\n"
    )


def test_usage_errors_keep_typer_exit_code() -> None:
    result = forumctl("no-such-command")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: no such command 'no-such-command' (see 'forumctl --help')\n"
    )


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path) -> None:
    archive = tmp_path / "a"
    archive.mkdir()
    (archive / "forumctl.toml").write_text('format = 1\nname = "A"\n')
    (archive / "speakers").mkdir()
    for number in range(2000):  # more diff than a pipe buffer holds
        (archive / "speakers" / f"s{number}.toml").write_text(f'name  =  "Speaker {number}"\n')
    command = [sys.executable, "-m", "forumctl", "--archive", str(archive), "--no-cache"]
    pipeline = subprocess.Popen(
        [*command, "fmt", "--diff"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert pipeline.stdout is not None and pipeline.stderr is not None
    assert pipeline.stdout.readline() == b"--- a/forumctl.toml\n"
    pipeline.stdout.close()  # like `| head -1`
    assert pipeline.stderr.read() == b""
    assert pipeline.wait() == 141
