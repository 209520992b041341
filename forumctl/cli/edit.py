"""``forumctl edit forum|session|speaker ID [FLAGS]``: change a record in place.

With flags, the file is edited in place through the change layer: comments, blank lines,
key order and quoting stay, and only the values the flags change, change.

- the flags of ``new`` set fields (``--title``, ``--room``, ``--tag`` replaces the tags,
  ``--talk`` replaces the talks);
- ``--unset FIELD`` removes an optional field;
- ``--add-X`` / ``--remove-X`` change a list (``--add-tag``, ``--remove-chair``) or a
  table (``--add-link NAME=URL``, ``--remove-link NAME``);
- items: ``--add-talk "ids: Title"`` adds one, ``--edit-talk N`` changes item N, and the
  item flags after either (``--talk-summary ...``) fill that item; ``--remove-talk N``
  removes one. N counts from 1 in the order of the file, as ``show`` numbers them;
- translations by language: ``--add-translation LANG``, ``--edit-translation LANG`` (the
  ``--translation-title ...`` flags after either fill it), ``--remove-translation LANG``;
  a talk's links and translations (``--talk-link``, ``--talk-translation``) after
  ``--edit-talk N`` give that talk's anew, and ``--add-talk-link``, ``--edit-talk-link N``,
  ``--remove-talk-link N`` (``--add-talk-translation LANG``...) change one of them.

Without flags it opens the file in ``$VISUAL`` or ``$EDITOR`` and, on save, checks it:
on findings it shows them and asks whether to edit again or keep the file as it was.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from forumctl import records
from forumctl.cli import complete, output
from forumctl.cli.changing import DryRun, apply_change
from forumctl.cli.context import command_group, state
from forumctl.cli.fields import (
    NESTED_CHANGES,
    ItemChanges,
    ItemField,
    NoInput,
    OrderedCommand,
    completion,
    convert_value,
    field_parameters,
    gather_items,
    has_items,
    item_groups,
    metavar,
    nested_change_flag,
    nested_change_params,
    option_name,
    option_order,
    typer_command,
)
from forumctl.errors import ExitCode, UsageError
from forumctl.records import FieldSpec

if TYPE_CHECKING:
    from forumctl.change import Change

app: typer.Typer = command_group(
    name="edit",
    help="Change a forum, session or speaker in place (no flags: in $EDITOR).",
    no_args_is_help=True,
)

Force = Annotated[
    bool, typer.Option("--force", help="Write even when the result has new error findings.")
]


def _stem(spec: FieldSpec) -> str:
    return option_name(spec)[2:]  # tag, chair, talk, link


def _edit_parameters(cls: type[Any]) -> list[inspect.Parameter]:
    """--add-X/--remove-X for lists and tables, --add-X/--edit-X/--remove-X for items."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = []
    for spec in records.FIELDS[cls]:
        stem = _stem(spec)
        if not spec.by_hand:  # uid, former_ids: forumctl's to write (rename, merge)
            continue
        metavars: tuple[str, str] = (metavar(spec), metavar(spec))
        if spec.shape == "str_list":
            helps = (f"Add a {stem} (repeatable).", f"Remove a {stem} (repeatable).")
        elif spec.shape == "str_map":
            helps = (f"Set {stem} NAME=VALUE (repeatable).", f"Remove {stem} NAME (repeatable).")
            metavars = (metavar(spec), "NAME")
        elif has_items(spec):
            own = {c: (f"{c}_{spec.name}", f"--{c}-{stem}") for c in NESTED_CHANGES}
            parameters += _item_change_parameters(spec, own)
            starters = " or ".join(_starters(spec).values())
            nested: dict[str, tuple[ItemField, dict[str, tuple[str, str]]]] = {}
            for param, (change, inner) in nested_change_params(spec).items():  # a talk's links
                flag = nested_change_flag(change, inner)
                nested.setdefault(inner.param, (inner, {}))[1][change] = (param, flag)
            for inner, changes in nested.values():
                parameters += _item_change_parameters(inner.spec, changes, starters)
            continue
        else:
            continue
        parameters += [
            inspect.Parameter(
                f"add_{spec.name}",
                keyword,
                default=None,
                annotation=Annotated[
                    list[str] | None,
                    typer.Option(
                        f"--add-{stem}",
                        metavar=metavars[0],
                        help=helps[0],
                        autocompletion=completion(spec),
                    ),
                ],
            ),
            inspect.Parameter(
                f"remove_{spec.name}",
                keyword,
                default=None,
                annotation=Annotated[
                    list[str] | None,
                    typer.Option(
                        f"--remove-{stem}",
                        metavar=metavars[1],
                        autocompletion=completion(spec) if spec.shape == "str_list" else None,
                        help=helps[1],
                    ),
                ],
            ),
        ]
    return parameters


