"""Reporters: a Report as text, JSON, GitHub workflow commands, SARIF 2.1.0 or JUnit XML.

Each returns the whole document as a string; the CLI decides where it goes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

from forumctl import __version__, jsondoc
from forumctl.textsafe import visible, xml_document
from forumctl.validate.findings import Finding, Report
from forumctl.validate.rules import RULES

_ANSI = {"path": "1", "error": "31", "warning": "33", "code": "2"}


def seen_from(report: Report, root: Path, cwd: Path) -> tuple[Report, str | None]:
    """The report with its paths as a user at ``cwd`` names them, as ruff prints them:
    relative to ``cwd`` when the archive lies under it (in CI, the repository root, where
    GitHub places annotations), else absolute. Also the file URI of the directory the
    relative paths start from (None when they are absolute), for SARIF.
    """
    archive, here = root.resolve(), cwd.resolve()
    try:
        inside = archive.relative_to(here).as_posix()
        prefix, base_uri = ("" if inside == "." else inside + "/"), here.as_uri() + "/"
    except ValueError:
        prefix, base_uri = archive.as_posix() + "/", None

    def shown(rel: str) -> str:
        return prefix + rel

    findings = [
        dataclasses.replace(
            finding,
            path=shown(finding.path),
            related=None if finding.related is None else shown(finding.related),
        )
        for finding in report.findings
    ]
    return Report(findings, [shown(rel) for rel in report.files]), base_uri


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    """One line with the counts, e.g. '2 errors, 1 warning in 3 of 12 files'."""
    if not report.findings:
        return f"No problems in {_plural(len(report.files), 'file')}."
    with_findings = len({finding.path for finding in report.findings})
    return (
        f"{_plural(report.count('error'), 'error')}, {_plural(report.count('warning'), 'warning')}"
        f" in {with_findings} of {_plural(len(report.files), 'file')}."
    )


def text(report: Report, *, colour: bool = False) -> str:
    """Findings grouped by file, then the summary line."""

    def paint(kind: str, value: str) -> str:
        return f"\x1b[{_ANSI[kind]}m{value}\x1b[0m" if colour else value

    lines: list[str] = []
    for path, findings in groupby(report.findings, key=lambda finding: finding.path):
        lines.append(paint("path", visible(path)))  # record text reaches a terminal here
        for finding in findings:
            severity = finding.severity
            lines.append(
                f"  {finding.line}:{finding.column}  {paint(severity, f'{severity:<7}')}"
                f"  {paint('code', finding.code)}  {visible(finding.message)}"
            )
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def statistics(report: Report) -> list[tuple[str, int]]:
    """(rule code, number of findings) for each rule found, most found first, then by code."""
    counts: dict[str, int] = {}
    for finding in report.findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def statistics_text(report: Report) -> str:
    """Count, code, severity and rule name per line (as ``ruff --statistics``), then the
    summary line."""
    rows = statistics(report)
    width = max((len(str(count)) for _, count in rows), default=1)
    lines = [
        f"{count:>{width}}  {code}  {RULES[code].severity:<7}  {RULES[code].name}".rstrip()
        for code, count in rows
    ]
    return "".join(line + "\n" for line in lines) + ("\n" if lines else "") + summary(report) + "\n"


def statistics_json(report: Report) -> str:
    from forumctl.jsondoc import dumps

    document = {
        "version": jsondoc.VERSION,
        "statistics": [
            {"code": code, "rule": RULES[code].name, "severity": RULES[code].severity, "count": n}
            for code, n in statistics(report)
        ],
        "summary": _summary_data(report),
    }
    return dumps(document)


def step_summary(report: Report) -> str:
    """A Markdown section for GitHub's job summary ($GITHUB_STEP_SUMMARY): the summary
    line and a table of the rules found."""
    lines = ["### forumctl validate", "", summary(report), ""]
    rows = statistics(report)
    if rows:
        lines += ["| Count | Code | Severity | Rule |", "| ---: | --- | --- | --- |"]
        lines += [
            f"| {count} | {code} | {RULES[code].severity} | {RULES[code].name} |"
            for code, count in rows
        ]
    return "\n".join(lines) + "\n"


_SUMMARY_LINE = re.compile(
    r"(No problems in \d+ files?\.|\d+ errors?, \d+ warnings? in \d+ of \d+ files?\.)\n"
)
_ANNOTATION = re.compile(r"::(error|warning) file=[^\n]*,title=FC\d+::[^\n]*\n")


def is_report(document: str) -> bool:
    """Whether ``document`` is a report forumctl validate wrote, in any format (or empty):
    ``--output`` replaces its own earlier report, as ruff and pytest do, and nothing else."""
    import json

    if not document.strip() or _SUMMARY_LINE.search(document[-200:]):
        return True  # empty, or text (and statistics) ending with the summary line
    if all(_ANNOTATION.fullmatch(line) for line in document.splitlines(keepends=True)):
        return True
    if document.startswith("<?xml") and 'testsuites name="forumctl validate"' in document[:300]:
        return True
    try:
        data = json.loads(document)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    if {"version", "summary"} <= data.keys() and ("findings" in data or "statistics" in data):
        return True
    runs = data.get("runs")
    return bool(
        isinstance(runs, list)
        and runs
        and isinstance(runs[0], dict)
        and runs[0].get("tool", {}).get("driver", {}).get("name") == "forumctl"
    )


def _summary_data(report: Report) -> dict[str, int]:
    return {
        "files": len(report.files),
        "errors": report.count("error"),
        "warnings": report.count("warning"),
    }


def _finding_data(finding: Finding) -> dict[str, object]:
    data: dict[str, object] = {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "severity": finding.severity,
        "code": finding.code,
        "rule": RULES[finding.code].name,
        "message": finding.message,
    }
    if finding.related is not None:
        data["related"] = finding.related
    return data


def json_report(report: Report) -> str:
    from forumctl.jsondoc import dumps

    document = {
        "version": jsondoc.VERSION,
        "findings": [_finding_data(finding) for finding in report.findings],
        "summary": _summary_data(report),
    }
    return dumps(document)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = [
        f"::{finding.severity} file={_escape_property(finding.path)},line={finding.line},"
        f"col={finding.column},title={_escape_property(finding.code)}"
        f"::{_escape_data(finding.message)}"
        for finding in report.findings
    ]
    return "".join(line + "\n" for line in lines)


def _artifact(path: str) -> dict[str, str]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": path, "uriBaseId": "%SRCROOT%"}


def sarif(report: Report, *, base_uri: str | None = None) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it. Relative paths start from
    ``%SRCROOT%``, which ``base_uri`` (a directory's file URI) defines when given."""
    from forumctl.jsondoc import dumps

    codes = sorted(RULES)
    rule_index = {code: i for i, code in enumerate(codes)}
    driver = {
        "name": "forumctl",
        "version": __version__,
        "rules": [
            {
                "id": code,
                "name": RULES[code].name,
                "shortDescription": {"text": RULES[code].meaning},
                "help": {"text": RULES[code].fix},
                "defaultConfiguration": {"level": RULES[code].severity},
            }
            for code in codes
        ],
    }
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": finding.severity,
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(finding.path),
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    }
                }
            ],
        }
        for finding in report.findings
    ]
    run: dict[str, object] = {"tool": {"driver": driver}}
    if base_uri is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": base_uri}}
    run["results"] = results
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return dumps(document)


