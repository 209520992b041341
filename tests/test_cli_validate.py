"""``forumctl validate`` end to end: exit codes, formats, options, paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from base_archive import BASE
from conftest import SAMPLE_FORUM, Cli

MakeArchive = Callable[[dict[str, str]], Path]
UNREFERENCED = {"speakers/cy.toml": 'name = "Cy Young"\n'}
UNKNOWN_KEY = {"forums/f/forum.toml": BASE["forums/f/forum.toml"] + 'venu = "Hall"\n'}


@pytest.fixture
def make_archive(make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch) -> MakeArchive:
    """conftest's, run from the archive's root (as a maintainer does), where findings name
    the paths of the archive itself."""

    def build(files: dict[str, str]) -> Path:
        root = make_archive(files)
        monkeypatch.chdir(root)
        return root

    return build


def test_clean_archive_exits_0(cli: Cli, make_archive: MakeArchive) -> None:
    result = cli("--archive", make_archive(BASE), "validate")
    assert result.exit_code == 0
    assert result.stdout == "No problems in 6 files.\n"
    assert result.stderr == ""


def test_the_sample_archive_passes_strict(cli: Cli, sample_archive: Path) -> None:
    """Its four parallel sessions have no talks (the report names no speakers): each says
    so in a suppression comment, so even --strict passes; without the comments, four
    warnings."""
    result = cli("--archive", sample_archive, "validate", "--strict")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No problems in 10 files.\n", "")
    sessions = sorted((sample_archive / "forums" / SAMPLE_FORUM / "sessions").glob("*.toml"))
    commented = [path for path in sessions if "forumctl: ignore[FC503]" in path.read_text()]
    assert [path.stem for path in commented] == [
        "governance-modernization", "innovation-and-industry", "localities-in-integration",
        "pilot-free-trade-zone",
    ]  # fmt: skip
    for path in commented:
        assert path.read_text().split("\n")[1] == (
            "# forumctl: ignore[FC503]: the report names this parallel session's topic only,"
            " no speakers or talks"
        )
        path.write_text(path.read_text().replace("# forumctl: ignore[FC503]", "# "))
    result = cli("--archive", sample_archive, "validate", "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.stdout)["findings"]
    assert {(f["code"], f["severity"]) for f in findings} == {("FC503", "warning")}
    assert len(findings) == 4


def test_errors_exit_1_with_the_finding_on_stdout(cli: Cli, make_archive: MakeArchive) -> None:
    result = cli("--archive", make_archive({**BASE, **UNKNOWN_KEY}), "validate")
    assert result.exit_code == 1
    assert result.stdout.split("\n") == [
        "forums/f/forum.toml",
        "  4:1  error    FC104  unknown key 'venu' in forum; did you mean 'venue'?",
        "",
        "1 error, 0 warnings in 1 of 6 files.",
        "",
    ]
    assert result.stderr == ""


def test_warnings_fail_only_with_strict(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNREFERENCED})
    assert cli("--archive", root, "validate").exit_code == 0
    assert cli("--archive", root, "validate", "--strict").exit_code == 1


def test_select_and_ignore(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNREFERENCED, **UNKNOWN_KEY})
    ignored = cli("--archive", root, "validate", "--ignore", "FC104", "--format", "json")
    assert [f["code"] for f in json.loads(ignored.stdout)["findings"]] == ["FC403"]
    assert ignored.exit_code == 0
    selected = cli("--archive", root, "validate", "--select", "fc1,FC2", "--format", "json")
    assert [f["code"] for f in json.loads(selected.stdout)["findings"]] == ["FC104"]


def test_unknown_rule_code_is_a_usage_error(cli: Cli, make_archive: MakeArchive) -> None:
    result = cli("--archive", make_archive(BASE), "validate", "--select", "XY1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: no rule code starts with 'XY1' (docs/rules.md lists the codes)\n"
    )


def test_paths_limit_what_is_reported(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNREFERENCED, **UNKNOWN_KEY})
    result = cli("--archive", root, "validate", root / "speakers", "--format", "json")
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["speakers/cy.toml"]
    assert json.loads(result.stdout)["summary"]["files"] == 3


def test_path_outside_the_archive_exits_2(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive(BASE)
    result = cli("--archive", root, "validate", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {tmp_path} is outside the archive ({root})"
        " (give paths inside the archive)\n"
    )
    missing = cli("--archive", root, "validate", root / "nope.toml")
    assert missing.exit_code == 2
    assert missing.stderr == f"forumctl: error: {root / 'nope.toml'}: no such file or directory\n"


def test_newer_format_exits_2(cli: Cli, make_archive: MakeArchive) -> None:
    result = cli("--archive", make_archive({**BASE, "forumctl.toml": 'format = 3\nname = "X"\n'}),
                 "validate")  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: forumctl.toml:1: archive format 3 is newer than what this forumctl reads"
        " (formats 1 to 2) (upgrade forumctl)\n"
    )


def test_missing_manifest_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("--archive", tmp_path, "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"forumctl: error: --archive {tmp_path}: no forumctl.toml")


def test_every_format_parses(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNREFERENCED, **UNKNOWN_KEY})
    outputs = {
        fmt: cli("--archive", root, "validate", "--format", fmt)
        for fmt in ("json", "sarif", "junit", "github")
    }
    assert all(result.exit_code == 1 for result in outputs.values())
    assert json.loads(outputs["json"].stdout)["summary"] == {"files": 7, "errors": 1, "warnings": 1}
    assert len(json.loads(outputs["sarif"].stdout)["runs"][0]["results"]) == 2
    junit = ElementTree.fromstring(outputs["junit"].stdout)
    assert len(junit.findall("testsuite/testcase")) == 7
    assert len(junit.findall("testsuite/testcase/failure")) == 1  # the warning is no failure
    assert len(junit.findall("testsuite/testcase/system-out")) == 1
    strict = cli("--archive", root, "validate", "--format", "junit", "--strict")
    assert ElementTree.fromstring(strict.stdout).get("failures") == "2"
    assert outputs["github"].stdout.split("\n") == [
        "::error file=forums/f/forum.toml,line=4,col=1,title=FC104::unknown key 'venu' in forum;"
        " did you mean 'venue'?",
        "::warning file=speakers/cy.toml,line=1,col=1,title=FC403::speaker 'cy' is not a chair"
        " or speaker of any session",
        "",
    ]


def test_output_writes_the_report_and_the_summary_to_the_terminal(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY})
    report = tmp_path / "out" / "validate.sarif"
    result = cli("--archive", root, "validate", "--format", "sarif", "--output", report)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"1 error, 0 warnings in 1 of 6 files. Report written to {report}.\n"
    assert json.loads(report.read_text())["runs"][0]["results"][0]["ruleId"] == "FC104"


def test_github_actions_adds_annotations_to_text(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY})
    result = cli("--archive", root, "validate", env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.split("\n")[-3:] == [
        "1 error, 0 warnings in 1 of 6 files.",
        "::error file=forums/f/forum.toml,line=4,col=1,title=FC104::unknown key 'venu' in forum;"
        " did you mean 'venue'?",
        "",
    ]


def test_github_actions_annotations_stay_on_stdout_with_output(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY})
    report = tmp_path / "report.txt"
    result = cli("--archive", root, "validate", "-o", report, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=forums/f/forum.toml,line=4,col=1,title=FC104::")
    assert "::error" not in report.read_text()


def test_colour_only_when_forced(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY})
    assert "\x1b[" not in cli("--archive", root, "validate").stdout
    forced = cli(
        "--archive", root, "validate", env={"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm"}
    )
    assert "\x1b[31merror  \x1b[0m" in forced.stdout


def test_output_refuses_an_existing_file_without_force(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive(BASE)
    manifest = root / "forumctl.toml"
    before = manifest.read_text(encoding="utf-8")
    result = cli("--archive", root, "validate", "--format", "json", "--output", manifest)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: forumctl.toml: already exists (use --force to overwrite it)\n"
    )
    assert manifest.read_text(encoding="utf-8") == before
    report = root / "report.json"
    report.write_text("old\n", encoding="utf-8")
    result = cli("--archive", root, "validate", "--format", "json", "-o", report, "--force")
    assert result.exit_code == 0, result.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == 1


def _repository_with_archive(make_archive: MakeArchive) -> Path:
    """A repository whose archive is in its subfolder archive/ (the example workflow's
    layout); returns the repository root."""
    root = make_archive({**BASE, **UNKNOWN_KEY})
    repository = root.parent / "repository"
    repository.mkdir()
    root.rename(repository / "archive")
    return repository


def test_paths_in_every_format_are_relative_to_the_working_directory(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI runs from the repository root: GitHub places annotations and SARIF results by
    paths relative to it, as ruff prints them."""
    repository = _repository_with_archive(make_archive)
    monkeypatch.chdir(repository)
    path = "archive/forums/f/forum.toml"

    def run(fmt: str) -> str:
        return cli("--archive", "archive", "validate", "--format", fmt).stdout

    assert run("github").startswith(f"::error file={path},line=4,col=1,title=FC104::")
    assert run("text").startswith(f"{path}\n  4:1  error    FC104  ")
    assert json.loads(run("json"))["findings"][0]["path"] == path
    names = [case.get("name") for case in ElementTree.fromstring(run("junit")).iter("testcase")]
    assert path in names and "archive/forumctl.toml" in names
    (sarif_run,) = json.loads(run("sarif"))["runs"]
    location = sarif_run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": path, "uriBaseId": "%SRCROOT%"}
    assert sarif_run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repository.as_uri() + "/"}}
    # from inside the archive, paths are the archive's own
    monkeypatch.chdir(repository / "archive")
    result = cli("validate", "--format", "github")
    assert result.stdout.startswith("::error file=forums/f/forum.toml,line=4,")


