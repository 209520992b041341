"""export ical: read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from conftest import SAMPLE_FORUM, Cli
from export_archives import CONF, OLD, TIMED

BERLIN = ZoneInfo("Europe/Berlin")
FORUMCTL_NAMESPACE = uuid.UUID("5b3c1f0e-7d2a-5e64-9a1b-6f0c2d8e4a17")


def _uuid5(kind: str, record_id: str) -> uuid.UUID:
    """What a record without a uid is identified by (written out: the test pins it)."""
    return uuid.uuid5(FORUMCTL_NAMESPACE, f"{kind}:{record_id}")


def _events(text: str) -> list[icalendar.Component]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def test_one_event_per_timed_session_in_the_forums_timezone(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", make_archive(TIMED), "export", "ical", "--forum", CONF)
    assert result.exit_code == 0
    assert result.stderr == f"forumctl: warning: session '{CONF}/social' has no date: left out\n"
    calendar = icalendar.Calendar.from_ical(result.stdout)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = _events(result.stdout)
    assert [str(e["UID"]) for e in events] == [
        f"{_uuid5('session', f'{CONF}/{name}')}@forumctl"
        for name in ("opening", "data", "panel", "closing")
    ]
    panel = events[2]
    assert panel.decoded("DTSTART") == dt.datetime(2021, 3, 1, 10, 0, tzinfo=BERLIN)
    assert panel.decoded("DTEND") == dt.datetime(2021, 3, 1, 11, 30, tzinfo=BERLIN)
    assert panel["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert panel.decoded("DTSTAMP") == dt.datetime(2021, 3, 2, tzinfo=dt.UTC)
    assert str(panel["SUMMARY"]) == "The panel"
    assert str(panel["LOCATION"]) == "Hall B, Haus, Berlin"
    assert str(panel["DESCRIPTION"]) == (
        "Ada Lovelace (director, New Org); Bo Li (Uni); Cy Young (guest, Lab X): Futures"
        "\n\nThree views."
    )
    assert str(events[0]["DESCRIPTION"]) == (
        "Chairs: Bo Li (Uni)\nAda Lovelace (director, New Org): Welcome"
    )


def test_a_forum_without_times_gets_all_day_events(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], sample_archive: Path
) -> None:
    result = cli("--archive", sample_archive, "export", "ical")
    assert (result.exit_code, result.stderr) == (0, "")
    (event,) = _events(result.stdout)
    assert event.decoded("DTSTART") == dt.date(2020, 12, 12)
    assert event.decoded("DTEND") == dt.date(2020, 12, 13)
    assert str(event["UID"]) == f"{_uuid5('forum', SAMPLE_FORUM)}/day-1@forumctl"
    assert str(event["DESCRIPTION"]).splitlines()[0] == "- Speeches"
    files = dict(TIMED)
    files[f"forums/{OLD}/forum.toml"] = (
        'title = "Old forum"\nstart = 2015-05-05\nend = 2015-05-06\n'
    )
    text = cli("--archive", make_archive(files), "export", "ical", "--forum", OLD).stdout
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in _events(text)] == [
        ("Old forum (day 1 of 2)", dt.date(2015, 5, 5)),
        ("Old forum (day 2 of 2)", dt.date(2015, 5, 6)),
    ]


def test_the_same_archive_gives_the_same_calendar(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    root = make_archive(TIMED)
    first = cli("--archive", root, "export", "ical").stdout
    assert first == cli("--archive", root, "export", "ical").stdout
    assert "DTSTAMP:20210302T000000Z" in first.splitlines()


def test_without_a_timezone_times_are_floating_with_a_warning(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = dict(TIMED)
    files["forumctl.toml"] = 'format = 1\nname = "No zone"\n'
    files[f"forums/{CONF}/forum.toml"] = 'title = "Conf"\nstart = 2021-03-01\nend = 2021-03-02\n'
    result = cli("--archive", make_archive(files), "export", "ical", "--forum", CONF)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"forumctl: warning: forum '{CONF}' has no timezone: its times are floating"
    )
    assert _events(result.stdout)[0].decoded("DTSTART") == dt.datetime(2021, 3, 1, 9, 0)
    assert "BEGIN:VTIMEZONE" not in result.stdout


def test_a_manifest_name_over_several_lines_is_one_calendar_name(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    for name in ("Two\\nlines", "Carriage\\rreturn", "Both\\r\\nends"):
        files = {**TIMED, "forumctl.toml": f'format = 1\nname = "{name}"\n'}
        result = cli("--archive", make_archive(files), "export", "ical", "--forum", CONF)
        assert result.exit_code == 0, result.stderr
        shown = " ".join(name.replace("\\r", " ").replace("\\n", " ").split())
        assert f"\nX-WR-CALNAME:{shown}\r\n".encode() in result.stdout_bytes
        assert b"\r" not in result.stdout_bytes.replace(b"\r\n", b"")


def test_a_date_at_the_end_of_the_calendar_is_refused_by_name(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    for day in ("9999-12-31", "0001-01-01"):
        files = dict(TIMED)
        files[f"forums/{OLD}/forum.toml"] = f'title = "Old"\nstart = {day}\nend = {day}\n'
        for command in ("ical", "frab-xml", "json", "markdown"):
            result = cli("--archive", make_archive(files), "export", command, "--forum", OLD)
            assert (result.exit_code, result.stdout) == (2, ""), command
            assert result.stderr == (
                f"forumctl: error: forums/{OLD}/forum.toml: date {day} is implausible"
                " (run 'forumctl validate')\n"
            )


def test_control_characters_in_text_are_replaced_in_the_calendar(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = dict(TIMED)
    panel = f"forums/{CONF}/sessions/panel.toml"
    files[panel] = files[panel].replace('"The panel"', '"The\\u0000 panel\\u0001\\r!"')
    result = cli("--archive", make_archive(files), "export", "ical", "--forum", CONF)
    assert result.exit_code == 0, result.stderr
    # (icalendar writes the carriage return as an escaped line break itself)
    assert "SUMMARY:The\ufffd panel\ufffd\\n!\r\n".encode() in result.stdout_bytes
    assert not any(byte < 32 and byte not in b"\r\n" for byte in result.stdout_bytes)
