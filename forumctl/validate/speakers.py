"""Duplicate speakers: one ORCID in two files (an error), or names equal after ignoring
case, spacing, punctuation and script (a warning: two people may share a name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from forumctl.slugs import name_key
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.formats import orcid_id
from forumctl.validate.index import ArchiveIndex, readable


def check_speakers(index: ArchiveIndex) -> Iterator[Issue]:
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)  # (speaker ID, field)
    by_orcid: dict[str, list[str]] = defaultdict(list)
    for speaker_id, loaded in index.speakers.items():
        speaker = readable(loaded)
        if speaker is None:
            continue
        keys: dict[str, str] = {}
        for field in ("name_original", "name"):
            value = getattr(speaker, field)
            if value:
                keys[name_key(value)] = field
        for key, field in keys.items():
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
                " one person in two files",
                related=rel(first),
            )
    for matches in by_name.values():
        (first, first_field), *other_matches = sorted(matches, key=lambda match: rel(match[0]))
        for speaker_id, field in other_matches:
            if (first, speaker_id) in reported:
                continue
            reported.add((first, speaker_id))
            yield Issue(
                rel(speaker_id),
                (field,),
                rules.DUPLICATE_NAME,
                f"{field} {getattr(readable(index.speakers[speaker_id]), field)!r} matches"
                f" speaker '{first}' ({getattr(readable(index.speakers[first]), first_field)!r},"
                f" {rel(first)}); merge them if they are one person",
                related=rel(first),
            )
