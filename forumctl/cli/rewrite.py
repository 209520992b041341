"""``forumctl rename``, ``merge speaker`` and ``rm``: changes of IDs and of which records
exist, every reference rewritten, as one change (``forumctl.rewrite`` plans it, the change
layer checks and applies it).

stdout lists the files, one line each (``renamed A -> B``, ``edited F (N references)``,
``removed F``); with ``--dry-run`` it is the unified diff instead and nothing is written.
What it means for the archive goes to stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import complete, output
from forumctl.cli.changing import DryRun, apply_change
from forumctl.cli.context import command_group, state

if TYPE_CHECKING:
    from forumctl.archive import Archive
    from forumctl.rewrite import Plan

rename_app: typer.Typer = command_group(
    name="rename",
    help="Give a forum, session or speaker a new ID; every reference is rewritten.",
    no_args_is_help=True,
)
merge_app: typer.Typer = command_group(
    name="merge", help="Make one person recorded in two files one.", no_args_is_help=True
)
rm_app: typer.Typer = command_group(
    name="rm",
    help="Remove a forum, session or speaker that nothing refers to.",
    no_args_is_help=True,
)

Force = Annotated[
    bool,
    typer.Option("--force", help="Write the change even if validate would report errors after it."),
]


def _apply(archive: Archive, plan: Plan, *, dry_run: bool, force: bool = False) -> bool:
    """Apply a plan as one change, print its files (or its diff); whether it was written."""
    from forumctl.change import Change
    from forumctl.rewrite import queue

    change = Change(archive)
    queue(plan, change)
    applied = apply_change(change, dry_run=dry_run, force=force)
    if dry_run:
        return False
    for file in applied.files:
        if file.moved_from is not None:
            output.result(f"renamed {file.moved_from} -> {file.rel}")
        elif file.after is None:
            output.result(f"removed {file.rel}")
        elif file.rel in plan.rewritten:
            output.result(f"edited {file.rel} ({_count(plan.rewritten[file.rel], 'reference')})")
        else:
            output.result(f"edited {file.rel}")
    return True


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _references(plan: Plan) -> str:
    """'3 references in 2 files' that the plan rewrites (or removes)."""
    return f"{_count(plan.references, 'reference')} in {_count(len(plan.rewritten), 'file')}"


def _rename(ctx: typer.Context, kind: str, old: str, new: str, dry_run: bool, force: bool) -> None:
    from forumctl.rewrite import plan_rename

    archive = state(ctx).archive()
    plan = plan_rename(archive, kind, old, new)
    for warning in plan.warnings:
        output.warning(warning)
    written = _apply(archive, plan, dry_run=dry_run, force=force)
    verb = "renamed" if written else "would rename"
    rewritten = f" ({_references(plan)} rewritten)" if plan.rewritten or kind == "speaker" else ""
    output.note(f"{verb} {kind} '{old}' to '{new}'{rewritten}")


Old = Annotated[
    str,
    typer.Argument(metavar="OLD", help="The current ID.", autocompletion=complete.record_ids),
]
New = Annotated[str, typer.Argument(metavar="NEW", help="The new ID.")]


@rename_app.command("speaker")
def rename_speaker(
    ctx: typer.Context, old: Old, new: New, dry_run: DryRun = False, force: Force = False
) -> None:
    """A speaker's file moves; chairs, talk speakers and affiliations follow."""
    _rename(ctx, "speaker", old, new, dry_run, force)


@rename_app.command("session")
def rename_session(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(metavar="OLD", help="FORUM/SESSION.", autocompletion=complete.record_ids),
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="FORUM/SESSION; another forum moves it there.")
    ],
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """A session's file moves, to another forum too (rename session F1/S F2/S)."""
    _rename(ctx, "session", old, new, dry_run, force)


@rename_app.command("forum")
def rename_forum(
    ctx: typer.Context, old: Old, new: New, dry_run: DryRun = False, force: Force = False
) -> None:
    """A forum's directory moves, with its sessions."""
    _rename(ctx, "forum", old, new, dry_run, force)


