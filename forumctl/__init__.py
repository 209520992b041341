"""forumctl: keep the proceedings of forums as an archive of TOML files.

The public API is loaded lazily so that ``forumctl --version`` imports nothing else::

    from forumctl import Archive
    archive = Archive.discover("archive")
"""

from __future__ import annotations

# Not `from typing import ...`: typing (and re) would be a quarter of --version's time
# (docs/performance.md).
TYPE_CHECKING = False

__version__ = "0.2.0"

_PUBLIC = {
    "Archive": "forumctl.archive",
    "ForumctlError": "forumctl.errors",
    "Manifest": "forumctl.records",
    "Forum": "forumctl.records",
    "Outcome": "forumctl.records",
    "Source": "forumctl.records",
    "Session": "forumctl.records",
    "Talk": "forumctl.records",
    "Speaker": "forumctl.records",
    "Affiliation": "forumctl.records",
}

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:
    from typing import Any

    from forumctl.archive import Archive
    from forumctl.errors import ForumctlError
    from forumctl.records import (
        Affiliation,
        Forum,
        Manifest,
        Outcome,
        Session,
        Source,
        Speaker,
        Talk,
    )


def __getattr__(name: str) -> Any:
    module_name = _PUBLIC.get(name)
    if module_name is None:
        raise AttributeError(f"module 'forumctl' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
