"""Hostile and broken input: entity expansion, external entities, huge files; every one a
quick one-line error naming the file (and line)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forumctl.errors import InvalidSource
from forumctl.importers import read
from forumctl.importers.source import MAX_BYTES, duration, markdown

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE schedule [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<schedule><conference><title>&lol9;</title></conference></schedule>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE schedule [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<schedule><conference><title>&secret;</title></conference></schedule>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE schedule SYSTEM "http://example.org/schedule.dtd">
<schedule/>
"""


def _error(tmp_path: Path, name: str, content: str | bytes, kind: str = "frab") -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content)
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidSource) as caught:
        read(kind, path, display=name)
    return str(caught.value)


def test_billion_laughs_is_refused_at_the_first_entity(tmp_path: Path) -> None:
    assert _error(tmp_path, "laughs.xml", BILLION_LAUGHS) == (
        "laughs.xml:3: an entity declaration (EntitiesForbidden): refused, as it could expand"
        " without bound or read other files (a schedule needs no DTD entities)"
    )


def test_external_entity_is_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, "xxe.xml", EXTERNAL_ENTITY)
    assert message.startswith("xxe.xml:3: an entity declaration (EntitiesForbidden)")
    assert "root:" not in message


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    # defusedxml forbids external references; the document itself is an empty <schedule/>
    programme = read("frab", _write(tmp_path, "dtd.xml", EXTERNAL_DTD))
    assert programme.events == ()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with open(path, "wb") as stream:  # sparse: no 100 MB written to the disk
        stream.truncate(100 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(InvalidSource) as caught:
        read("frab", path, display="huge.xml")
    assert time.perf_counter() - started < 1
    assert str(caught.value) == (
        f"huge.xml: 100 MB is larger than the {MAX_BYTES // 2**20} MB import reads"
        " (is this the schedule file?)"
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidSource, match=r"^nowhere.xml: no such file$"):
        read("frab", tmp_path / "nowhere.xml", display="nowhere.xml")
    with pytest.raises(InvalidSource, match=r"is a directory, not a file"):
        read("frab", tmp_path, display="dir")


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    assert _error(tmp_path, "latin1.csv", b"title\nok\n\xe9t\xe9\n", "csv") == (
        "latin1.csv:3: not UTF-8 text"
    )


def test_neither_xml_nor_json(tmp_path: Path) -> None:
    assert _error(tmp_path, "notes.txt", "just text\n") == (
        "notes.txt:1: not a frab schedule: neither XML nor JSON (export the schedule as frab"
        " XML or JSON (schedule.xml, schedule.json))"
    )


@pytest.mark.parametrize(
    ("text", "minutes"), [("00:30", 30), ("1:30", 90), ("01:30:00", 90), ("24:00", 1440)]
)
def test_durations(text: str, minutes: int) -> None:
    length = duration(text)
    assert length is not None and length.total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["90", "1:75", "ab:cd", ""])
def test_bad_durations(text: str) -> None:
    assert duration(text) is None


def test_markdown_leaves_markdown_alone_and_converts_html() -> None:
    assert markdown("Use *emphasis* & <3") == "Use *emphasis* & <3"
    assert markdown("<p>One</p><p>Two &amp; <i>three</i></p>") == "One\n\nTwo & *three*"
    assert markdown("  ") is None
    assert markdown("<p></p>") is None


def test_html_options_as_enum_members_convert_as_their_names() -> None:
    """The options given with html-to-markdown's enum members (faster) convert as the
    same options named by strings, the library's defaults."""
    import html_to_markdown

    from forumctl.importers.source import _html_options

    fast = _html_options()
    named = html_to_markdown.ConversionOptions(
        escape_asterisks=True, escape_underscores=True, extract_metadata=False
    )
    html = (
        "<h2>Title</h2><p>A <b>bold</b> *star* and_under <a href='https://example.org'>link</a>"
        "</p><ul><li>one<ul><li>nested</li></ul></li></ul><pre><code>x = 1</code></pre>"
        "<p>line<br>break</p><mark>marked</mark>"
    )
    converted = html_to_markdown.convert(html, fast).content or ""
    assert converted == html_to_markdown.convert(html, named).content
    assert "## Title" in converted and "\\*star\\*" in converted