@merge_app.command("speaker")
def merge_speaker(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FROM", help="The speaker that goes.", autocompletion=complete.speaker_ids
        ),
    ],
    target: Annotated[
        str,
        typer.Argument(
            metavar="INTO", help="The speaker that stays.", autocompletion=complete.speaker_ids
        ),
    ],
    take: Annotated[
        list[str] | None,
        typer.Option(
            "--take",
            metavar="FIELD",
            help="Where both have FIELD with different values, take FROM's (repeatable;"
            " links.KEY for one link).",
        ),
    ] = None,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """FROM's references name INTO, fields only FROM has are filled in, FROM's file goes;
    fields both have with different values are listed and kept from INTO unless --take."""
    from forumctl.rewrite import plan_merge

    archive = state(ctx).archive()
    plan = plan_merge(archive, source, target, take or ())
    for warning in plan.warnings:
        output.warning(warning)
    written = _apply(archive, plan, dry_run=dry_run, force=force)
    verb = "merged" if written else "would merge"
    output.note(f"{verb} speaker '{source}' into '{target}' ({_references(plan)} rewritten)")
    kept = [d for d in plan.differences if not d.taken_from_source]
    taken = [d for d in plan.differences if d.taken_from_source]
    if kept:
        output.note(f"kept from '{target}' where '{source}' differs (--take FIELD takes FROM's):")
    for difference in kept:
        output.note(
            f"  {difference.field}: {_shown(difference.kept)}; not {_shown(difference.other)}"
        )
    if taken:
        output.note(f"taken from '{source}' (--take):")
    for difference in taken:
        output.note(
            f"  {difference.field}: {_shown(difference.kept)}; not {_shown(difference.other)}"
        )


def _shown(value: object) -> str:
    """A field's value on one line: a string quoted, positions as 'organization (role)'."""
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return " / ".join(
            str(item.get("organization", "")) + (f" ({item['role']})" if item.get("role") else "")
            for item in value
        )
    return repr(value)


def _remove(ctx: typer.Context, kind: str, record_id: str, force: bool, dry_run: bool) -> None:
    from forumctl.rewrite import plan_remove

    archive = state(ctx).archive()
    plan = plan_remove(archive, kind, record_id, force=force)
    written = _apply(archive, plan, dry_run=dry_run)
    verb = "removed" if written else "would remove"
    if kind == "forum":
        sessions = sum(1 for rel in plan.deletions if "/sessions/" in rel)
        extra = f" and its {_count(sessions, 'session')}" if sessions else ""
    elif plan.rewritten:
        extra = f" and {_references(plan)} that named it"
    else:
        extra = ""
    output.note(f"{verb} {kind} '{record_id}'{extra}")


Id = Annotated[
    str,
    typer.Argument(metavar="ID", help="The record's ID.", autocompletion=complete.record_ids),
]


@rm_app.command("speaker")
def rm_speaker(
    ctx: typer.Context,
    speaker_id: Id,
    force: Annotated[
        bool, typer.Option("--force", help="Remove the speaker from every chair and talk too.")
    ] = False,
    dry_run: DryRun = False,
) -> None:
    """A speaker nothing refers to; else the references are listed and nothing goes."""
    _remove(ctx, "speaker", speaker_id, force, dry_run)


@rm_app.command("session")
def rm_session(ctx: typer.Context, session_id: Id, dry_run: DryRun = False) -> None:
    """A session (FORUM/SESSION)."""
    _remove(ctx, "session", session_id, False, dry_run)


@rm_app.command("forum")
def rm_forum(
    ctx: typer.Context,
    forum_id: Id,
    force: Annotated[
        bool, typer.Option("--force", help="Remove its sessions (its whole directory) too.")
    ] = False,
    dry_run: DryRun = False,
) -> None:
    """A forum without sessions; else they are listed and nothing goes."""
    _remove(ctx, "forum", forum_id, force, dry_run)
