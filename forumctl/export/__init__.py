"""Exports: the archive resolved once (:mod:`forumctl.export.model`), then written as
Markdown proceedings, a MkDocs site, JSON, CSV, iCalendar or a frab schedule.

Every exporter returns text (or a mapping of relative paths to text); writing files is
:mod:`forumctl.export.output`'s job, so that each format is a pure function of the
archive and the same archive always gives byte-identical output.
"""
