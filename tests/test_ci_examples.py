"""The pre-commit hooks and the example GitHub workflow run the commands they promise."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "forumctl.sarif"
    assert upload["if"] == "always()"
    assert workflow["permissions"]["security-events"] == "write"


@pytest.mark.skipif(
    os.environ.get("FORUMCTL_PRE_COMMIT_TEST") != "1",
    reason="opt-in (FORUMCTL_PRE_COMMIT_TEST=1): installs the hooks from the committed HEAD",
)
def test_pre_commit_run_all_files_with_the_archive_in_a_subfolder(tmp_path: Path) -> None:
    """The real pre-commit, on a repository holding the sample archive in archive/ and
    other .toml files: both hooks pass (the hooks come from this repository's HEAD)."""
    repository = tmp_path / "repository"
    shutil.copytree(REPO / "archive", repository / "archive")
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
