"""Fields as options: the machinery that turns :data:`forumctl.records.FIELDS` into the
flags of ``init``, ``new`` and ``edit``, and flag values (or prompts) into TOML data.

Every plain field is an option named after it, a list field a repeatable option in the
singular (``--tag``, ``--chair``), and a table-array field a repeatable option that starts
an item, in the short form of :data:`ITEM_FORMATS` (``--talk "speaker-id: Title"``).
Every other field of an item has its own flag, named item-field (``--talk-summary``,
``--source-author``), that applies to the last item before it on the command line: each
value is then one whole shell argument, so Markdown text needs no escaping of any
separator, and a list field inside an item takes one flag per entry. A table of tables
(``[translations.<tag>]``) is spelt the same way, its option giving the key
(``--translation zh --translation-title ...``), and so are the items inside an item (a
talk's ``--talk-link 'KIND: URL' --talk-link-title ...``, ``--talk-translation zh``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from forumctl import records
from forumctl.cli import complete, output
from forumctl.errors import UsageError
from forumctl.records import FieldSpec

NoInput = Annotated[
    bool, typer.Option("--no-input", help="Never prompt: a missing required field is an error.")
]


@dataclass(frozen=True)
class ItemFormat:
    """How one repeatable option spells an item of a table-array field (or the key of a
    table of tables): ``parse(value, flag)`` gives the ``short`` fields (a table of
    tables: the key); every other field of the item has a flag of its own."""

    metavar: str
    parse: Callable[[str, str], Any]
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


def _talk(text: str, flag: str) -> dict[str, object]:
    speakers, title = _split(text, flag, TALK)
    ids = [part.strip() for part in speakers.split(",") if part.strip()]
    return {"speakers": ids, "title": title} if title else {"speakers": ids}


def _pair(metavar: str, keys: tuple[str, str]) -> Callable[[str, str], dict[str, object]]:
    """The parser of an item spelt 'HEAD: TAIL', both needed (--outcome, --track, --link)."""

    def parse(text: str, flag: str) -> dict[str, object]:
        head, tail = _split(text, flag, metavar)
        if not tail:
            raise UsageError(f"{flag} {text!r}: expected {metavar}")
        return {keys[0]: head, keys[1]: tail}

    return parse


def _affiliation(text: str, flag: str) -> dict[str, object]:
    # organization names hold ": " more often than roles do
    organization, role = _split(text, flag, AFFILIATION, at_last=": ")
    return {"organization": organization, "role": role} if role else {"organization": organization}


def _language_key(text: str, flag: str) -> str:
    """The language tag that keys a translation (checked, as every tag, by records.load)."""
    if not text.strip():
        raise UsageError(f"{flag} {text!r}: expected {LANG}")
    return text.strip()


TALK = "'SPEAKER-ID[,SPEAKER-ID...][: TITLE]'"
TRACK = "'ID: NAME'"
LINK = "'KIND: URL'"
OUTCOME = "'KIND: TITLE'"
AFFILIATION = "'ORGANIZATION[: ROLE]'"
LANG = "LANG"

# Shapes a flag gives one entry of per occurrence (quotes: strings, from flags)
LIST_SHAPES = ("str_list", "str_map", "text_or_records")
# Each item is parsed to TOML-shaped data, which records.load() then checks.
ITEM_FORMATS: dict[type[Any], ItemFormat] = {
    records.Talk: ItemFormat(TALK, _talk, ("speakers", "title")),
    records.Track: ItemFormat(TRACK, _pair(TRACK, ("id", "name")), ("id", "name")),
    records.Link: ItemFormat(LINK, _pair(LINK, ("kind", "url")), ("kind", "url")),
    records.Outcome: ItemFormat(OUTCOME, _pair(OUTCOME, ("kind", "title")), ("kind", "title")),
    records.Affiliation: ItemFormat(
        AFFILIATION, _affiliation, ("organization", "role"), " The role follows the last ': '."
    ),
    records.Source: ItemFormat("'TITLE'", lambda text, _: {"title": text.strip()}, ("title",)),
    records.Translation: ItemFormat(  # [translations.<LANG>]
        LANG, _language_key, (), " LANG is a BCP 47 tag, e.g. zh."
    ),
}
ITEM_SHAPES = ("records", "record_map")  # fields whose option starts an item


def option_name(spec: FieldSpec) -> str:
    """The flag of a field: lists and tables take the singular (--tag, --chair, --link),
    unless the field names its own (``ids``: --external-id, as --id is the record's)."""
    if spec.flag is not None:
        return spec.flag
    name = spec.name.replace("_", "-")
    if spec.shape in (*LIST_SHAPES, *records.TABLE_SHAPES) and name.endswith("s"):
        name = name[:-1]
    return f"--{name}"


def has_items(spec: FieldSpec) -> bool:
    """Whether the field's option starts an item (--talk, --link, --translation)."""
    return spec.shape in ITEM_SHAPES and spec.record in ITEM_FORMATS


@dataclass(frozen=True)
class ItemField:
    """A field of the items of a table-array field (or a table of tables) outside their
    short form, set by a flag of its own that applies to the last item before it
    (--talk-summary); a field that has items of its own (a talk's links) starts one
    inside that item (--talk-link), whose fields follow (--talk-link-title)."""

    param: str  # the command's parameter, e.g. talks__summary, talks__links__title
    flag: str
    spec: FieldSpec  # the field of the item
    within: str  # the parameter of the option whose items it fills: talks, talks__links


def item_fields(
    spec: FieldSpec, param: str | None = None, flag: str | None = None
) -> dict[str, ItemField]:
    """The item-field flags of a field with items, by parameter name, those of items
    inside its items included (``param`` and ``flag``: the field's own, when nested)."""
    assert spec.record is not None
    param, flag = param or spec.name, flag or option_name(spec)
    short = ITEM_FORMATS[spec.record].short
    fields = {}
    for field in records.FIELDS[spec.record]:
        if field.name in short or not field.by_hand:
            continue
        if field.shape in ITEM_SHAPES and not has_items(field):
            continue
        inner = ItemField(
            f"{param}__{field.name}", f"{flag}-{option_name(field)[2:]}", field, param
        )
        fields[inner.param] = inner
        if has_items(field):
            fields.update(item_fields(field, inner.param, inner.flag))
    return fields


def _help(
    spec: FieldSpec, item_of: str | None = None, param: str | None = None, flag: str | None = None
) -> str:
    """The help of a field's option: ``item_of`` is the option whose last item it fills;
    ``param`` and ``flag`` are the option's own, for a field inside an item."""
    text = spec.doc
    if item_of is not None:
        text += f" For the last {item_of} before it."
    if spec.enum:
        text += f" One of: {', '.join(spec.enum)}."
    if spec.shape == "str_map":
        text += " Repeatable."
    elif has_items(spec):
        assert spec.record is not None
        fields = item_fields(spec, param, flag).values()
        flags = ", ".join(field.flag for field in fields if field.within == (param or spec.name))
        text += ITEM_FORMATS[spec.record].note + (
            " Repeatable; each starts an item, whose other fields follow it as"
            f" {flags} (one value per flag, so text needs no escaping)."
        )
    elif spec.shape in ("str_list", "text_or_records"):
        text += " Repeatable, one entry per flag." if item_of else " Repeatable."
    return text


def keyword_option(
    name: str, python_type: Any, default: object, flag: str, **option: Any
) -> inspect.Parameter:
    """A keyword parameter of a generated command: the option ``flag`` (typer.Option's
    keywords in ``option``) filling ``name``."""
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[python_type, typer.Option(flag, **option)],
    )


