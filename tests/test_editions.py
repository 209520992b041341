"""forumctl new forum --from: the next edition of a series; list forums --series; show
forum's previous and next edition (forumctl/editions.py, cli/new.py)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli, lines

MANIFEST = 'format = 2\nname = "Editions"\ntimezone = "Europe/Oslo"\nlanguage = "en"\n'

#: The third edition, with every field that is copied and every one that is dropped.
THIRD = """\
title = "Nordic Law Forum 2024"
series = "Nordic Law Forum"
edition = 3
kind = "annual meeting"
start = 2024-01-30
end = 2024-02-01
city = "Bergen"
venue = "Grieghallen"
timezone = "Europe/Oslo"
organizers = ["University of Bergen"]
tags = ["law"]
summary = "Three days on Nordic law."
language = "nb"
url = "https://example.org/2024"
uid = "6f1b7a0e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"

[ids]
pretalx = "NLF24"

[[tracks]]
id = "courts"
name = "Courts"
color = "#112233"

[[outcomes]]
kind = "declaration"
title = "Bergen declaration"

[[sources]]
title = "Programme"
"""

OPENING = """\
title = "Opening"
subtitle = "Welcome"
kind = "opening"
order = 1
date = 2024-01-30
start = 09:00:00
end = 10:00:00
room = "Main hall"
track = "courts"
chairs = ["kari-nordmann"]
summary = "The dean opened the forum."
url = "https://example.org/2024/opening"
uid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

[ids]
pretalx = "OPEN1"

[[links]]
kind = "video"
url = "https://example.org/v/1"

[[talks]]
speakers = ["kari-nordmann"]
title = "Welcome words"
"""

EVENING = """\
title = "Evening at the fish market"
kind = "social"
order = 2
date = 2024-01-31
end_date = 2024-02-01
start = 20:00:00
end = 01:00:00
"""

CLOSING = """\
title = "Closing"
kind = "closing"
order = 3
date = 2024-02-01
start = 15:00:00
end = 16:00:00
room = "Main hall"

