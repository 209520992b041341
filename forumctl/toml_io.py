"""TOML in and out: parsing with positions, canonical writing, atomic file replacement.

rtoml parses (the fastest reader measured here, see docs/performance.md) and reports
syntax errors with line and column. rtoml also accepts TOML 1.1 syntax that TOML 1.0
readers (tomllib, taplo, most editors) reject, and an archive must stay readable by them:
a cheap scan spots the few 1.1-only forms, and only the files it flags are parsed again
with tomllib to confirm. rtoml gives no positions for keys, so :func:`locate` finds the
line of a key path in the text, only when a finding needs it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from forumctl.errors import InvalidRecord, WriteError
from forumctl.records import FIELDS, KeyPath, to_data

SCHEMA_COMMENT_PREFIX = "#:schema "
BOM = "\ufeff"


class TomlSyntaxError(InvalidRecord):
    """The text is not TOML; line and column as the parser reports them."""


_RTOML_POSITION = re.compile(r"at line (\d+) column (\d+)")


# Forms TOML 1.1 added, which rtoml accepts: the \\e and \\x escapes, an inline table over
# several lines or with a trailing comma, a time without seconds. The scan is cheap (a
# substring test first; times are looked up by their value); a match may be a false alarm
# (inside a string), which tomllib then clears.
_TIME_KEYS = tuple(
    {spec.name: None for specs in FIELDS.values() for spec in specs if spec.shape == "time"}
)  # the top-level keys that hold times in some record: start, end
_ESCAPE_11 = re.compile(r"\\[ex]")
_INLINE_TABLE_11 = re.compile(r"\{[^}\n]*(?:\n|,[ \t]*\})")


def _may_be_toml_11(text: str, data: dict[str, Any]) -> bool:
    if "\\" in text and _ESCAPE_11.search(text):
        return True
    if "{" in text and _INLINE_TABLE_11.search(text):
        return True
    for key in _TIME_KEYS:  # a time written without seconds is not in the text whole
        value = data.get(key)
        if type(value) is dt.time and value.isoformat() not in text:
            return True
    return False


_TOMLLIB_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
TOML_10_HINT = (
    "forumctl archives are TOML 1.0: times with seconds (10:00:00), no \\e or \\x escapes,"
    " inline tables on one line without a trailing comma"
)


def _error(
    prefix: str, message: str, position: re.Pattern[str], path: Path | str
) -> TomlSyntaxError:
    found = position.search(message)
    return TomlSyntaxError(
        f"{prefix}: {position.sub('', message).strip().rstrip(',')}",
        path=path,
        line=int(found.group(1)) if found else 1,
        column=int(found.group(2)) if found else 1,
        hint=TOML_10_HINT if prefix == "not TOML 1.0" else None,
    )


def parse(text: str, path: Path | str) -> dict[str, Any]:
    """Parse TOML 1.0 text; a syntax error names the file, line and column."""
    import rtoml

    text = text.removeprefix(BOM)  # valid TOML (toml-test's valid suite), which tomllib refuses
    try:
        data: dict[str, Any] = rtoml.loads(text, none_value=None)
    except rtoml.TomlParsingError as error:
        message = str(error).strip().splitlines()[0]
        raise _error("invalid TOML", message, _RTOML_POSITION, path) from None
    if _may_be_toml_11(text, data):
        import tomllib

        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _error("not TOML 1.0", str(error), _TOMLLIB_POSITION, path) from None
    return data


def read_text(path: Path | str, display: Path | str | None = None) -> str:
    """The file's text, or an InvalidRecord naming it when it cannot be read as UTF-8."""
    return decoded(read_bytes(path, display), display or path)


def read_bytes(path: Path | str, display: Path | str | None = None) -> bytes:
    """The file's bytes, or an InvalidRecord naming it when it cannot be read."""
    try:
        with open(path, "rb") as handle:  # not Path.read_bytes: a third faster per file
            return handle.read()
    except IsADirectoryError:
        raise InvalidRecord("is a directory, expected a TOML file", path=display or path) from None
    except OSError as error:
        raise InvalidRecord(f"cannot read: {error.strerror}", path=display or path) from None


