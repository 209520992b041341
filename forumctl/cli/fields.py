"""Fields as options: the machinery that turns :data:`forumctl.records.FIELDS` into the
flags of ``init``, ``new`` and ``edit``, and flag values (or prompts) into TOML data.

Every plain field is an option named after it, a list field a repeatable option in the
singular (``--tag``, ``--chair``), and a table-array field a repeatable option that starts
an item, in the short form of :data:`ITEM_FORMATS` (``--talk "speaker-id: Title"``).
Every other field of an item has its own flag, named item-field (``--talk-summary``,
``--source-author``), that applies to the last item before it on the command line: each
value is then one whole shell argument, so Markdown text needs no escaping of any
separator, and a list field inside an item takes one flag per entry.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from forumctl import records
from forumctl.cli import output
from forumctl.errors import UsageError
from forumctl.records import FieldSpec

NoInput = Annotated[
    bool, typer.Option("--no-input", help="Never prompt: a missing required field is an error.")
]


@dataclass(frozen=True)
class ItemFormat:
    """How one repeatable option spells an item of a table-array field: ``parse`` gives
    the ``short`` fields; every other field of the item has a flag of its own."""

    metavar: str
    parse: Callable[[str], Any]
    short: tuple[str, ...]
    note: str = ""  # how the short form is read, for the help


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


def _pair(option: str, metavar: str, keys: tuple[str, str]) -> Callable[[str], dict[str, object]]:
    """The parser of an item spelt 'HEAD: TAIL', both needed (--outcome, --track, --link)."""

    def parse(text: str) -> dict[str, object]:
        head, tail = _split(text, option, metavar)
        if not tail:
            raise UsageError(f"{option} {text!r}: expected {metavar}")
        return {keys[0]: head, keys[1]: tail}

    return parse


def _affiliation(text: str) -> dict[str, object]:
    # organization names hold ": " more often than roles do
    organization, role = _split(text, "--affiliation", AFFILIATION, at_last=": ")
    return {"organization": organization, "role": role} if role else {"organization": organization}


TALK = "'SPEAKER-ID[,SPEAKER-ID...][: TITLE]'"
TRACK = "'ID: NAME'"
LINK = "'KIND: URL'"
OUTCOME = "'KIND: TITLE'"
AFFILIATION = "'ORGANIZATION[: ROLE]'"

# Shapes a flag gives one entry of per occurrence (quotes: strings, from flags)
LIST_SHAPES = ("str_list", "str_map", "text_or_records")
# Each item is parsed to TOML-shaped data, which records.load() then checks.
ITEM_FORMATS: dict[type[Any], ItemFormat] = {
    records.Talk: ItemFormat(TALK, _talk, ("speakers", "title")),
    records.Track: ItemFormat(TRACK, _pair("--track", TRACK, ("id", "name")), ("id", "name")),
    records.Link: ItemFormat(LINK, _pair("--link", LINK, ("kind", "url")), ("kind", "url")),
    records.Outcome: ItemFormat(
        OUTCOME, _pair("--outcome", OUTCOME, ("kind", "title")), ("kind", "title")
    ),
    records.Affiliation: ItemFormat(
        AFFILIATION, _affiliation, ("organization", "role"), " The role follows the last ': '."
    ),
    records.Source: ItemFormat("'TITLE'", lambda text: {"title": text.strip()}, ("title",)),
}


def option_name(spec: FieldSpec) -> str:
    """The flag of a field: lists and tables take the singular (--tag, --chair, --link),
    unless the field names its own (``ids``: --external-id, as --id is the record's)."""
    if spec.flag is not None:
        return spec.flag
    name = spec.name.replace("_", "-")
    if spec.shape in (*LIST_SHAPES, *records.TABLE_SHAPES) and name.endswith("s"):
        name = name[:-1]
    return f"--{name}"


@dataclass(frozen=True)
class ItemField:
    """A field of the items of a table-array field outside their short form, set by a
    flag of its own that applies to the last item before it (--talk-summary)."""

    param: str  # the command's parameter, e.g. talks__summary
    flag: str
    spec: FieldSpec  # the field of the item


def item_fields(spec: FieldSpec) -> dict[str, ItemField]:
    """The item-field flags of a table-array field, by parameter name."""
    assert spec.record is not None
    short = ITEM_FORMATS[spec.record].short
    fields = {}
    for field in records.FIELDS[spec.record]:
        # tables inside an item (a talk's links, translations) are edited in the file
        if (
            field.name not in short
            and field.by_hand
            and field.shape not in ("records", "record_map")
        ):
            param = f"{spec.name}__{field.name}"
            fields[param] = ItemField(param, f"{option_name(spec)}-{option_name(field)[2:]}", field)
    return fields


def _help(spec: FieldSpec, item_of: FieldSpec | None = None) -> str:
    text = spec.doc
    if item_of is not None:
        text += f" For the last {option_name(item_of)} before it."
    if spec.enum:
        text += f" One of: {', '.join(spec.enum)}."
    if spec.shape == "str_map":
        text += " Repeatable."
    elif spec.shape == "records" and spec.record in ITEM_FORMATS:
        flags = ", ".join(field.flag for field in item_fields(spec).values())
        text += ITEM_FORMATS[spec.record].note + (
            " Repeatable; each starts an item, whose other fields follow it as"
            f" {flags} (one value per flag, so text needs no escaping)."
        )
    elif spec.shape in ("str_list", "text_or_records"):
        text += " Repeatable, one entry per flag." if item_of else " Repeatable."
    return text


def _parameter(
    name: str, flag: str, spec: FieldSpec, python_type: Any, help: str
) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[python_type, typer.Option(flag, help=help, metavar=metavar(spec))],
    )


