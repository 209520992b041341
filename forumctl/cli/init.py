"""``forumctl init [PATH]``: a new archive with its manifest and empty speakers/, forums/;
with ``--ci github`` also a GitHub workflow and a pre-commit configuration."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from forumctl import records
from forumctl.cli import output
from forumctl.cli.changing import DryRun
from forumctl.cli.fields import NoInput, build_record, field_parameters, typer_command


class CiKind(StrEnum):
    github = "github"


def _init(path: Path, no_input: bool, dry_run: bool, ci: CiKind | None, **fields: Any) -> None:
    from forumctl.archive import MANIFEST
    from forumctl.change import create_archive, refuse_inside_an_archive
    from forumctl.ci import ci_files

    refuse_inside_an_archive(path)  # before anything is asked
    extra = ci_files(ci.value) if ci is not None else {}
    for rel in [rel for rel in extra if (path / rel).exists()]:
        output.warning(
            f"{path / rel} exists: left as it is (forumctl's own: `forumctl init --ci"
            " github --dry-run` of an empty directory)"
        )
        del extra[rel]
    manifest = build_record(
        records.Manifest,
        {"format": records.FORMAT_VERSION, **fields},
        no_input=no_input,
        ask=("timezone", "language"),
        defaults={"name": path.resolve().name},
    )
    applied = create_archive(path, manifest, dry_run=dry_run, extra_files=extra)
    if dry_run:
        output.result(applied.diff(), end="")
    else:
        output.result(str(path / MANIFEST))
        if not no_input:  # what to do next, as new does
            where = "" if path.resolve() == Path.cwd() else f"-C {path} "
            output.note(
                f'add a forum with: forumctl {where}new forum "TITLE" --start YYYY-MM-DD'
                " --end YYYY-MM-DD"
            )


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
    inspect.Parameter("dry_run", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=DryRun),
    inspect.Parameter(
        "ci",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[
            CiKind | None,
            typer.Option(
                "--ci",
                metavar="KIND",
                help="Also write CI files; github: .github/workflows/forumctl.yml and"
                " .pre-commit-config.yaml (validate, fmt --check), at this release.",
                show_default=False,
            ),
        ],
    ),
    *field_parameters(records.Manifest, skip={"format"}),
]

init: Callable[..., None] = typer_command(
    _PARAMETERS,
    _init,
    "Make a new archive: forumctl.toml (the newest format, 2) and empty speakers/ and forums/.",
)
