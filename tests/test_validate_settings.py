"""[validate] in forumctl.toml: select, ignore and per-file-ignores as ruff's settings,
the command line on top, and wrong entries as findings at their line."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import rtoml
from base_archive import BASE, FORMAT_2
from conftest import Cli

from forumctl import records
from forumctl.schema import json_schema
from forumctl.toml_io import dumps
from forumctl.validate.settings import Settings, glob_problem

MakeArchive = Callable[[dict[str, str]], Path]
F2 = FORMAT_2["forumctl.toml"]
# BASE with an unreferenced speaker (FC403, warning) and a session without talks (FC503)
NOISY = {
    **BASE,
    "speakers/cy.toml": 'name = "Cy Young"\n',
    "forums/f/sessions/c.toml": 'title = "C"\norder = 3\n',
}


def _codes(cli: Cli, root: Path, *args: str) -> list[tuple[str, str]]:
    result = cli("--archive", root, "validate", "--format", "json", *args)
    assert result.stderr == ""
    findings = json.loads(result.stdout)["findings"]
    return [(f["code"], os.path.relpath(f["path"], root)) for f in findings]


def _archive(make_archive: MakeArchive, table: str) -> Path:
    return make_archive({**NOISY, "forumctl.toml": F2 + "\n" + table})


def test_without_a_table_every_rule_reports(cli: Cli, make_archive: MakeArchive) -> None:
    assert _codes(cli, _archive(make_archive, "")) == [
        ("FC503", "forums/f/sessions/c.toml"),
        ("FC403", "speakers/cy.toml"),
    ]


def test_ignore_and_select(cli: Cli, make_archive: MakeArchive) -> None:
    root = _archive(make_archive, '[validate]\nignore = ["fc403"]\n')
    assert _codes(cli, root) == [("FC503", "forums/f/sessions/c.toml")]
    root = _archive(make_archive, '[validate]\nselect = ["FC4"]\n')
    assert _codes(cli, root) == [("FC403", "speakers/cy.toml")]


def test_the_command_line_selects_anew_and_ignores_more(
    cli: Cli, make_archive: MakeArchive
) -> None:
    root = _archive(make_archive, '[validate]\nselect = ["FC4"]\n')
    assert _codes(cli, root, "--select", "FC5") == [("FC503", "forums/f/sessions/c.toml")]
    root = _archive(make_archive, '[validate]\nignore = ["FC403"]\n')
    assert _codes(cli, root, "--ignore", "FC503") == []


def test_per_file_ignores_apply_to_the_files_they_match(
    cli: Cli, make_archive: MakeArchive
) -> None:
    table = '[validate.per-file-ignores]\n"forums/*/sessions/c.toml" = ["FC5"]\n'
    assert _codes(cli, _archive(make_archive, table)) == [("FC403", "speakers/cy.toml")]
    # a glob without '/' matches the file name in any directory
    table = '[validate.per-file-ignores]\n"cy.toml" = ["FC403"]\n"a.toml" = ["FC503"]\n'
    assert _codes(cli, _archive(make_archive, table)) == [("FC503", "forums/f/sessions/c.toml")]
    # '*' crosses '/', as ruff's does
    table = '[validate.per-file-ignores]\n"forums/*" = ["FC503"]\n"speakers/*" = ["FC4"]\n'
    assert _codes(cli, _archive(make_archive, table)) == []


def test_a_wrong_entry_is_a_finding_at_its_line_and_the_rest_applies(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = (
        '[validate]\nignore = ["FC503", "FC9"]\n\n'
        '[validate.per-file-ignores]\n"/speakers/*" = ["FC403"]\n"speakers/[ab" = ["FC403"]\n'
    )
    monkeypatch.chdir(_archive(make_archive, table))
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "forumctl.toml\n"
        "  6:20  error    FC004  'validate.ignore' is 'FC9': no rule code starts with 'FC9';"
        " did you mean 'FC609' or 'FC209'?\n"
        "  9:1  error    FC005  per-file-ignores glob '/speakers/*': globs are relative to the"
        " archive root: leave out the leading '/'\n"
        "  10:1  error    FC005  per-file-ignores glob 'speakers/[ab': '[' opens a set of"
        " characters that no ']' closes\n"
        "\n"
        "speakers/cy.toml\n"
        "  1:1  warning  FC403  speaker 'cy' is not a chair or speaker of any session\n"
        "\n"
        "3 errors, 1 warning in 2 of 8 files.\n"
    )


def test_a_wrong_type_is_the_usual_finding(cli: Cli, make_archive: MakeArchive) -> None:
    result = cli("--archive", _archive(make_archive, '[validate]\nselect = "FC5"\n'), "validate")
    assert "  6:1  error    FC102  'select' must be a list of strings, not a string\n" in (
        result.stdout
    )


def test_a_format_1_archive_is_told_to_migrate(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "forumctl.toml": BASE["forumctl.toml"] + '\n[validate]\n'
                         'ignore = ["FC403"]\n'})  # fmt: skip
    assert _codes(cli, root) == [("FC003", "forumctl.toml")]


@pytest.mark.parametrize(
    ("glob", "problem"),
    [
        ("forums/*/sessions/*.toml", None),
        ("forum.toml", None),
        ("speakers/[a-c]*.toml", None),
        ("", "an empty glob matches no file"),
        ("forums\\*", "write '/' between directories, not '\\'"),
        ("forums/../speakers/*", "'..' leads out of the archive"),
        ("speakers/[]", "'[' opens a set of characters that no ']' closes"),
    ],
)
def test_glob_problems(glob: str, problem: str | None) -> None:
    assert glob_problem(glob) == problem


def test_settings_keep_the_valid_entries() -> None:
    table = records.Validation(
        select=("fc", "XX"), per_file_ignores={"speakers/*": ("FC403", "nope"), "/x": ("FC4",)}
    )
    settings = Settings.of(table)
    assert settings == Settings(select=("FC",), per_file_ignores=(("speakers/*", ("FC403",)),))
    assert settings.ignored_in("speakers/ada.toml") == ("FC403",)
    assert settings.ignored_in("forums/f/forum.toml") == ()


MANIFEST_WITH_TABLE = """\
format = 2
name = "Test archive"

[validate]
select = [
    "FC",
]
ignore = [
    "FC403",
]

[validate.per-file-ignores]
"forums/*/sessions/*.toml" = [
    "FC503",
]
"""


def test_the_table_is_written_canonically_and_passes_the_schema() -> None:
    data = rtoml.loads(MANIFEST_WITH_TABLE)
    manifest, problems = records.load(records.Manifest, data)
    assert problems == []
    assert manifest.validate == records.Validation(
        select=("FC",), ignore=("FC403",), per_file_ignores={"forums/*/sessions/*.toml": ("FC503",)}
    )
    assert dumps(manifest) == MANIFEST_WITH_TABLE  # what fmt and init write
    jsonschema.validate(data, json_schema("manifest"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "validate": {"selct": ["FC"]}}, json_schema("manifest"))