def _finding_line(finding: Finding) -> str:
    return (
        f"{finding.path}:{finding.line}:{finding.column}: {finding.severity}"
        f" {finding.code} {finding.message}"
    )


def junit(report: Report, *, strict: bool = False) -> str:
    """JUnit XML as CI dashboards (Jenkins, GitLab, Azure) read it: one test case per file,
    one ``<failure>`` per finding that fails the run (errors, and warnings with ``strict``).

    A failure's ``message`` (and text) is the finding's line, its ``type`` the rule code.
    ``failures`` counts the failed test cases, so it is never more than ``tests``.
    Findings that do not fail the run (warnings without ``strict``) stay visible in the
    case's ``<system-out>``.
    """
    from xml.etree import ElementTree

    by_path: dict[str, list[Finding]] = {path: [] for path in report.files}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    failing = {
        path: [f for f in findings if strict or f.severity == "error"]
        for path, findings in by_path.items()
    }
    failures = sum(1 for found in failing.values() if found)
    suites = ElementTree.Element(
        "testsuites", name="forumctl validate", tests=str(len(by_path)), failures=str(failures)
    )
    suite = ElementTree.SubElement(
        suites, "testsuite", name="forumctl validate", tests=str(len(by_path)),
        failures=str(failures), errors="0", skipped="0",
    )  # fmt: skip
    for path in sorted(by_path):
        case = ElementTree.SubElement(suite, "testcase", classname="forumctl.validate", name=path)
        for finding in failing[path]:
            line = _finding_line(finding)
            ElementTree.SubElement(case, "failure", message=line, type=finding.code).text = line
        passing = [f for f in by_path[path] if f not in failing[path]]
        if passing:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                _finding_line(f) for f in passing
            )
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return xml_document('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n")


REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": json_report,
    "github": github,
    "sarif": sarif,
    "junit": junit,
}
