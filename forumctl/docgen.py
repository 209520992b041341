"""Write the generated documentation: ``python -m forumctl.docgen [DOCS_DIR]``.

docs/rules.md comes from the rule registry, docs/format.md from records.FIELDS and
docs/examples/github-workflow.yml from forumctl.ci (what ``init --ci github`` writes);
tests fail when the committed files and the code disagree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def generated() -> dict[str, Callable[[], str]]:
    """Path in docs/ to the function that gives its text."""
    from forumctl.ci import github_workflow
    from forumctl.schema import format_markdown
    from forumctl.validate.rules import rules_markdown

    return {
        "format.md": format_markdown,
        "rules.md": rules_markdown,
        "examples/github-workflow.yml": github_workflow,
    }


def main(argv: list[str] | None = None) -> None:
    from forumctl.toml_io import atomic_write

    args = sys.argv[1:] if argv is None else argv
    docs = Path(args[0] if args else "docs")
    for name, make in generated().items():
        atomic_write(docs / name, make(), force=True)
        sys.stderr.write(f"wrote {docs / name}\n")


if __name__ == "__main__":
    main()