def _item_change_parameters(
    spec: FieldSpec, changes: dict[str, tuple[str, str]], within: str | None = None
) -> list[inspect.Parameter]:
    """--edit-X N, --add-X and --remove-X N of a field with items (``changes``: each of
    NESTED_CHANGES to its parameter and flag); ``within``: the options of the item that
    holds them (a talk's links)."""
    # items of a list are numbered; those of a table of tables named by their key
    which, which_type = ("N", list[int] | None) if spec.shape == "records" else (
        "LANG", list[str] | None)  # fmt: skip
    counted = ", counting from 1 in file order" if which == "N" else ""
    words = changes["add"][1].removeprefix("--add-").replace("-", " ")  # talk link
    of = "" if within is None else f" of the last {within} before it"
    helps = {
        "edit": f"Change {words} {which}{of}: the {words}'s flags after it set its fields.",
        "add": f"Add a {words}{of}; the {words}'s flags after it fill it (repeatable).",
        "remove": f"Remove {words} {which}{of}{counted} (repeatable).",
    }
    types: dict[str, Any] = {"edit": which_type, "add": list[str] | None, "remove": which_type}
    return [
        inspect.Parameter(
            changes[change][0],
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                types[change],
                typer.Option(
                    changes[change][1],
                    metavar=metavar(spec) if change == "add" else which,
                    help=help,
                    autocompletion=completion(spec) if change == "add" else None,
                ),
            ],
        )
        for change, help in helps.items()
    ]


def _changed_data(
    cls: type[Any], data: dict[str, Any], given: dict[str, Any], order: list[str]
) -> dict[str, Any]:
    """``data`` with the flags applied (a UsageError for a flag that cannot apply)."""
    specs = {spec.name: spec for spec in records.FIELDS[cls]}
    for name in given.pop("unset") or ():
        field = name.removeprefix("--").replace("-", "_")
        spec = specs.get(field) or next(
            (s for s in specs.values() if option_name(s) == f"--{name.removeprefix('--')}"), None
        )
        if spec is None:
            from forumctl.suggest import did_you_mean

            raise UsageError(
                f"--unset {name!r}: no field of that name in a {cls.KIND}",
                hint=did_you_mean(field, specs) or f"'forumctl schema {cls.KIND}' lists them",
            )
        if spec.required:
            raise UsageError(f"--unset {spec.name}: a {cls.KIND} must have one; set another value")
        data.pop(spec.name, None)
    for spec in specs.values():
        raw = given.get(spec.name)
        if has_items(spec):
            _edit_items(spec, data, given, order)
        elif raw is not None and raw != []:
            data[spec.name] = convert_value(spec, raw)
        if spec.shape in ("str_list", "str_map"):
            _edit_collection(spec, data, given)
    return data


def _edit_collection(spec: FieldSpec, data: dict[str, Any], given: dict[str, Any]) -> None:
    added = given.get(f"add_{spec.name}") or []
    removed = given.get(f"remove_{spec.name}") or []
    if not added and not removed:
        return
    stem = _stem(spec)
    if spec.shape == "str_map":
        table = dict(data.get(spec.name) or {})
        for name in removed:
            if name not in table:
                raise UsageError(
                    f"--remove-{stem} {name!r}: the record has no such {stem}",
                    hint=_among(name, table),
                )
            del table[name]
        table.update(convert_value(spec, added, f"--add-{stem}"))
        value: Any = table
    else:
        entries = list(data.get(spec.name) or [])
        for entry in removed:
            if entry not in entries:
                raise UsageError(
                    f"--remove-{stem} {entry!r}: not among the record's {spec.name}",
                    hint=_among(entry, entries),
                )
            entries.remove(entry)
        entries += [entry for entry in added if entry not in entries]
        value = entries
    if value:
        data[spec.name] = value
    else:
        data.pop(spec.name, None)


def _among(word: str, choices: Any) -> str:
    from forumctl.suggest import did_you_mean

    return did_you_mean(word, choices) or (
        "it has: " + ", ".join(choices) if choices else "it has none"
    )


