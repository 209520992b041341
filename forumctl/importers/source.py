"""What every reader shares: reading the file (within a size limit), hardened XML,
HTML to Markdown, and the times and durations schedules write."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forumctl.errors import InvalidSource

# The largest file import reads: a Chaos Communication Congress schedule (1,400 events,
# with every description) is under 10 MB; a file of 64 MiB is refused before it is read.
MAX_BYTES = 64 * 1024 * 1024

_HTML = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);"
)
_DURATION = re.compile(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes; InvalidSource for a missing, unreadable or too large file."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise InvalidSource("no such file", path=display) from None
    except OSError as error:
        raise InvalidSource(f"cannot read: {error.strerror}", path=display) from None
    if size > MAX_BYTES:
        raise InvalidSource(
            f"{size / 1024 / 1024:.0f} MB is larger than the {MAX_BYTES // 1024 // 1024} MB"
            " import reads",
            path=display,
            hint="is this the schedule file?",
        )
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except IsADirectoryError:
        raise InvalidSource("is a directory, not a file", path=display) from None
    except OSError as error:
        raise InvalidSource(f"cannot read: {error.strerror}", path=display) from None


def decode(data: bytes, display: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); the line of the first bad byte if not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidSource("not UTF-8 text", path=display, line=line) from None


def first_character(data: bytes) -> str:
    """The first character that is not white space (or a byte-order mark), '' if none."""
    stripped = data.lstrip(b"\xef\xbb\xbf").lstrip()
    return chr(stripped[0]) if stripped else ""


# ---------------------------------------------------------------------------
# XML, hardened: no DTD entities (billion laughs), no external entities or DTDs


@dataclass(frozen=True, slots=True)
class XmlDocument:
    root: Any  # xml.etree.ElementTree.Element
    lines: dict[int, int]  # id() of an element to the line of its start tag

    def line(self, element: Any) -> int | None:
        return self.lines.get(id(element))


def parse_xml(data: bytes, display: str) -> XmlDocument:
    """The XML document, with the line of every element; InvalidSource naming the line
    of malformed XML, of an entity declaration or of an external reference."""
    import xml.etree.ElementTree as ET

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    lines: dict[int, int] = {}
    keep: list[Any] = []  # the elements, so that no id() is reused while parsing

    class Builder(ET.TreeBuilder):
        def start(self, tag: str, attrs: dict[str, str]) -> Any:
            element = super().start(tag, attrs)
            keep.append(element)
            lines[id(element)] = parser.parser.CurrentLineNumber
            return element

    parser = DefusedXMLParser(target=Builder(), forbid_dtd=False)
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise InvalidSource(
            f"malformed XML: {reason}", path=display, line=line, column=column + 1
        ) from None
    except DefusedXmlException as error:
        what = (
            "an external entity or DTD"
            if "External" in type(error).__name__
            else "an entity declaration"
        )
        raise InvalidSource(
            f"{what} ({type(error).__name__}): refused, as it could expand without bound or"
            " read other files",
            path=display,
            line=parser.parser.CurrentLineNumber,
            hint="a schedule needs no DTD entities",
        ) from None
    return XmlDocument(root, lines)


# ---------------------------------------------------------------------------
# Text


def markdown(text: str | None) -> str | None:
    """Text as Markdown: HTML (Pentabarf's and wafer's abstracts) converted, everything
    else as written (frab and pretalx write Markdown already); None when empty."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if _HTML.search(text) is None:
        return text
    import html_to_markdown

    converted = html_to_markdown.convert(text, _html_options()).content or ""
    converted = re.sub(r"[ \t]+\n", "\n", converted)
    converted = re.sub(r"\n{3,}", "\n\n", converted).strip()
    return converted or None


@functools.cache
def _html_options() -> Any:
    """Markdown that reads back as the text: literal * and _ escaped, no metadata.

    The styles are given as html-to-markdown's enum members (``heading_style`` "atx" as
    ``HeadingStyle.ATX``), which it otherwise looks up from their names on every call
    (more than half of the conversion time of an abstract)."""
    import dataclasses

    import html_to_markdown

    options = html_to_markdown.ConversionOptions(
        escape_asterisks=True, escape_underscores=True, extract_metadata=False
    )
    members: dict[str, Any] = {}
    for spec in dataclasses.fields(options):
        value = getattr(options, spec.name)
        enum = getattr(html_to_markdown, _pascal_case(spec.name), None)
        if isinstance(value, str) and isinstance(enum, type):
            member = getattr(enum, value.upper(), None)
            if isinstance(member, enum):
                members[spec.name] = member
    return dataclasses.replace(options, **members)


def _pascal_case(name: str) -> str:
    """'double_equal' -> 'DoubleEqual'."""
    return "".join(part.capitalize() for part in name.split("_"))


def plain(value: Any) -> str | None:
    """A string value stripped, None when absent or empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------------------
# Times


def duration(text: str) -> dt.timedelta | None:
    """frab's "01:30" (also "1:30", and "01:30:00" with seconds)."""
    match = _DURATION.match(text.strip())
    if match is None or int(match[2]) > 59:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def clock_time(text: str) -> dt.time | None:
    match = _CLOCK.match(text.strip())
    if match is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return dt.time(hours, minutes, seconds)


def moment(text: str) -> dt.datetime | None:
    """An ISO 8601 date-time, with or without an offset ("Z" too); None if it is not."""
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def local(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """A date-time as the naive wall-clock time of ``zone``: an aware one converted (a
    UTC date becomes the local day), a naive one taken as local already."""
    if moment.tzinfo is None or zone is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(zone).replace(tzinfo=None)


def zone_of(name: str | None, display: str, origin: str) -> dt.tzinfo | None:
    from forumctl.records import timezone_named

    if name is None:
        return None
    zone = timezone_named(name)
    if zone is None:
        raise InvalidSource(
            f"unknown timezone {name!r} ({origin})",
            path=display,
            hint="pass an IANA name such as Europe/Berlin with --timezone",
        )
    return zone