def metavar(spec: FieldSpec) -> str:
    """The placeholder of a field's flag in help: its format (YYYY-MM-DD, 'ID: NAME'),
    what it names (SPEAKER-ID), or a word for its values (KIND, N, TEXT)."""
    if spec.shape == "records" and spec.record in ITEM_FORMATS:
        return ITEM_FORMATS[spec.record].metavar
    if spec.ref is not None:
        return f"{spec.ref.upper()}-ID"
    if spec.enum:
        return spec.name.upper()
    if spec.shape == "str_map":
        return "NAME=VALUE"
    return {"date": "YYYY-MM-DD", "time": "HH:MM", "int": "N"}.get(spec.shape, "TEXT")


def field_parameters(cls: type[Any], skip: set[str]) -> list[inspect.Parameter]:
    """One keyword parameter (a Typer option) per field of ``cls`` not in ``skip``, and
    after each table-array field, one per item field outside the item's short form."""
    parameters = []
    for spec in records.FIELDS[cls]:
        # translations are tables of tables: no flag spells them, they are edited in the file
        if spec.name in skip or not spec.by_hand or spec.shape == "record_map":
            continue
        python_type: Any = {"int": int | None}.get(spec.shape, str | None)
        if spec.shape in LIST_SHAPES:
            python_type = list[str] | None
        if spec.shape == "records":
            python_type = list[str] | None
        parameters.append(_parameter(spec.name, option_name(spec), spec, python_type, _help(spec)))
        if spec.shape == "records":
            # repeatable, whatever the field's shape: there is one value per item
            parameters += [
                _parameter(f.param, f.flag, f.spec, list[str] | None, _help(f.spec, spec))
                for f in item_fields(spec).values()
            ]
    return parameters


OPTION_ORDER = "forumctl.option_order"


class OrderedCommand(TyperCommand):
    """A command that keeps the order of its options on the command line (in
    ``ctx.meta[OPTION_ORDER]``, one parameter name per occurrence), which Click otherwise
    forgets: an item-field flag belongs to the item option before it."""

    def make_parser(self, ctx: Any) -> Any:
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_in_order(args: list[str]) -> Any:
            values, rest, order = parse(args)
            ctx.meta[OPTION_ORDER] = [param.name for param in order]
            return values, rest, order

        parser.parse_args = parse_in_order  # type: ignore[method-assign]
        return parser


def option_order(ctx: typer.Context) -> list[str]:
    """The command's parameter names in command-line order (see :class:`OrderedCommand`)."""
    return list(ctx.meta.get(OPTION_ORDER, ()))


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


def convert_value(spec: FieldSpec, raw: Any, flag: str | None = None) -> Any:
    """A flag's or a prompt's value as TOML-shaped data; bad values name the flag."""
    flag = flag or option_name(spec)
    if spec.shape in ("date", "time"):
        parse = dt.date.fromisoformat if spec.shape == "date" else dt.time.fromisoformat
        try:
            return parse(raw.strip())
        except ValueError:
            example = "2020-12-12" if spec.shape == "date" else "09:30"
            raise UsageError(
                f"{flag} {raw!r} is not a {spec.shape}; write it like {example}"
            ) from None
    if spec.shape in ("str_list", "text_or_records"):
        return list(raw)
    if spec.shape == "str_map":
        pairs = {}
        for item in raw:
            name, equals, value = item.partition("=")
            if not equals or not name.strip():
                raise UsageError(f"{flag} {item!r}: expected NAME=VALUE")
            pairs[name.strip()] = value.strip()
        return pairs
    if spec.fmt == "timezone" and records.timezone_named(raw) is None:
        raise UsageError(
            f"{flag} {raw!r} is not an IANA timezone name", hint=records.timezone_suggestion(raw)
        )
    return raw


