"""References between records: the one enumeration of them, and the edits that rename,
merge and rm make to them.

Which fields refer to which kind of record is the ``ref`` metadata of
:data:`forumctl.records.FIELDS` (talk ``speakers``, the keys of talk ``affiliations``,
session ``chairs``): nothing here names a field. A list field refers by its items (each
names a person in a role: chair, speaker), a table field by its keys (each attaches
something to a person named elsewhere: ``affiliations``). Everything that must find every
reference (validate, rename, merge, rm, the cache's index) takes both; who takes part in
a session (``list --speaker``, a programme's speaker column, the speakers ``new`` must
find or create) is the items alone (``keys=False``).

Everything works on records (the frozen dataclasses, partial ones included: a field may
be None) and on plain data (a parsed TOML document, or a tomlkit one: the edits keep its
comments and layout, changing only the values they must).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, NamedTuple

from forumctl.records import FIELDS, RECORD_TYPES, FieldSpec, KeyPath


class Reference(NamedTuple):
    """One place a record names another: its key path in the file and the ID named."""

    # ("chairs", 0), ("talks", 2, "speakers", 1), ("talks", 0, "affiliations", "ada")
    keypath: KeyPath
    id: str
    field: str  # the field holding it: "chairs", "speakers", "affiliations"
    is_key: bool  # named as a table key, not as a list item


_Place = tuple[Reference, Any, FieldSpec]  # a reference, the record or table holding it, its field

# the sequence types a field's value may be; a tuple: isinstance against ``list | tuple``
# builds the union on every call, on the hot path of every record's references
_SEQUENCES = (list, tuple)
_CAN_REFER: dict[tuple[type[Any], str], bool] = {}


def can_refer(cls: type[Any], kind: str) -> bool:
    """Whether records of ``cls`` have fields (or nested records) marked ``ref=kind``."""
    found = _CAN_REFER.get((cls, kind))
    if found is None:
        found = _CAN_REFER[cls, kind] = any(
            spec.ref == kind or (spec.record is not None and can_refer(spec.record, kind))
            for spec in FIELDS[cls]
        )
    return found


def referring_kinds(kind: str) -> list[str]:
    """The kinds of record file ("session", ...) whose fields may refer to ``kind``."""
    return [name for name, cls in RECORD_TYPES.items() if can_refer(cls, kind)]


def _value(holder: Any, spec: FieldSpec) -> Any:
    if isinstance(holder, Mapping):
        return holder.get(spec.name)
    return getattr(holder, spec.name, None)


def _ids(spec: FieldSpec, value: Any) -> Iterator[tuple[str | int, str]]:
    """(key in the field, ID) of each reference a field's value holds; values of the
    wrong type (a partial record's, or unchecked data) hold none."""
    if spec.shape == "str_list" and isinstance(value, _SEQUENCES):
        yield from ((i, item) for i, item in enumerate(value) if isinstance(item, str))
    elif spec.shape == "str_map" and isinstance(value, Mapping):
        yield from ((key, key) for key in value)


def _walk(holder: Any, cls: type[Any], kind: str, path: KeyPath) -> Iterator[_Place]:
    for spec in FIELDS[cls]:
        if spec.ref == kind:
            for key, found in _ids(spec, _value(holder, spec)):
                reference = Reference(
                    (*path, spec.name, key), found, spec.name, isinstance(key, str)
                )
                yield reference, holder, spec
        elif spec.record is not None and can_refer(spec.record, kind):
            items = _value(holder, spec)
            if isinstance(items, _SEQUENCES):
                for i, item in enumerate(items):
                    if item is not None and (
                        isinstance(item, Mapping) or dataclasses.is_dataclass(item)
                    ):
                        yield from _walk(item, spec.record, kind, (*path, spec.name, i))


def references(
    holder: Any, kind: str = "speaker", cls: type[Any] | None = None
) -> Iterator[Reference]:
    """Every reference to a record of ``kind`` in ``holder``, in the file's field order.

    ``holder`` is a record (its class says which fields refer), or plain data of the
    record class ``cls`` (a parsed or tomlkit document)."""
    record_cls = type(holder) if cls is None else cls
    if not can_refer(record_cls, kind):
        return iter(())
    return (reference for reference, _, _ in _walk(holder, record_cls, kind, ()))


def referred_ids(
    holder: Any, kind: str = "speaker", cls: type[Any] | None = None, *, keys: bool = True
) -> list[str]:
    """The IDs ``holder`` refers to, each once, in the order they first appear; without
    ``keys``, only those named as list items (the people taking part)."""
    if cls is None and dataclasses.is_dataclass(holder):
        found: dict[str, None] = {}
        _record_ids(holder, type(holder), kind, keys, found)
        return list(found)
    return list(
        dict.fromkeys(
            reference.id
            for reference in references(holder, kind, cls)
            if keys or not reference.is_key
        )
    )


# (field name, its shape when it refers, else the class of the records it holds) of each
# field of a record class that refers to a kind or holds records that may: what _walk
# visits, without a Reference per ID (an export asks for every session's: 40,000 talks
# at M)
_PLANS: dict[tuple[type[Any], str], tuple[tuple[str, str, type[Any] | None], ...]] = {}


def _record_ids(record: Any, cls: type[Any], kind: str, keys: bool, found: dict[str, None]) -> None:
    """The IDs of :func:`referred_ids` in a record of ``cls``, into ``found`` (in order,
    each once)."""
    plan = _PLANS.get((cls, kind))
    if plan is None:
        plan = _PLANS[cls, kind] = tuple(
            (spec.name, spec.shape, None if spec.ref == kind else spec.record)
            for spec in FIELDS[cls]
            if spec.ref == kind or (spec.record is not None and can_refer(spec.record, kind))
        )
    for name, shape, nested_cls in plan:
        value = getattr(record, name, None)
        if nested_cls is None:
            if shape == "str_list" and isinstance(value, _SEQUENCES):
                for item in value:
                    if isinstance(item, str):
                        found[item] = None
            elif keys and shape == "str_map" and isinstance(value, Mapping):
                for key in value:
                    found[key] = None
        elif isinstance(value, _SEQUENCES):
            for item in value:
                if type(item) is nested_cls:
                    _record_ids(item, nested_cls, kind, keys, found)
                elif item is not None and (
                    isinstance(item, Mapping) or dataclasses.is_dataclass(item)
                ):  # plain data inside a partial record: the general walk
                    for reference, _, _ in _walk(item, nested_cls, kind, ()):
                        if keys or not reference.is_key:
                            found[reference.id] = None


# -- editing references in plain or tomlkit data -------------------------------------


def _rename_key(holder: Any, field_name: str, old: str, new: str) -> None:
    """Rename a table's key where it stands, its value (and, in tomlkit, its comment)
    kept: the entries from it on are taken out and put back in order."""
    table = holder[field_name]
    if _is_inline(table):
        _write_inline(holder, field_name, {new if k == old else k: v for k, v in table.items()})
        return
    keys = list(table)
    moved = [(key, table[key]) for key in keys[keys.index(old) :]]
    for key, _ in moved:
        del table[key]
    for key, value in moved:
        table[new if key == old else key] = value


def _like(current: Any, new: str) -> Any:
    """The new ID, quoted as the one it replaces was (a tomlkit value), or as it is."""
    if not type(current).__module__.startswith("tomlkit"):
        return new
    from forumctl.inplace import value_like

    return value_like(current, new)


def _is_inline(table: Any) -> bool:
    """Whether a table is a tomlkit inline table (``{ a = "x" }``)."""
    return bool(getattr(table, "is_inline_table", lambda: False)())


def _write_inline(holder: Any, field_name: str, entries: Mapping[str, Any]) -> None:
    """Write an inline table again, as forumctl writes one: tomlkit would leave a deleted
    entry's spaces behind (``{  bo = "ZJU" }``). Values keep their quoting."""
    import tomlkit

    text = ", ".join(tomlkit.dumps({key: value}).strip() for key, value in entries.items())
    holder[field_name] = tomlkit.parse(f"x = {{ {text} }}" if text else "x = {}")["x"]


def _delete_key(holder: Any, field_name: str, key: str) -> None:
    table = holder[field_name]
    if _is_inline(table):
        _write_inline(holder, field_name, {k: v for k, v in table.items() if k != key})
    else:
        del table[key]


def _edit(
    data: MutableMapping[str, Any], cls: type[Any], kind: str, old: str, new: str | None
) -> int:
    """Replace (``new``) or remove (``new`` None) every reference to ``old``: the count.

    Later references are edited first, so that the key paths of earlier ones stay put
    while list items are removed. An optional field left empty goes."""
    if not can_refer(cls, kind):
        return 0
    found = [place for place in _walk(data, cls, kind, ()) if place[0].id == old]
    for reference, holder, spec in reversed(found):
        key = reference.keypath[-1]
        value = holder[spec.name]
        if isinstance(key, int):  # a list item
            if new is None or new in value:  # one person is named once in a list
                del value[key]
            else:
                value[key] = _like(value[key], new)
        elif new is None or new in value:  # a table key; the entry already there wins
            _delete_key(holder, spec.name, key)
        else:
            _rename_key(holder, spec.name, key, new)
        if not holder[spec.name] and not spec.required:
            del holder[spec.name]
    return len(found)


def replace_references(
    data: MutableMapping[str, Any], cls: type[Any], kind: str, old: str, new: str
) -> int:
    """Make every reference to ``old`` in ``data`` (a record of class ``cls`` as plain or
    tomlkit data) name ``new`` instead, in place; the number of references changed.

    Where ``new`` is already named beside ``old`` (a merge: both spoke in one talk), the
    reference to ``old`` goes, so that nobody is listed twice; a table entry for ``new``
    wins over the one for ``old``."""
    return _edit(data, cls, kind, old, new)


def remove_references(data: MutableMapping[str, Any], cls: type[Any], kind: str, old: str) -> int:
    """Remove every reference to ``old`` from ``data``, in place; the number removed."""
    return _edit(data, cls, kind, old, None)


# -- editing references in the text -------------------------------------------------

# The tokens of a TOML text that may spell an ID, and those in which an ID is only text:
# multi-line strings (up to two quotes beside the closing delimiter are content), one-line
# strings, comments, bare words (keys, and the parts of dates and numbers).
_TOKEN = re.compile(
    r'(?P<skip>"""(?:[^\\]|\\.)*?"""(?:"{1,2})?|\'\'\'.*?\'\'\'(?:\'{1,2})?|#[^\n]*)'
    r'|"(?P<basic>(?:[^"\\\n]|\\.)*)"|\'(?P<literal>[^\'\n]*)\'|(?P<bare>[A-Za-z0-9_-]+)',
    re.DOTALL,
)


def replace_in_text(text: str, cls: type[Any], kind: str, old: str, new: str) -> str | None:
    """``text`` (a valid TOML document of a record of ``cls``) with every reference to
    ``old`` naming ``new``, by swapping the tokens that spell ``old`` and nothing else:
    comments, layout and quoting stay byte for byte. None when that is not the edit
    :func:`replace_references` makes (``new`` already named beside ``old``, ``old``
    spelt with escapes, the same word used for something else): the caller then edits
    the document with tomlkit.

    The result is checked by parsing it: it must hold exactly the data that
    :func:`replace_references` makes of the original's."""
    from forumctl.errors import InvalidRecord
    from forumctl.toml_io import parse

    expected = parse(text, "")
    replace_references(expected, cls, kind, old, new)
    pieces: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group is None or group == "skip" or match.group(group) != old:
            continue
        start, end = match.span(group)
        pieces += [text[last:start], new]
        last = end
    if not pieces:
        return None
    edited = "".join(pieces) + text[last:]
    try:
        same = parse(edited, "") == expected
    except InvalidRecord:  # e.g. a table key renamed to one it has already (merge)
        return None
    return edited if same else None
