"""The archive's history, read from git (DESIGN section 10): ``forumctl diff`` and
``forumctl log``, the site's Changes page and frab's version.

- :mod:`~forumctl.history.git`: git's plumbing (changed files, contents, commits, tags);
- :mod:`~forumctl.history.diff`: the semantic diff of two revisions;
- :mod:`~forumctl.history.log`: the commits that changed one record, through renames;
- :mod:`~forumctl.history.report`: changes as text, Markdown and JSON data.

Core: plain data, no typer or rich.
"""