def _edit_items(
    spec: FieldSpec, data: dict[str, Any], given: dict[str, Any], order: list[str]
) -> None:
    """Items set (``--talk``), changed (``--edit-talk N``), removed and added, N always
    counting from 1 in the items as the file holds them; the items of a table of tables
    go by their key (``--edit-translation LANG``; ``--add-translation`` of one the
    record has is refused). The items inside an item changed or added take the same
    three (``--edit-talk 2 --add-talk-link ... --remove-talk-link 1``)."""
    starters = _starters(spec)
    groups = item_groups(spec, given, order, starters)
    removed = given.get(f"remove_{spec.name}") or []
    if not groups and not removed:
        return
    changes = ItemChanges(
        replaced=_gathered(spec, groups, spec.name, starters)
        if any(name == spec.name for name, _, _ in groups)
        else None,
        edited=[(which, fields) for name, which, fields in groups if name == f"edit_{spec.name}"],
        removed=removed,
        added=[(value, fields) for name, value, fields in groups if name == f"add_{spec.name}"],
    )
    items = _changed_items(spec, _stem(spec), "the record", data.get(spec.name), changes)
    if items:
        data[spec.name] = items
    else:
        data.pop(spec.name, None)


def _changed_items(spec: FieldSpec, stem: str, holder: str, held: Any, changes: ItemChanges) -> Any:
    """The items of ``spec`` that ``holder`` (the record, talk 2) holds, after ``changes``
    (``stem``: the flags' X, talk or talk-link)."""
    assert spec.record is not None
    inner_specs = {inner.name: inner for inner in records.FIELDS[spec.record]}
    listed = spec.shape == "records"
    if changes.replaced is not None:
        held = changes.replaced
    singular = spec.name.removesuffix("s")

    def locate(flag: str, which: Any) -> Any:
        """The index of item N (from 1), or the key of a table of tables, as held."""
        if listed and not 1 <= which <= len(items):
            count = f"{len(items)} {spec.name if len(items) != 1 else singular}"
            raise UsageError(f"{flag} {which}: {holder} has {count if items else f'no {spec.name}'}"
                             " (numbered from 1)")  # fmt: skip
        if not listed and which not in items:
            raise UsageError(
                f"{flag} {which!r}: {holder} has no such {singular}", hint=_among(which, items)
            )
        return which - 1 if listed else which

    def updated(target: dict[str, Any], fields: dict[str, Any], name: str) -> dict[str, Any]:
        """``target`` with ``fields`` set, the changes to its own items applied."""
        for key, value in fields.items():
            if isinstance(value, ItemChanges):
                inner = inner_specs[key]
                value = _changed_items(
                    inner, f"{stem}-{_stem(inner)}", name, target.get(key), value
                )
                if not value:
                    target.pop(key, None)
                    continue
            target[key] = value
        return target

    new = f"the new {stem}"  # copies of the items held (--talk's may change their own)
    items: Any = (
        [updated({}, item, new) for item in held or []]
        if listed
        else {key: updated({}, item, new) for key, item in (held or {}).items()}
    )
    for which, fields in changes.edited:
        index = locate(f"--edit-{stem}", which)
        updated(items[index], fields, f"{stem} {which}")
    for which in sorted(set(changes.removed), reverse=True):
        del items[locate(f"--remove-{stem}", which)]
    added = gather_items(
        spec,
        f"--add-{stem}",
        [(value, updated({}, fields, new)) for value, fields in changes.added],
    )
    if listed:
        return items + added
    for key, fields in added.items():
        if key in items:
            raise UsageError(
                f"--add-{stem} {key!r}: {holder} has that {singular} already",
                hint=f"change it with --edit-{stem} {key}",
            )
        items[key] = fields
    return items


def _starters(spec: FieldSpec) -> dict[str, str]:
    """The options that start an item of the field: --talk, --add-talk, --edit-talk."""
    stem = _stem(spec)
    return {
        spec.name: f"--{stem}",
        f"add_{spec.name}": f"--add-{stem}",
        f"edit_{spec.name}": f"--edit-{stem}",
    }


def _gathered(
    spec: FieldSpec, groups: list[tuple[str, Any, dict[str, Any]]], name: str,
    starters: dict[str, str],
) -> Any:  # fmt: skip
    """The items the option ``name`` (--talk or --add-talk) started, as the field's value."""
    started = [(value, fields) for starter, value, fields in groups if starter == name]
    return gather_items(spec, starters[name], started)


