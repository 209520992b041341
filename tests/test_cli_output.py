"""cli/output: the one channel every command prints through, and the exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from forumctl.cli import output
from forumctl.errors import ExitCode, ForumctlError

CLI = Path(__file__).resolve().parent.parent / "forumctl" / "cli"


def test_results_go_to_stdout_and_messages_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    output.result("speakers/a.toml")
    output.result('{"version": 1}\n', end="")
    output.note("wrote proceedings")
    output.warning("session a/b has no time")
    output.error("a.toml:1:1: bad")
    captured = capsys.readouterr()
    assert captured.out == 'speakers/a.toml\n{"version": 1}\n'
    assert captured.err == (
        "wrote proceedings\n"
        "forumctl: warning: session a/b has no time\n"
        "forumctl: error: a.toml:1:1: bad\n"
    )


def test_exit_with_ends_the_command_with_its_code() -> None:
    with pytest.raises(typer.Exit) as raised:
        output.exit_with(ExitCode.FINDINGS)
    assert raised.value.exit_code == 1


def test_the_exit_codes() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FINDINGS": 1,
        "USAGE": 2,
        "INTERRUPTED": 130,
        "BROKEN_PIPE": 141,
        "TERMINATED": 143,
    }
    assert ForumctlError("x").exit_code is ExitCode.USAGE


# What only cli/output.py may do (cli/main.py answers --version before typer is imported).
BYPASSES = re.compile(
    r"typer\.echo|click\.echo|sys\.std(out|err)\.write|(?<![.\w])print\(|forumctl: (error|warning)"
)


def test_commands_print_only_through_the_channel() -> None:
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(CLI.glob("*.py"))
        if path.name not in ("output.py", "main.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BYPASSES.search(line)
    ]
    assert offenders == []
