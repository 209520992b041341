"""Dates as people read them, in the archive's language (Babel, from CLDR's data).

``2020-12-12`` reads "12 December 2020" in English and "2020年12月12日" in Chinese; a
forum's days read as CLDR's interval of the two (in English "10-11 Jun 2024", with an en
dash), a day of the timetable with its weekday ("Monday, 10 June 2024"). The manifest's
``language`` is a BCP 47 tag; English without a region is CLDR's international English
(``en-001``: day, month, year), because CLDR's plain ``en`` is the United States' usage
(``en-US`` still gives it). A tag Babel does not know falls back to its primary
language, then to international English.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DEFAULT = "en-001"
SPAN = "yMMMMd"  # the skeleton of a forum's days: year, month in full, day


@lru_cache(maxsize=16)
def locale_for(language: str | None) -> Locale:
    """The Babel locale of a BCP 47 tag (international English without one)."""
    from babel import Locale, UnknownLocaleError

    tag = language or DEFAULT
    for candidate in (DEFAULT if tag == "en" else tag, tag.split("-")[0], DEFAULT):
        try:
            return Locale.parse(candidate, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("CLDR has international English")  # pragma: no cover


class Dates:
    """Dates of one archive's pages in its language, each formatted once."""

    def __init__(self, language: str | None) -> None:
        self.locale = locale_for(language)
        self._days: dict[dt.date, str] = {}
        self._weekdays: dict[dt.date, str] = {}
        self._span_skeleton: str | None = None
        self._span_matched = False

    def day(self, day: dt.date) -> str:
        """'12 December 2020'."""
        found = self._days.get(day)
        if found is None:
            from babel.dates import format_date

            found = self._days[day] = format_date(day, "long", locale=self.locale)
        return found

    def weekday(self, day: dt.date) -> str:
        """'Monday, 10 June 2024'."""
        found = self._weekdays.get(day)
        if found is None:
            from babel.dates import format_date

            found = self._weekdays[day] = format_date(day, "full", locale=self.locale)
        return found

    def span(self, start: dt.date, end: dt.date) -> str:
        """A forum's days: one day, or CLDR's interval of the two (with an en dash)."""
        if start == end:
            return self.day(start)
        from babel.dates import format_interval, match_skeleton

        if not self._span_matched:
            # what format_interval looks up for SPAN on every call (most of its time):
            # the locale's nearest interval skeleton, found once and passed as it is
            formats = self.locale.interval_formats
            self._span_skeleton = SPAN if SPAN in formats else match_skeleton(SPAN, formats)
            self._span_matched = True
        return str(format_interval(start, end, self._span_skeleton, locale=self.locale))
