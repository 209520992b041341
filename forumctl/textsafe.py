"""Record text made safe for where it goes: terminals, XML, iCalendar, spreadsheets.

Record text is anyone's (a shared archive, an import): it may hold control characters
that a terminal executes (ESC ``[2J`` clears it, OSC 8 makes links), that XML 1.0 forbids
(a document holding U+0001 does not parse), or a leading ``=`` that a spreadsheet runs as
a formula. Each output takes its text through one function here; validate reports
control characters in record text (FC609), so the archive can be mended too.
"""

from __future__ import annotations

import re

# C0 controls but tab, newline and carriage return; DEL; C1 controls. A carriage return is
# fine only before a newline (a file with CRLF line ends).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# For the terminal, newline and tab are layout; everything else, CR included, is shown.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What XML 1.0 does not allow at all (section 2.2), surrogates (unpaired) included.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# iCalendar (RFC 5545, 3.3.11) forbids CONTROL in values; line ends are CRLF only.
_NOT_ICAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")
REPLACEMENT = "\ufffd"
# OWASP, CSV injection: a cell starting with one of these is a formula to a spreadsheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def has_control(text: str) -> bool:
    """Whether record text holds a control character (validate's FC609)."""
    return _CONTROL.search(text) is not None


def first_control(text: str) -> str | None:
    """The first control character of the text, as ``U+001B``, or None."""
    found = _CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def visible(text: str) -> str:
    """Text for a terminal: control characters (ESC, BEL, CR...) written as ``\\x1b``,
    so they are seen, never executed."""
    if text.isprintable():  # the usual case: one C-level test
        return text
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def xml_document(text: str) -> str:
    """An XML 1.0 document with the characters XML forbids replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text)


def ical_document(text: str) -> str:
    """An iCalendar document with control characters in values replaced by U+FFFD
    (line ends stay CRLF)."""
    return _NOT_ICAL.sub(REPLACEMENT, text)


def spreadsheet_cell(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a
    leading ``'`` (OWASP's advice), which spreadsheets hide."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