def test_paths_outside_the_working_directory_are_absolute(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = _repository_with_archive(make_archive)
    elsewhere = repository.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    archive = (repository / "archive").resolve()
    result = cli("--archive", archive, "validate", "--format", "sarif")
    (sarif_run,) = json.loads(result.stdout)["runs"]
    location = sarif_run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (archive / "forums/f/forum.toml").as_uri()}
    text = cli("--archive", archive, "validate").stdout
    assert text.startswith(f"{archive}/forums/f/forum.toml\n")


def test_output_replaces_its_own_earlier_report(cli: Cli, make_archive: MakeArchive) -> None:
    """As ruff and pytest do: a rerun writes over the report it wrote before, in any
    format, but never over a file that is not a forumctl report."""
    root = make_archive({**BASE, **UNKNOWN_KEY})
    for first, second in [("sarif", "sarif"), ("json", "junit"), ("text", "github")]:
        report = root / f"report.{first}"
        assert cli("--archive", root, "validate", "--format", first, "-o", report).exit_code == 1
        (root / "forums/f/forum.toml").write_text(BASE["forums/f/forum.toml"], encoding="utf-8")
        again = cli("--archive", root, "validate", "--format", second, "-o", report)
        assert (again.exit_code, again.stderr) == (
            0,
            f"No problems in 6 files. Report written to {report}.\n",
        )
        (root / "forums/f/forum.toml").write_text(
            UNKNOWN_KEY["forums/f/forum.toml"], encoding="utf-8"
        )
    notes = root / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    refused = cli("--archive", root, "validate", "-o", notes)
    assert refused.exit_code == 2
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_exit_zero_reports_findings_and_exits_0(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY, **UNREFERENCED})
    result = cli("--archive", root, "validate", "--strict", "--exit-zero")
    assert result.exit_code == 0
    assert "FC104" in result.stdout
    assert cli("--archive", root.parent, "validate", "--exit-zero").exit_code == 2  # no archive


