"""Who a record is, whatever its ID: its ``uid`` and the IDs it had (format 2).

A rename keeps ``uid`` (absent: the uuid5 of the record's ID, the GUID every export
already uses) and adds the old ID to ``former_ids``, so a record found under a new ID
is the same record when either says so. Read from the parsed document, so that a file
whose record does not load still has an identity.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

# forumctl's namespace, the one of the frab GUIDs (export/frab.py): an absent uid is the
# GUID the record has always been exported with, so exports never change.
NAMESPACE = uuid.UUID("5b3c1f0e-7d2a-5e64-9a1b-6f0c2d8e4a17")


def default_uid(kind: str, record_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{record_id}"))


def uid(kind: str, record_id: str, data: Mapping[str, object] | None) -> str:
    """The record's uid: the one its file holds, else the uuid5 of its ID."""
    given = data.get("uid") if data is not None else None
    return given if isinstance(given, str) and given else default_uid(kind, record_id)


def former_ids(data: Mapping[str, object] | None) -> tuple[str, ...]:
    found = data.get("former_ids") if data is not None else None
    if isinstance(found, list):
        return tuple(item for item in found if isinstance(item, str))
    return ()


def is_same(
    kind: str,
    old_id: str,
    old: Mapping[str, object] | None,
    new_id: str,
    new: Mapping[str, object] | None,
) -> bool:
    """Whether the record ``new_id`` is ``old_id`` under another ID."""
    return uid(kind, old_id, old) == uid(kind, new_id, new) or old_id in former_ids(new)