[[talks]]
speakers = ["kari-nordmann"]
title = "Closing words"
"""

SPEAKER = 'name = "Kari Nordmann"\n'
THIRD_ID = "nordic-law-forum-2024"


@pytest.fixture
def series_archive(make_archive: Callable[[dict[str, str]], Path]) -> Path:
    return make_archive(
        {
            "forumctl.toml": MANIFEST,
            "speakers/kari-nordmann.toml": SPEAKER,
            f"forums/{THIRD_ID}/forum.toml": THIRD,
            f"forums/{THIRD_ID}/sessions/opening.toml": OPENING,
            f"forums/{THIRD_ID}/sessions/evening.toml": EVENING,
            f"forums/{THIRD_ID}/sessions/closing.toml": CLOSING,
        }
    )


def _toml(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _new_edition(cli: Cli, root: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    result = cli(
        "--archive", root, "new", "forum", "Nordic Law Forum 2025",
        "--from", THIRD_ID, "--start", "2025-02-27", *args, input=input,
    )  # fmt: skip
    return result.exit_code, result.stderr


def test_the_next_edition_copies_the_series_and_drops_the_rest(
    cli: Cli, series_archive: Path
) -> None:
    code, stderr = _new_edition(cli, series_archive, "--no-input")
    assert code == 0, stderr
    forum_dir = series_archive / "forums" / "nordic-law-forum-2025"
    assert (forum_dir / "forum.toml").read_text(encoding="utf-8") == (
        "#:schema ../../schemas/forum.schema.json\n"
        'title = "Nordic Law Forum 2025"\n'
        'series = "Nordic Law Forum"\n'
        "edition = 4\n"
        'kind = "annual meeting"\n'
        "start = 2025-02-27\n"
        "end = 2025-03-01\n"
        'city = "Bergen"\n'
        'venue = "Grieghallen"\n'
        'timezone = "Europe/Oslo"\n'
        'language = "nb"\n'
        'organizers = [\n    "University of Bergen",\n]\n'
        'tags = [\n    "law",\n]\n'
        "\n"
        "[[tracks]]\n"
        'id = "courts"\n'
        'name = "Courts"\n'
        'color = "#112233"\n'
    )
    # summary, url, uid, ids, outcomes and sources stay with the third edition (above)


def test_sessions_keep_their_skeleton_with_days_moved_across_a_month_end(
    cli: Cli, series_archive: Path
) -> None:
    code, stderr = _new_edition(cli, series_archive, "--no-input")
    assert code == 0, stderr
    sessions = series_archive / "forums" / "nordic-law-forum-2025" / "sessions"
    assert sorted(path.name for path in sessions.iterdir()) == [
        "closing.toml",
        "evening.toml",
        "opening.toml",
    ]
    assert (sessions / "opening.toml").read_text(encoding="utf-8") == (
        "#:schema ../../../schemas/session.schema.json\n"
        "# forumctl: ignore[FC503]: planned; talks not known yet (from the previous edition)\n"
        'title = "Opening"\n'
        'kind = "opening"\n'
        "order = 1\n"
        "date = 2025-02-27\n"
        "start = 09:00:00\n"
        "end = 10:00:00\n"
        'room = "Main hall"\n'
        'track = "courts"\n'
    )  # no subtitle, chairs, summary, url, uid, ids, links or talks
    evening = _toml(sessions / "evening.toml")
    assert (evening["date"], evening["end_date"]) == (
        tomllib.loads("d = 2025-02-28")["d"],
        tomllib.loads("d = 2025-03-01")["d"],
    )
    closing = (sessions / "closing.toml").read_text(encoding="utf-8")
    assert "date = 2025-03-01\n" in closing
    # a social event needs no talks, so it carries no "planned" comment
    assert "ignore[FC503]" not in (sessions / "evening.toml").read_text(encoding="utf-8")


def test_the_new_edition_validates_without_a_finding(cli: Cli, series_archive: Path) -> None:
    assert _new_edition(cli, series_archive, "--no-input")[0] == 0
    result = cli("--archive", series_archive, "validate", "--strict")
    assert (result.exit_code, result.stdout) == (0, "No problems in 10 files.\n")


def test_with_chairs_keeps_the_chairs(cli: Cli, series_archive: Path) -> None:
    code, stderr = _new_edition(cli, series_archive, "--with-chairs", "--no-input")
    assert code == 0, stderr
    opening = series_archive / "forums/nordic-law-forum-2025/sessions/opening.toml"
    assert _toml(opening)["chairs"] == ["kari-nordmann"]
    assert "talks" not in _toml(opening)


def test_with_chairs_needs_from(cli: Cli, series_archive: Path) -> None:
    result = cli(
        "--archive", series_archive, "new", "forum", "X", "--start", "2025-01-01",
        "--with-chairs", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: --with-chairs copies the chairs of --from's sessions; give --from\n"
    )


def test_given_flags_win_over_the_copied_values(cli: Cli, series_archive: Path) -> None:
    code, stderr = _new_edition(
        cli, series_archive, "--end", "2025-03-02", "--city", "Oslo", "--edition", "10",
        "--no-input",
    )  # fmt: skip
    assert code == 0, stderr
    forum = _toml(series_archive / "forums/nordic-law-forum-2025/forum.toml")
    assert (forum["city"], forum["edition"], str(forum["end"])) == ("Oslo", 10, "2025-03-02")
    assert forum["venue"] == "Grieghallen"


def test_a_forum_without_an_edition_number_makes_one_without(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    root = make_archive(
        {
            "forumctl.toml": MANIFEST,
            "forums/autumn/forum.toml": (
                'title = "Autumn"\nseries = "Seasons"\nstart = 2024-10-01\nend = 2024-10-01\n'
            ),
        }
    )
    result = cli(
        "--archive", root, "new", "forum", "Autumn again", "--from", "autumn",
        "--start", "2025-10-07", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("forums/autumn-again/forum.toml\n")
    forum = _toml(root / "forums/autumn-again/forum.toml")
    assert "edition" not in forum
    assert (forum["series"], str(forum["end"])) == ("Seasons", "2025-10-07")


def test_local_times_stay_across_a_daylight_saving_change(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    """Times are local: 09:00 the day after the clocks change is still 09:00; a time that
    does not exist on the new day (02:30 when clocks jump) is refused, nothing written."""
    forum = 'title = "Spring"\nseries = "S"\nstart = 2024-03-23\nend = 2024-03-24\n'
    root = make_archive(
        {
            "forumctl.toml": MANIFEST,
            "forums/spring/forum.toml": forum,
            "forums/spring/sessions/morning.toml": (
                'title = "Morning"\nkind = "social"\ndate = 2024-03-24\n'
                "start = 09:00:00\nend = 10:00:00\n"
            ),
        }
    )
    args = ("--archive", root, "new", "forum", "Spring 2025", "--from", "spring", "--no-input")
    result = cli(*args, "--start", "2025-03-29")  # 2025-03-30 is the change in Oslo
    assert result.exit_code == 0, result.stderr
    morning = _toml(root / "forums/spring-2025/sessions/morning.toml")
    assert (str(morning["date"]), str(morning["start"])) == ("2025-03-30", "09:00:00")

    (root / "forums/spring/sessions/night.toml").write_text(
        'title = "Night"\nkind = "social"\ndate = 2024-03-24\nstart = 02:30:00\nend = 03:30:00\n',
        encoding="utf-8",
    )
    refused = cli(*args[:4], "Spring 2025 bis", *args[5:], "--start", "2025-03-29")
    assert refused.exit_code == 2
    assert "FC206" in refused.stderr
    assert not (root / "forums/spring-2025-bis").exists()


def test_dry_run_shows_the_whole_change_and_writes_nothing(cli: Cli, series_archive: Path) -> None:
    result = cli(
        "--archive", series_archive, "new", "forum", "Nordic Law Forum 2025",
        "--from", THIRD_ID, "--start", "2025-02-27", "--no-input", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("+++ ")] == [
        "+++ b/forums/nordic-law-forum-2025/forum.toml",
        "+++ b/forums/nordic-law-forum-2025/sessions/closing.toml",
        "+++ b/forums/nordic-law-forum-2025/sessions/evening.toml",
        "+++ b/forums/nordic-law-forum-2025/sessions/opening.toml",
    ]
    assert not (series_archive / "forums/nordic-law-forum-2025").exists()


def test_an_unknown_forum_to_copy_is_an_error_with_a_suggestion(
    cli: Cli, series_archive: Path
) -> None:
    result = cli(
        "--archive", series_archive, "new", "forum", "X", "--from", "nordic-law-forum-2042",
        "--start", "2025-01-01", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("forumctl: error: no forum 'nordic-law-forum-2042'")
    assert "did you mean 'nordic-law-forum-2024'?" in result.stderr
    assert not (series_archive / "forums/x").exists()


def test_the_prompt_offers_the_last_edition_of_the_series(cli: Cli, series_archive: Path) -> None:
    result = cli(
        "--archive", series_archive, "new", "forum", "Nordic Law Forum 2025",
        "--series", "Nordic Law Forum", "--start", "2025-02-27",
        input="y\n\n",  # take the offer; accept the end date it proposes
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        "The archive has 1 edition of 'Nordic Law Forum'; copy the series and the programme"
        " of the last one, nordic-law-forum-2024 (as --from nordic-law-forum-2024)?"
    ) in " ".join(result.stderr.split())  # the prompt wraps at the terminal's width
    assert "End (YYYY-MM-DD) (2025-03-01)" in result.stderr
    forum = _toml(series_archive / "forums/nordic-law-forum-2025/forum.toml")
    assert (forum["edition"], str(forum["end"])) == (4, "2025-03-01")
    assert (series_archive / "forums/nordic-law-forum-2025/sessions/opening.toml").exists()


def test_declining_the_offer_makes_a_forum_from_the_flags_alone(
    cli: Cli, series_archive: Path
) -> None:
    result = cli(
        "--archive", series_archive, "new", "forum", "Nordic Law Forum 2025",
        "--series", "Nordic Law Forum", "--start", "2025-02-27", "--end", "2025-02-27",
        input="n\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    forum = _toml(series_archive / "forums/nordic-law-forum-2025/forum.toml")
    assert "edition" not in forum and "city" not in forum
    assert not (series_archive / "forums/nordic-law-forum-2025/sessions").exists()


def test_list_forums_by_series_and_show_names_the_neighbours(
    cli: Cli, series_archive: Path
) -> None:
    assert _new_edition(cli, series_archive, "--no-input")[0] == 0
    cli(
        "--archive", series_archive, "new", "forum", "Unrelated", "--start", "2025-05-05",
        "--end", "2025-05-05", "--no-input",
    )  # fmt: skip
    listed = cli(
        "--archive", series_archive, "list", "forums", "--series", "nordic law forum",
        "--format", "csv",
    )  # fmt: skip
    assert listed.exit_code == 0, listed.stderr
    assert [line.split(",")[0] for line in listed.stdout.splitlines()] == [
        "ID",
        "nordic-law-forum-2024",
        "nordic-law-forum-2025",
    ]
    third = lines(cli("--archive", series_archive, "show", "forum", THIRD_ID).stdout)
    fourth = lines(
        cli("--archive", series_archive, "show", "forum", "nordic-law-forum-2025").stdout
    )
    assert third[2:4] == [f"ID: {THIRD_ID}", "Next edition: nordic-law-forum-2025"]
    assert fourth[1:4] == [
        "Nordic Law Forum, edition 4",
        "ID: nordic-law-forum-2025",
        f"Previous edition: {THIRD_ID}",
    ]
    unrelated = lines(cli("--archive", series_archive, "show", "forum", "unrelated").stdout)
    assert not any("edition" in line for line in unrelated)
