"""``forumctl schema``: print one, write all four."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

from forumctl.schema import schema_text


def test_prints_the_schema_of_a_kind(cli: Cli) -> None:
    result = cli("schema", "session")
    assert result.exit_code == 0
    assert result.stdout == schema_text("session")
    assert json.loads(result.stdout)["title"] == "forumctl session (archive format 2)"
    assert result.stderr == ""


def test_write_writes_all_four_then_nothing(cli: Cli, tmp_path: Path) -> None:
    first = cli("schema", "--write", tmp_path / "schemas")
    assert first.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        "forum.schema.json", "manifest.schema.json", "session.schema.json", "speaker.schema.json"
    ]  # fmt: skip
    second = cli("schema", "--write", tmp_path / "schemas")
    assert second.stderr == f"schemas in {tmp_path / 'schemas'} are up to date\n"


def test_a_changed_schema_file_needs_force(cli: Cli, tmp_path: Path) -> None:
    cli("schema", "--write", tmp_path)
    (tmp_path / "forum.schema.json").write_text("{}")
    refused = cli("schema", "--write", tmp_path)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"forumctl: error: {tmp_path / 'forum.schema.json'}: already exists"
        " (use --force to overwrite it)\n"
    )
    assert cli("schema", "--write", tmp_path, "--force").exit_code == 0
    assert (tmp_path / "forum.schema.json").read_text() == schema_text("forum")


def test_usage_errors(cli: Cli, tmp_path: Path) -> None:
    missing = cli("schema")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "forumctl: error: which schema? give forum, session, speaker or manifest (or --write DIR)\n"
    )
    both = cli("schema", "forum", "--write", tmp_path)
    assert both.exit_code == 2
    assert both.stderr == "forumctl: error: give a KIND or --write DIR, not both\n"
    unknown = cli("schema", "talk")
    assert unknown.exit_code == 2
