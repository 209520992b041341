"""``forumctl new forum|session|speaker``: scaffold one record from flags or prompts.

The options are derived from :data:`forumctl.records.FIELDS`: every plain field is an
option named after it, a list field a repeatable option in the singular (``--tag``,
``--chair``), and a table-array field a repeatable option read by :data:`ITEM_FORMATS`
(``--talk "speaker-id: Title"``). ``init`` reuses the same machinery for the manifest.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from forumctl import records
from forumctl.cli.context import state
from forumctl.errors import UsageError
from forumctl.records import FieldSpec

app: typer.Typer = typer.Typer(
    name="new", help="Scaffold a forum, session or speaker.", no_args_is_help=True
)


@dataclass(frozen=True)
class ItemFormat:
    """How one repeatable option spells an item of a table-array field."""

    metavar: str
    parse: Callable[[str], Any]


def _split(text: str, option: str, metavar: str, *, at_last: str | None = None) -> tuple[str, str]:
    """HEAD and TAIL of 'HEAD: TAIL', split at the first ":", or at the last ``at_last``."""
    head, colon, tail = text.rpartition(at_last) if at_last else text.partition(":")
    if at_last and not colon:
        head, tail = tail, ""
    if not head.strip() or (colon and not tail.strip()):
        raise UsageError(f"{option} {text!r}: expected {metavar}")
    return head.strip(), tail.strip()


def _talk(text: str) -> dict[str, object]:
    speakers, title = _split(text, "--talk", TALK)
    ids = [part.strip() for part in speakers.split(",") if part.strip()]
    return {"speakers": ids, "title": title} if title else {"speakers": ids}


def _outcome(text: str) -> dict[str, object]:
    kind, title = _split(text, "--outcome", OUTCOME)
    if not title:
        raise UsageError(f"--outcome {text!r}: expected {OUTCOME}")
    return {"kind": kind, "title": title}


def _affiliation(text: str) -> dict[str, object]:
    # organization names hold ": " more often than roles do
    organization, role = _split(text, "--affiliation", AFFILIATION, at_last=": ")
    return {"organization": organization, "role": role} if role else {"organization": organization}


TALK = "'SPEAKER-ID[,SPEAKER-ID...][: TITLE]'"
OUTCOME = "'KIND: TITLE'"
AFFILIATION = "'ORGANIZATION[: ROLE]' (split at the last ': ')"

# Each item is parsed to TOML-shaped data, which records.load() then checks.
ITEM_FORMATS: dict[type[Any], ItemFormat] = {
    records.Talk: ItemFormat(TALK, _talk),
    records.Outcome: ItemFormat(OUTCOME, _outcome),
    records.Affiliation: ItemFormat(AFFILIATION, _affiliation),
    records.Source: ItemFormat("'TITLE'", lambda text: {"title": text.strip()}),
}


def option_name(spec: FieldSpec) -> str:
    """The flag of a field: lists and tables take the singular (--tag, --chair, --link)."""
    name = spec.name.replace("_", "-")
    if spec.shape in ("str_list", "str_map", "records") and name.endswith("s"):
        name = name[:-1]
    return f"--{name}"


def _help(spec: FieldSpec) -> str:
    text = spec.doc
    if spec.enum:
        text += f" One of: {', '.join(spec.enum)}."
    if spec.shape == "str_map":
        text += " Repeatable: NAME=VALUE."
    elif spec.shape == "records" and spec.record in ITEM_FORMATS:
        text += f" Repeatable: {ITEM_FORMATS[spec.record].metavar}."
    elif spec.shape == "str_list":
        text += " Repeatable."
    return text


def field_parameters(cls: type[Any], skip: set[str]) -> list[inspect.Parameter]:
    """One keyword parameter (a Typer option) per field of ``cls`` not in ``skip``."""
    parameters = []
    for spec in records.FIELDS[cls]:
        if spec.name in skip:
            continue
        python_type: Any = {"int": int | None, "str_list": list[str] | None}.get(
            spec.shape, str | None
        )
        if spec.shape in ("str_map", "records"):
            python_type = list[str] | None
        metavar = {"date": "YYYY-MM-DD", "time": "HH:MM"}.get(spec.shape)
        option = typer.Option(option_name(spec), help=_help(spec), metavar=metavar)
        parameters.append(
            inspect.Parameter(
                spec.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[python_type, option],
            )
        )
    return parameters


def typer_command(
    parameters: list[inspect.Parameter], body: Callable[..., None], doc: str
) -> Callable[..., None]:
    """A function Typer can read: ``body``'s behaviour with the given signature."""

    def command(**kwargs: Any) -> None:
        body(**kwargs)

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__doc__ = doc
    return command