def flag_items(
    spec: FieldSpec, given: dict[str, Any], order: Sequence[str]
) -> list[dict[str, Any]]:
    """The items of a table-array field: each item option starts one (parsed by its
    short form), each item-field flag after it, in command-line order, fills its field."""
    assert spec.record is not None
    parse = ITEM_FORMATS[spec.record].parse
    return [
        {**parse(raw), **fields}
        for _, raw, fields in item_groups(spec, given, order, {spec.name: option_name(spec)})
    ]


def item_groups(
    spec: FieldSpec, given: dict[str, Any], order: Sequence[str], starters: dict[str, str]
) -> list[tuple[str, Any, dict[str, Any]]]:
    """(starting parameter, its value, the item fields of the flags after it) for each
    occurrence of a starting option (``starters``: parameter name to flag, e.g.
    ``talks`` -> ``--talk``, ``add_talks`` -> ``--add-talk``), in command-line order."""
    fields = item_fields(spec)
    unread: dict[str, Iterator[Any]] = {
        name: iter(given.get(name) or ()) for name in (*starters, *fields)
    }
    groups: list[tuple[str, Any, dict[str, list[str]]]] = []
    for name in order:
        if name in starters:
            groups.append((name, next(unread[name]), {}))
        elif name in fields:
            field = fields[name]
            if not groups:
                flags = " or ".join(starters.values())
                raise UsageError(f"{field.flag} must follow the {flags} it belongs to")
            values = groups[-1][2].setdefault(field.spec.name, [])
            if values and field.spec.shape not in LIST_SHAPES:
                raise UsageError(f"{field.flag} is given twice for one {starters[groups[-1][0]]}")
            values.append(next(unread[name]))
    by_name = {field.spec.name: field for field in fields.values()}
    result = []
    for starter, value, values_of in groups:
        item: dict[str, Any] = {}
        for name, values in values_of.items():
            field = by_name[name]
            raw = values if field.spec.shape in LIST_SHAPES else values[0]
            item[name] = convert_value(field.spec, raw, field.flag)
        result.append((starter, value, item))
    return result


def flag_at(cls: type[Any], keypath: Sequence[str | int]) -> str | None:
    """The option that sets the value at ``keypath`` in a record of ``cls``: an item
    field's own flag (--source-date), else the field's (--source, --tag), else None."""
    spec = next((s for s in records.FIELDS[cls] if keypath and s.name == keypath[0]), None)
    if spec is None:
        return None
    if spec.shape == "records" and len(keypath) > 2:
        for field in item_fields(spec).values():
            if field.spec.name == keypath[2]:
                return field.flag
    return option_name(spec)


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
            convert_value(spec, answer)
        except UsageError as error:
            output.note(error.message)
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
    order: Sequence[str] = (),
    inherit: Callable[[str, Mapping[str, Any]], Any] | None = None,
) -> Any:
    """The record from flag values, prompting for missing required fields and for the
    optional fields in ``ask`` (unless ``no_input``, where a missing required field is
    an error naming its flag). ``order`` is the parameters' order on the command line
    (:func:`option_order`), which places item-field flags. ``inherit(name, values so
    far)`` gives a value (TOML data) for a field the user left out: taken as it is, or
    for a required field at a prompt, offered as the default. Everything else is checked
    by :func:`records.load`."""
    specs = {spec.name: spec for spec in records.FIELDS[cls]}
    values: dict[str, Any] = {}
    for name, raw in given.items():
        spec = specs.get(name)
        if spec is None:  # an item-field flag, read with its items
            continue
        items = flag_items(spec, given, order) if spec.shape == "records" else None
        default = (defaults or {}).get(name)
        if (not items) if spec.shape == "records" else (raw is None or raw == []):
            kept = inherit(name, values) if inherit is not None else None
            if kept is not None and (no_input or not spec.required):
                values[name] = kept
                continue
            default = default if kept is None else str(kept)
        if spec.shape == "records":
            if items:
                values[name] = items
            continue
        if raw is None:
            if not spec.required and (no_input or name not in ask):
                continue
            if no_input:
                what = f"the {name.upper()} argument" if name == argument else option_name(spec)
                raise UsageError(f"{what} is required (or leave out --no-input)")
            raw = _ask(spec, default)
            if not raw:
                continue
        if raw == []:
            continue
        values[name] = convert_value(spec, raw)
    record, problems = records.load(cls, values)
    if problems:
        problem = problems[0]
        raise UsageError(f"{flag_at(cls, problem.keypath) or cls.KIND}: {problem.message}")
    return record