def _parameter(
    name: str, flag: str, spec: FieldSpec, python_type: Any, help: str
) -> inspect.Parameter:
    return keyword_option(
        name, python_type, None, flag,
        help=help, metavar=metavar(spec), autocompletion=completion(spec),
    )  # fmt: skip


def completion(spec: FieldSpec) -> Callable[..., list[str]] | None:
    """What the shell completes a field's flag with: the speaker IDs it names (the IDs
    before a talk's ':'), its enum values, timezone names; None: nothing."""
    if spec.record is records.Talk:
        return complete.speaker_list
    if spec.ref == "speaker":
        return complete.speaker_ids
    if spec.enum:
        return complete.choices(spec.enum)
    return complete.timezones if spec.fmt == "timezone" else None


def metavar(spec: FieldSpec) -> str:
    """The placeholder of a field's flag in help: its format (YYYY-MM-DD, 'ID: NAME'),
    what it names (SPEAKER-ID), or a word for its values (KIND, N, TEXT)."""
    if has_items(spec):
        assert spec.record is not None
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
    after each field with items, one per item field outside the item's short form (and
    those of the items inside its items: --talk-link, --talk-link-title)."""
    parameters = []
    for spec in records.FIELDS[cls]:
        if (
            spec.name in skip
            or not spec.by_hand
            or spec.shape == "record"  # [validate]: no flag spells it, it is edited in the file
            or (spec.shape in ITEM_SHAPES and not has_items(spec))
        ):
            continue
        python_type: Any = {"int": int | None}.get(spec.shape, str | None)
        if spec.shape in LIST_SHAPES or has_items(spec):
            python_type = list[str] | None
        parameters.append(_parameter(spec.name, option_name(spec), spec, python_type, _help(spec)))
        if has_items(spec):
            fields = item_fields(spec)
            starters = {spec.name: option_name(spec)} | {f.param: f.flag for f in fields.values()}
            # repeatable, whatever the field's shape: there is one value per item
            parameters += [
                _parameter(
                    f.param,
                    f.flag,
                    f.spec,
                    list[str] | None,
                    _help(f.spec, starters[f.within], f.param, f.flag),
                )
                for f in fields.values()
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


def flag_items(spec: FieldSpec, given: dict[str, Any], order: Sequence[str]) -> Any:
    """The items of a field with items (a list of tables, or a table of tables): each
    item option starts one (parsed by its short form), each item-field flag after it, in
    command-line order, fills its field."""
    flag = option_name(spec)
    groups = item_groups(spec, given, order, {spec.name: flag})
    return gather_items(spec, flag, [(value, fields) for _, value, fields in groups])


def gather_items(spec: FieldSpec, flag: str, items: Sequence[tuple[str, dict[str, Any]]]) -> Any:
    """The value of a field with items, as TOML data, from each item's (value of the
    option that started it, its other fields): a list of tables, or a table of tables
    keyed by that value (a language tag, given once in any case: `de` is `DE`)."""
    assert spec.record is not None
    parse = ITEM_FORMATS[spec.record].parse
    if spec.shape == "records":
        return [{**parse(value, flag), **fields} for value, fields in items]
    table: dict[str, dict[str, Any]] = {}
    for value, fields in items:
        key = parse(value, flag)
        if key.casefold() in (known.casefold() for known in table):
            raise UsageError(f"{flag} {key!r} is given twice")
        table[key] = fields
    return table


# The flags after an item option, before conversion: field name to the values given, in
# order; a field with items of its own to (value, its fields) pairs; a change to those
# items (edit only: --add-talk-link) under "OP NAME", OP one of NESTED_CHANGES.
_RawItem = dict[str, list[Any]]
NESTED_CHANGES = ("add", "edit", "remove")


@dataclass
class ItemChanges:
    """What ``edit`` does to the items held in a field of an item it changes (a talk's
    links or translations), as ``--edit-talk 2 --add-talk-link ... --remove-talk-link 1``
    say, applied to what the file holds: the field's new value first (``--talk-link``
    replaces them), then the changed items, the removed ones, the added ones."""

    replaced: Any = None
    # (N or key, its fields); N or key; (the starting option's value, its fields)
    edited: list[tuple[Any, dict[str, Any]]] = dataclasses.field(default_factory=list)
    removed: list[Any] = dataclasses.field(default_factory=list)
    added: list[tuple[str, dict[str, Any]]] = dataclasses.field(default_factory=list)


def nested_change_params(spec: FieldSpec) -> dict[str, tuple[str, ItemField]]:
    """The parameters of ``edit`` that change the items inside an item of ``spec``
    (``add_talks__links`` for --add-talk-link), to (what they do, the field they change)."""
    return {
        f"{change}_{inner.param}": (change, inner)
        for inner in item_fields(spec).values()
        if has_items(inner.spec)
        for change in NESTED_CHANGES
    }


def nested_change_flag(change: str, inner: ItemField) -> str:
    return f"--{change}-{inner.flag[2:]}"  # --add-talk-link


def item_groups(
    spec: FieldSpec, given: dict[str, Any], order: Sequence[str], starters: dict[str, str]
) -> list[tuple[str, Any, dict[str, Any]]]:
    """(starting parameter, its value, the item fields of the flags after it, as TOML
    data) for each occurrence of a starting option (``starters``: parameter name to
    flag, e.g. ``talks`` -> ``--talk``, ``add_talks`` -> ``--add-talk``), in
    command-line order. An item field with items of its own (``--talk-link``) starts one
    in the last item, and its fields' flags (``--talk-link-title``) fill that."""
    fields = item_fields(spec)
    changes = nested_change_params(spec)
    unread: dict[str, Iterator[Any]] = {
        name: iter(given.get(name) or ()) for name in (*starters, *fields, *changes)
    }
    groups: list[tuple[str, Any, _RawItem]] = []
    open_items: dict[str, tuple[str, _RawItem]] = {}  # by parameter: (its flag, last item)

    def item_of(field: ItemField, flag: str) -> tuple[str, _RawItem]:
        """The open item a flag of ``field`` fills, with the flag that started it."""
        if field.within not in open_items:
            openers = starters.values() if field.within == spec.name else openers_of(
                fields[field.within])  # fmt: skip
            raise UsageError(f"{flag} must follow the {' or '.join(openers)} it belongs to")
        return open_items[field.within]

    def start(field: ItemField, flag: str, values: list[Any]) -> None:
        """An item inside the open one (a talk's link): its fields' flags fill it."""
        nonlocal open_items
        values.append((next(unread[name]), {}))
        open_items = {p: o for p, o in open_items.items() if not p.startswith(f"{field.param}__")}
        open_items[field.param] = (flag, values[-1][1])

    def openers_of(field: ItemField) -> list[str]:
        """The flags that open an item of ``field``: --talk-link, and where the command has
        them (edit) --add-talk-link and --edit-talk-link."""
        return [field.flag] + [
            nested_change_flag(change, inner)
            for param, (change, inner) in changes.items()
            if inner.param == field.param and change != "remove" and param in given
        ]

    for name in order:
        if name in starters:
            groups.append((name, next(unread[name]), {}))
            open_items = {spec.name: (starters[name], groups[-1][2])}
        elif name in fields:
            field = fields[name]
            owner, item = item_of(field, field.flag)
            values = item.setdefault(field.spec.name, [])
            if has_items(field.spec):
                start(field, field.flag, values)
            elif values and field.spec.shape not in LIST_SHAPES:
                raise UsageError(f"{field.flag} is given twice for one {owner}")
            else:
                values.append(next(unread[name]))
        elif name in changes:  # --add-talk-link, --edit-talk-link, --remove-talk-link
            change, field = changes[name]
            flag = nested_change_flag(change, field)
            values = item_of(field, flag)[1].setdefault(f"{change} {field.spec.name}", [])
            if change == "remove":
                values.append(next(unread[name]))
            else:
                start(field, flag, values)
    return [(starter, value, _item_data(spec.name, raw, fields)) for starter, value, raw in groups]


