"""toml_io: canonical text of the sample archive, syntax errors, atomic writing, positions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import tomli_w
from conftest import SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from forumctl import records, toml_io
from forumctl.errors import RecordExists, WriteError
from forumctl.fmt import carry_comments
from forumctl.toml_io import TomlSyntaxError, atomic_write, dumps, key_lines, locate, parse

KINDS = {"forumctl.toml": records.Manifest, "forum.toml": records.Forum}


def _kind(path: Path) -> type:
    if path.name in KINDS:
        return KINDS[path.name]
    return records.Session if path.parent.name == "sessions" else records.Speaker


RECORD_FILES = sorted(
    [SAMPLE / "forumctl.toml", *SAMPLE.glob("speakers/*.toml"), *SAMPLE.glob("forums/**/*.toml")]
)


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: str(p.relative_to(SAMPLE)))
def test_sample_files_are_canonical(path: Path) -> None:
    """Loading then writing a canonical file gives the very same bytes (with its comments,
    the parallel sessions' suppression comments, carried along as fmt carries them)."""
    text = path.read_text(encoding="utf-8")
    record, problems = records.load(_kind(path), parse(text, path))
    assert problems == []
    schema = text.splitlines()[0].removeprefix("#:schema ")
    canonical = carry_comments(text, dumps(record, schema))
    assert canonical is not None
    assert canonical.encode() == path.read_bytes()


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(TomlSyntaxError) as caught:
        parse('title = "ok"\nstart = 2020-13-01\n', "forum.toml")
    assert (caught.value.path, caught.value.line) == ("forum.toml", 2)
    assert str(caught.value).startswith("forum.toml:2:")


def test_atomic_write_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / "a" / "x.toml"
    atomic_write(path, "one\n")
    with pytest.raises(RecordExists):
        atomic_write(path, "two\n")
    assert path.read_text() == "one\n"
    atomic_write(path, "two\n", force=True)
    assert path.read_text() == "two\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.toml"]  # no temporary left


def test_locate_finds_keys_in_arrays_of_tables() -> None:
    text = 'title = "S"\n\n[[talks]]\nspeakers = ["a"]\n\n[[talks]]\ntitle = "T"\n'
    assert locate(text, ("talks", 1, "title")) == (7, 1)
    assert locate(text, ("talks", 1, "summary")) == (6, 1)
    assert locate(text, ("nothing",)) == (1, 1)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("title = 'x'\nstart = 10:00\n", 2, 11),  # a time without seconds
        ('title = "bell \\e"\n', 1, 17),  # the \e escape (the column as tomllib reports it)
        ('title = "\\x41"\n', 1, 12),  # the \x escape
        ("title = 'x'\naffiliations = {\n  a = 'b' }\n", 2, 17),  # inline table over lines
        ("affiliations = { a = 'b', }\n", 1, 27),  # trailing comma in an inline table
    ],
)
def test_toml_11_forms_that_rtoml_accepts_are_refused(text: str, line: int, column: int) -> None:
    with pytest.raises(TomlSyntaxError) as raised:
        parse(text, "s.toml")
    assert (raised.value.line, raised.value.column) == (line, column)
    assert raised.value.message.startswith("not TOML 1.0: ")
    assert "times with seconds (10:00:00)" in str(raised.value)


def test_toml_10_text_that_looks_like_a_11_form_parses() -> None:
    text = 'summary = "from 10:30 { on"\nstart = 10:30:00\nmap = { a = "b" }\nraw = "\\\\e"\n'
    assert parse(text, "s.toml") == {
        "summary": "from 10:30 { on",
        "start": dt.time(10, 30),
        "map": {"a": "b"},
        "raw": "\\e",
    }


def test_key_lines_skip_brackets_in_strings_and_place_array_items() -> None:
    text = (
        'title = "Panel [draft"\n'
        'chairs = ["a", "b"]\n'
        'summary = """\nx [ y\n"""\n'
        "\n[[talks]]\n"
        "speakers = [\n"
        '    "a",\n'
        '    "ghost",\n'
        "]\n"
        'title = "T"\n'
    )
    positions = key_lines(text)
    assert positions[("chairs", 1)] == (2, 16)
    assert positions[("talks", 0, "speakers", 1)] == (10, 5)
    assert positions[("talks", 0, "title")] == (12, 1)
    assert locate(text, ("talks", 0, "speakers", 1)) == (10, 5)


def test_atomic_write_under_a_file_says_the_parent_is_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(WriteError) as raised:
        atomic_write(tmp_path / "afile" / "sub" / "x.json", "{}")
    assert raised.value.message == "cannot write: a parent is not a directory"
    with pytest.raises(WriteError) as raised:
        atomic_write(tmp_path / "afile" / "x.json", "{}")
    assert raised.value.message == "cannot write: a parent is not a directory"


# Every value shape records hold: text of any characters (escapes, lines, tabs, quotes),
# integers, booleans, dates, times, date-times, arrays of them and of inline tables.
_SCALARS = (
    # plain letters with one kind of character that needs care at a time
    st.one_of([st.text(alphabet="a Z\u00e9\u4e2d\U0001f600" + c) for c in '"\\\t\n\r\x00\x1b\x7f'])
    | st.text()
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
    | st.integers()
    | st.booleans()
    | st.dates()
    | st.times()
    | st.datetimes()
    | st.datetimes(timezones=st.just(dt.UTC))
)
_KEYS = st.text(min_size=1, max_size=12) | st.from_regex(r"[a-z_][a-z0-9_-]{0,10}", fullmatch=True)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(value=_VALUES, key=_KEYS)
def test_canonical_values_and_keys_are_what_tomli_w_writes(value: object, key: str) -> None:
    assert toml_io._format_value(value) == toml_io._tomli_w_value(value)
    assert toml_io._format_key(key) == tomli_w.dumps({key: 0})[: -len(" = 0\n")]
