"""Dates in the archive's language (forumctl/export/dates.py), through Babel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli

from forumctl.export.dates import Dates

DAY = dt.date(2020, 12, 12)
ZH_SPAN = "2024年6月10日\u2009\u2013\u200911日"  # CLDR's, thin spaces around the dash


@pytest.mark.parametrize(
    ("language", "day", "span", "weekday"),
    [
        ("en", "12 December 2020", "10\u201311 Jun 2024", "Monday, 10 June 2024"),
        (None, "12 December 2020", "10\u201311 Jun 2024", "Monday, 10 June 2024"),
        ("en-US", "December 12, 2020", "Jun 10\u2009\u2013\u200911, 2024", "Monday, June 10, 2024"),
        ("zh", "2020年12月12日", ZH_SPAN, "2024年6月10日星期一"),
        (
            "zh-Hans-CN",
            "2020年12月12日",
            ZH_SPAN,
            "2024年6月10日星期一",
        ),
        ("nb", "12. desember 2020", "10.\u201311. juni 2024", "mandag 10. juni 2024"),
        # a tag Babel does not know: its primary language, else international English
        ("de-x-forum", "12. Dezember 2020", "10.\u201311. Juni 2024", "Montag, 10. Juni 2024"),
        ("tlh", "12 December 2020", "10\u201311 Jun 2024", "Monday, 10 June 2024"),
    ],
)
def test_dates_read_in_the_archives_language(
    language: str | None, day: str, span: str, weekday: str
) -> None:
    dates = Dates(language)
    assert dates.day(DAY) == day
    assert dates.span(dt.date(2024, 6, 10), dt.date(2024, 6, 11)) == span
    assert dates.span(DAY, DAY) == day
    assert dates.weekday(dt.date(2024, 6, 10)) == weekday


def test_a_chinese_archive_exports_chinese_dates(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive(
        {
            "forumctl.toml": 'format = 1\nname = "论坛"\nlanguage = "zh"\n',
            "forums/f/forum.toml": 'title = "长三角论坛"\nstart = 2020-12-12\nend = 2020-12-12\n',
        }
    )
    result = cli("--archive", root, "export", "markdown", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "- Dates: 2020年12月12日\n" in (tmp_path / "out" / "f.md").read_text(encoding="utf-8")


def test_dates_follow_the_language_the_pages_are_translated_to(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    # a page is in one language: --language translates the titles, and the dates (and the
    # site's own words) follow, whether the record has a translation or not
    root = make_archive(
        {
            "forumctl.toml": 'format = 2\nname = "论坛"\nlanguage = "zh"\n',
            "forums/f/forum.toml": 'title = "长三角论坛"\nstart = 2020-12-12\nend = 2020-12-13\n'
            '\n[translations.de]\ntitle = "Forum des Jangtse-Deltas"\n',
            "forums/g/forum.toml": 'title = "另一论坛"\nstart = 2021-06-10\nend = 2021-06-10\n',
        }
    )
    pages = {}
    for language in (None, "de"):
        out = tmp_path / (language or "zh")
        options = ("--language", language) if language else ()
        result = cli("--archive", root, "export", "markdown", "--out", out, *options)
        assert result.exit_code == 0, result.stderr
        pages[language] = [(out / f"{f}.md").read_text(encoding="utf-8") for f in ("f", "g")]
    assert "- Dates: 2020年12月12日 \u2013 13日\n" in pages[None][0]  # CLDR's, thin spaces plain
    assert pages["de"][0].startswith("# Forum des Jangtse-Deltas")
    assert "- Dates: 12\\.\u201313. Dez. 2020\n" in pages["de"][0]  # "12." is no list item
    assert pages["de"][1].startswith("# 另一论坛")  # no translation: the title as it is
    assert "- Dates: 10\\. Juni 2021\n" in pages["de"][1]

    site = tmp_path / "site"
    result = cli("--archive", root, "export", "site", "--out", site, "--language", "de")
    assert result.exit_code == 0, result.stderr
    assert '  language: "de"\n' in (site / "forumctl.mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "en-US", "zh", "nb", "de", "ja", "ar", "fr"])
def test_a_span_is_babels_interval_whichever_field_differs(language: str) -> None:
    """Dates looks the interval's skeleton up once: the spans are still Babel's, asked
    for the same skeleton each time, across months and years too."""
    from babel.dates import format_interval

    dates = Dates(language)
    spans = [
        (dt.date(2024, 6, 10), dt.date(2024, 6, 11)),
        (dt.date(2024, 6, 30), dt.date(2024, 7, 2)),
        (dt.date(2024, 12, 30), dt.date(2025, 1, 2)),
    ]
    for start, end in spans:
        assert dates.span(start, end) == format_interval(start, end, "yMMMMd", locale=dates.locale)


def test_a_span_across_months_and_years_in_english() -> None:
    dates = Dates("en")
    assert (
        dates.span(dt.date(2024, 6, 30), dt.date(2024, 7, 2))
        == "30 Jun\u2009\u2013\u20092 Jul 2024"
    )
    assert dates.span(dt.date(2024, 12, 30), dt.date(2025, 1, 2)) == (
        "30 Dec 2024\u2009\u2013\u20092 Jan 2025"
    )
