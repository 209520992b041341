"""``forumctl new forum|session|speaker``: scaffold one record from flags or prompts.

The options come from :mod:`forumctl.cli.fields` (shared with ``init`` and ``edit``);
the record is written through the change layer (:mod:`forumctl.change`), which refuses
what validate would report as an error and writes a session's new speakers with it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forumctl import records
from forumctl.cli import complete, output
from forumctl.cli.changing import DryRun, apply_change
from forumctl.cli.context import command_group, state
from forumctl.cli.fields import (
    NoInput,
    OrderedCommand,
    build_record,
    field_parameters,
    flag_at,
    keyword_option,
    option_order,
    typer_command,
)
from forumctl.errors import UsageError

if TYPE_CHECKING:
    from forumctl.archive import Archive
    from forumctl.change import Change

app: typer.Typer = command_group(
    name="new", help="Scaffold a forum, session or speaker.", no_args_is_help=True
)


def record_id(given: str | None, text: str) -> str:
    """``--id`` when given (it must be a slug), else the slug of the title or name."""
    from forumctl.slugs import is_slug, make_slug

    if given is not None:
        if not is_slug(given):
            raise UsageError(
                f"--id {given!r} is not a slug: lowercase letters, digits and single hyphens"
            )
        return given
    slug = make_slug(text)
    if not slug:
        raise UsageError(f"cannot make an ID from {text!r}", hint="give one with --id")
    return slug


def _written(path: Path) -> None:
    """The result of ``new``: the path written (relative to the working directory when
    inside it), on stdout."""
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    output.result(str(shown))


def _speaker_name(speaker_id: str) -> str:
    """A placeholder name for a speaker created from a reference: 'sheng-shihao' ->
    'Sheng Shihao'."""
    return " ".join(part.capitalize() for part in speaker_id.split("-"))


# -- the commands -------------------------------------------------------------------

RecordId = Annotated[
    str | None, typer.Option("--id", help="ID (a slug); default: made from the title or name.")
]
Force = Annotated[
    bool,
    typer.Option("--force", help="Replace an existing record (what it drops is listed on stderr)."),
]


def _common(main: str, main_help: str) -> list[inspect.Parameter]:
    keyword = inspect.Parameter.KEYWORD_ONLY
    return [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            main,
            keyword,
            default=None,
            annotation=Annotated[str | None, typer.Argument(help=main_help, show_default=False)],
        ),
        inspect.Parameter("id", keyword, default=None, annotation=RecordId),
        inspect.Parameter("force", keyword, default=False, annotation=Force),
        inspect.Parameter("no_input", keyword, default=False, annotation=NoInput),
        inspect.Parameter("dry_run", keyword, default=False, annotation=DryRun),
    ]


def _new_standalone(cls: type[Any], main: str) -> Callable[..., None]:
    """The body of `new speaker`: a record that stands on its own."""

    def body(
        ctx: typer.Context,
        id: str | None,
        force: bool,
        no_input: bool,
        dry_run: bool,
        **fields: Any,
    ) -> None:
        from forumctl.change import Change

        archive = state(ctx).archive()

        def queue(record: Any, answers: dict[str, str]) -> tuple[Change, str]:
            change = Change(archive)
            new_id = record_id(id, getattr(record, main))
            _create(change, cls.KIND, new_id, record, force)
            return change, new_id

        _, new_id = _make(cls, fields, queue, ctx, no_input, dry_run, argument=main)
        if not (dry_run or no_input):
            _next(
                "name them in a session with: forumctl new session --forum FORUM-ID"
                f" \"TITLE\" --talk '{new_id}: TITLE'"
            )

    return body


def _new_forum(
    ctx: typer.Context,
    id: str | None,
    force: bool,
    no_input: bool,
    dry_run: bool,
    from_forum: str | None,
    with_chairs: bool,
    **fields: Any,
) -> None:
    """The body of `new forum`: with ``--from``, the next edition of that forum's series
    (its series fields and programme skeleton, :mod:`forumctl.editions`). At the prompts,
    the end is the start unless answered otherwise, and the timezone the manifest's."""
    from dataclasses import replace

    from forumctl import editions
    from forumctl.change import Change
    from forumctl.toml_io import dumps

    archive = state(ctx).archive()
    if with_chairs and from_forum is None:
        raise UsageError("--with-chairs copies the chairs of --from's sessions; give --from")
    if from_forum is None and not no_input and fields.get("series"):
        from_forum = _offer_previous_edition(archive, fields["series"])
    previous = archive.forum(from_forum) if from_forum is not None else None
    manifest_timezone = archive.manifest.timezone

    def queue(forum: Any, answers: dict[str, str]) -> tuple[Change, str]:
        if answers.get("timezone") == manifest_timezone:  # the default: nothing to write
            forum = replace(forum, timezone=None)
        forum_id = record_id(id, forum.title)
        change = Change(archive)
        _create(change, "forum", forum_id, forum, force)
        if previous is not None and from_forum is not None:
            sessions = [
                (session_id.partition("/")[2], archive.session(session_id))
                for session_id in archive.session_ids(from_forum)
            ]
            copied = editions.skeleton(previous, sessions, forum.start, with_chairs=with_chairs)
            for stem, session in copied:
                rel = archive.rel_path("session", f"{forum_id}/{stem}")
                text = dumps(session, archive.schema_ref(rel, "session"))
                change.write(rel, editions.planned_text(text, session), replace=force)
        return change, forum_id

    _, forum_id = _make(
        records.Forum,
        fields,
        queue,
        ctx,
        no_input,
        dry_run,
        argument="title",
        ask=() if previous is not None else ("timezone",),
        defaults={"end": lambda values: values.get("start"), "timezone": manifest_timezone},
        inherit=None if previous is None else partial(editions.inherited, previous),
    )
    if not (dry_run or no_input):
        _next(
            f'add sessions with: forumctl new session --forum {forum_id} "TITLE"'
            " --start HH:MM --end HH:MM --room ROOM"
        )


