"""The one MarkdownIt instance that reads briefs: CommonMark + tables, raw HTML off,
front matter, standard footnotes, and our notes section and ``[N]`` references."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from briefgen.markdown.notes import notes_plugin
from briefgen.markdown.references import references_plugin
from briefgen.text import is_safe_url


def make_markdown() -> MarkdownIt:
    """A fresh parser: raw HTML is shown escaped, bare URLs in prose are not linked, and a
    link or image whose scheme is not http, https or mailto stays text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.validateLink = is_safe_url  # links and images: http, https, mailto or relative only
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.use(notes_plugin)
    md.use(references_plugin)
    return md


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The shared parser (MarkdownIt keeps no per-document state outside ``env``)."""
    return make_markdown()
