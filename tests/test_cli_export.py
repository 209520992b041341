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
    tree = row.load()(resolved)
    names = [*tree.files, *(tree.pages.names if tree.pages is not None else [])]
    assert {"index.md", "speakers.md"} <= {path.rpartition("/")[2] for path in names}


@pytest.mark.parametrize("row", (*DIRECTORY_FORMATS, *DOCUMENT_FORMATS), ids=lambda r: r.name)
def test_every_format_is_a_command_with_its_help(
    cli: Cli, row: DirectoryFormat | DocumentFormat
) -> None:
    result = cli("export", row.name, "--help")
    assert result.exit_code == 0, result.stderr
    assert " ".join(row.help.split()[:4]) in " ".join(result.stdout.split())


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", [row.name for row in DIRECTORY_FORMATS])
def test_the_pages_are_the_same_bytes_however_many_processes_render_them(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    exports = {}
    for jobs in ("1", "2", "5"):
        out = tmp_path / f"out-{jobs}"
        result = cli("--archive", sample_archive, "export", name, "--out", out, "--jobs", jobs)
        assert (result.exit_code, result.stdout) == (0, ""), result.stderr
        exports[jobs] = _tree(out)
    monkeypatch.delattr("os.fork")  # (Windows): every page rendered in this process
    result = cli("--archive", sample_archive, "export", name, "--out", tmp_path / "no-fork")
    assert result.exit_code == 0, result.stderr
    assert exports["1"] == exports["2"] == exports["5"] == _tree(tmp_path / "no-fork")
    assert len(exports["1"]) >= 10


# Two speaker pages fail: zhang-xueliang's (the last of the sample's three) at once,
# sheng-shihao's (the first) at line 3 after a while: the error is the first page's.
FAILING_SPEAKER = """\
{% if speaker.id == "zhang-xueliang" %}{{ 1 // 0 }}{% endif %}
{% if speaker.id == "sheng-shihao" %}{% for i in range(20) %}{% for j in range(99999) %}
{% endfor %}{% endfor %}{{ speaker.no_such_key }}{% endif %}
"""


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_template_error_is_the_first_pages_whichever_process_meets_it(
    cli: Cli, sample_archive: Path, tmp_path: Path, jobs: str
) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "speaker.md.j2").write_text(FAILING_SPEAKER, encoding="utf-8")
    out = tmp_path / "out"
    result = cli(
        "--archive", sample_archive, "export", "site", "--out", out, "--templates", mine,
        "--jobs", jobs,
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {mine / 'speaker.md.j2'}:3: template error:"
        " 'dict object' has no attribute 'no_such_key'\n"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "templates"]  # no staging


def test_more_jobs_than_processors_start_one_process_per_processor(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # -j 100000 once forked a process per page (~840 for 40 forums, 80 s on two cores)
    # and then failed in select() on a descriptor past 1,023, as "a bug in forumctl"
    import os

    from forumctl.export import confine

    forks = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(confine, "processors", lambda: 2)
    monkeypatch.setattr(os, "fork", counted)
    out = tmp_path / "out"
    result = cli("--archive", sample_archive, "export", "site", "--out", out, "-j", "100000")
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert len(forks) == 2
    result = cli("--archive", sample_archive, "export", "site", "--out", tmp_path / "one", "-j1")
    assert result.exit_code == 0, result.stderr
    assert _tree(out) == _tree(tmp_path / "one")


def test_jobs_must_be_a_positive_number(cli: Cli, sample_archive: Path, tmp_path: Path) -> None:
    result = cli(
        "--archive", sample_archive, "export", "markdown", "--out", tmp_path / "o", "-j", "0"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: invalid value for '--jobs' / '-j': 0 is not in the range x>=1"
        " (see 'forumctl export markdown --help')\n"
    )