def _item_data(param: str, raw: _RawItem, fields: dict[str, ItemField]) -> dict[str, Any]:
    """An item's fields as TOML data (``param``: the option that starts the item)."""
    item: dict[str, Any] = {}
    changed: dict[str, ItemChanges] = {}
    for key, values in raw.items():
        change, _, name = key.rpartition(" ")
        field = fields[f"{param}__{name}"]
        if change:
            changes = changed.setdefault(name, ItemChanges())
            if change == "remove":
                changes.removed += values
                continue
            inner = [(value, _item_data(field.param, nested, fields)) for value, nested in values]
            (changes.edited if change == "edit" else changes.added).extend(inner)
        elif has_items(field.spec):
            inner = [(value, _item_data(field.param, nested, fields)) for value, nested in values]
            item[name] = gather_items(field.spec, field.flag, inner)
        else:
            given = values if field.spec.shape in LIST_SHAPES else values[0]
            item[name] = convert_value(field.spec, given, field.flag)
    for name, changes in changed.items():
        changes.replaced = item.pop(name, None)
        item[name] = changes
    return item


def flag_at(cls: type[Any], keypath: Sequence[str | int]) -> str | None:
    """The option that sets the value at ``keypath`` in a record of ``cls``: an item
    field's own flag (--source-date, --talk-link-url), else the field's (--source,
    --tag), else None."""
    spec = next((s for s in records.FIELDS[cls] if keypath and s.name == keypath[0]), None)
    if spec is None:
        return None
    flag, param = option_name(spec), spec.name
    # an item's key path goes on with its index (or key) and the name of one of its fields
    for name in keypath[2::2] if has_items(spec) else ():
        field = item_fields(spec).get(f"{param}__{name}")
        if field is None:
            break
        flag, param = field.flag, field.param
        if not has_items(field.spec):
            break
    return flag


