"""The identity of a record: its ``uid``, else the uuid5 of its ID.

Every export's GUIDs and UIDs (frab events and persons, iCal events), ``rename`` (which
writes the value into the file before the ID changes) and history (which follows records
through renames) ask :func:`uid_of`, so they always agree. Records without a ``uid`` (all
of format 1) get the value frab GUIDs have had since format 1: uuid5 of :data:`NAMESPACE`
and ``"<kind>:<ID>"``. A talk has no ID of its own: its ID here is
``"<session-id>/<n>"``, n counting from 1 in the session's order (:func:`talk_id`).

Two speaker files may be one person: :func:`person_keys` are the keys validate's duplicate
rules pair speakers by (names, ORCID iD), kept in the parse cache's index so that a change
to one speaker is judged against the few that share a key, not every speaker.
"""

from __future__ import annotations

import uuid
from typing import Any

from forumctl.errors import InvalidRecord
from forumctl.records import KeyPath
from forumctl.slugs import name_key
from forumctl.standards import orcid_id

NAMESPACE = uuid.UUID("5b3c1f0e-7d2a-5e64-9a1b-6f0c2d8e4a17")  # forumctl's, fixed forever
_NAMESPACE_BYTES = NAMESPACE.bytes


def default_uid(kind: str, record_id: str) -> uuid.UUID:
    """The identity of a record that has no ``uid``: uuid5 of its kind and ID."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{record_id}")


def uid_text(kind: str, record_id: str, record: Any, path: str | None = None) -> str:
    """``str(uid_of(...))``, the form exports write, made without a UUID object for a
    record without a ``uid`` (a site names some 70,000 records of 1,000 forums: this is
    twice as fast as :func:`uuid.uuid5` and its text)."""
    if getattr(record, "uid", None) is not None:
        return str(uid_of(kind, record_id, record, path))
    import hashlib

    # RFC 4122's name-based UUID, as uuid.uuid5 makes it: SHA-1 of the namespace and the
    # name, its version (5) and variant bits set
    digest = bytearray(
        hashlib.sha1(
            _NAMESPACE_BYTES + f"{kind}:{record_id}".encode(), usedforsecurity=False
        ).digest()[:16]
    )
    digest[6] = digest[6] & 0x0F | 0x50
    digest[8] = digest[8] & 0x3F | 0x80
    hex_digits = digest.hex()
    return "-".join(
        (hex_digits[:8], hex_digits[8:12], hex_digits[12:16], hex_digits[16:20], hex_digits[20:])
    )


def talk_id(session_id: str, position: int) -> str:
    """The ID a talk is known by here: its session's ID and its position (from 1)."""
    return f"{session_id}/{position}"


def parse_uid(value: str) -> uuid.UUID | None:
    """The UUID written as ``value`` in its canonical form (``8-4-4-4-12`` hexadecimal
    digits, as forumctl writes it; upper case allowed), or None if it is not one."""
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    return parsed if str(parsed) == value.lower() else None


def uid_of(kind: str, record_id: str, record: Any, path: str | None = None) -> uuid.UUID:
    """The identity of a forum, session, talk or speaker: its ``uid``, else
    :func:`default_uid`. A ``uid`` that is no UUID is an InvalidRecord naming ``path``
    (validate reports it as FC608)."""
    value = getattr(record, "uid", None)
    if value is None:
        return default_uid(kind, record_id)
    parsed = parse_uid(value)
    if parsed is None:
        raise InvalidRecord(
            f"uid {value!r} is not a UUID", path=path, hint="run 'forumctl validate'"
        )
    return parsed


def first_id(kind: str, record_id: str, record: Any, path: str | None = None) -> str:
    """The ID a record's identity was derived from: its ID when it has no ``uid``; after a
    rename, the one of its ``former_ids`` whose :func:`default_uid` its ``uid`` is; else
    (a ``uid`` from elsewhere) the ``uid`` itself. What is named after a record without
    being a record (a forum's rooms) derives from this, so that it keeps its identity
    across renames, and records never renamed keep the values they always had."""
    if getattr(record, "uid", None) is None:
        return record_id
    identity = uid_of(kind, record_id, record, path)
    for candidate in (record_id, *(getattr(record, "former_ids", None) or ())):
        if default_uid(kind, candidate) == identity:
            return str(candidate)
    return str(identity)


def room_uid(forum_id: str, forum: Any, room: str) -> uuid.UUID:
    """The identity of a room of a forum (frab room GUIDs): uuid5 of the forum's
    :func:`first_id` and the room's name, so that a renamed forum's rooms keep theirs."""
    return default_uid("room", f"{first_id('forum', forum_id, forum)}/{room}")


def name_keys(speaker: Any) -> dict[str, KeyPath]:
    """The duplicate rule's key of each name a (readable) speaker goes by, to the key path
    of the name: aliases, then the name in its own script, then the name (so that a name
    wins over an alias that gives the same key)."""
    keys: dict[str, KeyPath] = {}
    for i, alias in enumerate(speaker.aliases or ()):
        keys[name_key(alias)] = ("aliases", i)
    for field in ("name_original", "name"):
        value = getattr(speaker, field)
        if value:
            keys[name_key(value)] = (field,)
    return keys


def person_keys(speaker: Any) -> frozenset[str]:
    """The keys by which validate pairs a (readable) speaker with another file of the same
    person: each name's key (``name:...``) and the ORCID iD (``orcid:...``)."""
    keys = {f"name:{key}" for key in name_keys(speaker) if key}
    orcid = orcid_id((speaker.links or {}).get("orcid", ""))
    if orcid is not None:
        keys.add(f"orcid:{orcid}")
    return frozenset(keys)
