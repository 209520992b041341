"""cli/export: the registry of export formats, every exporter imported and run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli
from export_archives import CONF, TIMED

from forumctl.archive import Archive
from forumctl.cli.export import DIRECTORY_FORMATS, DOCUMENT_FORMATS, DirectoryFormat, DocumentFormat
from forumctl.export.model import ResolvedArchive, resolve


@pytest.fixture
def resolved(make_archive: Callable[[dict[str, str]], Path]) -> ResolvedArchive:
    return resolve(Archive.open(make_archive(TIMED)), [CONF])  # frab takes one timed forum


def test_the_formats_are_those_of_the_design() -> None:
    names = [row.name for row in (*DIRECTORY_FORMATS, *DOCUMENT_FORMATS)]
    assert names == [
        "markdown", "site", "json", "csv", "ical", "frab-xml", "frab-json", "bibtex", "csl-json",
    ]  # fmt: skip


@pytest.mark.parametrize("row", DOCUMENT_FORMATS, ids=lambda row: row.name)
def test_every_document_exporter_imports_and_makes_a_document(
    row: DocumentFormat, resolved: ResolvedArchive
) -> None:
    text, warnings = row.load()(resolved)
    assert text.endswith("\n") and len(text) > 100
    assert all(isinstance(warning, str) for warning in warnings)


@pytest.mark.parametrize("row", DIRECTORY_FORMATS, ids=lambda row: row.name)
def test_every_directory_exporter_imports_and_makes_the_proceedings(
    row: DirectoryFormat, resolved: ResolvedArchive
) -> None:
    files = row.load()(resolved)
    assert {"index.md", "speakers.md"} <= {path.rpartition("/")[2] for path in files}


@pytest.mark.parametrize("row", (*DIRECTORY_FORMATS, *DOCUMENT_FORMATS), ids=lambda r: r.name)
def test_every_format_is_a_command_with_its_help(
    cli: Cli, row: DirectoryFormat | DocumentFormat
) -> None:
    result = cli("export", row.name, "--help")
    assert result.exit_code == 0, result.stderr
    assert " ".join(row.help.split()[:4]) in " ".join(result.stdout.split())
