"""The root command: global options, wherever they are given."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, lines


def test_global_options_are_accepted_after_the_subcommand_too(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As git and gh take them: --archive, -C DIR, --no-cache (and --no-pager, --debug)
    anywhere; -C runs as if started in DIR, before --archive is resolved."""
    monkeypatch.chdir(tmp_path)
    expected = cli("--archive", sample_archive, "list", "speakers", "--format", "csv").stdout
    assert expected.startswith("ID,Name,Affiliations")
    for args in (
        ["list", "speakers", "--format", "csv", "--archive", str(sample_archive)],
        ["list", "speakers", f"--archive={sample_archive}", "--format", "csv", "--no-cache"],
        [
            "-C",
            str(sample_archive.parent),
            "list",
            "speakers",
            "--format",
            "csv",
            "--archive",
            "archive",
        ],
        ["list", "--no-cache", "speakers", "-C", str(sample_archive), "--format", "csv"],
    ):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (0, expected, ""), args
    # a value that looks like an option stays with its option
    searched = cli("--archive", sample_archive, "list", "speakers", "--search", "--no-cache")
    assert searched.exit_code == 0
    assert searched.stderr == "0 speakers\n"
    missing = cli("list", "speakers", "-C", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr.startswith("forumctl: error: -C ")


# -- help at 80 columns, usage errors ------------------------------------------------


def every_command() -> list[tuple[str, ...]]:
    """The path of every command and group, from the root (), as a user types it."""
    import typer.main

    from forumctl.cli.app import app

    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...], ctx: Any) -> None:
        paths.append(path)
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), (*path, name), ctx)

    root = typer.main.get_command(app)
    walk(root, (), root.make_context("forumctl", ["--help"], resilient_parsing=True))
    return paths


PLACEHOLDER = re.compile(r"^(-\w|--[\w-]+)(?:, --[\w-]+)? (?P<metavar>\S.*)$")
METAVAR_STYLE = re.compile(
    r"^('[A-Z][^a-z]*'|\[?[A-Z][A-Z0-9:./=_-]*\]?|[a-z0-9-]+(\|[a-z0-9-]+)+)$"
)  # 'ID: NAME', TEXT, [SHELL] (an optional value), a|b|c


def help_problems(text: str) -> list[str]:
    """What would not read at 80 columns: lines too long, a word left alone on a line
    although it fits on the one before (a hard-wrapped docstring), a line broken inside
    a placeholder or at a hyphen, placeholders in another style than DIR, TEXT, a|b."""
    problems = []
    lines = text.split("\n")
    for number, (before, line) in enumerate(zip(["", *lines], lines, strict=False), 1):
        where = f"line {number} {line!r}"
        if len(line) > 80:
            problems.append(f"{where}: {len(line)} columns")
        indent = len(line) - len(line.lstrip())
        first_word = line.split()[0] if line.strip() else ""
        continues = (  # the text of the line before goes on here (not a new option or term)
            indent
            and len(before) > indent
            and before[indent - 1] == " "
            and before[indent] != " "
            and "  " not in line.strip()
        )
        if continues and len(before.rstrip()) + 1 + len(first_word) <= 78:
            problems.append(f"{where}: {first_word!r} fits on the line before")
        words = [word for word in line.split() if re.search("[A-Z]", word)]
        if sum(word.count("[") - word.count("]") for word in words):
            problems.append(f"{where}: a placeholder broken across lines")
        if line.rstrip().endswith("-") and not line.rstrip().endswith(" -"):
            problems.append(f"{where}: broken at a hyphen")
        option = indent <= 2 and PLACEHOLDER.match(line.strip().split("  ")[0])
        if option and not METAVAR_STYLE.match(option["metavar"]):
            problems.append(f"{where}: placeholder {option['metavar']!r} not in the one style")
        if re.search(r"<[a-z][a-z-]*>", line):  # <forum-id>: written FORUM-ID here
            problems.append(f"{where}: a placeholder in <...>, not in the one style")
        if line.startswith("Usage:") and re.search(r"[{<]|\[[a-z]", line):
            problems.append(f"{where}: usage placeholders not in the one style")
    return problems


