"""A small valid archive as text, so tests know every line: ``make_archive({**BASE, ...})``
with one file changed makes a broken archive with exactly one defect."""

from __future__ import annotations

BASE: dict[str, str] = {
    "forumctl.toml": 'format = 1\nname = "Test archive"\ntimezone = "Asia/Shanghai"\n',
    "speakers/ada.toml": 'name = "Ada Lovelace"\n',
    "speakers/bo.toml": 'name = "Bo Li"\nname_original = "李博"\n',
    "forums/f/forum.toml": 'title = "Forum"\nstart = 2020-12-12\nend = 2020-12-13\n',
    "forums/f/sessions/a.toml": (
        'title = "A"\n'
        "date = 2020-12-12\n"
        "start = 09:00:00\n"
        "end = 10:00:00\n"
        'room = "Hall 1"\n'
        'chairs = ["bo"]\n'
        "\n"
        "[[talks]]\n"
        'speakers = ["ada"]\n'
    ),
    "forums/f/sessions/b.toml": (
        'title = "B"\n'
        "date = 2020-12-12\n"
        "start = 10:00:00\n"
        "end = 11:00:00\n"
        'room = "Hall 1"\n'
        "\n"
        "[[talks]]\n"
        'speakers = ["bo"]\n'
    ),
}

# The same archive in format 2: ``make_archive({**BASE, **FORMAT_2, ...})``
FORMAT_2: dict[str, str] = {
    "forumctl.toml": 'format = 2\nname = "Test archive"\ntimezone = "Asia/Shanghai"\n'
}
