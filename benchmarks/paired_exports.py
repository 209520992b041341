"""A cold export of an archive by two forumctl trees, one run after the other:

    git archive REV forumctl | tar -x -C /tmp/before
    python benchmarks/paired_exports.py benchmarks/data/M --before /tmp/before --format site

Each run is ``forumctl --archive ARCHIVE export FORMAT --out NEW`` with the archive's parse
cache removed first (cold), "before" from the ``forumctl`` package in ``--before``
(``PYTHONPATH``) and "after" from this tree, alternating which goes first, after one
unmeasured pair (their bytecode written). Each run's CPU time (user + system of the
process and the rendering processes it waited for, from wait4), wall clock and peak RSS
are printed, then the least of each: runs in the same minutes share the machine's load,
which moves a figure on this shared machine more than most changes do (docs/performance.md,
"Session 6: the cold export"). Each run's output is set aside, not removed, while the
others run (removing 21,000 files makes the next file creations scan the freed inodes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="holds a forumctl package")
    parser.add_argument("--format", default="site", choices=["site", "markdown"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": str(args.before.resolve()), "after": str(HERE)}
    base = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in trees}
    data = HERE / "benchmarks" / "data"  # (git-ignored)
    data.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data) as work:
        for run in range(args.runs + 1):
            order = list(trees.items())
            for name, tree in order if run % 2 == 0 else order[::-1]:
                shutil.rmtree(args.archive / ".forumctl-cache", ignore_errors=True)
                out = Path(work) / f"{name}-{run}"
                env = {**base, "PYTHONPATH": tree, "PYTHONPYCACHEPREFIX": f"{work}/pyc-{name}"}
                argv = [sys.executable, "-m", "forumctl", "--archive", str(args.archive)]
                began = time.perf_counter()
                process = subprocess.Popen(
                    [*argv, "export", args.format, "--out", str(out)],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - began
                if status != 0:
                    sys.exit(f"{name}: the export failed ({os.waitstatus_to_exitcode(status)})")
                cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
                print(
                    f"{name:6} CPU {cpu:6.2f} s (user {usage.ru_utime:.2f}, system"
                    f" {usage.ru_stime:.2f})  wall {wall:6.2f} s  peak {peak:.0f} MB"
                    + ("  (unmeasured)" if run == 0 else ""),
                    flush=True,
                )
                if run > 0:
                    figures[name].append((cpu, wall, peak))
    for name, rows in figures.items():
        print(
            f"{name:6} least CPU {min(r[0] for r in rows):.2f} s, least wall"
            f" {min(r[1] for r in rows):.2f} s, peak {max(r[2] for r in rows):.0f} MB"
        )


if __name__ == "__main__":
    main()
