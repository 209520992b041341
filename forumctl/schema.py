"""JSON Schema (draft 2020-12) of each record, generated from records.FIELDS.

The schemas let editors (taplo / Even Better TOML, tombi) complete and check fields as
they are typed; validate stays the authority (cross-record rules, ORCID check digits,
timezones). TOML dates are strings of format ``date``; TOML local times are strings of
format ``partial-time`` (JSON Schema's ``time`` requires a UTC offset, which a TOML local
time never has; tombi reads ``partial-time`` as a TOML local time).

This module also writes docs/format.md from the same definitions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forumctl.records import (
    FIELDS,
    FORMAT_VERSION,
    FORMATS,
    RECORD_TYPES,
    FieldSpec,
    Manifest,
    fields_in,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS: tuple[str, ...] = tuple(RECORD_TYPES)
# Shared with validate, which also checks the ORCID check digit (group 1 is the bare iD).
ORCID_PATTERN = r"^(?:https://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$"
HTTP_PATTERN = r"^https?://[^\s/]+\S*$"
# Patterns as well as formats: editors may not check formats, and a time with an offset
# or a date-time must not pass for a TOML local time or date. check-jsonschema hands a
# TOML local time to the schema as 09:30:00Z (no TOML local time can carry a Z, so the
# Z says nothing about the file), so the time pattern takes a final Z.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIME_PATTERN = r"^\d{2}:\d{2}:\d{2}(\.\d+)?Z?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# BCP 47 in shape (language, script, region, variants, extensions, private use); validate
# checks the subtags against the IANA registry
LANGUAGE_PATTERN = (
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-[Xx](?:-[A-Za-z\d]{1,8})+)?$"
)
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


# fmt of a string field to its JSON Schema keywords
_STRING_FORMATS: dict[str, dict[str, str]] = {
    "url": {"format": "uri", "pattern": HTTP_PATTERN},
    "uuid": {"format": "uuid", "pattern": UUID_PATTERN},
    "slug": {"pattern": SLUG_PATTERN},
    "language": {"pattern": LANGUAGE_PATTERN},
    "doi": {"pattern": DOI_PATTERN},
    "color": {"pattern": COLOR_PATTERN},
}


def schema_file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def _value_schema(spec: FieldSpec, version: int) -> dict[str, Any]:
    shape = spec.shape
    if shape == "str":
        schema: dict[str, Any] = {"type": "string"}
        if spec.enum is not None:
            schema["enum"] = list(spec.enum_in(version) or ())
        schema.update(_STRING_FORMATS.get(spec.fmt or "", {}))
        return schema
    if shape == "int":
        return {"type": "integer"}
    if shape == "date":
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    if shape == "time":
        return {"type": "string", "format": "partial-time", "pattern": TIME_PATTERN}
    if shape == "str_list":
        schema = {"type": "array", "items": {"type": "string"}}
        if spec.min_items:
            schema["minItems"] = spec.min_items
        return schema
    if shape == "str_map":
        if spec.fmt == "links":
            return {
                "type": "object",
                "properties": {"orcid": {"type": "string", "pattern": ORCID_PATTERN}},
                "additionalProperties": {
                    "type": "string",
                    "format": "uri",
                    "pattern": HTTP_PATTERN,
                },
            }
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if shape == "str_list_map":
        strings = {"type": "array", "items": {"type": "string"}}
        return {"type": "object", "additionalProperties": strings}
    assert spec.record is not None
    record = {"$ref": f"#/$defs/{spec.record.KIND}"}
    if shape == "record":
        return record
    if shape == "record_map":
        return {"type": "object", "propertyNames": _STRING_FORMATS["language"],
                "additionalProperties": record}  # fmt: skip
    if shape == "text_or_records":
        if spec.tables_since > version:
            return {"type": "array", "items": {"type": "string"}}
        return {"type": "array", "items": {"oneOf": [{"type": "string"}, record]}}
    return {"type": "array", "items": record}


def _object_schema(cls: type[Any], version: int) -> dict[str, Any]:
    specs = fields_in(cls, version)
    properties = {}
    for spec in specs:
        properties[spec.key] = {"description": spec.doc, **_value_schema(spec, version)}
    if cls is Manifest:
        properties["format"].update(minimum=FORMATS[0], maximum=version)
    schema: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip(),
        "properties": properties,
        "additionalProperties": False,
    }
    required = [spec.key for spec in specs if spec.required]
    if required:
        schema["required"] = required
    return schema


def _nested_types(cls: type[Any], version: int = FORMAT_VERSION) -> list[type[Any]]:
    found: list[type[Any]] = []
    for spec in fields_in(cls, version):
        if spec.record is not None:
            found += [spec.record, *_nested_types(spec.record, version)]
    return list(dict.fromkeys(found))


def json_schema(kind: str, version: int = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema of a record kind (manifest, forum, session or speaker) in archive
    format ``version``: only the keys that format has."""
    if version not in FORMATS:
        from forumctl.errors import UsageError

        raise UsageError(
            f"no archive format {version}",
            hint=f"formats are {', '.join(str(known) for known in FORMATS)}",
        )
    cls = RECORD_TYPES[kind]
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"forumctl {kind} (archive format {version})",
        **_object_schema(cls, version),
    }
    nested = _nested_types(cls, version)
    if nested:
        schema["$defs"] = {item.KIND: _object_schema(item, version) for item in nested}
    return schema


