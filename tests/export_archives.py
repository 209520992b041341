"""Archives for the export tests, written out as TOML text so every value is known.

TIMED: two forums. ``conf-2021`` lasts two days in Berlin with sessions in two rooms,
multi-speaker talks, chairs, an affiliation printed for one talk, and one session
without a date or times (left out of calendars and schedules). ``old-2015`` is a one-day
forum without times, where Ada held her earlier position.
"""

from __future__ import annotations

TIMED: dict[str, str] = {
    "forumctl.toml": (
        'format = 1\nname = "Timed archive"\ntimezone = "Asia/Shanghai"\nlanguage = "en"\n'
    ),
    "speakers/ada.toml": (
        'name = "Ada Lovelace"\nsort_name = "Lovelace, Ada"\n\n'
        '[[affiliations]]\norganization = "New Org"\nrole = "director"\nsince = 2019-01-01\n\n'
        '[[affiliations]]\norganization = "Old Org"\nsince = 2010-01-01\nuntil = 2018-12-31\n'
    ),
    "speakers/bo.toml": (
        'name = "Bo Li"\nname_original = "李博"\n\n[[affiliations]]\norganization = "Uni"\n'
    ),
    "speakers/cy.toml": 'name = "Cy Young"\n',
    "speakers/dee.toml": 'name = "Dee Dee"\n',
    "forums/conf-2021/forum.toml": (
        'title = "Conf 2021"\nstart = 2021-03-01\nend = 2021-03-02\ncity = "Berlin"\n'
        'venue = "Haus"\ntimezone = "Europe/Berlin"\n'
    ),
    "forums/conf-2021/sessions/opening.toml": (
        'title = "Opening"\nkind = "opening"\ndate = 2021-03-01\nstart = 09:00:00\n'
        'end = 09:30:00\nroom = "Hall A"\nchairs = ["bo"]\n\n'
        '[[talks]]\nspeakers = ["ada"]\ntitle = "Welcome"\n'
    ),
    "forums/conf-2021/sessions/panel.toml": (
        'title = "The panel"\nkind = "panel"\ndate = 2021-03-01\nstart = 10:00:00\n'
        'end = 11:30:00\nroom = "Hall B"\nsummary = "Three views."\n\n'
        '[[talks]]\nspeakers = ["ada", "bo", "cy"]\ntitle = "Futures"\n'
        'affiliations = { cy = "guest, Lab X" }\n'
    ),
    "forums/conf-2021/sessions/data.toml": (
        'title = "Data"\nkind = "parallel"\ndate = 2021-03-01\nstart = 10:00:00\n'
        'end = 11:00:00\nroom = "Hall A"\n\n[[talks]]\nspeakers = ["dee"]\ntitle = "Tables"\n'
    ),
    "forums/conf-2021/sessions/closing.toml": (
        'title = "Closing"\nkind = "closing"\ndate = 2021-03-02\nstart = 16:00:00\n'
        'end = 17:00:00\nroom = "Hall A"\nchairs = ["cy"]\n\n'
        '[[talks]]\nspeakers = ["bo", "dee"]\ntitle = "Goodbye"\n'
    ),
    "forums/conf-2021/sessions/social.toml": 'title = "Social"\norder = 9\n',
    "forums/old-2015/forum.toml": 'title = "Old forum"\nstart = 2015-05-05\nend = 2015-05-05\n',
    "forums/old-2015/sessions/main.toml": (
        'title = "Main"\norder = 1\n\n[[talks]]\nspeakers = ["ada"]\ntitle = "Then"\n'
    ),
}
CONF = "conf-2021"
OLD = "old-2015"
