"""Markdown proceedings: ``index.md``, one ``<forum-id>.md`` per forum, ``years/<year>.md``,
``series.md`` with ``series/<slug>.md``, and ``speakers.md`` with one
``people/<speaker-id>.md`` per speaker (:mod:`forumctl.export.pages`).

Rendered with Jinja2 from the built-in templates (``templates/export/``), any of which a
user's template directory overrides by name. Templates get page data
(:mod:`forumctl.export.pages`) whose text is escaped already. Anything else a template
prints is escaped too: the environment's ``finalize`` escapes every printed value as
plain text (:func:`~forumctl.export.mdtext.escape_inline`) unless it is already
:class:`~forumctl.export.mdtext.Markdown`, which only the page data, the ``markdown``
filter and the ``link`` helper make. A template cannot forget to escape.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from forumctl.display import date_range
from forumctl.errors import UsageError
from forumctl.export import confine
from forumctl.export.mdtext import Markdown, escape_inline, link, markdown_block
from forumctl.export.model import ResolvedArchive
from forumctl.export.output import Stored, Tree
from forumctl.export.pages import (
    BELOW,
    SERIES_INDEX,
    SPEAKERS_INDEX,
    Selection,
    forum_page,
    pages,
    speaker_page,
    year_page,
)
from forumctl.resources import templates_dir
from forumctl.slugs import RESERVED_FORUM_IDS

if TYPE_CHECKING:
    from jinja2 import Environment, Template

INDEX = "index.md"
SPEAKERS = SPEAKERS_INDEX
TEMPLATE_SUFFIX = ".md.j2"
TOP = Markdown("")  # what a page in the top directory puts before a page's address


def site_anchor(anchor: str) -> Markdown:
    """A heading's explicit id in MkDocs (attr_list), at the end of the heading."""
    return Markdown(f" {{#{anchor}}}")


def github_anchor(anchor: str) -> Markdown:
    """A heading's explicit id on GitHub, which ignores ``{#id}`` but keeps the id of an
    ``<a>`` (as ``user-content-<id>``, which its pages scroll to for ``#<id>``)."""
    return Markdown(f' <a id="{anchor}"></a>')


class TemplateError(UsageError):
    """A template that does not parse or fails while rendering."""


# A user's template runs in Jinja's sandbox, which limits range() only: these bound what
# else it may make. No page of proceedings needs a value it builds of ten million items or
# characters, nor half a minute to render. The page itself is bounded only by
# TEMPLATE_MEMORY: its size is the archive's (speakers.md of 1,000 forums is 30 million
# characters).
MAX_VALUE_SIZE = 10_000_000
RENDER_SECONDS = 30.0
# The bound that holds whatever the template does: a user's templates render in a child
# process (forumctl/export/confine.py) that may allocate this much beyond what forumctl
# holds, and that is killed when a page takes KILL_SECONDS of processor time (a loop in C,
# which the timer of RENDER_SECONDS cannot interrupt). The 1,002 pages of the M benchmark
# archive (1,000 forums) through a copy of the built-in templates need more than 128 MiB
# and less than 256 (docs/reliability.md): 1 GiB leaves four times that.
TEMPLATE_MEMORY = 1 << 30
KILL_SECONDS = RENDER_SECONDS + 5.0


class TemplateLimit(Exception):
    """A template went past MAX_VALUE_SIZE or RENDER_SECONDS (reported as a TemplateError)."""


def _bounded(size: int) -> None:
    if size > MAX_VALUE_SIZE:
        raise TemplateLimit(
            f"the template makes a value of {size:,} items or characters"
            f" (at most {MAX_VALUE_SIZE:,})"
        )


def _length(value: object) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _checked_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse before computing: ``[1] * 10**8``, ``9 ** 10**9``, ``s + s`` grown too big."""
    if operator == "*":
        for sequence, count in ((left, right), (right, left)):
            length = _length(sequence)
            if length is not None and isinstance(count, int):
                _bounded(length * count)
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _bounded(left.bit_length() * right // 3)  # about the number's decimal digits
    elif operator == "+":
        lengths = (_length(left), _length(right))
        if None not in lengths:
            _bounded(sum(length or 0 for length in lengths))


def _bounded_join(values: Iterable[object]) -> str:
    """Jinja's ``~`` (str_join), with the size bound."""
    parts = [str(value) for value in values]
    _bounded(sum(map(len, parts)))
    return "".join(parts)


