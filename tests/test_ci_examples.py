"""The pre-commit hooks and the example GitHub workflow run the commands they promise."""

from __future__ import annotations

import shlex
from pathlib import Path

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
