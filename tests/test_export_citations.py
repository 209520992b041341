"""export bibtex and csl-json (forumctl/export/citations.py), read back by real
consumers: bibtexparser (with its LaTeX decoder), the CSL JSON schema and citeproc-py."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from conftest import Cli

DATA = Path(__file__).parent / "data"
TITLE = r"50% of $5 & #1_~ \ {odd braces"

ARCHIVE = {
    "forumctl.toml": 'format = 2\nname = "Citations"\ntimezone = "Europe/Oslo"\nlanguage = "en"\n',
    "speakers/lu.toml": 'name = "Lü Xiǎomíng"\n',
    "speakers/sj.toml": 'name = "Smith and Jones"\n',
    "speakers/co.toml": 'name = "Åsa Co"\n',
    "forums/law/forum.toml": (
        'title = "Law & Order {2024}"\nseries = "Nordic"\nstart = 2024-05-02\n'
        'end = 2024-05-03\ncity = "Bergen"\nvenue = "Grieghallen"\n'
        'organizers = ["University of Bergen", "NTNU"]\nurl = "https://example.org/law"\n'
    ),
    "forums/law/sessions/day-one.toml": (
        'title = "Day one"\ndate = 2024-05-02\n\n'
        f"[[talks]]\nspeakers = [\"lu\", \"sj\"]\ntitle = '''{TITLE}'''\n"
        'abstract = "What it costs."\nurl = "https://example.org/t/1"\n\n'
        '[[talks]]\nspeakers = ["lu"]\n\n'  # no title: not cited
        '[[talks]]\nspeakers = ["sj"]\nauthors = ["co"]\ntitle = "A paper"\n'
        'doi = "10.1234/abc.5"\nlanguage = "nb"\n'
    ),
    "forums/law/sessions/day-two.toml": (
        'title = "Day two"\ndate = 2024-05-03\n\n[[talks]]\nspeakers = ["co"]\ntitle = "Closing"\n'
    ),
}


@pytest.fixture
def archive(make_archive: Callable[[dict[str, str]], Path]) -> Path:
    return make_archive(ARCHIVE)


def _export(cli: Cli, root: Path, form: str) -> str:
    result = cli("--archive", root, "export", form)
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def test_bibtex_is_exact(cli: Cli, archive: Path) -> None:
    assert _export(cli, archive, "bibtex") == (
        "@proceedings{law,\n"
        "  title = {Law \\& Order \\{2024\\}},\n"
        "  series = {Nordic},\n"
        "  organization = {University of Bergen and NTNU},\n"
        "  year = {2024},\n"
        "  address = {Grieghallen, Bergen},\n"
        "  date = {2024-05-02},\n"
        "  url = {https://example.org/law},\n"
        "}\n"
        "\n"
        "@inproceedings{law:day-one:1,\n"
        "  author = {{Lü Xiǎomíng} and {Smith and Jones}},\n"
        "  title = {50\\% of \\$5 \\& \\#1\\_\\textasciitilde{} \\textbackslash{} "
        "\\textbraceleft{}odd braces},\n"
        "  booktitle = {Law \\& Order \\{2024\\}},\n"
        "  year = {2024},\n"
        "  address = {Grieghallen, Bergen},\n"
        "  date = {2024-05-02},\n"
        "  url = {https://example.org/t/1},\n"
        "}\n"
        "\n"
        "@inproceedings{law:day-one:3,\n"
        "  author = {{Smith and Jones} and {Åsa Co}},\n"
        "  title = {A paper},\n"
        "  booktitle = {Law \\& Order \\{2024\\}},\n"
        "  year = {2024},\n"
        "  address = {Grieghallen, Bergen},\n"
        "  date = {2024-05-02},\n"
        "  doi = {10.1234/abc.5},\n"
        "}\n"
        "\n"
        "@inproceedings{law:day-two:1,\n"
        "  author = {{Åsa Co}},\n"
        "  title = {Closing},\n"
        "  booktitle = {Law \\& Order \\{2024\\}},\n"
        "  year = {2024},\n"
        "  address = {Grieghallen, Bergen},\n"
        "  date = {2024-05-03},\n"
        "}\n"
    )


def test_bibtexparser_reads_every_entry_back_to_the_archive_text(cli: Cli, archive: Path) -> None:
    library = parse_string(
        _export(cli, archive, "bibtex"),
        append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()],
    )
    assert library.failed_blocks == []
    entries = {entry.key: entry for entry in library.entries}
    assert list(entries) == ["law", "law:day-one:1", "law:day-one:3", "law:day-two:1"]
    assert [entry.entry_type for entry in library.entries] == [
        "proceedings",
        "inproceedings",
        "inproceedings",
        "inproceedings",
    ]
    first = entries["law:day-one:1"]
    assert first["title"] == TITLE.replace("{", "")  # pylatexenc drops \textbraceleft
    assert first["booktitle"] == "Law & Order {2024}"
    # two names, each kept whole (braced, so no one splits "Smith and Jones" or reorders them)
    assert first["author"] == ["{Lü Xiǎomíng}", "{Smith and Jones}"]


def test_csl_json_passes_the_csl_schema_and_is_exact(cli: Cli, archive: Path) -> None:
    items = json.loads(_export(cli, archive, "csl-json"))
    schema = json.loads((DATA / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, schema)
    assert items[0] == {
        "id": "law:day-one:1",
        "type": "speech",
        "title": TITLE,
        "author": [{"literal": "Lü Xiǎomíng"}, {"literal": "Smith and Jones"}],
        "event": "Law & Order {2024}",
        "event-place": "Grieghallen, Bergen",
        "event-date": {"date-parts": [[2024, 5, 2]]},
        "issued": {"date-parts": [[2024, 5, 2]]},
        "abstract": "What it costs.",
        "language": "en",
        "URL": "https://example.org/t/1",
    }
    paper = items[1]
    assert (paper["type"], paper["DOI"], paper["container-title"], paper["language"]) == (
        "paper-conference",
        "10.1234/abc.5",
        "Law & Order {2024}",
        "nb",
    )
    assert [item["id"] for item in items] == ["law:day-one:1", "law:day-one:3", "law:day-two:1"]


def test_citeproc_formats_a_bibliography_from_the_csl_json(cli: Cli, archive: Path) -> None:
    items = json.loads(_export(cli, archive, "csl-json"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    printed = [str(entry) for entry in bibliography.bibliography()]
    assert len(printed) == 3
    assert any("A paper" in line and "2024" in line for line in printed)
    assert any(line.startswith("Åsa Co") and "Closing" in line for line in printed)


def test_the_same_archive_gives_the_same_bytes(cli: Cli, archive: Path) -> None:
    for form in ("bibtex", "csl-json"):
        assert _export(cli, archive, form) == _export(cli, archive, form)