@pytest.mark.parametrize("command", every_command(), ids=" ".join)
def test_help_of_every_command_reads_at_80_columns(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli(*command, "--help", env={"COLUMNS": "80"})

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(f"Usage: {' '.join(('forumctl', *command))} ")
    assert help_problems(result.stdout) == []


def test_the_help_rules_catch_what_typers_rich_layout_did() -> None:
    # Lines of forumctl's help before it was Click's plain layout (issue 15, point 14)
    rich_help = (
        "│ diff      What changed in the proceedings between revisions: records added,  │\n"
        "│           removed, renamed,                                                  │\n"
        "│           moved, cancelled, and every field changed with its old and new     │\n"
        "│ --talk                             <str>       The talks, in programme       │\n"
        "│                                                'SPEAKER-ID[,SPEAKER-ID...][: │\n"
        "│                                                TITLE]', which starts an      │\n"
    )
    unboxed = "\n".join(line.replace("│", " ").rstrip() for line in rich_help.split("\n"))
    assert [problem.rsplit(": ", 1)[1] for problem in help_problems(unboxed)] == [
        "'moved,' fits on the line before",
        "a placeholder in <...>, not in the one style",
        "a placeholder broken across lines",
        "a placeholder broken across lines",
    ]
    assert help_problems("  --talk <str>  The talks; the item's other fields follow it as --link-\n"
                         "                license.") == [
        "line 1 \"  --talk <str>  The talks; the item's other fields follow it as --link-\":"
        " broken at a hyphen",
        "line 1 \"  --talk <str>  The talks; the item's other fields follow it as --link-\":"
        " placeholder '<str>' not in the one style",
        "line 1 \"  --talk <str>  The talks; the item's other fields follow it as --link-\":"
        " a placeholder in <...>, not in the one style",
    ]  # fmt: skip


def test_the_root_help_lists_every_command_without_importing_them(cli: Cli) -> None:
    result = cli("--help", env={"COLUMNS": "80"})

    commands = result.stdout.split("Commands:\n", 1)[1]
    assert lines(commands) == [
        "  init      Make a new archive.",
        "  new       Scaffold a forum, session or speaker.",
        "  edit      Change a forum, session or speaker in place.",
        "  list      List forums, sessions or speakers.",
        "  show      Show one forum, session or speaker.",
        "  validate  Check the archive; report every finding.",
        "  fmt       Rewrite files in canonical order and layout.",
        "  schema    Print the JSON Schema of a record.",
        "  export    Export proceedings and schedules.",
        "  rename    Give a record a new ID everywhere.",
        "  merge     Make one person in two files one.",
        "  rm        Remove a record nothing refers to.",
        "  diff      What changed between revisions.",
        "  log       The commits that changed one record.",
        "  import    Import a programme, or update it.",
        "  migrate   Upgrade the archive to a newer format.",
    ]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        pytest.param(
            ("list", "forums", "--frmat", "json"),
            "no such option: --frmat (did you mean '--format' or '--forum'?)",
            id="unknown-option",
        ),
        pytest.param(
            ("list", "forums", "--colour"),
            "no such option: --colour (see 'forumctl list forums --help')",
            id="unknown-option-nothing-close",
        ),
        pytest.param(
            ("show", "forum"),
            "missing argument 'ID' (see 'forumctl show forum --help')",
            id="missing-argument",
        ),
        pytest.param(
            ("list", "forums", "--format", "xml"),
            "invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv'"
            " (see 'forumctl list forums --help')",
            id="bad-choice",
        ),
        pytest.param(
            ("lst", "forums"), "no such command 'lst' (did you mean 'list'?)", id="unknown-command"
        ),
        pytest.param(
            ("list", "forum"),
            "no such command 'forum' (did you mean 'forums'?)",
            id="unknown-subcommand",
        ),
        pytest.param(
            ("new", "forum", "--edition", "two", "T"),
            "invalid value for '--edition': 'two' is not a valid int"
            " (see 'forumctl new forum --help')",
            id="bad-integer",
        ),
    ],
)
def test_usage_errors_are_one_line_as_every_other_error(
    cli: Cli, args: tuple[str, ...], stderr: str
) -> None:
    result = cli(*args)

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"forumctl: error: {stderr}\n"