def test_statistics_counts_findings_per_rule(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive(
        {**BASE, **UNKNOWN_KEY, **UNREFERENCED, "speakers/dee.toml": 'name = "Dee"\n'}
    )
    result = cli("--archive", root, "validate", "--statistics")
    assert result.exit_code == 1
    assert result.stdout.split("\n") == [
        "2  FC403  warning  unreferenced-speaker",
        "1  FC104  error    unknown-key",
        "",
        "1 error, 2 warnings in 3 of 8 files.",
        "",
    ]
    data = json.loads(cli("--archive", root, "validate", "--statistics", "--format", "json").stdout)
    assert data["statistics"] == [
        {"code": "FC403", "rule": "unreferenced-speaker", "severity": "warning", "count": 2},
        {"code": "FC104", "rule": "unknown-key", "severity": "error", "count": 1},
    ]
    refused = cli("--archive", root, "validate", "--statistics", "--format", "sarif")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("forumctl: error: --statistics is for --format text or json")


def test_github_actions_writes_a_step_summary(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **UNKNOWN_KEY, **UNREFERENCED})
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(step_summary)}
    cli("--archive", root, "validate", "--format", "sarif", "-o", root / "r.sarif", env=env)
    assert step_summary.read_text(encoding="utf-8").split("\n") == [
        "earlier step",
        "### forumctl validate",
        "",
        "1 error, 1 warning in 2 of 7 files.",
        "",
        "| Count | Code | Severity | Rule |",
        "| ---: | --- | --- | --- |",
        "| 1 | FC104 | error | unknown-key |",
        "| 1 | FC403 | warning | unreferenced-speaker |",
        "",
    ]
    cli("--archive", root, "validate", env={"GITHUB_STEP_SUMMARY": str(step_summary)})
    assert step_summary.read_text(encoding="utf-8").count("###") == 1  # only under Actions


def test_one_language_twice_in_a_records_translations(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # BCP 47 tags ignore case: `--language de` would show one of the two and never the other
    monkeypatch.chdir(sample_archive)
    session = f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"
    with (sample_archive / session).open("a", encoding="utf-8") as file:
        file.write('\n[translations.de]\ntitle = "Reden"\n\n[translations.DE]\ntitle = "Reden"\n')

    result = cli("--archive", sample_archive, "validate")

    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout == (
        f"{session}\n"
        "  33:1  error    FC703  translations 'de' and 'DE' name one language: merge them"
        " into one\n"
        "\n"
        "1 error, 0 warnings in 1 of 10 files.\n"
    )
