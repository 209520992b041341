"""loading: one record file read into its record, its problems or its syntax error."""

from __future__ import annotations

from pathlib import Path

from forumctl.loading import first_problem, load_file
from forumctl.records import Speaker


def test_a_clean_file_is_its_record(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('name = "A"\n', encoding="utf-8")
    loaded = load_file(tmp_path, "a.toml", Speaker)
    assert loaded.ok
    assert loaded.record == Speaker(name="A")
    assert (loaded.problems, loaded.syntax_error, loaded.partial) == ([], None, None)


def test_a_file_with_problems_keeps_them_and_a_partial_record(tmp_path: Path) -> None:
    text = 'name = "A"\nbio = 3\n'
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    loaded = load_file(tmp_path, "a.toml", Speaker)
    assert not loaded.ok
    assert loaded.partial is not None and loaded.partial.name == "A"
    assert str(first_problem(loaded, text, hint="fix it")) == (
        "a.toml:2:1: 'bio' must be a string, not an integer (fix it)"
    )


def test_text_that_is_not_utf8_is_a_syntax_error_at_its_start(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_bytes(b'name = "\xff"\n')
    loaded = load_file(tmp_path, "a.toml", Speaker)
    assert loaded.record is None and loaded.syntax_error is not None
    assert (loaded.syntax_error.line, loaded.syntax_error.column) == (1, 1)
    assert first_problem(loaded, "") is loaded.syntax_error
