"""Archives made by benchmarks/generate.py for tests that need real data shapes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generated_archive(out: Path, forums: int) -> Path:
    """A generated archive of ``forums`` forums (29 files each) at ``out``."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks/generate.py"), "--forums", str(forums),
         "--out", str(out)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out