def builtin_templates() -> Path:
    return templates_dir() / "export"


def _finalize(value: object) -> object:
    """Every printed value is plain text unless marked as Markdown already."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return escape_inline(value)


def environment(user_templates: Path | None = None, *, site: bool = False) -> Environment:
    """The sandboxed Jinja2 environment: user templates first, then the built-in ones.
    ``anchor(id)`` gives a heading its id, as MkDocs (``site``) or GitHub reads it."""
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
        user_templates_dir = user_templates  # rendered in a bounded child process when set
        # intercepted operators are not folded at compile time either: `[1] * 10**8` in
        # a template is refused when it runs, not computed while it compiles
        intercepted_binops = frozenset({"*", "**", "+"})
        code_generator_class = _code_generator()
        bounded_join = staticmethod(_bounded_join)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _checked_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(self, context: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
            helper = HELPERS.get(id(obj))
            if helper is not None and helper is obj:  # forumctl's own (anchor() on every
                # heading): called as they are, without the checks (and the context
                # Jinja passes inside loops, which only context functions take)
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
                return helper(*args, **kwargs)
            # str's padding methods ('a'.ljust(10**9)) make a value as long as asked
            if getattr(obj, "__self__", None).__class__ is str:
                for argument in (*args, *kwargs.values()):
                    if isinstance(argument, int):
                        _bounded(argument)
            return super().call(context, obj, *args, **kwargs)

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
        bytecode_cache=_compiled_templates(),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,  # HTML escaping is wrong for Markdown; finalize escapes instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one export: no need to stat the template before every page
    )
    env.filters["markdown"] = markdown_block
    for name in ("center", "indent"):  # the filters that pad to a width asked for
        env.filters[name] = _width_bounded(env.filters[name])
    env.globals.update(
        link=link,
        date_range=date_range,
        forum_page=forum_page,
        speaker_page=speaker_page,
        year_page=year_page,
        speakers_page=Markdown(SPEAKERS),
        series_page=Markdown(SERIES_INDEX),
        anchor=site_anchor if site else github_anchor,
    )
    return env


# The helpers templates call: plain functions of forumctl's that take and give text.
_HELPER_FUNCTIONS = (link, date_range, forum_page, speaker_page, year_page)
HELPERS: dict[int, Callable[..., object]] = {
    id(helper): helper for helper in (*_HELPER_FUNCTIONS, site_anchor, github_anchor)
}


_COMPILED: dict[str, bytes] = {}


def _compiled_templates() -> Any:
    """Templates compiled once per process (a library user's or the tests' exports after
    the first skip 35 ms of compiling): Jinja keys each by template file and compiles it
    again when the source's checksum differs, so an edited template is never stale."""
    from jinja2 import BytecodeCache
    from jinja2.bccache import Bucket

    class CompiledTemplates(BytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            if bucket.key in _COMPILED:
                bucket.bytecode_from_string(_COMPILED[bucket.key])

        def dump_bytecode(self, bucket: Bucket) -> None:
            _COMPILED[bucket.key] = bucket.bytecode_to_string()

    return CompiledTemplates()


def _width_bounded(jinja_filter: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> Any:
        if isinstance(width, int):
            _bounded(width)
        return jinja_filter(value, width, *args, **kwargs)

    return bounded


def _code_generator() -> type[Any]:
    from jinja2.compiler import CodeGenerator

    class BoundedCodeGenerator(CodeGenerator):
        """Compiles ``~`` to :func:`_bounded_join` (the sandbox does not intercept it)."""

        def visit_Concat(self, node: Any, frame: Any) -> None:  # noqa: N802  (Jinja's name)
            self.write("environment.bounded_join((")
            for argument in node.nodes:
                self.visit(argument, frame)
                self.write(", ")
            self.write("))")

    return BoundedCodeGenerator


def _tidy(text: str) -> str:
    """At most one blank line in a row and one final newline, whatever the template did."""
    while "\n\n\n" in text:  # str.replace is many times faster than a regex on a long page
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


def _template_error(
    error: Exception, traceback: TracebackType | None, message: str | None = None
) -> TemplateError:
    """The error with the template file and line, taken from the rewritten traceback."""
    from jinja2 import TemplateSyntaxError

    path: str | None = None
    line: int | None = None
    if isinstance(error, TemplateSyntaxError):
        path, line = error.filename, error.lineno
    # Out of memory, Jinja's own rewriting of the traceback can fail too: the error then
    # raised has no template frame, and the one it was handling has them unrewritten.
    cause: BaseException | None = error
    while line is None and cause is not None:
        path, line = _innermost_template_line(traceback, path)
        cause = cause.__context__
        traceback = cause.__traceback__ if cause is not None else None
    message = message or getattr(error, "message", None) or str(error)
    return TemplateError(f"template error: {message}", path=path, line=line)


def _innermost_template_line(
    traceback: TracebackType | None, path: str | None
) -> tuple[str | None, int | None]:
    """The template file and line of the innermost template frame of ``traceback``, as
    Jinja rewrote it or, not rewritten, through the template's own line map."""
    line: int | None = None
    while traceback is not None:
        frame = traceback.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            path, line = template.filename, template.get_corresponding_lineno(traceback.tb_lineno)
        elif frame.f_code.co_filename.endswith(".j2"):
            path, line = frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next
    return path, line


@contextmanager
def _page_clock(seconds: float) -> Iterator[Callable[[], None]]:
    """Within it, each call of the ``start`` it gives starts a page's ``seconds`` of
    processor time (by the clock, a page starved of the processors on a busy machine would
    be taken for a loop), after which the rendering code gets TemplateLimit (a timer
    signal: only the main thread can take one; elsewhere the sizes alone are bounded). The
    handler is set once for all pages (setting it costs more than rendering a small page),
    the timer once a page."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return

    def expire(signum: int, frame: object) -> None:
        raise TemplateLimit(_too_long(seconds))

    def start() -> None:
        signal.setitimer(signal.ITIMER_PROF, seconds)

    previous = signal.signal(signal.SIGPROF, expire)
    try:
        yield start
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _too_long(seconds: float) -> str:
    return f"rendering took more than {seconds:g} s of processor time (a loop without end?)"


def _template(env: Environment, name: str) -> Template:
    """The template, its globals a plain dict: Jinja keeps them as a ChainMap over the
    environment's, which it copies key by key into every page's context (35 µs a page,
    more than a speaker page's own rendering takes). They never change after loading."""
    template = env.get_template(name)
    if type(template.globals) is not dict:
        template.globals = dict(template.globals)
    return template


def _render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """The page, timed by the caller's :func:`_page_clock`."""
    try:
        text = _template(env, name).render(**context)
        return _tidy(text)
    except MemoryError as error:  # past confine's bound (or the machine's, without one)
        confine.release_reserve()
        limit = confine.memory_limit()
        message = (
            f"the template needs more memory than the {limit >> 20:,} MiB it may use"
            if limit is not None
            else "the template ran out of memory"
        )
        raise _template_error(error, error.__traceback__, message) from None
    except Exception as error:  # a user template can fail in any way ({{ 1 // 0 }})
        raise _template_error(error, error.__traceback__) from None


@dataclass(frozen=True, slots=True)
class Job:
    """A page to render: its file name, template and context. ``before`` goes before its
    text (the site's front matter); ``more`` gives context made by the process that
    renders the page (the site's JSON-LD of it), not by the one that lists the pages."""

    name: str
    template: str
    context: dict[str, Any]
    before: str = ""
    more: Callable[[], dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class Pages:
    """Pages written as they are rendered (:class:`forumctl.export.output.PageWriter`),
    by ``workers`` processes at once (:mod:`forumctl.export.confine`): no page is held
    in memory once written, and none crosses a pipe. A user's templates render in
    bounded child processes, however many workers; the built-in ones, forumctl's own,
    in this process when there is one worker."""

    env: Environment
    jobs: list[Job]
    workers: int

    @property
    def names(self) -> list[str]:
        return [job.name for job in self.jobs]

    def write(self, put: Callable[[str, str], Stored]) -> list[Stored]:
        """Render every page and ``put(name, text)`` it, in the workers: what ``put``
        stored of each page, in the order of the jobs. The error of the first page (in
        that order) that fails is raised, whichever worker met it."""
        user_templates: Path | None = getattr(self.env, "user_templates_dir", None)
        bounded = user_templates is not None
        try:
            return confine.confined(
                functools.partial(self._writer, put),
                len(self.jobs),
                workers=self.workers,
                memory=TEMPLATE_MEMORY if bounded else None,
                seconds=KILL_SECONDS if bounded else None,
            )
        except confine.Stopped as stopped:
            if stopped.reason == "time":
                message = _too_long(KILL_SECONDS)
            else:  # a crash in C, or out of memory where the kernel sets no bound
                message = f"rendering stopped ({stopped.reason}: out of memory?)"
            raise TemplateError(
                f"template error: {message}",
                path=_template_path(user_templates, self.jobs[stopped.index].template),
            ) from None

    @contextmanager
    def _writer(self, put: Callable[[str, str], Stored]) -> Iterator[Callable[[int], Stored]]:
        """In one worker: the function that renders and puts page number ``index``."""
        user_templates: Path | None = getattr(self.env, "user_templates_dir", None)
        with _page_clock(RENDER_SECONDS) as start:

            def write(index: int) -> Stored:
                job = self.jobs[index]
                context = job.context if job.more is None else {**job.context, **job.more()}
                start()
                try:
                    text = _render(self.env, job.template, context)
                except TemplateError as error:
                    if error.path is None:  # (no template frame: the page's own file)
                        error.path = _template_path(user_templates, job.template)
                    raise
                return put(job.name, job.before + text)

            yield write


class Scripts(Protocol):
    """The site's JSON-LD script element of a forum's and of a speaker's page, by the
    record's ID (``jsonld`` in their pages' data)."""

    def forum(self, forum_id: str) -> Markdown: ...

    def speaker(self, speaker_id: str) -> Markdown: ...


def _with_script(job: Job, key: str, script: Callable[[], Markdown]) -> Job:
    """The job whose page data ``key`` gets its ``jsonld`` where the page is rendered: a
    copy for that page alone, so that no other page's rendering depends on which pages
    its process rendered before."""
    data = job.context[key]
    return replace(job, more=lambda: {key: {**data, "jsonld": script()}})


def _template_path(user_templates: Path | None, template: str) -> Path:
    """The file a page's template is read from: the user's, else the built-in one."""
    if user_templates is not None and (user_templates / template).exists():
        return user_templates / template
    return builtin_templates() / template


def render(
    resolved: ResolvedArchive,
    user_templates: Path | None = None,
    only: Selection | None = None,
    *,
    site: bool = False,
    scripts: Scripts | None = None,
    workers: int | None = None,
) -> Pages:
    """The Markdown pages, by path relative to the top directory (``site``: with MkDocs'
    heading ids, and the forum and speaker pages' ``scripts``), to be written by
    ``workers`` processes (default: one per processor this process may use); ``only``
    the pages it selects, from the page data of what they hold (an incremental export:
    forumctl/export/incremental.py)."""
    env = environment(user_templates, site=site)
    for forum in resolved.forums:
        if forum.id in RESERVED_FORUM_IDS:
            raise UsageError(
                f"forum ID '{forum.id}' would overwrite {forum_page(forum.id)}",
                hint="rename the forum's directory",
            )
    data = pages(resolved, only=only)
    jobs: list[Job] = []

    def page(path: str, template: str, root: Markdown, **context: Any) -> None:
        if only is not None and path not in only.pages:
            return
        context = {"archive": data.archive, "root": root, **context}
        jobs.append(Job(path, template + TEMPLATE_SUFFIX, context))

    page(INDEX, "index", TOP, years=data.years, latest=data.latest, series=data.series)
    page(SPEAKERS, "speakers", TOP, letters=data.letters)
    if data.series:
        page(SERIES_INDEX, "series", TOP, series=data.series)
    for series in data.series:
        page(series["page"], "editions", BELOW, series=series)
    for year in data.years:
        page(year["page"], "year", BELOW, year=year)
    for forum_data in data.forums:
        page(forum_data["page"], "forum", TOP, forum=forum_data)
        if scripts is not None and jobs and jobs[-1].name == forum_data["page"]:
            script = functools.partial(scripts.forum, forum_data["id"])
            jobs[-1] = _with_script(jobs[-1], "forum", script)
    for speaker in data.speakers:
        page(speaker["page"], "speaker", BELOW, speaker=speaker)
        if scripts is not None and jobs and jobs[-1].name == speaker["page"]:
            script = functools.partial(scripts.speaker, speaker["id"])
            jobs[-1] = _with_script(jobs[-1], "speaker", script)
    return Pages(env, jobs, confine.processors() if workers is None else workers)


def tree(
    resolved: ResolvedArchive,
    user_templates: Path | None = None,
    only: Selection | None = None,
    *,
    workers: int | None = None,
) -> Tree:
    """The Markdown proceedings' files (:func:`render`)."""
    return Tree(pages=render(resolved, user_templates, only, workers=workers))
