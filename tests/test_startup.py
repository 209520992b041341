"""Start-up stays light: ``python -X importtime`` shows which modules each command
imports, and heavy ones (Jinja2, icalendar, rich tables, the TOML writer, typer itself
for --version) stay out of the commands that do not need them. No timing: what is
checked is what gets imported, which is what the time comes from."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM

from forumctl.cache import CACHE_DIR, RACY_WINDOW_NS

HEAVY = ("jinja2", "icalendar", "tomli_w", "lxml", "markupsafe", "forumctl.export")
BARE_TYPER_APP = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str) -> None:
    print(name)
app()
"""


def imported(*argv: str | Path, cwd: Path | None = None) -> set[str]:
    """Every module the process imports, by name, read from -X importtime."""
    return imported_and_said(*argv, cwd=cwd)[0]


def imported_and_said(*argv: str | Path, cwd: Path | None = None) -> tuple[set[str], str]:
    """Every module the process imports, and what it wrote on stderr besides."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    env.pop("FORUMCTL_ARCHIVE", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *map(str, argv)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines(keepends=True)
    timed = [line for line in lines if line.startswith("import time:")]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in timed
        if not line.endswith("| imported package\n")
    }
    return modules, "".join(line for line in lines if not line.startswith("import time:"))


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_version_imports_nothing_but_forumctls_entry_point() -> None:
    modules = imported("-m", "forumctl", "--version")
    baseline = imported("-m", "json.tool", "--help")  # runpy and its stdlib, nothing else
    extra = modules - baseline
    assert {name for name in extra if name.startswith("forumctl")} <= {
        "forumctl",
        "forumctl.__main__",
        "forumctl.cli",
        "forumctl.cli.main",
    }
    assert top_level(modules) & {"typer", "rich", "click", "rtoml", *HEAVY} == set()


def test_help_imports_little_more_than_a_bare_typer_app(tmp_path: Path) -> None:
    bare_app = tmp_path / "bare.py"
    bare_app.write_text(BARE_TYPER_APP, encoding="utf-8")
    bare = imported(bare_app, "--help")

    extra = imported("-m", "forumctl", "--help") - bare

    assert not {name for name in extra if name.startswith(HEAVY)}
    third_party = {name for name in top_level(extra) if name not in sys.stdlib_module_names}
    assert third_party == {"forumctl"}
    assert not {name for name in extra if name.startswith(("forumctl.validate", "rich.table"))}


def test_help_imports_no_command_module_nor_records_nor_rich() -> None:
    # The command list is read from cli/app.py's summaries (issue 15: --help was 1.39x a
    # bare Typer app, as cli/new.py and cli/edit.py built their options from records.py)
    modules = imported("-m", "forumctl", "--help")

    assert {name for name in modules if name.startswith("forumctl")} == {
        "forumctl",
        "forumctl.cli",
        "forumctl.cli.main",
        "forumctl.cli.app",
        "forumctl.cli.context",
        "forumctl.cli.output",
        "forumctl.errors",
    }
    assert "rich" not in top_level(modules)


def test_a_commands_help_imports_its_own_module_only() -> None:
    modules = imported("-m", "forumctl", "new", "session", "--help")

    assert {"forumctl.cli.fields", "forumctl.records"} <= modules  # what new imports
    assert not {name for name in modules if name.startswith("forumctl.cli.")} - {
        "forumctl.cli.main",
        "forumctl.cli.app",
        "forumctl.cli.context",
        "forumctl.cli.output",
        "forumctl.cli.new",
        "forumctl.cli.fields",
        "forumctl.cli.changing",
        "forumctl.cli.complete",
    }


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("list", "forums"), id="list-forums"),
        pytest.param(("list", "speakers"), id="list-speakers"),
        pytest.param(("show", "forum", SAMPLE_FORUM), id="show-forum"),
        pytest.param(("validate",), id="validate"),
    ],
)
def test_reading_commands_do_not_import_the_exporters_or_the_toml_writer(
    sample_archive: Path, command: tuple[str, ...]
) -> None:
    modules = imported("-m", "forumctl", "--archive", sample_archive, *command)

    assert {name for name in modules if name.startswith(HEAVY)} == set()


def test_export_markdown_imports_jinja2_but_not_icalendar(
    sample_archive: Path, tmp_path: Path
) -> None:
    # The check above would pass if nothing were ever imported; this one shows it sees them.
    out = tmp_path / "proceedings"
    modules = imported("-m", "forumctl", "--archive", sample_archive, "export", "markdown",
                       "--out", out)  # fmt: skip

    assert "jinja2" in modules
    assert "icalendar" not in top_level(modules)


# What a small read needs: the records, the archive, its query and, for show, rich's layout.
# Not the change layer (its journal is looked for first: tests/test_change.py recovers),
# not the importers (list's columns once imported them for import's outcome table), nor
# msgspec (a few files are checked faster than it is imported: records.CHECKED_FIRST),
# nor rich's table of emoji codes (issue 6: show forum was 12-16x `python -c pass`).
NOT_FOR_A_SMALL_READ = (
    "forumctl.change", "forumctl.importers", "forumctl.validate", "forumctl.inplace",
    "msgspec", "rich._emoji_codes",
)  # fmt: skip


@pytest.mark.parametrize(
    ("command", "layout"),
    [
        pytest.param(("show", "forum", SAMPLE_FORUM), "forumctl.render.text", id="show-forum"),
        pytest.param(("list", "forums"), "forumctl.render.tables", id="list-forums"),
    ],
)
@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_small_read_imports_what_it_shows_and_nothing_more(
    sample_archive: Path, command: tuple[str, ...], layout: str, cache: bool
) -> None:
    options = () if cache else ("--no-cache",)
    if cache:  # files are cached once their ctime is 2 s old: the copy's is new
        time.sleep(RACY_WINDOW_NS / 1e9 + 0.1)
    for run in ("cold", "warm"):
        modules = imported("-m", "forumctl", "--archive", sample_archive, *options, *command)

        assert layout in modules  # it sees what the command does import
        assert {name for name in modules if name.startswith(NOT_FOR_A_SMALL_READ)} == set()
        writes = cache and run == "cold"  # the parse cache, written atomically
        assert ("tempfile" in modules) == writes
        assert (sample_archive / CACHE_DIR).is_dir() == cache
    if command[0] == "list":  # list lays out its table itself: no rich at all
        assert "rich" not in top_level(modules)


def test_a_read_after_an_interrupted_change_imports_the_change_layer_and_recovers(
    sample_archive: Path,
) -> None:
    (sample_archive / ".forumctl").mkdir()
    (sample_archive / ".forumctl" / "journal").write_bytes(b"torn")  # a crash mid-write

    modules, said = imported_and_said(
        "-m", "forumctl", "--archive", sample_archive, "list", "forums"
    )

    assert "forumctl.change" in modules
    assert said == (
        "forumctl: warning: removed the unfinished journal of an interrupted change"
        " (no file was changed)\n1 forum\n"
    )
    assert not (sample_archive / ".forumctl" / "journal").exists()
