"""Findings: what validate reports, one per defect, located in a file of the archive."""

from __future__ import annotations

from dataclasses import dataclass, field

from forumctl.records import KeyPath
from forumctl.validate.rules import RULES, Severity


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding before it has a position: the key path locates it once, if ever needed.

    ``position`` is set when the position is already known (a TOML syntax error);
    ``related`` is the other file of a finding that involves two places.
    """

    rel: str
    keypath: KeyPath
    code: str
    message: str
    position: tuple[int, int] | None = None
    related: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One defect: path relative to the archive, 1-based line and column, rule code."""

    path: str
    line: int
    column: int
    code: str
    message: str
    related: str | None = field(default=None, compare=False)
    keypath: KeyPath = field(default=(), compare=False)  # the key it is about, if any

    @property
    def severity(self) -> Severity:
        return RULES[self.code].severity


@dataclass(slots=True)
class Report:
    """All findings (sorted by path, line, column) and the files that were checked."""

    findings: list[Finding]
    files: list[str]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def fails(self, *, strict: bool = False) -> bool:
        """Whether the findings fail a run: any error, or any warning with ``strict``."""
        return any(strict or finding.severity == "error" for finding in self.findings)
