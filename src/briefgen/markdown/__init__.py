"""Markdown briefs: markdown-it-py with our notes section and ``[N]`` references."""

from briefgen.markdown.parse import parse_brief

__all__ = ["parse_brief"]