def _make(
    cls: type[Any],
    fields: dict[str, Any],
    queue: Callable[[Any, dict[str, str]], tuple[Change, str]],
    ctx: typer.Context,
    no_input: bool,
    dry_run: bool,
    **build: Any,
) -> tuple[Any, str]:
    """Build the record (asking for what is missing, :func:`build_record` with ``build``),
    queue it with ``queue(record, answers at the prompts)`` (the change and the record's
    ID) and apply the change. When the change is refused for a field answered at a prompt
    (a forum that ends before it starts), that field is asked again, with validate's words
    for what was wrong with it; a refused flag is an error."""
    from forumctl.archive import record_at

    answers: dict[str, str] = {}
    asking = build.pop("asking", False)
    while True:
        record = build_record(
            cls,
            fields,
            no_input=no_input,
            order=option_order(ctx),
            answers=answers,
            asking=asking or bool(answers),  # asking again: as the first time
            **build,
        )
        change, new_id = queue(record, answers)
        try:
            _apply(change, dry_run)
        except Refused as refused:
            field = str(refused.finding.keypath[0]) if refused.finding.keypath else ""
            if record_at(refused.finding.path) != (cls.KIND, new_id) or not answers.get(field):
                raise
            output.note(f"{field}: {refused.finding.message}")
            del answers[field]
            continue
        return record, new_id


def _offer_previous_edition(archive: Archive, series: str) -> str | None:
    """At the prompt, when the archive has editions of the series being created: offer to
    make the new forum from the last of them (the ID to copy, or None)."""
    from forumctl.editions import series_editions

    earlier = series_editions(archive, series)
    if not earlier:
        return None
    from rich.prompt import Confirm

    from forumctl.render import console

    last_id = earlier[-1][0]
    count = f"{len(earlier)} edition{'s' if len(earlier) != 1 else ''}"
    question = (
        f"The archive has {count} of {series!r}; copy the series and the programme of the"
        f" last one, {last_id} (as --from {last_id})?"
    )
    return last_id if Confirm.ask(question, console=console(stderr=True), default=True) else None


