"""CSV with a header row: export csv's columns, other headers through --column, and bad
rows named by their line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumctl.errors import InvalidSource, UsageError
from forumctl.importers import read
from forumctl.importers.csv import parse_columns
from forumctl.importers.model import Person, Talk

DATA = Path(__file__).parent / "data" / "import"
HEADER = "forum,date,session,order,start,end,room,speakers,affiliations,title\n"


def test_export_csv_rows_become_the_talks_of_their_sessions() -> None:
    programme = read("csv", DATA / "programme.csv")
    opening, speeches, late = programme.events
    assert (opening.id, opening.title, opening.order, opening.room) == (
        "demo-2024/opening", "Welcome", 1, "Hall A",
    )  # fmt: skip
    assert opening.talks == (
        Talk(None, (Person("Sheng Shihao", affiliation="Zhejiang University"),
                    Person("Ada Example"))),
    )  # fmt: skip
    assert (speeches.title, speeches.line) == ("Speeches", 3)  # from its ID
    assert speeches.talks == (
        Talk("On archives", (Person("Ada Example"),)),
        Talk("On forums", (Person("SHENG Shi-hao"),)),
    )
    assert (late.start, late.end) == (
        dt.datetime(2024, 3, 1, 23, 30), dt.datetime(2024, 3, 2, 0, 30),
    )  # fmt: skip


def test_other_headers_through_column_mapping() -> None:
    columns = parse_columns(
        ["Talk Title=title", "Day=date", "Begins=start", "Ends=end", "Location=room",
         "Presenter=speakers"]
    )  # fmt: skip
    programme = read("csv", DATA / "spreadsheet.csv", columns=columns)
    keynote, workshop = programme.events
    assert (keynote.title, keynote.start, keynote.room) == (
        "Keynote", dt.datetime(2024, 3, 2, 10), "Hall A",
    )  # fmt: skip
    assert workshop.talks == (Talk(None, (Person("Grace Sample"),)),)
    assert programme.warnings == (
        f"{DATA / 'spreadsheet.csv'}: column 'Notes' is not imported"
        " (map it with --column Notes=FIELD)",
    )


def test_missing_title_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,when\nx,2024-01-01\n")
    with pytest.raises(InvalidSource) as caught:
        read("csv", path, display="p.csv")
    assert str(caught.value) == (
        "p.csv:1: missing column 'title' (the header has name, when; map one with"
        " --column NAME=title)"
    )


def _rows(count: int) -> str:
    return "".join(
        f"f,2024-03-01,f/s{n},{n},09:00,09:30,Hall,Ada Example,,Talk {n}\n" for n in range(count)
    )


def test_a_bad_date_on_row_312(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    rows = _rows(310) + "f,2024-02-30,f/bad,1,09:00,09:30,Hall,Ada,,Bad\n" + _rows(5)
    path.write_text(HEADER + rows)
    with pytest.raises(InvalidSource) as caught:
        read("csv", path, display="p.csv")
    assert str(caught.value) == "p.csv:312: date '2024-02-30' is not a date (YYYY-MM-DD)"


def test_a_missing_cell_on_row_312(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + _rows(310) + "f,2024-03-01,f/short,1,09:00\n")
    with pytest.raises(InvalidSource) as caught:
        read("csv", path, display="p.csv")
    assert str(caught.value) == (
        "p.csv:312: row has 5 cells, the header 10 (quote cells that hold commas)"
    )


def test_bad_time_and_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text('title,date,start\n"Two\nlines",2024-03-01,09:00\nLate,2024-03-01,9h30\n')
    with pytest.raises(InvalidSource, match=r"^p.csv:4: start '9h30' is not a time \(HH:MM\)$"):
        read("csv", path, display="p.csv")


def test_json_is_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text("{}")
    with pytest.raises(InvalidSource, match="not a CSV table"):
        read("csv", path)


@pytest.mark.parametrize(
    ("pair", "message"),
    [("Title", "expected NAME=field"), ("Title=name", "unknown field 'name'")],
)
def test_bad_column_option(pair: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_columns([pair])
