"""Where the change layer keeps its state in an archive, ``.forumctl/`` (its lock and its
journal), and the question every command asks before it reads: did a change stop halfway?

Apart from change.py so that the answer costs a stat or two: a reading command imports
the change layer only when there is an interrupted change to recover.
"""

from __future__ import annotations

from pathlib import Path

STATE_DIR = ".forumctl"
LOCK = f"{STATE_DIR}/lock"
JOURNAL = f"{STATE_DIR}/journal"
JOURNAL_NEXT = f"{STATE_DIR}/journal.next"


def interrupted(root: Path) -> bool:
    """Whether a change's journal is there: a change was interrupted (or another process
    is applying one right now; ``change.recover`` tells them apart under the lock)."""
    return (root / JOURNAL).exists() or (root / JOURNAL_NEXT).exists()
