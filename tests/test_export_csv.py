"""export csv: one row per talk, RFC 4180, read back with the csv module."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from conftest import Cli
from export_archives import CONF, OLD, TIMED

from forumctl.export.csv import table


def test_one_row_per_talk_read_back_with_the_csv_module(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    files = dict(TIMED)
    files[f"forums/{OLD}/sessions/main.toml"] = (
        'title = "Main"\norder = 1\n\n[[talks]]\nspeakers = ["ada"]\n'
        'title = "Then, \\"quoted\\"\\nand a new line"\n'
    )
    out = tmp_path / "talks.csv"
    result = cli("--archive", make_archive(files), "export", "csv", "--out", out)
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(
        b"forum,date,session,order,start,end,room,speakers,affiliations,title,talk_start,"
        b"talk_end,status,track,language,subtitle,abstract,summary,url,doi,authors,links\r\n"
    )
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [(r["session"], r["title"]) for r in rows] == [
        (f"{OLD}/main", 'Then, "quoted"\nand a new line'),
        (f"{CONF}/opening", "Welcome"),
        (f"{CONF}/data", "Tables"),
        (f"{CONF}/panel", "Futures"),
        (f"{CONF}/closing", "Goodbye"),
    ]
    assert rows[3] == {
        "forum": CONF,
        "date": "2021-03-01",
        "session": f"{CONF}/panel",
        "order": "",
        "start": "10:00",
        "end": "11:30",
        "room": "Hall B",
        "speakers": "Ada Lovelace | Bo Li | Cy Young",
        "affiliations": "director, New Org | Uni | guest, Lab X",
        "title": "Futures",
        **dict.fromkeys(("talk_start", "talk_end", "status", "track"), ""),
        "language": "en",  # the archive's
        **dict.fromkeys(("subtitle", "abstract", "summary", "url", "doi", "authors", "links"), ""),
    }
    assert rows[0]["date"] == "2015-05-05" and rows[0]["order"] == "1"
    assert rows[0]["affiliations"] == "Old Org"


def test_a_speaker_without_affiliation_keeps_its_place(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", make_archive(TIMED), "export", "csv", "--forum", CONF)
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    closing = next(r for r in rows if r[2] == f"{CONF}/closing")
    assert closing[7:9] == ["Bo Li | Dee Dee", "Uni | "]


def test_table_quotes_as_rfc4180() -> None:
    assert table(["a", "b"], [["x, y", 'say "hi"']]) == 'a,b\r\n"x, y","say ""hi"""\r\n'


def test_cells_that_would_start_a_formula_get_a_leading_quote(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    titles = ['=HYPERLINK(\\"http://x\\")', "+1", "-1", "@SUM(A1)", "\\tTab", "\\rCR", "Plain"]
    files = dict(TIMED)
    files[f"forums/{OLD}/sessions/main.toml"] = 'title = "Main"\norder = 1\n' + "".join(
        f'\n[[talks]]\nspeakers = ["ada"]\ntitle = "{title}"\n' for title in titles
    )
    files["speakers/cy.toml"] = "name = \"=cmd|' /C calc'!A0\"\n"
    root = make_archive(files)
    result = cli("--archive", root, "export", "csv", "--forum", OLD)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [row["title"] for row in rows] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "Plain",
    ]
    listing = cli("--archive", root, "list", "speakers", "--format", "csv")
    assert "cy,'=cmd|' /C calc'!A0," in listing.stdout.splitlines()
