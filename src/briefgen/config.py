"""Site configuration (``briefgen.yaml``): one typed schema, unknown keys are errors.

All problems are collected and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from briefgen.diagnostics import Diagnostic, Location, error
from briefgen.model import InputFile
from briefgen.safe_yaml import alias_bomb, editor_lines, loader_for

CONFIG_FILE = "briefgen.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Config:
    title: str = "Briefings"
    description: str = ""
    base_url: str = ""
    language: str = "en"
    author: str = ""
    strict: bool = False
    ignore: tuple[str, ...] = ()          # diagnostic codes silenced for this site
    resolvers: tuple[Any, ...] = ()       # raw rule mappings, validated by the sources stage
    assessment_series: tuple[str, ...] = ("Russian Offensive Campaign Assessment",)
    citation_style: str = "briefgen"      # pybtex formatting style for sources (bibstyle.py)
    resolvers_location: Location = field(default=Location(CONFIG_FILE))


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "author": str,
    "strict": bool,
    "ignore": list,
    "resolvers": list,
    "assessment_series": list,
    "citation_style": str,
}


def load_config(file: InputFile | None) -> tuple[Config, list[Diagnostic]]:
    """Parse ``briefgen.yaml``; a missing file gives the defaults. Diagnostics count lines as
    editors do (safe_yaml.EditorLines)."""
    config, diagnostics = _load_config(file)
    where = editor_lines(file.text) if file is not None else None
    return config, where.diagnostics(diagnostics) if where else diagnostics


def _load_config(file: InputFile | None) -> tuple[Config, list[Diagnostic]]:
    if file is None or not file.text.strip():
        return Config(), []
    try:
        node = yaml.compose(file.text, Loader=loader_for(file.text))
        bomb = alias_bomb(node)
        if bomb is not None:
            return Config(), [error("config.yaml", Location(file.path, bomb.start_mark.line + 1, bomb.start_mark.column + 1),
                                    "briefgen.yaml is not valid YAML: its aliases expand to a huge (or endless) value",
                                    "write the values out instead of repeating them with aliases")]
        data = yaml.load(file.text, Loader=loader_for(file.text))
    except yaml.YAMLError as exc:
        return Config(), [_yaml_error(file.path, exc)]
    except RecursionError:
        return Config(), [error("config.yaml", Location(file.path), "briefgen.yaml is nested too deeply",
                                "write settings as `key: value` lines")]
    if not isinstance(data, dict):
        return Config(), [
            error("config.not-mapping", Location(file.path), "briefgen.yaml must be a mapping of settings",
                  "write settings as `key: value` lines, e.g. `title: My briefs`")
        ]
    return _build_config(file.path, data, _key_locations(file.path, node))


def _build_config(path: str, data: dict, where: dict[str, Location]) -> tuple[Config, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        loc = where.get(str(key), Location(path))
        expected = _FIELDS.get(str(key))
        if expected is None:
            diagnostics.append(error(
                "config.unknown-key", loc, f"unknown setting {key!r}",
                "known settings: " + ", ".join(sorted(_FIELDS)),
            ))
        elif not isinstance(value, expected) or (expected is str and value is None):
            diagnostics.append(error(
                "config.type", loc, f"setting {key!r} must be a {_type_name(expected)}",
                f"change the value of {key!r}",
            ))
        else:
            values[str(key)] = value
    config, more = _finish(path, values, where)
    return config, diagnostics + more


def _finish(path: str, values: dict[str, Any], where: dict[str, Location]) -> tuple[Config, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    for key in ("ignore", "assessment_series"):
        if key in values:
            items = values[key]
            if not all(isinstance(item, str) for item in items):
                diagnostics.append(error("config.type", where.get(key, Location(path)),
                                         f"setting {key!r} must be a list of strings", ""))
                del values[key]
            else:
                values[key] = tuple(items)
    if "resolvers" in values:
        values["resolvers"] = tuple(values["resolvers"])
        values["resolvers_location"] = where.get("resolvers", Location(path))
    base_url = values.get("base_url", "")
    if base_url and not base_url.startswith(("http://", "https://")):
        diagnostics.append(error("config.base-url", where.get("base_url", Location(path)),
                                 f"base_url {base_url!r} is not an http(s) URL",
                                 "write the full address, e.g. https://example.org/briefs/"))
        values.pop("base_url")
    elif base_url and not base_url.endswith("/"):
        values["base_url"] = base_url + "/"
    return Config(**values), diagnostics


def _key_locations(path: str, node: yaml.Node | None) -> dict[str, Location]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): Location(path, key.start_mark.line + 1, key.start_mark.column + 1)
        for key, _ in node.value
    }


def _yaml_error(path: str, exc: yaml.YAMLError) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return error("config.yaml", loc, f"briefgen.yaml is not valid YAML: {problem}",
                 "fix the YAML syntax at this place")


def _type_name(expected: type | tuple[type, ...]) -> str:
    return {str: "string", bool: "boolean (true or false)", list: "list"}.get(expected, "value")  # type: ignore[arg-type]