def schema_text(kind: str, version: int = FORMAT_VERSION) -> str:
    from forumctl.jsondoc import dumps

    return dumps(json_schema(kind, version))


def write_schemas(
    directory: Path, *, force: bool = False, version: int = FORMAT_VERSION
) -> list[Path]:
    """Write the four schemas of format ``version`` into ``directory``; returns the files
    written.

    A file that already holds the current schema is left alone; one that differs is
    replaced only with ``force``.
    """
    from forumctl.toml_io import atomic_write

    written = []
    for kind in KINDS:
        path = directory / schema_file_name(kind)
        text = schema_text(kind, version)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        atomic_write(path, text, force=force)
        written.append(path)
    return written


# ---------------------------------------------------------------------------
# docs/format.md

_SHAPE_NAMES = {
    "str": "string",
    "int": "integer",
    "date": "date",
    "time": "local time",
    "str_list": "list of strings",
    "str_map": "table of strings",
    "str_list_map": "table of lists of strings",
    "record": "table",
    "records": "array of tables",
    "record_map": "table of tables",
    "text_or_records": "list of strings and tables",
}
_PLACES = {
    "manifest": "`forumctl.toml`",
    "forum": "`forums/<forum-id>/forum.toml`",
    "session": "`forums/<forum-id>/sessions/<session-id>.toml`",
    "speaker": "`speakers/<speaker-id>.toml`",
}


def _field_rows(cls: type[Any]) -> list[str]:
    rows = ["| Key | Format | Type | Required | Meaning |", "| --- | --- | --- | --- | --- |"]
    for spec in FIELDS[cls]:
        kind = _SHAPE_NAMES[spec.shape]
        if spec.enum is not None:
            kind = "one of " + ", ".join(
                f"`{value}`"
                + (f" ({spec.value_since(value)})" if spec.value_since(value) > 1 else "")
                for value in spec.enum
            )
        if spec.record is not None:
            kind = {
                "record": f"{spec.record.KIND} table",
                "records": f"array of {spec.record.KIND} tables",
                "record_map": f"table of {spec.record.KIND} tables, by language tag",
                "text_or_records": f"list of strings or {spec.record.KIND} tables"
                + (f" ({spec.tables_since})" if spec.tables_since > 1 else ""),
            }[spec.shape]
        if spec.ref == "speaker":
            kind += " (speaker IDs)"
        required = "yes" if spec.required else ""
        doc = spec.doc.replace("|", "\\|")
        rows.append(f"| `{spec.key}` | {spec.since} | {kind} | {required} | {doc} |")
    return rows


def format_markdown() -> str:
    """The text of docs/format.md."""
    lines = [
        "# Archive formats " + " and ".join(str(version) for version in FORMATS),
        "",
        "<!-- Generated from forumctl/records.py by `python -m forumctl.docgen`; do not edit. -->",
        "",
        "One TOML file per record. A record's ID is its file name (a slug); there is no `id`",
        "key. Keys not listed here are findings of `forumctl validate` (FC104). Dates are TOML",
        "local dates (`2020-12-12`) and times TOML local times (`09:30:00`), unquoted.",
        "`forumctl schema KIND` prints the JSON Schema of each record",
        "(`--archive-format 1` for format 1).",
        "",
        "`format` in `forumctl.toml` says which keys an archive may hold: the column *Format*",
        "gives the first format with each key. Format 2 only adds keys (and session kinds), all",
        "optional: every format-1 archive is a valid format-2 archive once its manifest says",
        "`format = 2`, which `forumctl migrate` writes. A format-2 key in a format-1 archive is",
        "a finding (FC003) until then; forumctl writes only format-1 keys into a format-1",
        "archive.",
    ]
    for kind, cls in RECORD_TYPES.items():
        about = (cls.__doc__ or "").strip().removeprefix(_PLACES[kind] + ": ")
        lines += ["", f"## {kind.capitalize()}: {_PLACES[kind]}", "", about[:1].upper() + about[1:]]
        lines += ["", *_field_rows(cls)]
        for nested in dict.fromkeys(_nested_types(cls)):
            lines += ["", f"### {nested.KIND.capitalize()}", "", (nested.__doc__ or "").strip()]
            lines += ["", *_field_rows(nested)]
    return "\n".join(lines) + "\n"
