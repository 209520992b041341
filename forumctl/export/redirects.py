"""Pages at the old addresses of renamed records (DESIGN.md section 8): the page of a forum
or speaker that was renamed, or merged into another, stays at its old address and sends
the reader to the new one, so that links and bookmarks into the proceedings keep working.

The old addresses come from ``former_ids`` (archive format 2: rename and merge write
them). The site hands the map to the mkdocs-redirects plugin, which writes at each old
address a page that sends the reader on, keeping the ``#fragment`` (so the anchors of a
renamed forum's sessions still lead to them). An old address that is a page of the site
now (an ID used again) stays that page.
"""

from __future__ import annotations

from forumctl.export.model import ResolvedArchive
from forumctl.export.pages import forum_page, speaker_page


def redirects(resolved: ResolvedArchive) -> dict[str, str]:
    """Old page -> new page, paths relative to the docs directory, sorted by old page."""
    pairs = [
        (forum_page(former), forum_page(forum.id))
        for forum in resolved.forums
        for former in forum.forum.former_ids
    ] + [
        (speaker_page(former), speaker_page(entry.id))
        for entry in resolved.speakers
        for former in entry.speaker.former_ids
    ]
    pages = {forum_page(forum.id) for forum in resolved.forums}
    pages |= {speaker_page(entry.id) for entry in resolved.speakers}
    found: dict[str, str] = {}
    for old, new in pairs:
        if old not in pages:
            found.setdefault(str(old), str(new))  # two records with one former ID: the first
    return dict(sorted(found.items()))
