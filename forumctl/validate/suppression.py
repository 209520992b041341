"""Suppression comments: ``# forumctl: ignore[FC503]`` silences the findings it names on
its line, as ruff's ``# noqa: E501`` does.

Codes are rule codes or their prefixes (as ``--ignore`` takes them), comma-separated; text
after the bracket is the reason, for the reader. A finding about the whole file (at
line 1, which is the ``#:schema`` line of a file forumctl wrote) is silenced by such a
comment on any comment line at the top of the file, before the first key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from forumctl.toml_io import comments

_DIRECTIVE = re.compile(r"^\s*forumctl:\s*ignore\[([^\]]*)\]")


def ignored_codes(text: str) -> dict[int, tuple[str, ...]]:
    """Line to the code prefixes its suppression comment names; line 1 also gets the
    codes of the comment lines at the top of the file."""
    by_line: dict[int, tuple[str, ...]] = {}
    lines = text.split("\n")
    for line, comment in comments(text):
        match = _DIRECTIVE.match(comment)
        if match is None:
            continue
        codes = tuple(code.strip().upper() for code in match[1].split(",") if code.strip())
        by_line[line] = by_line.get(line, ()) + codes
        if _in_header(lines, line):
            by_line[1] = by_line.get(1, ()) + codes
    return by_line


def _in_header(lines: list[str], line: int) -> bool:
    """Whether every line up to ``line`` is blank or a comment line."""
    return all(not text.strip() or text.lstrip().startswith("#") for text in lines[:line])


def silenced(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)
