"""``forumctl schema KIND`` prints a record's JSON Schema; ``--write DIR`` writes all four."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from forumctl.cli import output
from forumctl.errors import UsageError


class Kind(StrEnum):
    forum = "forum"
    session = "session"
    speaker = "speaker"
    manifest = "manifest"


def schema(
    kind: Annotated[Kind | None, typer.Argument(help="Record kind.", show_default=False)] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="DIR",
            help="Write the schemas of all four kinds into DIR as KIND.schema.json.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace schema files that differ.")
    ] = False,
    archive_format: Annotated[
        int | None,
        typer.Option(
            "--archive-format",
            metavar="N",
            help="The archive format whose keys the schema allows (default: the newest).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The JSON Schema (draft 2020-12) of a record, for editors such as taplo."""
    from forumctl import schema as schemas
    from forumctl.records import FORMAT_VERSION

    version = FORMAT_VERSION if archive_format is None else archive_format
    schemas.json_schema("manifest", version)  # an unknown format is a usage error

    if write is not None:
        if kind is not None:
            raise UsageError("give a KIND or --write DIR, not both")
        written = schemas.write_schemas(write, force=force, version=version)
        for path in written:
            output.note(f"wrote {path}")
        if not written:
            output.note(f"schemas in {write} are up to date")
        return
    if kind is None:
        raise UsageError(
            "which schema? give forum, session, speaker or manifest", hint="or --write DIR"
        )
    output.result(schemas.schema_text(kind.value, version), end="")