def prompt_for(spec: FieldSpec, default: str | None = None) -> str:
    """Prompt on stderr until the answer converts (a date, a time, a timezone, one of an
    enum's values), saying what is wrong with a bad one and asking again; an empty answer
    keeps ``default``, or leaves an optional field out ("")."""
    from rich.prompt import Prompt

    from forumctl.render import console
    from forumctl.suggest import did_you_mean

    err = console(stderr=True)
    label = spec.name.replace("_", " ").capitalize()
    if spec.shape in ("date", "time"):
        label += " (YYYY-MM-DD)" if spec.shape == "date" else " (HH:MM)"
    elif spec.enum:  # the values, or a few of them (a bad answer lists them all)
        label += f" ({', '.join(spec.enum if len(spec.enum) <= 5 else (*spec.enum[:3], '...'))})"
    while True:
        answer = Prompt.ask(label, console=err, default=default)
        if answer is None or not answer.strip():
            if not spec.required:
                return ""
            continue
        answer = answer.strip()
        if spec.enum and answer not in spec.enum:
            hint = did_you_mean(answer, spec.enum)
            output.note(
                f"{answer!r} is not one of {', '.join(spec.enum)}" + (f" ({hint})" if hint else "")
            )
            continue
        try:
            convert_value(spec, answer, flag=spec.name)
        except UsageError as error:
            output.note(str(error))
            continue
        return answer


