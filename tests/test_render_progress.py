"""Progress (render/progress.py) on stderr: rich's display on a terminal after DELAY
seconds of work, nothing when stderr is not a terminal; results on stdout the same."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli

from forumctl.render import progress

BAR = "━"
TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "xterm"}  # stderr taken for a terminal, as rich's


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        pytest.param(("validate",), "validate", id="validate"),
        pytest.param(("fmt", "--check"), "fmt", id="fmt"),
        pytest.param(("export", "json"), "export: reading", id="export"),
        pytest.param(("export", "csv"), "export: reading", id="export-csv"),
    ],
)
def test_a_terminal_shows_progress_and_stdout_is_the_same_without_one(
    cli: Cli,
    sample_archive: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    shown: str,
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)  # the sample archive reads in no time
    args = ("--archive", sample_archive, "--no-cache", *command)

    plain = cli(*args)
    on_terminal = cli(*args, env=TERMINAL)

    assert on_terminal.exit_code == plain.exit_code == 0
    assert on_terminal.stdout == plain.stdout  # byte for byte
    assert BAR not in plain.stderr and shown not in plain.stderr
    assert f"{shown} " in on_terminal.stderr and BAR in on_terminal.stderr
    assert "9/9" in on_terminal.stderr  # 3 speakers, 1 forum, 5 sessions: every file read


def test_nothing_is_shown_before_the_delay_nor_after_the_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in TERMINAL.items():
        monkeypatch.setenv(name, value)
    now = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    shown = progress.Progress("validate")

    shown(1, 4)
    now[0] += progress.DELAY / 2
    shown(2, 4)
    assert capsys.readouterr().err == ""  # quick work: no flicker

    now[0] += progress.DELAY
    shown(3, 4)
    assert "validate" in capsys.readouterr().err

    shown(4, 4)  # done: the display clears itself and says nothing more
    capsys.readouterr()
    shown(4, 4)
    assert capsys.readouterr().err == ""


def test_when_stderr_is_no_terminal_rich_is_not_even_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour in a CI log: still no terminal
    monkeypatch.setattr(progress, "DELAY", 0.0)
    shown = progress.Progress("validate")

    for done in range(1, 5):
        shown(done, 4)

    assert capsys.readouterr().err == ""
    assert shown._display is None


def test_tty_interactive_0_turns_it_off_on_a_terminal(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = cli("--archive", sample_archive, "validate", env={**TERMINAL, "TTY_INTERACTIVE": "0"})

    assert (result.exit_code, result.stderr) == (0, "")


def test_import_shows_progress_while_it_reads_the_archive_on_a_terminal_only(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    root = make_archive({"forumctl.toml": 'format = 2\nname = "I"\ntimezone = "Europe/Berlin"\n'})
    source = Path(__file__).parent / "data" / "import" / "frab.xml"
    assert cli("--archive", root, "import", "frab", source).exit_code == 0
    # the re-import reads every speaker and every session of the forum through its change
    read = len([*root.glob("speakers/*.toml"), *root.glob("forums/*/sessions/*.toml")])
    args = ("--archive", root, "--no-cache", "import", "frab", source, "--dry-run")

    plain = cli(*args)
    on_terminal = cli(*args, env=TERMINAL)

    assert on_terminal.exit_code == plain.exit_code == 0
    assert on_terminal.stdout == plain.stdout  # byte for byte
    assert BAR not in plain.stderr and "import: reading" not in plain.stderr
    assert "import: reading " in on_terminal.stderr and BAR in on_terminal.stderr
    assert read > 2 and f"{read}/{read}" in on_terminal.stderr
