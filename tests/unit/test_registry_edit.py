"""Appending inferred sources to a registry file as text."""

from __future__ import annotations

import datetime as dt

import yaml

from briefgen.model import Source
from briefgen.registry_edit import append_entries, existing_ids
from briefgen.sources.registry import parse_registry

EXISTING = """# Our sources, oldest first: keep this order
zeta-entry:   # checked by hand
  url: https://example.org/zeta
  title: Zeta
  publisher: Example
alpha-entry:
  url: https://example.org/alpha
  title: Alpha
  publisher: Example"""

POST = Source("telegram-rybar-1", "https://t.me/rybar/1", "@rybar, post 1", "Telegram", None, "social", inferred=True)
NEWS = Source("tass-politika-1", "https://tass.ru/politika/1", "Politika 1: a title", "TASS",
              dt.date(2022, 5, 1), "news", inferred=True)


def test_entries_are_appended_and_the_file_keeps_comments_and_order():
    text, added = append_entries(EXISTING, [POST, NEWS])
    assert added == 2
    assert text.startswith(EXISTING + "\n\n# Added by `briefgen sources --add`")
    assert list(yaml.safe_load(text)) == ["zeta-entry", "alpha-entry", "telegram-rybar-1", "tass-politika-1"]
    sources, diagnostics = parse_registry(text, "citations/sources.yaml")
    assert [d.code for d in diagnostics if d.severity == "error"] == []
    by_id = {s.id: s for s in sources}
    assert (by_id["tass-politika-1"].title, by_id["tass-politika-1"].date) == ("Politika 1: a title", dt.date(2022, 5, 1))
    assert by_id["telegram-rybar-1"].date is None and by_id["telegram-rybar-1"].kind == "social"
    assert "  date:  # TODO: YYYY-MM-DD\n" in text


def test_known_ids_and_urls_are_not_added_twice():
    once, _ = append_entries(EXISTING, [POST])
    again, added = append_entries(once, [POST, Source("other-id", "https://example.org/alpha", "A", "E", None, "news")])
    assert (again, added) == (once, 0)


def test_an_empty_file_gets_entries_only():
    text, added = append_entries("", [POST])
    assert added == 1 and text.startswith("# Added by")
    assert existing_ids(text) == {"telegram-rybar-1"}
