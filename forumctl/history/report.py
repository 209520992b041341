"""Changes as text, Markdown (a pull-request comment, ``$GITHUB_STEP_SUMMARY``, the site's
Changes page) and JSON data.

Values are written the way TOML writes them (strings quoted, dates and times bare), so a
reader sees what the file says; in Markdown each value is a code span. Record text and
commit messages are anyone's: control characters in them are shown (``\\x1b``), never
sent to the terminal as they are (textsafe.visible).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from forumctl.history.diff import Comparison, FieldChange, RecordChange
from forumctl.history.git import Revision
from forumctl.history.log import Entry, RecordLog
from forumctl.textsafe import visible

ARROW = "->"
MD_ARROW = "\u2192"  # →


def inline_value(value: Any) -> str:
    """A value as TOML writes it, on one line; "(none)" when absent."""
    if value is None:
        return "(none)"
    return _inline(value)


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(key)} = {_inline(item)}" for key, item in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return str(value)


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def subject(change: RecordChange) -> str:
    """What the change is about: "session f/a", "talk f/a #2", "speaker old -> new"."""
    name = change.id
    if change.old_id is not None:
        name = f"{change.old_id} {ARROW} {change.id}"
    if change.talk is not None:
        name = f"{name} #{change.talk}"
    return f"{change.kind} {name}"


def headline(change: RecordChange) -> str:
    """The labels, and where a merged record went or what followed a rename."""
    text = ", ".join(change.labels)
    if change.into is not None:
        text += f" into {change.into}"
    if change.note:
        text += f" ({change.note})"
    return text


def text_lines(changes: Iterable[RecordChange], indent: str = "") -> list[str]:
    out = []
    for change in changes:
        title = f" {json.dumps(change.title, ensure_ascii=False)}" if change.title else ""
        out.append(f"{indent}{subject(change)}{title}: {headline(change)}")
        for problem in change.problems:
            out.append(f"{indent}  {problem}")
        for field in change.fields:
            old, new = inline_value(field.old), inline_value(field.new)
            out.append(f"{indent}  {field.field}: {old} {ARROW} {new}")
    return out


def to_text(comparison: Comparison) -> str:
    lines = text_lines(comparison.changes)
    return visible("".join(line + "\n" for line in lines))


# -- Markdown ---------------------------------------------------------------------------


def _code(text: str) -> str:
    """A Markdown code span holding ``text`` as it is, backticks included."""
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or not text.strip() else text
    return f"{fence}{padded}{fence}"


def _md_value(value: Any) -> str:
    return "*(none)*" if value is None else _code(inline_value(value))


def markdown_lines(changes: Iterable[RecordChange]) -> list[str]:
    from forumctl.export.mdtext import escape_inline

    out = []
    for change in changes:
        title = f" {escape_inline(change.title)}" if change.title else ""
        name = change.id if change.old_id is None else f"{change.old_id} {MD_ARROW} {change.id}"
        number = f" #{change.talk}" if change.talk is not None else ""
        out.append(
            f"- **{change.kind}** {_code(name)}{number}{title}: {escape_inline(headline(change))}"
        )
        out += [f"  - {escape_inline(problem)}" for problem in change.problems]
        out += [_md_field(field) for field in change.fields]
    return out


def _md_field(field: FieldChange) -> str:
    return f"  - {_code(field.field)}: {_md_value(field.old)} {MD_ARROW} {_md_value(field.new)}"


def revision_name(revision: Revision) -> str:
    return revision.label if revision.commit is None else f"{revision.label} ({revision.short})"


def count(changes: Sequence[RecordChange]) -> str:
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''}"


def to_markdown(comparison: Comparison) -> str:
    head = (
        f"### Proceedings: {revision_name(comparison.old)} {MD_ARROW}"
        f" {revision_name(comparison.new)}"
    )
    if not comparison.changes:
        return f"{head}\n\nNo changes in the proceedings.\n"
    body = markdown_lines(comparison.changes)
    return visible(f"{head}\n\n{count(comparison.changes)}:\n\n" + "\n".join(body) + "\n")


# -- JSON --------------------------------------------------------------------------------


def revision_data(revision: Revision) -> dict[str, Any]:
    return {"revision": revision.label, "commit": revision.commit}


def change_data(change: RecordChange) -> dict[str, Any]:
    from forumctl.jsondoc import plain

    return {
        "kind": change.kind,
        "id": change.id,
        "old_id": change.old_id,
        "talk": change.talk,
        "title": change.title,
        "labels": list(change.labels),
        "into": change.into,
        "note": change.note,
        "problems": list(change.problems),
        "fields": [
            {"field": f.field, "old": plain(f.old), "new": plain(f.new)} for f in change.fields
        ],
    }


def to_data(comparison: Comparison) -> dict[str, Any]:
    from forumctl.jsondoc import VERSION

    return {
        "version": VERSION,
        "from": revision_data(comparison.old),
        "to": revision_data(comparison.new),
        "changes": [change_data(change) for change in comparison.changes],
    }


# -- a record's log ---------------------------------------------------------------------


def _commit_line(entry: Entry) -> str:
    commit = entry.commit
    return f"commit {commit.commit[:12]}  {commit.date[:10]}  {commit.author}: {commit.subject}"


def log_text(history: RecordLog) -> str:
    out = []
    for entry in history.entries:
        out.append(_commit_line(entry))
        out += text_lines(entry.changes, indent="  ")
    return visible("".join(line + "\n" for line in out))


def log_markdown(history: RecordLog) -> str:
    from forumctl.export.mdtext import escape_inline

    out = [f"### History of {history.kind} {_code(history.id)}", ""]
    for entry in history.entries:
        commit = entry.commit
        out.append(
            f"#### {_code(commit.commit[:12])} {commit.date[:10]}"
            f" {escape_inline(commit.author)}: {escape_inline(commit.subject)}"
        )
        out += ["", *markdown_lines(entry.changes), ""]
    return visible("\n".join(out).rstrip("\n") + "\n")


def log_data(history: RecordLog) -> dict[str, Any]:
    return {
        "kind": history.kind,
        "id": history.id,
        "shallow_at": history.shallow_at,
        "commits": [
            {
                "commit": entry.commit.commit,
                "parents": list(entry.commit.parents),
                "author": entry.commit.author,
                "date": entry.commit.date,
                "subject": entry.commit.subject,
                "changes": [change_data(change) for change in entry.changes],
            }
            for entry in history.entries
        ],
    }