def build_record(
    cls: type[Any],
    given: dict[str, Any],
    *,
    no_input: bool,
    ask: tuple[str, ...] = (),
    defaults: Mapping[str, str | Callable[[Mapping[str, Any]], Any]] | None = None,
    argument: str | None = None,
    order: Sequence[str] = (),
    inherit: Callable[[str, Mapping[str, Any]], Any] | None = None,
    answers: dict[str, str] | None = None,
    asking: bool = False,
) -> Any:
    """The record from flag values, prompting for missing required fields and for the
    optional fields in ``ask`` (unless ``no_input``, where a missing required field is
    an error naming its flag). ``order`` is the parameters' order on the command line
    (:func:`option_order`), which places item-field flags. A prompt offers the field's
    ``defaults`` entry, a text or a function of the values so far (the end of a forum is
    its start). ``inherit(name, values so far)`` gives a value (TOML data) for a field the
    user left out: taken as it is, or for a required field at a prompt, offered as the
    default. The answers given at prompts are kept in ``answers``, by field ("" for a
    field left out), and a field answered there is not asked again. Everything else is
    checked by :func:`records.load`.

    The optional fields in ``ask`` are asked only when the command prompts anyway (a
    required field is missing, or ``asking``: the caller asked already), so that a
    command line with every required flag runs without a question."""
    specs = {spec.name: spec for spec in records.FIELDS[cls]}
    asking = asking or any(
        given.get(name) in (None, []) for name, spec in specs.items() if spec.required
    )
    values: dict[str, Any] = {}
    for name, raw in given.items():
        spec = specs.get(name)
        if spec is None:  # an item-field flag, read with its items
            continue
        items = flag_items(spec, given, order) if has_items(spec) else None
        offered = (defaults or {}).get(name)
        default = offered(values) if callable(offered) else offered
        default = None if default is None else str(default)
        if (not items) if has_items(spec) else (raw is None or raw == []):
            kept = inherit(name, values) if inherit is not None else None
            if kept is not None and (no_input or not spec.required):
                values[name] = kept
                continue
            default = default if kept is None else str(kept)
        if has_items(spec):
            if items:
                values[name] = items
            continue
        if raw is None:
            if not spec.required and (no_input or not asking or name not in ask):
                continue
            if no_input:
                what = f"the {name.upper()} argument" if name == argument else option_name(spec)
                raise UsageError(f"{what} is required (or leave out --no-input)")
            if answers is not None and name in answers:  # answered before ("": left out)
                raw = answers[name]
            else:
                raw = prompt_for(spec, default)
                if answers is not None:
                    answers[name] = raw
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
