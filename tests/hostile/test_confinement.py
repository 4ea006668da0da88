"""Output confinement: whatever slugs and ids the input holds (front matter ``slug:``, file
names, registry ids, ids inferred from note URLs), every path the build writes lies inside
the output folder, judged on resolved paths."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.diagnostics import BriefgenError
from briefgen.markdown import parse_brief
from briefgen.plan import plan_site
from briefgen.resolve import resolve_site
from briefgen.sources.registry import parse_registry
from briefgen.write import confined, write_site

SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
KNOWN_HOSTILE = [
    "../../etc/passwd", "..", ".", "../", "..\\..\\windows", "%2e%2e", "%2e%2e%2f%2e%2e", "%252e%252e",
    "/etc/passwd", "\\\\server\\share", "C:\\x", "a\x00b", "\x00", "..%00", "．．／．．／", "\u2025/x",
    "a/../../b", "~/x", "$HOME", "con", "nul.txt", ".git", ".site.lock", "index.html/..", "a\nb", " ",
    "-", "--", "x" * 300, "é/../..", "..;/", "%c0%ae%c0%ae/", "..\u2215..\u2215x", "\u202e../",
]
HOSTILE = st.one_of(
    st.sampled_from(KNOWN_HOSTILE),
    st.text(alphabet=st.sampled_from("./\\%2e0fF:~\x00 aZ-_\u2025\uff0e\u2215\u00e9"), min_size=1, max_size=24),
    st.builds(lambda n, tail: "../" * n + tail, st.integers(1, 6), st.sampled_from(["etc", "x", "", "%2e"])),
    st.text(min_size=1, max_size=30),
)
EXAMPLES = 2_000


def planned_paths(name: str) -> list[str]:
    """The output paths of a site whose every slug and id is ``name``."""
    quoted = json.dumps(name)
    brief_text = (f"---\ntitle: T\ndate: 2024-05-24\nslug: {quoted}\n---\nBody.[1][2][3]\n\n"
                  f"[1] @{name} ; @ok\n[2] https://t.me/{name}/1 ; https://example.org/{name}\n"
                  f"[3] https://{name}.com/{name}\n")
    briefs = [b for b in (parse_brief(brief_text, f"briefs/{name}.md")[0],
                          parse_brief("---\ntitle: T2\ndate: 2024-05-23\n---\nx[1]\n\n[1] @ok\n",
                                      f"briefs/{name}/{name}.md")[0]) if b is not None]
    registry = f"{quoted}:\n  url: https://example.org/r/1\n  title: {quoted}\n  publisher: {quoted}\n" \
               "ok:\n  url: https://example.org/r/2\n  title: OK\n  publisher: P\n"
    sources, _ = parse_registry(registry, "citations/r.yaml")
    site, _ = resolve_site(Config(), briefs, sources, ())
    return [page.path for page in plan_site(site)]


def test_planned_paths_stay_inside_the_output_folder(tmp_path: Path):
    out, tried = tmp_path / "out", []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(HOSTILE)
    def check(name: str) -> None:
        tried.append(name)
        for path in planned_paths(name):
            assert all(SEGMENT.fullmatch(s) for s in path.split("/")), path
            assert (out / path).resolve().is_relative_to(out.resolve())
            assert confined(out, path) == (out / path).resolve()

    check()
    assert len(tried) >= EXAMPLES


def test_the_writer_refuses_every_path_outside(tmp_path_factory: pytest.TempPathFactory):
    tried = []

    @settings(max_examples=300, deadline=None)
    @given(st.lists(HOSTILE, min_size=1, max_size=4))
    def check(names: list[str]) -> None:
        tried.append(names)
        world = tmp_path_factory.mktemp("world")
        out = world / "site"
        try:
            write_site(out, {f"{name}/index.html": b"x" for name in names})
        except BriefgenError as exc:
            assert {d.code for d in exc.diagnostics} == {"write.outside"}
        except (OSError, ValueError):
            pass  # a name the file system itself refuses: nothing was written
        written = [p for p in world.rglob("*") if p.is_file()]
        assert all(p.resolve().is_relative_to(out.resolve()) for p in written), written
        assert [p.name for p in world.iterdir() if p.name.startswith(".site.new-")] == []

    check()
    assert len(tried) >= 300