def _convert(spec: FieldSpec, raw: Any) -> Any:
    """A flag's or a prompt's value as TOML-shaped data; bad dates and times name the flag."""
    if spec.shape in ("date", "time"):
        parse = dt.date.fromisoformat if spec.shape == "date" else dt.time.fromisoformat
        try:
            return parse(raw.strip())
        except ValueError:
            example = "2020-12-12" if spec.shape == "date" else "09:30"
            raise UsageError(
                f"{option_name(spec)} {raw!r} is not a {spec.shape}; write it like {example}"
            ) from None
    if spec.shape == "str_list":
        return list(raw)
    if spec.shape == "str_map":
        pairs = {}
        for item in raw:
            name, equals, value = item.partition("=")
            if not equals or not name.strip():
                raise UsageError(f"{option_name(spec)} {item!r}: expected NAME=VALUE")
            pairs[name.strip()] = value.strip()
        return pairs
    if spec.shape == "records":
        assert spec.record is not None
        return [ITEM_FORMATS[spec.record].parse(item) for item in raw]
    if spec.fmt == "timezone" and records.timezone_named(raw) is None:
        raise UsageError(
            f"{option_name(spec)} {raw!r} is not an IANA timezone name (e.g. Asia/Shanghai)"
        )
    return raw


def _ask(spec: FieldSpec, default: str | None = None) -> str:
    """Prompt on stderr until the answer converts; an empty answer keeps ``default``."""
    from rich.prompt import Prompt

    from forumctl.render import console

    err = console(stderr=True)
    label = spec.name.replace("_", " ").capitalize()
    if spec.shape in ("date", "time"):
        label += " (YYYY-MM-DD)" if spec.shape == "date" else " (HH:MM)"
    while True:
        answer = Prompt.ask(label, console=err, default=default)
        if answer is None or not answer.strip():
            if not spec.required:
                return ""
            continue
        try:
            _convert(spec, answer)
        except UsageError as error:
            err.print(error.message, markup=False)
            continue
        return str(answer).strip()


def build_record(
    cls: type[Any],
    given: dict[str, Any],
    *,
    no_input: bool,
    ask: tuple[str, ...] = (),
    defaults: dict[str, str] | None = None,
    argument: str | None = None,
) -> Any:
    """The record from flag values, prompting for missing required fields and for the
    optional fields in ``ask`` (unless ``no_input``, where a missing required field is
    an error naming its flag). Everything else is checked by :func:`records.load`."""
    specs = {spec.name: spec for spec in records.FIELDS[cls]}
    values: dict[str, Any] = {}
    for name, raw in given.items():
        if raw is None:
            spec = specs[name]
            if not spec.required and (no_input or name not in ask):
                continue
            if no_input:
                what = f"the {name.upper()} argument" if name == argument else option_name(spec)
                raise UsageError(f"{what} is required (or leave out --no-input)")
            raw = _ask(spec, (defaults or {}).get(name))
            if not raw:
                continue
        if raw == []:
            continue
        values[name] = _convert(specs[name], raw)
    record, problems = records.load(cls, values)
    if problems:
        problem = problems[0]
        field_name = str(problem.path[0]) if problem.path else None
        flag = option_name(specs[field_name]) if field_name in specs else cls.KIND
        raise UsageError(f"{flag}: {problem.message}")
    return record


def refuse_invalid(archive: Any, new: dict[tuple[str, str], Any]) -> None:
    """Refuse records (``{(kind, ID): record}``, about to be written together) that
    validate would find errors in: the first error, naming its option where it can."""
    from forumctl.validate import check_new
    from forumctl.validate.rules import RULES

    for issue in check_new(archive, new):
        if RULES[issue.code].severity != "error":
            continue
        kind, _ = next(key for key in new if archive.rel_path(*key) == issue.rel)
        specs = {spec.name: spec for spec in records.FIELDS[records.RECORD_TYPES[kind]]}
        field_name = issue.keypath[0] if issue.keypath else None
        where = option_name(specs[field_name]) if field_name in specs else issue.rel
        raise UsageError(f"{where}: {issue.message}", hint=f"rule {issue.code}")


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
    typer.echo(str(shown))


def _speaker_name(speaker_id: str) -> str:
    """A placeholder name for a speaker created from a reference: 'sheng-shihao' ->
    'Sheng Shihao'."""
    return " ".join(part.capitalize() for part in speaker_id.split("-"))


