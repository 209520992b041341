"""Time the ways of reading an archive at two revisions without a checkout, for
forumctl/history/git.py: find the files that changed between HEAD~1 and HEAD and read
both versions of each.

    python benchmarks/run.py --sizes M            # makes benchmarks/data/M-git once
    python benchmarks/git_readers.py benchmarks/data/M-git

Each candidate runs as its own process (imports included, as forumctl pays them), the
minimum of ``--runs``; pygit2 and dulwich are measured only when installed (they are no
dependency of forumctl: ``pip install pygit2 dulwich`` to compare).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time

PLUMBING = """
import subprocess, sys
def git(*args, stdin=None):
    return subprocess.run(["git", "-C", sys.argv[1], *args], input=stdin,
                          capture_output=True, check=True).stdout
names = git("cat-file", "--batch-check", stdin=b"HEAD~1^{commit}\\nHEAD^{commit}\\n").split()
raw = git("diff-tree", "-r", "-z", "--no-renames", "--no-abbrev", names[0].decode(),
          names[3].decode(), "--", ".").split(b"\\0")
blobs = b"".join(raw[i].split()[k] + b"\\n" for i in range(0, len(raw) - 1, 2) for k in (2, 3))
reader = subprocess.Popen(["git", "-C", sys.argv[1], "cat-file", "--batch"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
reader.communicate(blobs)
"""
PYGIT2 = """
import sys, pygit2
repo = pygit2.Repository(sys.argv[1])
old, new = (repo.revparse_single(r).peel(pygit2.Commit) for r in ("HEAD~1", "HEAD"))
for delta in repo.diff(old.tree, new.tree).deltas:
    repo[delta.old_file.id].data, repo[delta.new_file.id].data
"""
DULWICH = """
import os, sys
from dulwich.repo import Repo
from dulwich.diff_tree import tree_changes
repo = Repo(sys.argv[1])
new = repo[repo.head()]
old = repo[new.parents[0]]
for change in tree_changes(repo.object_store, old.tree, new.tree):
    repo[change.old.sha].data, repo[change.new.sha].data
sys.stdout.flush()
os._exit(0)  # dulwich's pack files complain when closed at interpreter exit
"""
CANDIDATES = {"git plumbing": (PLUMBING, None), "pygit2": (PYGIT2, "pygit2"),
              "dulwich": (DULWICH, "dulwich")}  # fmt: skip


def best_of(runs: int, code: str, repo: str) -> float:
    best = float("inf")
    for _ in range(runs + 1):  # the first run warms the page cache
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, repo], check=True)
        best = min(best, time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", help="a git repository whose HEAD~1 and HEAD differ")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bare = best_of(args.runs, "pass", args.repo)
    print(f"{'python -c pass':<16} {bare:7.3f} s")
    for name, (code, module) in CANDIDATES.items():
        if module is not None and importlib.util.find_spec(module) is None:
            print(f"{name:<16} not installed")
            continue
        seconds = best_of(args.runs, code, args.repo)
        print(f"{name:<16} {seconds:7.3f} s  ({seconds - bare:.3f} s over bare Python)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
