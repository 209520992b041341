"""Heading ids: numbering repeated headings costs linear time, with the same ids."""

from __future__ import annotations

import pytest

from forumctl.export import mdtext
from forumctl.export.mdtext import HeadingIds


def test_repeated_headings_are_numbered_as_before() -> None:
    ids = HeadingIds()
    added = [ids.add("Same", anchored=True) for _ in range(3)]
    added += [ids.add("Same"), ids.add("Same (2)", anchored=True), ids.add("Same", anchored=True)]
    assert added == [
        ("Same", "same"),
        ("Same (2)", "same-2"),
        ("Same (3)", "same-3"),
        ("Same", None),
        ("Same (2) (2)", "same-2-2"),
        ("Same (4)", "same-4"),
    ]


def test_numbering_n_repeated_headings_takes_linear_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    github_slug = mdtext.github_slug

    def counted(text: str) -> str:
        nonlocal calls
        calls += 1
        return github_slug(text)

    monkeypatch.setattr(mdtext, "github_slug", counted)
    ids = HeadingIds()
    n = 2000
    for _ in range(n):
        ids.add("Same", anchored=True)
        ids.add("Other")
    assert calls <= 4 * n  # was about n * n / 2: two seconds for 2,000 repeated titles