# -- the commands -------------------------------------------------------------------

RecordId = Annotated[
    str | None, typer.Option("--id", help="ID (a slug); default: made from the title or name.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing record.")]
NoInput = Annotated[
    bool, typer.Option("--no-input", help="Never prompt: a missing required field is an error.")
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
    ]


def _new_forum(
    ctx: typer.Context, id: str | None, force: bool, no_input: bool, **fields: Any
) -> None:
    archive = state(ctx).archive()
    forum = build_record(records.Forum, fields, no_input=no_input, argument="title")
    forum_id = record_id(id, forum.title)
    refuse_invalid(archive, {("forum", forum_id): forum})
    _written(archive.write(forum, forum_id, force=force))


def _new_speaker(
    ctx: typer.Context, id: str | None, force: bool, no_input: bool, **fields: Any
) -> None:
    archive = state(ctx).archive()
    speaker = build_record(records.Speaker, fields, no_input=no_input, argument="name")
    speaker_id = record_id(id, speaker.name)
    refuse_invalid(archive, {("speaker", speaker_id): speaker})
    _written(archive.write(speaker, speaker_id, force=force))


def _new_session(
    ctx: typer.Context,
    id: str | None,
    force: bool,
    no_input: bool,
    forum: str | None,
    create_missing_speakers: bool,
    **fields: Any,
) -> None:
    from forumctl.query import session_speakers

    archive = state(ctx).archive()
    if forum is None:
        if no_input:
            raise UsageError("--forum is required (or leave out --no-input)")
        from rich.prompt import Prompt

        from forumctl.render import console

        forum = Prompt.ask("Forum ID", console=console(stderr=True))
    archive.forum(forum)  # the forum must exist (and be readable)
    session = build_record(records.Session, fields, no_input=no_input, argument="title")
    session_id = f"{forum}/{record_id(id, session.title)}"
    known = set(archive.speaker_ids())
    missing = [sid for sid in session_speakers(session) if sid not in known]
    if missing and not create_missing_speakers:
        raise UsageError(
            f"no speaker {', '.join(repr(m) for m in missing)} in the archive",
            hint="create them with 'forumctl new speaker', or pass --create-missing-speakers",
        )
    from forumctl.slugs import is_slug

    for speaker_id in missing:
        if not is_slug(speaker_id):
            raise UsageError(f"speaker ID {speaker_id!r} is not a slug")
    created = {sid: records.Speaker(name=_speaker_name(sid)) for sid in missing}
    refuse_invalid(
        archive,
        {("session", session_id): session, **{("speaker", sid): s for sid, s in created.items()}},
    )
    # Everything is checked before anything is written, and the speakers go first: a
    # failure never leaves a session that refers to a speaker without a file.
    for speaker_id in missing:
        _check_free(archive, "speaker", speaker_id, force=False)
    _check_free(archive, "session", session_id, force=force)
    for speaker_id, speaker in created.items():
        _written(archive.write(speaker, speaker_id))
    _written(archive.write(session, session_id, force=force))


def _check_free(archive: Any, kind: str, record_id: str, *, force: bool) -> None:
    """Refuse a record's path before anything is written: a directory there, or a file
    without ``force``."""
    from forumctl.errors import RecordExists, WriteError

    path = archive.root / archive.rel_path(kind, record_id)
    if path.is_dir():
        raise WriteError("is a directory, not a record file", path=path, hint="move it away")
    if path.exists() and not force:
        raise RecordExists("already exists", path=path, hint="use --force to overwrite it")


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
    app.command(name)(typer_command(parameters, body, doc))


_register(
    "forum",
    records.Forum,
    "title",
    _new_forum,
    'A new forum: forumctl new forum "Title" --start 2020-12-12 --end 2020-12-12',
)
_register(
    "speaker",
    records.Speaker,
    "name",
    _new_speaker,
    'A new speaker: forumctl new speaker "Sheng Shihao" --affiliation "Organization: role"',
)
_register(
    "session",
    records.Session,
    "title",
    _new_session,
    'A new session: forumctl new session --forum FORUM-ID "Title" --talk "speaker-id: Title"',
    extra=[
        inspect.Parameter(
            "forum",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                str | None, typer.Option("--forum", help="ID of the forum it belongs to.")
            ],
        ),
        inspect.Parameter(
            "create_missing_speakers",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--create-missing-speakers",
                    help="Create speakers referenced by --talk or --chair that do not exist.",
                ),
            ],
        ),
    ],
)