def _edit(kind: str) -> Callable[..., None]:
    cls = records.RECORD_TYPES[kind]

    def body(
        ctx: typer.Context,
        record_id: str,
        force: bool,
        no_input: bool,
        dry_run: bool,
        **given: Any,
    ) -> None:
        from forumctl.change import Change

        archive = state(ctx).archive()
        rel = archive.rel_path(kind, record_id)
        change = Change(archive)
        if change.text(rel) is None:
            raise archive.not_found(kind, record_id)
        order = option_order(ctx)
        if not set(order) - {"record_id", "force", "no_input", "dry_run"}:  # no flags: the editor
            _edit_in_editor(change, rel, force=force, no_input=no_input, dry_run=dry_run)
            return
        data = _changed_data(cls, change.data(kind, record_id), given, order)
        change.update(kind, record_id, data)
        applied = apply_change(change, dry_run=dry_run, force=force)
        if not applied.files:
            output.note(f"{rel}: nothing to change (it holds these values already)")
        elif not dry_run:
            output.result(rel)

    return body


def _edit_in_editor(
    change: Change, rel: str, *, force: bool, no_input: bool, dry_run: bool
) -> None:
    """Open the file in $VISUAL/$EDITOR until it is saved without new findings, or the
    user keeps the file as it was; never a half-valid file kept silently."""
    from forumctl.change import ChangeRefused

    if no_input or dry_run:
        raise UsageError(
            "nothing to change: give flags (without them edit opens $VISUAL or $EDITOR,"
            " which --no-input and --dry-run never do)"
        )
    original = change.text(rel)
    assert original is not None
    text = original
    while True:
        text = _run_editor(rel, text)
        if text == original:
            output.note(f"{rel}: no changes")
            return
        change.write(rel, text, replace=True)
        try:
            apply_change(change, dry_run=False, force=force)
        except ChangeRefused as refused:
            for line in refused.details:
                output.note(line)
            if not _ask_again():
                output.note(f"{rel}: kept as it was; nothing written")
                output.exit_with(ExitCode.FINDINGS)
            continue
        output.result(rel)
        return


def _run_editor(rel: str, text: str) -> str:
    """The text after the user edited it in $VISUAL or $EDITOR (a temporary copy named
    like the file, so that the editor knows it for TOML)."""
    import os
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(
            "no editor: set $VISUAL or $EDITOR", hint="or change fields with flags, see --help"
        )
    with tempfile.TemporaryDirectory(prefix="forumctl-edit-") as directory:
        path = os.path.join(directory, os.path.basename(rel))
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            status = subprocess.run([*shlex.split(editor), path], check=False).returncode
        except OSError as error:
            raise UsageError(f"cannot run the editor {editor!r}: {error.strerror}") from None
        if status != 0:
            raise UsageError(f"the editor {editor!r} exited with status {status}; nothing written")
        from forumctl.toml_io import read_text

        return read_text(path, rel)


def _ask_again() -> bool:
    """Whether the user wants to edit again (else the file stays as it was)."""
    from rich.prompt import Prompt

    from forumctl.render import console

    answer = Prompt.ask(
        "Edit again, or keep the file as it was?",
        choices=["edit", "keep"],
        default="edit",
        console=console(stderr=True),
    )
    return answer == "edit"


def _register(kind: str) -> None:
    cls = records.RECORD_TYPES[kind]
    keyword = inspect.Parameter.KEYWORD_ONLY
    metavar = "FORUM-ID/SESSION-ID" if kind == "session" else "ID"
    parameters = [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            "record_id",
            keyword,
            annotation=Annotated[
                str,
                typer.Argument(
                    metavar=metavar,
                    help=f"The {kind} to change.",
                    autocompletion=complete.record_ids,
                ),
            ],
        ),
        inspect.Parameter("force", keyword, default=False, annotation=Force),
        inspect.Parameter("no_input", keyword, default=False, annotation=NoInput),
        inspect.Parameter("dry_run", keyword, default=False, annotation=DryRun),
        inspect.Parameter(
            "unset",
            keyword,
            default=None,
            annotation=Annotated[
                list[str] | None,
                typer.Option("--unset", metavar="FIELD", help="Remove a field (repeatable)."),
            ],
        ),
        *field_parameters(cls, skip=set()),
        *_edit_parameters(cls),
    ]
    doc = (
        f"Change a {kind} in place: flags as for 'new', --unset FIELD, --add-X/--remove-X;"
        " no flags: open it in $VISUAL/$EDITOR."
    )
    app.command(kind, cls=OrderedCommand)(typer_command(parameters, _edit(kind), doc))


for _kind in ("forum", "session", "speaker"):
    _register(_kind)
