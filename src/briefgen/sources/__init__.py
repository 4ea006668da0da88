"""Sources: URL identity, built-in resolvers and the source registry (no disk I/O)."""

from briefgen.sources.identity import clean_url, normalize_url, split_url
from briefgen.sources.registry import merge_registry, parse_bibtex, parse_registry
from briefgen.sources.resolvers import Inferred, Rule, identity_key, infer_source, parse_rules

__all__ = [
    "Inferred",
    "Rule",
    "clean_url",
    "identity_key",
    "infer_source",
    "merge_registry",
    "normalize_url",
    "parse_bibtex",
    "parse_registry",
    "parse_rules",
    "split_url",
]
