"""Edit a TOML file in place: the text changes only where the data changes.

:func:`update_text` takes a file's text and the data it should hold and returns the text
with the fewest edits that make it so: comments, blank lines, key order and the quoting
of values that stay are kept; a changed string keeps its quoting style when it can; a key
that is added goes where canonical order puts it among the keys already there; an item
added to an array of tables gets the blank line before its header that the canonical
layout has; the comments above a removed item go with it, those above the next stay.

tomlkit does the parsing and the writing (docs/performance.md has the comparison that
chose it). It is imported here only, by the commands that write.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Array, Comment, Item, String, StringType, Table, Whitespace

from forumctl.records import FIELDS
from forumctl.toml_io import value_text


def update_text(text: str, data: Mapping[str, Any], cls: type[Any] | None) -> str:
    """``text`` edited to hold ``data`` (plain TOML data), ``cls`` giving the key order
    of added keys (None: added keys go last)."""
    document = tomlkit.parse(text)
    _sync_table(document, document.unwrap(), data, cls)
    edited = document.as_string()
    # as many newlines at the end as the file had: removed and added tables may leave more
    ending = len(text) - len(text.rstrip("\n"))
    return edited.rstrip("\n") + "\n" * ending if edited.strip() else edited


def _field_order(cls: type[Any] | None) -> dict[str, int]:
    return {spec.name: i for i, spec in enumerate(FIELDS[cls])} if cls is not None else {}


def _spec_record(cls: type[Any] | None, key: str) -> type[Any] | None:
    if cls is None:
        return None
    spec = next((s for s in FIELDS[cls] if s.name == key), None)
    return spec.record if spec is not None else None


def _map_record(cls: type[Any] | None, key: str) -> type[Any] | None:
    """The record of each value of a table of tables (translations: Translation)."""
    if cls is None:
        return None
    spec = next((s for s in FIELDS[cls] if s.name == key), None)
    return spec.record if spec is not None and spec.shape == "record_map" else None


def _sync_table(
    table: Any,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    cls: type[Any] | None,
    in_item: bool = False,
    values_of: type[Any] | None = None,
) -> None:
    """``table`` edited from ``old`` to ``new``; ``values_of``: the record each value is,
    in a table of tables (``[translations.de]``), whose added values are tables."""
    for key in [key for key in old if key not in new]:
        block = isinstance(table[key], Table | AoT)
        body = (table if isinstance(table, Container) else table.value).body
        at = next((i for i, (k, _) in enumerate(body) if k is not None and k.key == key), -1)
        between_blanks = 0 < at < len(body) - 1 and _blank(body[at - 1]) and _blank(body[at + 1])
        del table[key]  # tomlkit leaves a placeholder: the indices of the body stay
        if block:
            _drop_trailing_blank_lines(table)
        elif between_blanks:  # one of the blank lines around it goes with it
            body[at + 1] = (None, Whitespace(""))
    order = _field_order(cls)
    # in canonical order, so that tables added by one edit follow each other so
    for key, value in sorted(new.items(), key=lambda item: order.get(item[0], len(order))):
        if key in old and old[key] == value and type(old[key]) is type(value):
            continue
        if key not in old and values_of is not None and isinstance(table, Table):
            _insert_subtable(table, key, value, values_of)
            continue
        if key not in old:
            _insert(table, key, value, order, _spec_record(cls, key), in_item)
            continue
        current = table[key]
        if isinstance(current, AoT) and isinstance(value, list):
            _sync_aot(current, old[key], value, _spec_record(cls, key))
        elif isinstance(current, Mapping) and isinstance(value, Mapping):
            _sync_table(current, old[key], value, values_of, values_of=_map_record(cls, key))
        elif isinstance(current, Array) and isinstance(value, list) and _all_plain(value):
            _sync_array(current, old[key], value)
        else:
            table[key] = value_like(current, value)


def _blank(entry: tuple[Any, Any]) -> bool:
    return entry[0] is None and isinstance(entry[1], Whitespace)


def _drop_trailing_blank_lines(table: Any) -> None:
    body = (table if isinstance(table, Container) else table.value).body
    while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace):
        body.pop()


def _all_plain(values: Sequence[Any]) -> bool:
    return not any(isinstance(value, Mapping | list) for value in values)


def _frozen(value: Any) -> Any:
    """A hashable stand-in for TOML data, equal where the data is (types included)."""
    if isinstance(value, Mapping):
        return ("table", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_frozen(item) for item in value))
    return (type(value).__name__, value)


def _opcodes(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[str, int, int, int, int]]:
    """The edits from ``old`` to ``new``, last first (so that indices stay valid)."""
    matcher = difflib.SequenceMatcher(
        a=[_frozen(v) for v in old], b=[_frozen(v) for v in new], autojunk=False
    )
    return list(reversed(matcher.get_opcodes()))


def _sync_array(array: Array, old: list[Any], new: list[Any]) -> None:
    """Entries removed and inserted where they differ; the others (and their comments)
    stay where they are."""
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
        if tag == "equal":
            continue
        for i in range(i2 - 1, i1 - 1, -1):
            del array[i]
        for offset, value in enumerate(new[j1:j2]):
            array.insert(i1 + offset, _value(value))


def _sync_aot(aot: AoT, old: list[Any], new: list[Any], cls: type[Any] | None) -> None:
    """Items matched by likeness: one changed in place keeps its layout and comments,
    removed and added ones leave the others untouched."""
    for tag, i1, i2, j1, j2 in _opcodes(old, new):
        if tag == "equal":
            continue
        position = i1  # where the next item of the block is in the array now
        for i, j in _pairs(old[i1:i2], new[j1:j2]):
            if i is not None and j is not None:
                item = aot.body[position]
                _sync_table(item, old[i1 + i], new[j1 + j], cls, in_item=True)
                if position < len(aot.body) - 1 and not item.as_string().endswith("\n\n"):
                    item.add(tomlkit.nl())  # a table added at its end: a blank line before the next
                position += 1
            elif i is not None:
                _remove_item(aot, position)
            else:
                assert j is not None
                _insert_item(aot, position, new[j1 + j], cls)
                position += 1


def _likeness(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    keys = a.keys() | b.keys()
    same = sum(1 for key in keys if key in a and key in b and a[key] == b[key])
    return same / len(keys) if keys else 1.0


def _pairs(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[int | None, int | None]]:
    """An alignment of two runs of items (edit distance, where pairing two items costs
    what they differ in, and only items at least half alike pair)."""
    n, m = len(old), len(new)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 or j == 0:
                cost[i][j] = float(i + j)
                continue
            options = [cost[i - 1][j] + 1, cost[i][j - 1] + 1]
            likeness = _likeness(old[i - 1], new[j - 1])
            if likeness >= 0.5:
                options.append(cost[i - 1][j - 1] + 1 - likeness)
            cost[i][j] = min(options)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        if (
            i
            and j
            and _likeness(old[i - 1], new[j - 1]) >= 0.5
            and cost[i][j] == (cost[i - 1][j - 1] + 1 - _likeness(old[i - 1], new[j - 1]))
        ):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


def _tail(table: Table) -> list[tuple[Any, Any]]:
    """The comments and blank lines at the end of a table's body: in the text they stand
    above the next header, so they belong to what follows."""
    body = table.value.body
    start = len(body)
    while start > 0 and body[start - 1][0] is None:
        if not isinstance(body[start - 1][1], Whitespace | Comment):
            break
        start -= 1
    return body[start:]


def _set_tail(table: Table, tail: list[tuple[Any, Any]]) -> None:
    body = table.value.body
    del body[len(body) - len(_tail(table)) :]
    body.extend(tail)


def _remove_item(aot: AoT, index: int) -> None:
    # The item's own comments sit in the tail of the item before it; the tail of the
    # removed item (what stands above the next one) takes their place.
    tables = aot.body
    if index > 0:
        _set_tail(tables[index - 1], _tail(tables[index]))
    del aot[index]


def _insert_item(aot: AoT, index: int, data: Mapping[str, Any], cls: type[Any] | None) -> None:
    table = _new_table(data, cls)
    tables = aot.body
    if index < len(tables):
        table.add(tomlkit.nl())  # a blank line before the next header
    if index > 0 and not _tail(tables[index - 1]):
        tables[index - 1].add(tomlkit.nl())
    aot.insert(index, table)


def _insert_subtable(table: Table, key: str, data: Mapping[str, Any], cls: type[Any]) -> None:
    """A new ``[translations.<key>]`` after the others, with the blank line before the
    next header that the canonical layout has."""
    tables = [value for value in table.value.values() if isinstance(value, Table)]
    if tables and not _tail(tables[-1]):
        tables[-1].add(tomlkit.nl())
    block = _new_table(data, cls)
    block.add(tomlkit.nl())  # the end of the file keeps as many newlines as it had
    table[key] = block
    # tomlkit puts a newline before a table after anything but a blank line, such as the
    # placeholder a removed one leaves: the blank lines above are set here already
    table[key].trivia.indent = ""


def _new_table(data: Mapping[str, Any], cls: type[Any] | None) -> Table:
    table = tomlkit.table()
    for key, value in data.items():
        _insert(table, key, value, {}, _spec_record(cls, key), in_item=True)
    return table


def _insert(
    table: Any,
    key: str,
    value: Any,
    order: Mapping[str, int],
    record: type[Any] | None,
    in_item: bool = False,
) -> None:
    """A new key: a plain value after the last key that comes before it in canonical
    order (else first), a table or an array of tables at the end."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        aot = tomlkit.aot()
        for item in value:
            aot.append(_new_table(item, record))
        table[key] = aot
        return
    if isinstance(value, Mapping) and not isinstance(table, Table | tomlkit.TOMLDocument):
        table[key] = _value(value)  # inside an inline table
        return
    if isinstance(value, Mapping) and record is not None:  # a table of tables
        block = tomlkit.table(is_super_table=True)
        for name, item in value.items():
            _insert_subtable(block, name, item, record)
        table[key] = block
        return
    if isinstance(value, Mapping) and not in_item:
        block = tomlkit.table()
        for name, item in value.items():
            block[name] = _value(item)
        table[key] = block
        return
    item = _value(value)
    position = order.get(key)
    container: Container = table if isinstance(table, Container) else table.value
    plain = [
        (i, k.key)
        for i, (k, v) in enumerate(container.body)
        if k is not None and not isinstance(v, Table | AoT)
    ]
    before = [name for _, name in plain if order.get(name, len(order)) < (position or 0)]
    tail = _tail(table) if isinstance(table, Table) else []
    if (position is None or not plain) and tail:  # before what stands above the next header
        container._insert_at(len(container.body) - len(tail), key, item)
    elif position is None or not plain:
        table[key] = item
    elif before:
        container._insert_after(before[-1], key, item)
    else:
        container._insert_at(plain[0][0], key, item)


def _value(value: Any) -> Item:
    """A new value, written as the canonical writer writes it."""
    item: Item = tomlkit.parse(f"v = {value_text(value)}\n")["v"]
    return item


def value_like(current: Any, value: Any) -> Item:
    """A changed value, written in the quoting style of the one it replaces when it can."""
    if isinstance(current, String) and isinstance(value, str):
        literal = current.type in (StringType.SLL, StringType.MLL)
        multiline = current.type in (StringType.MLB, StringType.MLL) or "\n" in value
        if literal:
            try:
                return tomlkit.string(value, literal=True, multiline=multiline)
            except tomlkit.exceptions.InvalidStringError:
                pass  # a quote or control character: a basic string then
        return tomlkit.string(value, multiline=multiline)
    return _value(value)
