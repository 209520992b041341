"""Duplicate speakers: one ORCID in two files (an error), or names equal after ignoring
case, spacing, punctuation and script (a warning: two people may share a name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from forumctl.identity import name_keys
from forumctl.records import KeyPath
from forumctl.standards import orcid_id
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read


def _value_at(record: Any, path: KeyPath) -> Any:
    value = record
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def check_speakers(index: ArchiveIndex) -> Iterator[Issue]:
    by_name: dict[str, list[tuple[str, KeyPath]]] = defaultdict(list)  # (speaker ID, path)
    by_orcid: dict[str, list[str]] = defaultdict(list)
    for speaker_id, loaded in index.speakers.items():
        speaker = record_as_read(loaded)
        if speaker is None:
            continue
        for key, field in name_keys(speaker).items():
            if key:
                by_name[key].append((speaker_id, field))
        orcid = orcid_id(speaker.links.get("orcid", ""))
        if orcid is not None:
            by_orcid[orcid].append(speaker_id)

    def rel(speaker_id: str) -> str:
        return index.speakers[speaker_id].rel

    reported: set[tuple[str, str]] = set()
    for orcid, speaker_ids in sorted(by_orcid.items()):
        first, *others = sorted(speaker_ids, key=rel)
        for speaker_id in others:
            reported.add((first, speaker_id))
            yield Issue(
                rel(speaker_id),
                ("links", "orcid"),
                rules.DUPLICATE_ORCID,
                f"ORCID {orcid} is also that of speaker '{first}' ({rel(first)}):"
                f" one person in two files (forumctl merge speaker {speaker_id} {first})",
                related=rel(first),
            )
    for matches in by_name.values():
        (first, first_path), *other_matches = sorted(matches, key=lambda match: rel(match[0]))
        for speaker_id, path in other_matches:
            if (first, speaker_id) in reported:
                continue
            reported.add((first, speaker_id))
            yield _same_name(index, (speaker_id, path), (first, first_path))


Name = tuple[str, KeyPath]  # (speaker ID, key path of one of its names)


def _same_name(index: ArchiveIndex, later: Name, earlier: Name) -> Issue:
    """Two speakers going by names with one key: an alias that is the other's name (or
    name in its own script) is an error at the alias (FC605); anything else a warning at
    the later file (FC601)."""
    is_alias = [name[1][0] == "aliases" for name in (later, earlier)]
    here, other = (earlier, later) if is_alias == [False, True] else (later, earlier)
    here_rel, other_rel = (index.speakers[speaker_id].rel for speaker_id, _ in (here, other))
    value = _value_at(record_as_read(index.speakers[here[0]]), here[1])
    other_value = _value_at(record_as_read(index.speakers[other[0]]), other[1])
    if is_alias[0] != is_alias[1]:
        return Issue(
            here_rel,
            here[1],
            rules.ALIAS_OF_ANOTHER_SPEAKER,
            f"alias {value!r} is the {other[1][0]} of speaker '{other[0]}' ({other_value!r},"
            f" {other_rel}); remove the alias, or if they are one person:"
            f" forumctl merge speaker {here[0]} {other[0]}",
            related=other_rel,
        )
    field = "alias" if is_alias[0] else here[1][0]
    return Issue(
        here_rel,
        here[1],
        rules.DUPLICATE_NAME,
        f"{field} {value!r} matches speaker '{other[0]}' ({other_value!r},"
        f" {other_rel}); if they are one person: forumctl merge speaker {here[0]} {other[0]}",
        related=other_rel,
    )
