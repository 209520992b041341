"""``[validate]`` in forumctl.toml: which rules validate reports (``select``, ``ignore``,
``per-file-ignores``), as ruff's settings say it; the command line's ``--select`` replaces
``select`` and ``--ignore`` adds to ``ignore``.

Codes are rule codes or prefixes. An entry that is wrong (a code no rule starts with, a
glob that can match no file of the archive) is a finding at its line (FC004, FC005) and
is left out; the rest of the table still applies.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from forumctl.records import Validation
from forumctl.validate.rules import RULES


def code_problem(prefix: str) -> str | None:
    """What is wrong with a rule code or prefix (case is not significant), or None."""
    wanted = prefix.strip().upper()
    if wanted and any(code.startswith(wanted) for code in RULES):
        return None
    from forumctl.suggest import did_you_mean

    hint = did_you_mean(wanted, list(RULES)) or "docs/rules.md lists the codes"
    return f"no rule code starts with '{prefix}'; {hint}"


def glob_problem(pattern: str) -> str | None:
    """What makes a glob unable to match a file of the archive, or None."""
    if not pattern.strip():
        return "an empty glob matches no file"
    if "\\" in pattern:
        return "write '/' between directories, not '\\'"
    if pattern.startswith("/"):
        return "globs are relative to the archive root: leave out the leading '/'"
    if ".." in pattern.split("/"):
        return "'..' leads out of the archive"
    opened = pattern.rfind("[")
    if opened != -1 and "]" not in pattern[opened + 2 :]:
        return "'[' opens a set of characters that no ']' closes"
    return None


def _matches(pattern: str, rel: str) -> bool:
    """ruff's matching: ``*`` crosses ``/``; a glob without ``/`` matches a file name too."""
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(rel.rpartition("/")[2], pattern)


@dataclass(frozen=True, slots=True)
class Settings:
    """The valid entries of a ``[validate]`` table, codes upper-cased."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, table: object) -> Settings:
        """The settings of a manifest's ``validate`` (None, or a partly read table)."""
        if not isinstance(table, Validation):
            return cls()
        return cls(
            _valid_codes(table.select),
            _valid_codes(table.ignore),
            tuple(
                (pattern, _valid_codes(codes))
                for pattern, codes in table.per_file_ignores.items()
                if glob_problem(pattern) is None
            ),
        )

    def reports(self, code: str, rel: str) -> bool:
        """Whether the table lets a finding of ``code`` in the file ``rel`` be reported."""
        return selected(code, self.select, (*self.ignore, *self.ignored_in(rel)))

    def ignored_in(self, rel: str) -> tuple[str, ...]:
        """The code prefixes ``per-file-ignores`` silences in the file ``rel``."""
        return tuple(
            code
            for pattern, codes in self.per_file_ignores
            if _matches(pattern, rel)
            for code in codes
        )


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether a finding of ``code`` is reported under ``select`` and ``ignore`` prefixes."""
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


def _valid_codes(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in codes if code_problem(code) is None)
