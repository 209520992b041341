"""Who a record is, whatever its ID, read from a parsed document (a file whose record
does not load still has an identity): its ``uid`` (absent: :func:`forumctl.identity.default_uid`
of its ID, the rule of :func:`forumctl.identity.uid_of`) and the IDs it had
(``former_ids``). A rename keeps the one and adds to the other (DESIGN 7, 8).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from forumctl.identity import default_uid, parse_uid


def uid(kind: str, record_id: str, data: Mapping[str, object] | None) -> uuid.UUID:
    """The record's uid: the one its file holds, else the uuid5 of its ID."""
    given = data.get("uid") if data is not None else None
    parsed = parse_uid(given) if isinstance(given, str) else None
    return parsed if parsed is not None else default_uid(kind, record_id)


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
