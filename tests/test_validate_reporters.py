"""Each report format, parsed the way its consumer parses it."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema

from forumctl import __version__
from forumctl.validate.findings import Finding, Report
from forumctl.validate.reporters import github, json_report, junit, sarif, summary, text
from forumctl.validate.rules import RULES

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

UNKNOWN_KEY = "unknown key 'venu' in forum; did you mean 'venue'?"
UNREFERENCED = "speaker 'cy' is not a chair or speaker of any session"
REPORT = Report(
    findings=[
        Finding("forums/f/forum.toml", 4, 1, "FC104", UNKNOWN_KEY),
        Finding("forums/f/sessions/b.toml", 5, 3, "FC501", "room 'A, B: 100%' clash\nsee a.toml",
                related="forums/f/sessions/a.toml"),
        Finding("speakers/cy.toml", 1, 1, "FC403", UNREFERENCED),
    ],
    files=["forumctl.toml", "forums/f/forum.toml", "forums/f/sessions/a.toml",
           "forums/f/sessions/b.toml", "speakers/cy.toml"],
)  # fmt: skip
CLEAN = Report(findings=[], files=["forumctl.toml", "speakers/a.toml"])


def test_text_groups_findings_by_file_and_ends_with_a_summary() -> None:
    assert text(REPORT).split("\n") == [
        "forums/f/forum.toml",
        "  4:1  error    FC104  unknown key 'venu' in forum; did you mean 'venue'?",
        "",
        "forums/f/sessions/b.toml",
        "  5:3  error    FC501  room 'A, B: 100%' clash",
        "see a.toml",
        "",
        "speakers/cy.toml",
        "  1:1  warning  FC403  speaker 'cy' is not a chair or speaker of any session",
        "",
        "2 errors, 1 warning in 3 of 5 files.",
        "",
    ]


def test_text_colour_is_off_unless_asked() -> None:
    assert "\x1b[" not in text(REPORT)
    coloured = text(REPORT, colour=True)
    assert "\x1b[31merror  \x1b[0m" in coloured
    assert "\x1b[33mwarning\x1b[0m" in coloured


def test_summary_of_a_clean_report() -> None:
    assert summary(CLEAN) == "No problems in 2 files."
    assert text(CLEAN) == "No problems in 2 files.\n"


def test_json_is_a_versioned_envelope() -> None:
    document = json.loads(json_report(REPORT))
    assert document["version"] == 1
    assert document["summary"] == {"files": 5, "errors": 2, "warnings": 1}
    assert document["findings"][1] == {
        "path": "forums/f/sessions/b.toml",
        "line": 5,
        "column": 3,
        "severity": "error",
        "code": "FC501",
        "rule": "room-overlap",
        "message": "room 'A, B: 100%' clash\nsee a.toml",
        "related": "forums/f/sessions/a.toml",
    }
    assert "related" not in document["findings"][0]


def test_github_annotations_escape_what_workflow_commands_need() -> None:
    assert github(REPORT).split("\n") == [
        "::error file=forums/f/forum.toml,line=4,col=1,title=FC104::unknown key 'venu' in forum;"
        " did you mean 'venue'?",
        "::error file=forums/f/sessions/b.toml,line=5,col=3,title=FC501::room 'A, B: 100%25'"
        " clash%0Asee a.toml",
        "::warning file=speakers/cy.toml,line=1,col=1,title=FC403::speaker 'cy' is not a chair"
        " or speaker of any session",
        "",
    ]
    assert github(CLEAN) == ""


def test_github_escapes_commas_and_colons_in_properties() -> None:
    report = Report([Finding("speakers/a,b:c.toml", 1, 1, "FC301", "x")], ["speakers/a,b:c.toml"])
    assert github(report) == "::error file=speakers/a%2Cb%3Ac.toml,line=1,col=1,title=FC301::x\n"


def test_sarif_passes_the_sarif_2_1_0_schema() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    for report in (REPORT, CLEAN):
        for base_uri in (None, "file:///work/repository/"):
            document = json.loads(sarif(report, base_uri=base_uri))
            jsonschema.Draft4Validator(schema).validate(document)
    (run,) = json.loads(sarif(REPORT))["runs"]
    assert run["tool"]["driver"]["name"] == "forumctl"
    assert run["tool"]["driver"]["version"] == __version__
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == sorted(RULES)
    result = run["results"][2]
    assert result["ruleId"] == "FC403"
    assert result["level"] == "warning"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "FC403"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "speakers/cy.toml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "startColumn": 1},
    }


def test_sarif_that_breaks_the_schema_is_caught() -> None:
    """The schema check above is not vacuous: a result without a message fails it."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(sarif(REPORT))
    del document["runs"][0]["results"][0]["message"]
    assert not jsonschema.Draft4Validator(schema).is_valid(document)


def test_junit_fails_files_with_errors_one_failure_per_finding() -> None:
    two_errors = Finding("forums/f/forum.toml", 6, 1, "FC203", "date outside")
    report = Report(sorted([*REPORT.findings, two_errors]), REPORT.files)
    root = ElementTree.fromstring(junit(report))
    (suite,) = root.findall("testsuite")
    # failures counts failed test cases (files), not findings
    assert (root.get("tests"), root.get("failures")) == ("5", "2")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "2", "0")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == REPORT.files
    assert list(cases["forumctl.toml"]) == []
    forum_lines = [
        f"forums/f/forum.toml:4:1: error FC104 {UNKNOWN_KEY}",
        "forums/f/forum.toml:6:1: error FC203 date outside",
    ]
    assert [
        (failure.get("type"), failure.get("message"), failure.text)
        for failure in cases["forums/f/forum.toml"]
    ] == [("FC104", forum_lines[0], forum_lines[0]), ("FC203", forum_lines[1], forum_lines[1])]
    (clash,) = cases["forums/f/sessions/b.toml"]
    clash_line = "forums/f/sessions/b.toml:5:3: error FC501 room 'A, B: 100%' clash\nsee a.toml"
    assert (clash.tag, clash.get("type"), clash.get("message")) == ("failure", "FC501", clash_line)
    warned = cases["speakers/cy.toml"]
    assert warned.findall("failure") == []
    assert warned.findtext("system-out") == f"speakers/cy.toml:1:1: warning FC403 {UNREFERENCED}"
    assert ElementTree.fromstring(junit(CLEAN)).find("testsuite").get("failures") == "0"  # type: ignore[union-attr]


def test_junit_strict_fails_warnings_too() -> None:
    root = ElementTree.fromstring(junit(REPORT, strict=True))
    assert root.get("failures") == "3"
    (failure,) = root.findall("testsuite/testcase[@name='speakers/cy.toml']/failure")
    line = f"speakers/cy.toml:1:1: warning FC403 {UNREFERENCED}"
    assert (failure.get("type"), failure.get("message"), failure.text) == ("FC403", line, line)
    assert root.findall("testsuite/testcase/system-out") == []
