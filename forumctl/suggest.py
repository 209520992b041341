"""Did you mean: the close matches of a word the user typed among the ones that exist.

One helper for every name a user types: record IDs (``show``, ``--forum``, ``--talk``,
``--chair``, ``rename``...), choices (``--kind``), timezones, keys. A choice that equals
the word once case, spacing, punctuation and script are ignored ('Sheng Shihao' for
``sheng-shihao``, 'asia/shanghai' for ``Asia/Shanghai``) comes first, then choices the
word begins ('2020-zhejiang' for a long forum ID), then spelling neighbours by
:func:`difflib.get_close_matches`, best first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from forumctl.slugs import name_key

LIMIT = 3  # more is noise: a user reads the first one or two


def close_matches(word: str, choices: Iterable[str], *, limit: int = LIMIT) -> list[str]:
    """The choices closest to ``word``, best first, at most ``limit``; [] when none is
    close (``word`` itself is never suggested)."""
    import difflib

    candidates = [choice for choice in dict.fromkeys(choices) if choice != word]
    key = name_key(word)
    same = [choice for choice in candidates if key and name_key(choice) == key]
    begun = [choice for choice in candidates if len(word) >= 3 and choice.startswith(word)]
    found = [*same, *begun]
    if len(found) < limit:
        found += difflib.get_close_matches(word, candidates, n=limit, cutoff=0.6)
    if not found and word.lower() != word:  # 'Sheng-Shihoa': spelling, then case
        found = difflib.get_close_matches(word.lower(), candidates, n=limit, cutoff=0.6)
    return list(dict.fromkeys(found))[:limit]


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The hint "did you mean 'x'?" (or "'x' or 'y'"), or None when nothing is close."""
    return did_you_mean_of(close_matches(word, choices))


def did_you_mean_of(matches: Sequence[str]) -> str | None:
    """The same hint for matches found otherwise (:func:`close_matches` of a part)."""
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{match}'" for match in matches) + "?"