def decoded(data: bytes, display: Path | str) -> str:
    """A file's bytes as text, or an InvalidRecord naming it when they are not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidRecord(
            f"not UTF-8 text (byte {error.start + 1})", path=display, hint="save the file as UTF-8"
        ) from None


# ---------------------------------------------------------------------------
# Canonical writing


# The values records hold most (text without escapes, integers, booleans, dates and
# times, arrays of them) are written here as tomli_w writes them, without a document per
# value: tomli_w's character loop cost a second of a Congress-size first import (2,278
# files). Anything else (escapes, text over lines, inline tables, floats) is tomli_w's;
# tests/test_toml_io.py checks that both write the same on every shape.
_PLAIN_TEXT = re.compile(r'[^\x00-\x1f\x7f"\\]*')  # no character tomli_w escapes
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_AS_STR = (int, dt.date, dt.time)  # a datetime is a date; booleans are tested before


def _format_value(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is str:
        if _PLAIN_TEXT.fullmatch(value):
            return f'"{value}"'
    elif isinstance(value, list | tuple):
        if value and not any(isinstance(item, list | tuple | dict) for item in value):
            return "[\n" + "".join(f"    {_format_value(item)},\n" for item in value) + "]"
    elif isinstance(value, _AS_STR) and getattr(value, "tzinfo", None) is None:
        return str(value)
    return _tomli_w_value(value)


def _tomli_w_value(value: object) -> str:
    import tomli_w

    line = tomli_w.dumps({"v": value}, multiline_strings=True)
    return line[len("v = ") :].rstrip("\n")


def _format_key(key: str) -> str:
    if _BARE_KEY.fullmatch(key):
        return key
    import tomli_w

    return tomli_w.dumps({key: 0})[: -len(" = 0\n")]


def _inline_table(table: dict[str, object]) -> str:
    items = ", ".join(f"{_format_key(k)} = {_format_value(v)}" for k, v in table.items())
    return "{ " + items + " }" if items else "{}"


def value_text(value: object) -> str:
    """The canonical text of one value, as :func:`dumps` writes it (a table inline)."""
    if isinstance(value, dict):
        return _inline_table(value)
    return _format_value(value)


def _dotted(parts: tuple[str, ...]) -> str:
    return ".".join(_format_key(part) for part in parts)


def _mixed_array(items: list[Any]) -> str:
    """A list of strings and tables, one item a line, tables inline (quotes)."""
    if all(isinstance(item, str) for item in items):
        return _format_value(items)
    lines = [
        "    " + (_inline_table(item) if isinstance(item, dict) else _format_value(item)) + ","
        for item in items
    ]
    return "[\n" + "\n".join(lines) + "\n]"


def _write_table(
    cls: type[Any],
    data: dict[str, Any],
    header: str | None,
    out: list[str],
    prefix: tuple[str, ...] = (),
) -> None:
    """Plain keys first, then tables, then arrays of tables, in field order. ``prefix`` is
    the key path of the table being written (``("talks",)`` in a talk), for the headers
    of the tables inside it (``[talks.translations.zh]``, ``[[talks.links]]``)."""
    specs = [spec for spec in FIELDS[cls] if spec.key in data]  # four passes over these
    if header is not None:
        if out:
            out.append("")
        out.append(header)
    in_array_item = header is not None and header.startswith("[[")
    key_tables = ("str_map", "str_list_map")  # tables of plain values, by key
    for spec in specs:
        if spec.key not in data:
            continue
        value = data[spec.key]
        if spec.shape in key_tables and in_array_item:
            out.append(f"{_format_key(spec.key)} = {_inline_table(value)}")
        elif spec.shape == "text_or_records":
            out.append(f"{_format_key(spec.key)} = {_mixed_array(value)}")
        elif spec.shape not in (*key_tables, "record", "records", "record_map"):
            out.append(f"{_format_key(spec.key)} = {_format_value(value)}")
    for spec in specs:
        if spec.shape in key_tables and not in_array_item and spec.key in data:
            out.append("")
            out.append(f"[{_dotted((*prefix, spec.key))}]")
            for key, item in data[spec.key].items():
                out.append(f"{_format_key(key)} = {_format_value(item)}")
    for spec in specs:
        if spec.shape == "record" and spec.key in data:
            assert spec.record is not None
            path = (*prefix, spec.key)
            _write_table(spec.record, data[spec.key], f"[{_dotted(path)}]", out, path)
        if spec.shape == "record_map" and spec.key in data:
            assert spec.record is not None
            for key, item in data[spec.key].items():
                _write_table(spec.record, item, f"[{_dotted((*prefix, spec.key, key))}]", out)
    for spec in specs:
        if spec.shape == "records" and spec.key in data:
            assert spec.record is not None
            path = (*prefix, spec.key)
            for item in data[spec.key]:
                _write_table(spec.record, item, f"[[{_dotted(path)}]]", out, path)


def dumps(record: Any, schema: str | None = None) -> str:
    """The canonical text of a record: what forumctl writes and `fmt` rewrites to.

    ``schema`` is the location of the record's JSON Schema, written as a ``#:schema``
    comment so that taplo and Even Better TOML check the file as it is edited.
    """
    out: list[str] = [SCHEMA_COMMENT_PREFIX + schema] if schema else []
    _write_table(type(record), to_data(record), None, out)
    return "\n".join(out) + "\n"


def atomic_write(path: Path, text: str, *, force: bool = False) -> None:
    """Write via a temporary file in the same directory and a rename: never half-written.

    Without ``force`` an existing file is never replaced (the check and the rename are
    one step: os.link fails if the target appeared meanwhile).
    """
    import tempfile  # here: the reading commands never need it (start-up)

    from forumctl.errors import RecordExists

    if not force and path.exists():
        raise RecordExists("already exists", path=path, hint="use --force to overwrite it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except (FileExistsError, NotADirectoryError):  # mkdir met a file where a directory goes
        raise WriteError(
            "cannot write: a parent is not a directory", path=path, hint="choose another path"
        ) from None
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        if force:
            os.replace(temp_name, path)
        else:
            os.link(temp_name, path)
            os.unlink(temp_name)
    except FileExistsError:
        os.unlink(temp_name)
        raise RecordExists(
            "already exists", path=path, hint="use --force to overwrite it"
        ) from None
    except OSError as error:
        os.unlink(temp_name)
        raise WriteError(f"cannot write: {error.strerror}", path=path) from None


# ---------------------------------------------------------------------------
# Positions of keys in the text

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return tuple(next(p for p in part if p) if any(part) else "" for part in parts)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def key_lines(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Map each key path (and table header) of a document to its 1-based line and column.

    A line-based scan: good enough for the keys forumctl records hold, and it never runs
    unless a finding needs a position. String items of an array, on one line or several,
    get their own positions (path + (index,)); brackets inside strings do not count.
    """
    positions: dict[KeyPath, tuple[int, int]] = {}
    table: KeyPath = ()
    array_counts: dict[tuple[str, ...], int] = {}  # header names to items seen so far
    in_multiline: str | None = None
    bracket_depth = 0
    array: KeyPath = ()  # the key of the array being read, and how many items it has had
    items = 0

    def scan_array(number: int, line: str, start: int) -> None:
        nonlocal bracket_depth, items
        code = line[start:]
        for match in _STRING.finditer(code):
            positions.setdefault((*array, items), (number, start + match.start() + 1))
            items += 1
        bare = _STRING.sub("", code)
        bracket_depth = max(bracket_depth + bare.count("[") - bare.count("]"), 0)

    for number, line in enumerate(text.removeprefix(BOM).splitlines(), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if bracket_depth > 0:
            scan_array(number, line, 0)
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                array_counts[names] = array_counts.get(names, 0) + 1
                for nested in [n for n in array_counts if n[: len(names)] == names != n]:
                    del array_counts[nested]  # [[talks]] again: its [[talks.links]] restart
                # the array as a whole (an unknown key, a wrong type) is at its first header
                positions.setdefault(names, (number, 1))
            table = ()
            for depth in range(1, len(names) + 1):
                table += (names[depth - 1],)
                if names[:depth] in array_counts:
                    table += (array_counts[names[:depth]] - 1,)
            positions.setdefault(table, (number, 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = table + _split_key(key.group(1))
        column = len(line) - len(line.lstrip()) + 1
        positions.setdefault(path, (number, column))
        value = line[key.end() :]
        for quote in ('"""', "'''"):
            if value.count(quote) % 2 == 1:
                in_multiline = quote
        if in_multiline is None and value.lstrip().startswith("["):
            array, items = path, 0
            scan_array(number, line, key.end())
    return positions


def locate(text: str, keypath: KeyPath) -> tuple[int, int]:
    """Line and column of the key path in the text, or of its nearest located parent."""
    return nearest(key_lines(text), keypath)


def nearest(positions: dict[KeyPath, tuple[int, int]], keypath: KeyPath) -> tuple[int, int]:
    """:func:`locate` in positions already scanned (:func:`key_lines`): a file with many
    findings is scanned once, not once per finding."""
    while keypath:
        if keypath in positions:
            return positions[keypath]
        keypath = keypath[:-1]
    return 1, 1


def comments(text: str) -> list[tuple[int, str]]:
    """(1-based line, text after the ``#``) of every comment of a TOML text, outside
    strings (a ``#`` in a string is no comment)."""
    found: list[tuple[int, str]] = []
    line = 1
    i = 0
    quote = ""  # the delimiter of the string being read: ", ', """ or '''
    while i < len(text):
        char = text[i]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\" and quote[0] == '"':
                line += text.startswith("\n", i + 1)  # a line-ending backslash
                i += 2
                continue
            if text.startswith(quote, i):
                run = len(quote)
                while len(quote) == 3 and run < 5 and text.startswith(quote[0], i + run):
                    run += 1  # up to two quotes may end a multi-line string's content
                i += run
                quote = ""
                continue
            i += 1
            continue
        if char == "#":
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            found.append((line, text[i + 1 : end].rstrip("\r")))
            i = end
            continue
        if char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            continue
        i += 1
    return found
