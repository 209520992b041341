"""The pre-commit hooks and the example GitHub workflow run the commands they promise."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import copy_as_committed
from workflow_linters import lint_workflow

import forumctl
from forumctl import ci

REPO = Path(__file__).resolve().parent.parent


def test_pre_commit_hooks() -> None:
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    assert sorted(hooks) == ["forumctl-fmt", "forumctl-validate"]
    validate, fmt = hooks["forumctl-validate"], hooks["forumctl-fmt"]
    assert [validate["entry"], *validate["args"]] == ["forumctl", "validate"]
    assert validate["pass_filenames"] is False
    assert [fmt["entry"], *fmt["args"]] == ["forumctl", "fmt"]
    assert fmt.get("pass_filenames", True) is True
    assert all(hook["language"] == "python" for hook in hooks.values())


def test_workflow_runs_validate_as_github_and_uploads_sarif() -> None:
    workflow = yaml.safe_load((REPO / "docs/examples/github-workflow.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert "forumctl --no-cache validate --format github" in commands
    sarif = next(command for command in commands if "--format sarif" in command)
    assert shlex.split(sarif.split("||")[0]) == [
        "forumctl", "--no-cache", "validate", "--format", "sarif", "--output", "forumctl.sarif"
    ]  # fmt: skip
    assert commands[-1] == "forumctl --no-cache fmt --check"
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "forumctl.sarif"
    assert upload["if"] == "always()"
    job = workflow["jobs"]["validate"]
    assert workflow["permissions"] == {}
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    assert job["timeout-minutes"] == 15
    checkout = next(step for step in steps if "checkout" in step.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    pins = [step["uses"].partition("@")[2] for step in steps if "uses" in step]
    assert len(pins) == 3 and all(re.fullmatch(r"[0-9a-f]{40}", pin) for pin in pins)


def test_the_example_workflow_is_what_init_writes() -> None:
    """docs/examples/github-workflow.yml is forumctl.ci's workflow (docgen writes it)."""
    assert (REPO / "docs/examples/github-workflow.yml").read_text() == ci.github_workflow()


def test_hooks_and_workflow_name_this_release_and_the_tag_exists() -> None:
    tag = f"v{forumctl.__version__}"
    workflow = yaml.safe_load(ci.github_workflow())
    assert workflow["env"]["FORUMCTL"] == f"forumctl @ git+https://github.com/OWNER/forumctl@{tag}"
    (repo,) = yaml.safe_load(ci.pre_commit_config())["repos"]
    assert (repo["rev"], [hook["id"] for hook in repo["hooks"]]) == (
        tag,
        ["forumctl-validate", "forumctl-fmt"],
    )
    hooks_file = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"#     rev: {tag}\n" in hooks_file
    assert f"\n## {forumctl.__version__} - " in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    tags = subprocess.run(
        ["git", "-C", REPO, "tag", "--list", "v*"], capture_output=True, text=True, check=True
    ).stdout.split()
    # a clone made without tags has none to check; one with tags has this release's
    assert not tags or tag in tags, f"git tag -a {tag} (the release commit), then push it"


def test_the_example_workflow_passes_the_linters() -> None:
    assert lint_workflow(REPO / "docs/examples/github-workflow.yml") == []


def test_the_linters_catch_what_the_workflow_avoids(tmp_path: Path) -> None:
    """Unpinned, credentials kept, no time limit, a misspelt expression: each linter fails."""
    text = (
        ci.github_workflow()
        .replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4")
        .replace("          persist-credentials: false\n", "          fetch-depth: 1\n")
        .replace("    timeout-minutes: 15\n", "")
        .replace("github.event_name ==", "github.event_nam ==")
    )
    path = tmp_path / "forumctl.yml"
    path.write_text(text, encoding="utf-8")
    failed = {tool: output for tool, _, output in lint_workflow(path)}
    assert sorted(failed) == ["actionlint", "check-jsonschema timeout", "zizmor"]
    assert 'property "event_nam" is not defined' in failed["actionlint"]
    assert "unpinned-uses" in failed["zizmor"] and "artipacked" in failed["zizmor"]


@pytest.mark.skipif(
    os.environ.get("FORUMCTL_PRE_COMMIT_TEST") != "1",
    reason="opt-in (FORUMCTL_PRE_COMMIT_TEST=1): installs the hooks from the committed HEAD",
)
def test_pre_commit_run_all_files_with_the_archive_in_a_subfolder(tmp_path: Path) -> None:
    """The real pre-commit, on a repository holding the sample archive in archive/ and
    other .toml files: both hooks pass (the hooks come from this repository's HEAD)."""
    repository = tmp_path / "repository"
    copy_as_committed(REPO / "archive", repository / "archive")
    (repository / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    head = subprocess.run(
        ["git", "-C", REPO, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {"repos": [{"repo": str(REPO), "rev": head, "hooks": [
        {"id": "forumctl-validate", "args": ["--archive", "archive", "validate"]},
        {"id": "forumctl-fmt", "args": ["--archive", "archive", "fmt"]},
    ]}]}  # fmt: skip
    (repository / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repository, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        cwd=repository, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 reformatted, 10 already canonical, 2 skipped (not records of the archive)." in (
        run.stdout
    )


def test_workflow_summarises_a_pull_request_in_a_shallow_checkout(tmp_path: Path) -> None:
    """The diff step's commands, run as written, in a depth-1 clone of a merge commit."""
    import os
    import subprocess
    import sys

    from base_archive import BASE
    from git_repos import GitArchive

    workflow = yaml.safe_load((REPO / "docs/examples/github-workflow.yml").read_text())
    (step,) = [
        s for s in workflow["jobs"]["validate"]["steps"] if "forumctl diff" in s.get("run", "")
    ]
    assert step["if"] == "github.event_name == 'pull_request'"
    upstream = GitArchive(tmp_path / "upstream")
    upstream.git("checkout", "-q", "-b", "pr")
    upstream.commit("room", {"forums/f/sessions/b.toml": BASE["forums/f/sessions/b.toml"].replace(
        "Hall 1", "Hall 2")})  # fmt: skip
    upstream.git("checkout", "-q", "main")
    upstream.commit("a speaker on main", {"speakers/cy.toml": 'name = "Cy"\n'})
    upstream.git("merge", "-q", "--no-ff", "-m", "merge pr", "pr")
    checkout = upstream.shallow_clone(tmp_path / "checkout")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_REF": "refs/heads/main", "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=checkout, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert summary.read_text(encoding="utf-8").split("\n")[2:6] == [
        "1 change:",
        "",
        "- **session** `f/b` B: moved",
        '  - `room`: `"Hall 1"` → `"Hall 2"`',
    ]