def _new_session(
    ctx: typer.Context,
    id: str | None,
    force: bool,
    no_input: bool,
    dry_run: bool,
    forum: str | None,
    create_missing_speakers: bool,
    **fields: Any,
) -> None:
    """The body of `new session`. At the prompts: the forum (the archive's only one, when
    there is one), and besides the title the session's kind, date (for a forum of more
    than one day, its first day offered), start, end and room."""
    from forumctl.change import Change

    archive = state(ctx).archive()
    asking = forum is None
    if forum is None:
        if no_input:
            raise UsageError("--forum is required (or leave out --no-input)")
        forum = _ask_forum(archive)
    in_forum = archive.forum(forum)  # the forum must exist (and be readable)
    one_day = in_forum.start == in_forum.end

    def queue(session: Any, answers: dict[str, str]) -> tuple[Change, str]:
        session_id = f"{forum}/{record_id(id, session.title)}"
        change = Change(archive)  # one transaction: the speakers are written with the session
        for speaker_id in _missing_speakers(archive, session, create_missing_speakers):
            speaker = records.Speaker(name=_speaker_name(speaker_id))
            _create(change, "speaker", speaker_id, speaker)
        _create(change, "session", session_id, session, force)
        return change, session_id

    session, session_id = _make(
        records.Session,
        fields,
        queue,
        ctx,
        no_input,
        dry_run,
        argument="title",
        ask=("kind", *(() if one_day else ("date",)), "start", "end", "room"),
        defaults={"date": str(in_forum.start)},
        asking=asking,
    )
    if not (dry_run or no_input):
        _next(
            f"add talks with: forumctl edit session {session_id} --add-talk 'SPEAKER-ID: TITLE'"
            if not session.talks
            else f"check the archive with: forumctl validate; see it: forumctl show session"
            f" {session_id}"
        )


def _ask_forum(archive: Archive) -> str:
    """The forum of a new session, asked until it is one the archive has (did-you-mean
    for one it has not); the only forum is offered."""
    from rich.prompt import Prompt

    from forumctl.render import console
    from forumctl.suggest import did_you_mean

    forum_ids = archive.forum_ids()
    only = forum_ids[0] if len(forum_ids) == 1 else None
    while True:
        answer = (Prompt.ask("Forum ID", console=console(stderr=True), default=only) or "").strip()
        if answer in forum_ids:
            return answer
        if answer:
            hint = did_you_mean(answer, forum_ids) or "'forumctl list forums' shows the IDs"
            output.note(f"no forum {answer!r} ({hint})")


def _missing_speakers(archive: Archive, session: Any, create: bool) -> list[str]:
    """The speakers the session names that the archive lacks: to create with it, or an
    error (with did-you-mean) unless ``create``."""
    from forumctl.query import session_speakers
    from forumctl.slugs import is_slug

    known = set(archive.speaker_ids())
    missing = [sid for sid in session_speakers(session) if sid not in known]
    if missing and not create:
        from forumctl.suggest import did_you_mean

        guesses = [
            guess if len(missing) == 1 else f"for {speaker_id!r}: {guess}"
            for speaker_id in missing
            if (guess := did_you_mean(speaker_id, known))
        ]
        create_them = "create them with 'forumctl new speaker', or pass --create-missing-speakers"
        raise UsageError(
            f"no speaker {', '.join(repr(m) for m in missing)} in the archive",
            hint="; ".join(guesses) + f"; otherwise {create_them}" if guesses else create_them,
        )
    for speaker_id in missing:
        if not is_slug(speaker_id):
            raise UsageError(f"speaker ID {speaker_id!r} is not a slug")
    return missing


