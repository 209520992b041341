"""The rules validate checks: code, severity, what a finding means and how to fix it.

docs/rules.md is generated from :data:`RULES` (``python -m forumctl.docgen``) and a test
fails when the two disagree. Codes are stable: a rule may be retired, never renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from forumctl import records

Severity = Literal["error", "warning"]

# File level
TOML_SYNTAX = "FC001"
MANIFEST_FORMAT = "FC002"
NEWER_FORMAT_KEY = "FC003"
UNKNOWN_RULE_CODE = "FC004"
BAD_GLOB = "FC005"
# Schema level (the loader in records.py reports these)
MISSING_KEY = records.MISSING_KEY
WRONG_TYPE = records.WRONG_TYPE
NOT_IN_ENUM = records.NOT_IN_ENUM
UNKNOWN_KEY = records.UNKNOWN_KEY
EMPTY_LIST = records.EMPTY_LIST
DATE_AS_STRING = records.DATE_AS_STRING
# Dates, times and timezones
END_BEFORE_START = "FC202"
SESSION_OUTSIDE_FORUM = "FC203"
SESSION_WITHOUT_DATE = "FC204"
UNKNOWN_TIMEZONE = "FC205"
NONEXISTENT_LOCAL_TIME = "FC206"
AMBIGUOUS_LOCAL_TIME = "FC207"
TALK_OUTSIDE_SESSION = "FC208"
IMPLAUSIBLE_DATE = "FC209"
# Names and places of files
NOT_A_SLUG = "FC301"
MISPLACED_FILE = "FC302"
# References
MISSING_SPEAKER = "FC401"
AFFILIATION_NOT_IN_TALK = "FC402"
UNREFERENCED_SPEAKER = "FC403"
UNKNOWN_TRACK = "FC404"
UNKNOWN_QUOTE_SOURCE = "FC405"
# The programme
ROOM_OVERLAP = "FC501"
SPEAKER_DOUBLE_BOOKED = "FC502"
EMPTY_SESSION = "FC503"
# People and links
DUPLICATE_NAME = "FC601"
DUPLICATE_ORCID = "FC602"
BAD_ORCID = "FC603"
NOT_HTTP_URL = "FC604"
ALIAS_OF_ANOTHER_SPEAKER = "FC605"
BAD_DOI = "FC606"
BAD_LICENSE = "FC607"
BAD_UID = "FC608"
CONTROL_CHARACTER = "FC609"
BAD_COLOR = "FC610"
# Languages
BAD_LANGUAGE = "FC701"
TRANSLATION_IN_OWN_LANGUAGE = "FC702"
SAME_LANGUAGE_TWICE = "FC703"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    meaning: str
    fix: str


# How two names are the same for FC601 and FC605 (slugs.name_key): one wording for both
_ALIKE = "after ignoring case, spacing, punctuation and script"

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(TOML_SYNTAX, "toml-syntax", "error",
             "The file is not valid TOML (or not UTF-8 text), or a file or directory of the"
             " archive cannot be read (its permissions): what it holds is unknown.",
             "Correct the syntax at the reported line and column, or make it readable."),
        Rule(MANIFEST_FORMAT, "manifest-format", "error",
             "`format` in forumctl.toml is not a format this program knows (lower than 1).",
             "Write `format = 2` (or 1 for an archive that must stay readable by forumctl 0.1)."),
        Rule(NEWER_FORMAT_KEY, "newer-format-key", "error",
             "A key (or value) of a later archive format than the one forumctl.toml declares,"
             " e.g. a format-2 `uid` in a format-1 archive.",
             "Run `forumctl migrate`, or remove the key."),
        Rule(UNKNOWN_RULE_CODE, "unknown-rule-code", "error",
             "A code in `[validate]` of forumctl.toml (`select`, `ignore`,"
             " `per-file-ignores`) that no rule code starts with; validate leaves it out.",
             "Correct it to a code or prefix docs/rules.md lists (`FC503`, `FC5`)."),
        Rule(BAD_GLOB, "bad-glob", "error",
             "A glob of `per-file-ignores` in forumctl.toml that can match no file of the"
             " archive (empty, absolute, through `..`, with `\\`, or with a `[` that no `]`"
             " closes); validate leaves it out.",
             "Write it relative to the archive root with `/` between directories:"
             " `forums/*/sessions/*.toml`."),
        Rule(MISSING_KEY, "missing-key", "error",
             "A required key is missing.",
             "Add the key; docs/format.md lists the required keys of each record."),
        Rule(WRONG_TYPE, "wrong-type", "error",
             "A value has the wrong type (e.g. a string where an integer belongs).",
             "Write the value as the type docs/format.md gives."),
        Rule(NOT_IN_ENUM, "not-in-enum", "error",
             "A value is not one of the allowed choices (e.g. a session `kind`).",
             "Use one of the values the message lists."),
        Rule(UNKNOWN_KEY, "unknown-key", "error",
             "A key the format does not define, usually a typo.",
             "Rename it to the suggested key, or remove it."),
        Rule(EMPTY_LIST, "empty-list", "error",
             "A list that needs items is empty (e.g. a talk without speakers).",
             "Add at least one item."),
        Rule(DATE_AS_STRING, "date-as-string", "error",
             "A date or time is written as a quoted string.",
             "Remove the quotes: `start = 2020-12-12`, `start = 09:30:00`."),
        Rule(END_BEFORE_START, "end-before-start", "error",
             "An `end` (or `until`, `end_date`) is before its `start` (or `since`, `date`);"
             " a session's or talk's end must be after its start (a session whose `end_date`"
             " is a later day may end at an earlier clock time).",
             "Swap or correct the two values."),
        Rule(SESSION_OUTSIDE_FORUM, "session-outside-forum", "error",
             "A session's `date` is not between its forum's `start` and `end`.",
             "Correct the session's date or the forum's dates."),
        Rule(SESSION_WITHOUT_DATE, "session-without-date", "error",
             "A timed session of a forum that lasts several days has no `date`.",
             "Add the session's `date`."),
        Rule(UNKNOWN_TIMEZONE, "unknown-timezone", "error",
             "A `timezone` is not an IANA timezone name.",
             "Use a name such as `Asia/Shanghai` or `Europe/Berlin`."),
        Rule(NONEXISTENT_LOCAL_TIME, "nonexistent-local-time", "error",
             "A session's `start` or `end` does not exist on its day in its forum's timezone"
             " (the forum's, else the manifest's): the clocks skip it when summer time begins"
             " (02:30 on 2024-03-31 in Europe/Berlin).",
             "Correct the time, the date or the timezone."),
        Rule(AMBIGUOUS_LOCAL_TIME, "ambiguous-local-time", "warning",
             "A session's `start` or `end` happens twice on its day in its forum's timezone:"
             " the clocks pass it twice when summer time ends (02:30 on 2024-10-27 in"
             " Europe/Berlin); exports take the first.",
             "Check the time; move the session if the second one is meant."),
        Rule(IMPLAUSIBLE_DATE, "implausible-date", "error",
             f"A date before {records.EARLIEST_DATE} or after {records.LATEST_DATE}: a"
             " typing error, and too near the ends of the calendar for calendar and"
             " schedule exports.",
             "Correct the date."),
        Rule(TALK_OUTSIDE_SESSION, "talk-outside-session", "error",
             "A talk's `start` or `end` is outside its session's times (a session with an"
             " `end_date` runs past midnight: talk times before its start are on that day).",
             "Correct the talk's or the session's times."),
        Rule(NOT_A_SLUG, "not-a-slug", "error",
             "A file or directory name, which is the record's ID, or a track's or source's"
             " `id`, is not a slug (`[a-z0-9]+(-[a-z0-9]+)*`; a name that is not UTF-8"
             " cannot be one), or is a forum ID the export's own pages take (`index`,"
             " `speakers`, `changes`).",
             "Rename it to lower-case ASCII words joined by hyphens, and update references."),
        Rule(MISPLACED_FILE, "misplaced-file", "error",
             "A TOML file where no record belongs (e.g. a session outside `sessions/`,"
             " or sessions of a directory without `forum.toml`), a directory named like a"
             " record file, a symbolic link to nothing or in a loop, or a forum directory"
             " without `forum.toml`.",
             "Move it to its place in the layout of docs/format.md, or remove it."),
        Rule(MISSING_SPEAKER, "missing-speaker", "error",
             "A talk's `speakers`, a session's `chairs` or a talk's `affiliations` name a"
             " speaker ID with no file in `speakers/`.",
             "Correct the ID, or add the speaker with `forumctl new speaker`."),
        Rule(AFFILIATION_NOT_IN_TALK, "affiliation-not-in-talk", "error",
             "A talk's `affiliations` has a key that is not one of the talk's speakers.",
             "Use the ID of one of the talk's speakers."),
        Rule(UNREFERENCED_SPEAKER, "unreferenced-speaker", "warning",
             "No session refers to this speaker (as chair or speaker of a talk).",
             "Refer to the speaker from a session, or remove the file."),
        Rule(UNKNOWN_TRACK, "unknown-track", "error",
             "A session's or talk's `track` is not the `id` of one of its forum's"
             " `[[tracks]]`.",
             "Correct the ID, or add the track to the forum."),
        Rule(UNKNOWN_QUOTE_SOURCE, "unknown-quote-source", "error",
             "A quote's `source` is not the `id` of one of its forum's `[[sources]]`.",
             "Correct the ID, or give the source an `id`."),
        Rule(ROOM_OVERLAP, "room-overlap", "error",
             "Two sessions of one forum are in the same room at overlapping times.",
             "Correct the times, date or room of one of them."),
        Rule(SPEAKER_DOUBLE_BOOKED, "speaker-double-booked", "error",
             "A speaker chairs or speaks in two sessions at overlapping times, in one forum"
             " or in two (times compared as instants in each forum's timezone).",
             "Correct the times or the people of one of the sessions."),
        Rule(EMPTY_SESSION, "empty-session", "warning",
             "A session has no talks.",
             "Add its talks when they are known; a report that names none is a fair reason"
             " to leave it so."),
        Rule(DUPLICATE_NAME, "duplicate-name", "warning",
             f"Two speakers have the same name {_ALIKE} (transliteration): perhaps one"
             " person twice.",
             "Merge the two files if they are one person; two people may share a name."),
        Rule(DUPLICATE_ORCID, "duplicate-orcid", "error",
             "Two speakers have the same ORCID: one person in two files.",
             "Merge the two files and update references."),
        Rule(BAD_ORCID, "bad-orcid", "error",
             "`links.orcid` is not an ORCID iD (`0000-0002-1825-0097`, optionally as"
             " `https://orcid.org/...`) or its check digit is wrong.",
             "Copy the iD again from orcid.org."),
        Rule(NOT_HTTP_URL, "not-http-url", "error",
             "A link or source URL is not an http(s) URL.",
             "Write the full address, starting with `https://` or `http://`."),
        Rule(ALIAS_OF_ANOTHER_SPEAKER, "alias-of-another-speaker", "error",
             f"A speaker's alias is, {_ALIKE}, another speaker's `name` or `name_original`:"
             " search and import could not tell the two apart.",
             "Remove the alias, or, if they are one person, `forumctl merge speaker FROM INTO`."),
        Rule(BAD_DOI, "bad-doi", "error",
             "A `doi` is not a DOI (`10.` a registrant code of 4 to 9 digits, `/`, a suffix),"
             " or is written as a link (`https://doi.org/...`, `doi:...`).",
             "Write the bare DOI, e.g. `10.18653/v1/2020.acl-main.1`."),
        Rule(BAD_LICENSE, "bad-license", "error",
             "A link's `license` is not an SPDX license identifier or expression.",
             "Use the identifier from spdx.org/licenses, e.g. `CC-BY-4.0`."),
        Rule(BAD_UID, "bad-uid", "error",
             "A `uid` is not a UUID (forumctl writes it; it is never typed by hand).",
             "Restore the value from version control, or remove it (the record is then"
             " identified by the uuid5 of its ID)."),
        Rule(CONTROL_CHARACTER, "control-character", "error",
             "Record text holds a control character (U+0000-U+001F but tab and newline, a"
             " carriage return not before a newline, U+007F-U+009F): a terminal runs it"
             " (ESC clears the screen, OSC 8 makes links), XML 1.0 forbids it. `show`,"
             " `list` and validate show it as `\\x1b`; frab-xml, JUnit and iCal write"
             " U+FFFD instead; CSV cells starting a formula get a leading `'`.",
             "Remove the character (often pasted from a terminal or a PDF)."),
        Rule(BAD_COLOR, "bad-color", "error",
             "A track's `color` is not written `#rrggbb`.",
             "Write six hexadecimal digits after `#`, e.g. `#1f77b4`."),
        Rule(BAD_LANGUAGE, "bad-language", "error",
             "A `language` (or a `[translations.<tag>]` key) is not a BCP 47 language tag"
             " whose subtags are in the IANA registry: `english` and `EN_us` are not,"
             " `en` and `en-US` are.",
             "Write the tag, e.g. `en`, `zh-Hans`, `pt-BR`."),
        Rule(TRANSLATION_IN_OWN_LANGUAGE, "translation-in-own-language", "error",
             "A `[translations.<tag>]` is in the language the record itself is written in"
             " (its `language`, else its session's, forum's or the manifest's).",
             "Move the text into the record's own keys, or correct the record's `language`."),
        Rule(SAME_LANGUAGE_TWICE, "same-language-twice", "error",
             "Two `[translations.<tag>]` of one record are one language: language tags ignore"
             " case (`de` and `DE`, `zh-hans` and `zh-Hans`), and a tag and its registered"
             " replacement (`iw` and `he`) are one. `--language` would show one of them and"
             " never the other.",
             "Merge the two tables into one, under the tag as the registry writes it (`de`,"
             " `zh-Hans`)."),
    )
}  # fmt: skip


def rules_markdown() -> str:
    """The text of docs/rules.md."""
    lines = [
        "# Rules of `forumctl validate`",
        "",
        "<!-- Generated from forumctl/validate/rules.py by `python -m forumctl.docgen`;"
        " do not edit. -->",
        "",
        "Every finding names its file, line and column, a severity and one of these codes.",
        "Errors make `validate` exit 1; warnings do too with `--strict`. Select or ignore",
        "rules by code prefix: `--select FC4`, `--ignore FC403`. A comment on a finding's",
        "line silences it there, with the reason after it:",
        "`room = 3  # forumctl: ignore[FC102]: as printed`. A finding about the whole file",
        "(line 1) is silenced by such a comment line at the top of the file, before the",
        "first key.",
        "",
        "An archive keeps its choices in `forumctl.toml`, as ruff's settings are kept",
        "(docs/format.md, *Validate*); `--select` replaces `select`, `--ignore` adds to",
        "`ignore`:",
        "",
        "```toml",
        "[validate]",
        'ignore = ["FC403"]',
        "",
        "[validate.per-file-ignores]",
        '"forums/2019-*/sessions/*.toml" = ["FC503"]  # relative to the archive root',
        "```",
        "",
        "| Code | Name | Severity | What it means | How to fix it |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in RULES.values():
        lines.append(
            f"| {rule.code} | {rule.name} | {rule.severity} | {rule.meaning} | {rule.fix} |"
        )
    return "\n".join(lines) + "\n"
