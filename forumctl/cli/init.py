"""``forumctl init [PATH]``: a new archive with its manifest and empty speakers/, forums/."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from forumctl import records
from forumctl.cli import output
from forumctl.cli.new import NoInput, build_record, field_parameters, typer_command


def _init(path: Path, no_input: bool, **fields: Any) -> None:
    from forumctl.archive import MANIFEST, Archive

    manifest = build_record(
        records.Manifest,
        {"format": records.FORMAT_VERSION, **fields},
        no_input=no_input,
        ask=("timezone", "language"),
        defaults={"name": path.resolve().name},
    )
    Archive.create(path, manifest)
    output.result(str(path / MANIFEST))


_PARAMETERS = [
    inspect.Parameter(
        "path",
        inspect.Parameter.KEYWORD_ONLY,
        default=Path("."),
        annotation=Annotated[Path, typer.Argument(help="Directory of the new archive.")],
    ),
    inspect.Parameter(
        "no_input", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoInput
    ),
    *field_parameters(records.Manifest, skip={"format"}),
]

init: Callable[..., None] = typer_command(
    _PARAMETERS,
    _init,
    "Make a new archive: forumctl.toml (format 1) and empty speakers/ and forums/.",
)