def _create(change: Change, kind: str, new_id: str, record: Any, force: bool = False) -> None:
    """Queue a new record; with ``force`` one that replaces a record lists on stderr the
    fields the old one had and this one drops."""
    from forumctl.change import dropped

    before = change.data(kind, new_id) if force and _exists(change, kind, new_id) else None
    change.create(kind, new_id, record, replace=force)
    if before is not None:
        lost = dropped(before, change.data(kind, new_id))
        if lost:
            rel = change.archive.rel_path(kind, new_id)
            output.note(f"{rel}: replaced; dropped {', '.join(lost)}")


def _exists(change: Change, kind: str, record_id: str) -> bool:
    return change.text(change.archive.rel_path(kind, record_id)) is not None


class Refused(UsageError):
    """A change refused for its first finding, named by the option that set the value."""

    def __init__(self, message: str, finding: Any) -> None:
        super().__init__(message, hint=f"rule {finding.code}")
        self.finding = finding


def _next(hint: str) -> None:
    """What to do next, on stderr after what was written, as git's hints are (not with
    --no-input or --dry-run: a script knows what it does next)."""
    output.note(hint)


def _apply(change: Change, dry_run: bool) -> None:
    """Write the change (or show it) and print the paths written; a refused change is
    an error naming the option of the first finding, as validate words it."""
    from forumctl.archive import record_at
    from forumctl.change import ChangeRefused

    try:
        applied = apply_change(change, dry_run=dry_run)
    except ChangeRefused as refused:
        finding = refused.findings[0]
        kind = (record_at(finding.path) or ("", ""))[0]
        cls = records.RECORD_TYPES.get(kind)
        where = (flag_at(cls, finding.keypath) if cls is not None else None) or finding.path
        raise Refused(f"{where}: {finding.message}", finding) from None
    if not dry_run:
        for written in applied.files:
            _written(change.root / written.rel)


def _register(
    name: str,
    cls: type[Any],
    main: str,
    body: Callable[..., None],
    doc: str,
    extra: list[inspect.Parameter] | None = None,
) -> None:
    parameters = _common(main, f"The {main} of the {cls.KIND}.") + (extra or [])
    parameters += field_parameters(cls, skip={main})
    app.command(name, cls=OrderedCommand)(typer_command(parameters, body, doc))


_register(
    "forum",
    records.Forum,
    "title",
    _new_forum,
    "A new forum, from flags, or asked for at prompts.\n\n"
    '\b\n  forumctl new forum "Title" --start 2020-12-12 --end 2020-12-12\n\n'
    "With --from FORUM-ID, the next edition of that forum's series: its series, kind, city,"
    " venue, timezone, organizers, tags, language and tracks (where not given), edition + 1,"
    " the same length from --start, and every session's title, kind, order, times, room"
    " and track, moved by as many days as the forum; no talks, chairs, summaries, outcomes"
    " or sources.",
    extra=[
        keyword_option(
            "from_forum",
            str | None,
            None,
            "--from",
            metavar="FORUM-ID",
            autocompletion=complete.forum_ids,
            help="Make the next edition of this forum's series.",
        ),
        keyword_option(
            "with_chairs",
            bool,
            False,
            "--with-chairs",
            help="With --from: keep the sessions' chairs.",
        ),
    ],
)
_register(
    "speaker",
    records.Speaker,
    "name",
    _new_standalone(records.Speaker, "name"),
    "A new speaker, from flags, or asked for at prompts.\n\n"
    '\b\n  forumctl new speaker "Sheng Shihao" --affiliation "Organization: role"',
)
_register(
    "session",
    records.Session,
    "title",
    _new_session,
    "A new session, from flags, or asked for at prompts.\n\n"
    '\b\n  forumctl new session --forum FORUM-ID "Title" --talk "speaker-id: Title"',
    extra=[
        keyword_option(
            "forum",
            str | None,
            None,
            "--forum",
            metavar="FORUM-ID",
            autocompletion=complete.forum_ids,
            help="ID of the forum it belongs to.",
        ),
        keyword_option(
            "create_missing_speakers",
            bool,
            False,
            "--create-missing-speakers",
            help="Create speakers referenced by --talk or --chair that do not exist.",
        ),
    ],
)
