"""Markdown proceedings: ``index.md``, ``speakers.md`` and one ``<forum-id>.md`` per forum.

Rendered with Jinja2 from the built-in templates (``templates/export/``), any of which a
user's template directory overrides by name. Templates get page data
(:mod:`forumctl.export.pages`) whose text is escaped already. Anything else a template
prints is escaped too: the environment's ``finalize`` escapes every printed value as
plain text (:func:`~forumctl.export.mdtext.escape_inline`) unless it is already
:class:`~forumctl.export.mdtext.Markdown`, which only the page data, the ``markdown``
filter and the ``link`` helper make. A template cannot forget to escape.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from forumctl.display import date_range
from forumctl.errors import UsageError
from forumctl.export.mdtext import Markdown, escape_inline, link, markdown_block
from forumctl.export.model import ResolvedArchive
from forumctl.export.pages import Page, forum_page, pages
from forumctl.resources import templates_dir
from forumctl.slugs import RESERVED_FORUM_IDS

if TYPE_CHECKING:
    from jinja2 import Environment

INDEX = "index.md"
SPEAKERS = "speakers.md"
TEMPLATE_SUFFIX = ".md.j2"


class TemplateError(UsageError):
    """A template that does not parse or fails while rendering."""


def builtin_templates() -> Path:
    return templates_dir() / "export"


def _finalize(value: object) -> object:
    """Every printed value is plain text unless marked as Markdown already."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return escape_inline(value)


def environment(user_templates: Path | None = None) -> Environment:
    """The sandboxed Jinja2 environment: user templates first, then the built-in ones."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    search = [builtin_templates()]
    if user_templates is not None:
        if not user_templates.is_dir():
            raise UsageError(
                "no such template directory", path=user_templates, hint="check --templates"
            )
        search.insert(0, user_templates)

    class Sandbox(SandboxedEnvironment):
        """Remembers which attributes are safe per type (the check depends only on the
        type and the name), for templates that read records' fields; and looks names
        up in page data's dicts directly."""

        safe: dict[tuple[type[Any], str], bool] = {}  # noqa: RUF012  (one per environment class)

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            key = (type(obj), attr)
            found = self.safe.get(key)
            if found is None:
                found = self.safe[key] = super().is_safe_attribute(obj, attr, value)
            return found

        def getattr(self, obj: Any, attribute: str) -> Any:
            # Page data are dicts: `forum.title` is the key (which the sandbox allows
            # anyway), looked up before the dict's own attributes to skip the
            # AttributeError Jinja would raise and catch on the way.
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    env = Sandbox(
        loader=FileSystemLoader(search),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,  # HTML escaping is wrong for Markdown; finalize escapes instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one export: no need to stat the template before every page
    )
    env.filters["markdown"] = markdown_block
    env.globals.update(
        link=link,
        date_range=date_range,
        forum_page=forum_page,
        speakers_page=Markdown(SPEAKERS),
    )
    return env


def _tidy(text: str) -> str:
    """At most one blank line in a row and one final newline, whatever the template did."""
    while "\n\n\n" in text:  # str.replace is many times faster than a regex on a long page
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def _template_error(error: Exception, traceback: TracebackType | None) -> TemplateError:
    """The error with the template file and line, taken from the rewritten traceback."""
    from jinja2 import TemplateSyntaxError

    path: str | None = None
    line: int | None = None
    if isinstance(error, TemplateSyntaxError):
        path, line = error.filename, error.lineno
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(".j2"):
            path, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next
    message = getattr(error, "message", None) or str(error)
    return TemplateError(f"template error: {message}", path=path, line=line)


def _render(env: Environment, name: str, **context: Any) -> str:
    try:
        return _tidy(env.get_template(name).render(**context))
    except Exception as error:  # a user template can fail in any way ({{ 1 // 0 }})
        raise _template_error(error, error.__traceback__) from None


def render(resolved: ResolvedArchive, user_templates: Path | None = None) -> dict[str, str]:
    """The Markdown pages, by file name."""
    env = environment(user_templates)
    for forum in resolved.forums:
        if forum.id in RESERVED_FORUM_IDS:
            raise UsageError(
                f"forum ID '{forum.id}' would overwrite {forum_page(forum.id)}",
                hint="rename the forum's directory",
            )
    archive, forums, speakers = pages(resolved)
    years: dict[int, list[Page]] = {}
    for forum_data in reversed(forums):
        years.setdefault(forum_data["year"], []).append(forum_data)
    files = {
        INDEX: _render(env, "index" + TEMPLATE_SUFFIX, archive=archive, years=years),
        SPEAKERS: _render(env, "speakers" + TEMPLATE_SUFFIX, archive=archive, speakers=speakers),
    }
    for forum_data in forums:
        files[forum_data["page"]] = _render(
            env, "forum" + TEMPLATE_SUFFIX, archive=archive, forum=forum_data
        )
    return files
