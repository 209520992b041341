"""iCalendar: one event per VEVENT (pretalx's schedule.ics shape)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumctl.errors import InvalidSource
from forumctl.importers import read
from forumctl.importers.model import Person

DATA = Path(__file__).parent / "data" / "import"


def test_vevents_with_zones_status_attendees_and_all_day_left_out() -> None:
    programme = read("ical", DATA / "pretalx.ics")
    assert (programme.title, programme.timezone) == ("DemoCon 2025", "Europe/Vienna")
    locks, meetups = programme.events
    assert (locks.id, locks.guid, locks.line) == (
        "pretalx-democon-2025-XJ8KCA@pretalx.example.org", None, 27,
    )  # fmt: skip
    assert (locks.start, locks.end, locks.room, locks.track) == (
        dt.datetime(2025, 5, 10, 10), dt.datetime(2025, 5, 10, 10, 30), "Main Hall", "Security",
    )  # fmt: skip
    assert locks.persons == (Person("Lena Beispiel"), Person("Tom Muster"))
    assert locks.url == "https://pretalx.example.org/democon-2025/talk/XJ8KCA/"
    # 09:00 UTC is 11:00 in Vienna in May
    assert (meetups.start, meetups.status) == (dt.datetime(2025, 5, 10, 11), "cancelled")
    assert programme.warnings == (
        f"{DATA / 'pretalx.ics'}: VEVENT 3 (Conference day) is all-day: left out",
    )


def test_not_a_calendar(tmp_path: Path) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text("<schedule/>")
    with pytest.raises(InvalidSource) as caught:
        read("ical", path, display="schedule.xml")
    assert str(caught.value).startswith(
        "schedule.xml:1: not an iCalendar file: it does not begin with BEGIN:VCALENDAR"
    )


def test_vevent_without_summary_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "c.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
        "DTSTART:20250510T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(InvalidSource) as caught:
        read("ical", path, display="c.ics", timezone="UTC")
    assert str(caught.value) == "c.ics:4: VEVENT without a SUMMARY (its title)"


def test_malformed_calendar(tmp_path: Path) -> None:
    path = tmp_path / "c.ics"
    path.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")
    with pytest.raises(InvalidSource, match=r"^c.ics: malformed iCalendar"):
        read("ical", path, display="c.ics")
