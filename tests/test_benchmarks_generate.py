"""benchmarks/generate.py: the synthetic archives the benchmarks run on are clean, so
that the benchmarks time real work and not error reporting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, Cli


def test_a_generated_archive_validates_clean_under_strict(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "S"
    subprocess.run(
        [sys.executable, REPO / "benchmarks" / "generate.py", "--forums", "2", "--out", out],
        check=True,
        capture_output=True,
    )
    result = cli("--archive", out, "--no-cache", "validate", "--strict")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No problems in 59 files.\n", "")
    orcids = [line for line in (out / "speakers").glob("*.toml") if "orcid" in line.read_text()]
    assert len(orcids) == 40  # every speaker has one, checked by FC rules above
