"""References to speakers: every chair, talk speaker and affiliation key names a speaker
file; every speaker is referred to by some session (a warning)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from forumctl.references import references
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read


def check_references(index: ArchiveIndex) -> Iterator[Issue]:
    known = index.speakers
    referenced: set[str] = set()
    for _, _, loaded, session in index.valid_sessions():
        for path, speaker_id, *_ in references(session, "speaker"):
            referenced.add(speaker_id)
            if speaker_id not in known:
                yield Issue(
                    loaded.rel,
                    path,
                    rules.MISSING_SPEAKER,
                    f"no speaker '{speaker_id}' (speakers/{speaker_id}.toml does not exist)"
                    + _suggestion(speaker_id, known),
                )
        for t, talk in enumerate(session.talks):
            if talk.speakers is None:
                continue  # missing or wrong (reported): no telling who the speakers are
            for speaker_id in talk.affiliations:
                if speaker_id not in talk.speakers:
                    yield Issue(
                        loaded.rel,
                        ("talks", t, "affiliations", speaker_id),
                        rules.AFFILIATION_NOT_IN_TALK,
                        f"affiliation for '{speaker_id}', who is not a speaker of this talk"
                        f" ({', '.join(talk.speakers)})",
                    )
    # A session that is no TOML may refer to anyone: no guesses then.
    if all(record_as_read(loaded) is not None for loaded in index.sessions.values()):
        for speaker_id, loaded in index.speakers.items():
            if speaker_id not in referenced and loaded.syntax_error is None:
                yield Issue(
                    loaded.rel,
                    (),
                    rules.UNREFERENCED_SPEAKER,
                    f"speaker '{speaker_id}' is not a chair or speaker of any session",
                )


def _suggestion(speaker_id: str, known: Iterable[str]) -> str:
    from forumctl.suggest import did_you_mean

    hint = did_you_mean(speaker_id, known)
    return f"; {hint}" if hint else ""
