"""The CI files of an archive repository: a GitHub Actions workflow and a pre-commit
configuration, as ``forumctl init --ci github`` writes them (docs/examples/github-workflow.yml
is the same workflow, written by ``python -m forumctl.docgen``).

Both name this release's tag (``v`` and the version), so that what they install is the
forumctl they were written for. The workflow passes check-jsonschema's GitHub-workflow
schema, actionlint and zizmor (tests/test_ci_examples.py runs them): actions pinned by
commit, no credentials kept in the checkout, a time limit, least permissions.
"""

from __future__ import annotations

from forumctl import __version__

RELEASE_TAG = f"v{__version__}"
WORKFLOW = ".github/workflows/forumctl.yml"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
# Where forumctl is installed from (it is not on PyPI): its repository, OWNER to replace
REPOSITORY = "https://github.com/OWNER/forumctl"
CI_KINDS = ("github",)

_WORKFLOW_TEXT = """\
# GitHub Actions for a forumctl archive: .github/workflows/forumctl.yml (`forumctl init
# --ci github` writes it; replace OWNER in FORUMCTL below). Pull requests get an
# annotation on every finding's line, and the findings also go to code scanning (Security
# tab) as SARIF; a file forumctl fmt would rewrite fails the job. If the archive is in a
# subdirectory, add `--archive <dir>` before each command. A fresh checkout has no parse
# cache to reuse, so `--no-cache` skips writing one. A pull request's job summary lists
# what it changes in the proceedings (forumctl diff, Markdown). Actions are pinned by
# commit (their tag in the comment), as zizmor asks.
name: forumctl

on:
  push:
    branches: [main]
  pull_request:

permissions: {{}}

# a newer push to the same branch or pull request cancels the run of the older one
concurrency:
  group: ${{{{ github.workflow }}}}-${{{{ github.ref }}}}
  cancel-in-progress: true

env:
  # Where to install forumctl from: its repository at a release tag, or a wheel.
  FORUMCTL: "forumctl @ git+{repository}@{tag}"

jobs:
  validate:
    name: Validate the archive
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: read
      security-events: write # upload-sarif
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0
        with:
          python-version: "3.12"
      - name: Install forumctl
        run: pip install "$FORUMCTL"
      - name: What the pull request changes in the proceedings (job summary)
        # The checkout is the merge commit alone; one commit deeper brings its first parent,
        # the base branch as merged into: forumctl diff reads both without a checkout.
        if: github.event_name == 'pull_request'
        run: |
          git fetch --no-tags --deepen=1 origin "$GITHUB_REF"
          forumctl diff HEAD^1 HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: Findings as SARIF
        # exit 1 means findings (reported below); exit 2 means it could not run at all
        run: forumctl --no-cache validate --format sarif --output forumctl.sarif || [ $? -eq 1 ]
      - name: Upload to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@ff0a06e83cb2de871e5a09832bc6a81e7276941f # v3.28.18
        with:
          sarif_file: forumctl.sarif
          category: forumctl
      - name: Validate (annotations; fails on errors)
        run: forumctl --no-cache validate --format github
      - name: Canonical form (fails on a file forumctl fmt would rewrite)
        run: forumctl --no-cache fmt --check
"""

_PRE_COMMIT_TEXT = """\
# pre-commit hooks for this archive (`forumctl init --ci github` writes this file):
# `pip install pre-commit && pre-commit install`, then every commit is validated and its
# record files put in canonical form. Replace OWNER with the account of forumctl's
# repository; `rev` is the forumctl release. With the archive in a subdirectory, give each
# hook `args: [--archive, <dir>, validate]` (and `fmt`).
repos:
  - repo: {repository}
    rev: {tag}
    hooks:
      - id: forumctl-validate
      - id: forumctl-fmt
"""


def github_workflow() -> str:
    """The workflow: validate (annotations and SARIF), fmt --check, the change summary."""
    return _WORKFLOW_TEXT.format(repository=REPOSITORY, tag=RELEASE_TAG)


def pre_commit_config() -> str:
    """A .pre-commit-config.yaml running forumctl's two hooks at this release."""
    return _PRE_COMMIT_TEXT.format(repository=REPOSITORY, tag=RELEASE_TAG)


def ci_files(kind: str) -> dict[str, str]:
    """Archive path to text of the files ``init --ci KIND`` writes."""
    assert kind in CI_KINDS
    return {WORKFLOW: github_workflow(), PRE_COMMIT_CONFIG: pre_commit_config()}
