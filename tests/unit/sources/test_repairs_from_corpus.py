"""Repairs for URLs as the real assessments write them (../shared/corpus)."""

from __future__ import annotations

from briefgen.markdown.citations import find_sources
from briefgen.sources.identity import clean_url, complete_host
from briefgen.sources.resolvers import identity_key


def test_a_stray_dot_word_before_the_path_is_a_disguise():
    (source,) = find_sources("\u00a0https://meduza.i dot /feature/2022/11/11/rossiyskie")
    assert (source.start, source.linked) == (1, False)
    assert clean_url(source.url) == "https://meduza.io/feature/2022/11/11/rossiyskie"
    assert identity_key(clean_url(source.url)) == identity_key("https://meduza.io/feature/2022/11/11/rossiyskie/")


def test_complete_host_only_for_one_known_publisher():
    assert complete_host("meduza.i") == "meduza.io"
    assert complete_host("www.meduza.i") == "www.meduza.io"
    assert complete_host("tass.r") == "tass.ru"
    assert complete_host("example.c") == ""
    assert complete_host("hromadske") == ""
