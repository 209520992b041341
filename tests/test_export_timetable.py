"""show forum --timetable (forumctl/render/timetable.py): rooms as columns, times as rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli, lines
from export_archives import CONF, OLD, TIMED


def test_rooms_as_columns_and_times_as_rows(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", make_archive(TIMED), "show", "forum", CONF, "--timetable")
    assert (result.exit_code, result.stderr) == (0, "")
    assert lines(result.stdout) == [
        "",
        " Day and time       Hall A                  Hall B",
        " " + "─" * 66,
        " 2021-03-01 09:00   Opening (until 09:30)",
        " 2021-03-01 10:00   Data (until 11:00)      The panel (until 11:30)",
        " 2021-03-02 16:00   Closing (until 17:00)",
        "",
        "                         Not timed: Social",
    ]


def test_a_one_day_forum_shows_times_only_and_rooms_left_out_get_a_column(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = dict(TIMED)
    files[f"forums/{OLD}/sessions/main.toml"] = 'title = "Main"\nstart = 14:00:00\n'
    result = cli("--archive", make_archive(files), "show", "forum", OLD, "--timetable")
    assert lines(result.stdout) == ["", " Time    (no room)", " " + "─" * 17, " 14:00   Main"]


def test_without_times_the_ordered_programme(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "forum", SAMPLE_FORUM, "--timetable")
    assert result.exit_code == 0
    shown = lines(result.stdout)
    assert shown[1].split() == ["#", "When", "Session", "Kind", "Room", "Chairs", "Speakers"]
    assert [line.split()[0] for line in shown[3:] if line[:2].strip()] == ["1", "2", "3", "4", "5"]


def test_timetable_is_a_text_view(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive",
        sample_archive,
        "show",
        "forum",
        SAMPLE_FORUM,
        "--timetable",
        "--format",
        "json",
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: --timetable is a text view (leave out --format json)\n"
    )
