"""display: the wording of times, dates and affiliations shared by show, export and validate."""

from __future__ import annotations

import datetime as dt

from forumctl.display import (
    affiliation_text,
    affiliations_text,
    clock,
    date_range,
    name_with_affiliation,
    session_when,
)
from forumctl.records import Affiliation, Forum, Session


def test_dates_and_session_times() -> None:
    two_days = Forum(title="F", start=dt.date(2021, 3, 1), end=dt.date(2021, 3, 2))
    assert date_range(two_days.start, two_days.end) == "2021-03-01 \u2013 2021-03-02"
    timed = Session(title="S", date=dt.date(2021, 3, 2), start=dt.time(9), end=dt.time(10, 30))
    assert session_when(timed, two_days) == "2021-03-02 09:00\u201310:30"
    assert session_when(timed, two_days, with_day=False) == "2021-03-02 09:00\u201310:30"
    assert session_when(Session(title="S"), two_days) == ""  # a two-day forum: day unknown
    one_day = Forum(title="G", start=dt.date(2021, 3, 1), end=dt.date(2021, 3, 1))
    assert session_when(Session(title="S"), one_day) == "2021-03-01"
    assert session_when(Session(title="S", start=dt.time(9, 0, 15)), one_day, with_day=False) == (
        "09:00:15"
    )


def test_clock_keeps_seconds_only_when_set() -> None:
    assert (clock(dt.time(9, 5)), clock(dt.time(9, 5, 7))) == ("09:05", "09:05:07")


def test_affiliations_and_names() -> None:
    dean = Affiliation(organization="Org", role="dean")
    assert affiliation_text(dean) == "dean, Org"
    assert affiliations_text([dean, Affiliation(organization="Two")]) == "dean, Org; Two"
    assert affiliations_text([]) is None
    assert name_with_affiliation("A", "dean, Org") == "A (dean, Org)"
    assert name_with_affiliation("A", None) == "A"
