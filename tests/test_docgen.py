"""The generated docs are committed as the code generates them."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumctl.docgen import generated, main
from forumctl.validate.rules import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("name", sorted(generated()))
def test_committed_doc_matches_the_code(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == generated()[name](), (
        f"docs/{name} is out of date: run `python -m forumctl.docgen`"
    )


def test_rules_doc_has_a_row_per_rule() -> None:
    rows = [
        line for line in (DOCS / "rules.md").read_text().splitlines() if line.startswith("| FC")
    ]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == list(RULES)
    assert [row.split(" | ")[2] for row in rows] == [rule.severity for rule in RULES.values()]


def test_main_writes_every_generated_doc(tmp_path: Path) -> None:
    main([str(tmp_path)])
    written = [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")]
    assert sorted(path for path in written if (tmp_path / path).is_file()) == sorted(generated())
