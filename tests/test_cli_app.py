"""The root command: global options, wherever they are given."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli


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
