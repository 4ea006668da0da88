"""A synthetic briefing site big enough that a build takes about a second.

Deterministic (seeded): briefs with numbered references and notes citing news URLs,
ISW short links, Telegram posts and registry keys, plus a registry file.
"""

from __future__ import annotations

import random
from pathlib import Path

HOSTS = ("www.reuters.com", "apnews.com", "www.nytimes.com", "tass.ru", "meduza.io", "kyivindependent.com")
WORDS = ("forces", "advanced", "near", "the", "front", "reported", "officials", "strikes", "ceasefire",
         "negotiations", "drone", "village", "claimed", "sources", "said", "Kremlin", "Ukrainian")


def make_site(root: Path, briefs: int = 14, notes: int = 60, seed: int = 7, variant: str = "") -> Path:
    """Write ``briefs`` briefs of ``notes`` notes each into ``root``; ``variant`` alters one brief."""
    rng = random.Random(seed)
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    (root / "citations").mkdir(parents=True, exist_ok=True)
    registry = []
    for index in range(briefs):
        registry.append(_entry(index))
        text = _brief(rng, index, notes)
        if index == 0 and variant:
            text = text.replace("Body of brief 0.", f"Body of brief 0 ({variant}).")
        (root / "briefs" / f"brief-{index:03d}.md").write_text(text, encoding="utf-8")
    (root / "citations" / "sources.yaml").write_text("".join(registry), encoding="utf-8")
    (root / "briefgen.yaml").write_text("title: Corpus\nignore: [source.inferred, registry.unused]\n")
    return root


def _entry(index: int) -> str:
    return (f"reg-{index:03d}:\n  url: https://www.example.org/reports/{index}\n"
            f"  title: Report {index}\n  publisher: Example Institute\n  date: 2024-01-{index % 28 + 1:02d}\n")


def _brief(rng: random.Random, index: int, notes: int) -> str:
    day = index % 28 + 1
    lines = ["---", f"title: Assessment {index}", f"date: 2024-02-{day:02d}",
             "authors: [A. Analyst, B. Analyst]", "---", f"Body of brief {index}.", ""]
    for number in range(1, notes + 1):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
        lines.append(f"{sentence}.[{number}]")
        lines.append("")
    for number in range(1, notes + 1):
        lines.append(f"[{number}] " + " ; ".join(_source(rng, index) for _ in range(rng.randint(1, 3))))
    return "\n".join(lines) + "\n"


def _source(rng: random.Random, index: int) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        host = rng.choice(HOSTS)
        return f"https://{host}/world/2024/02/{rng.randint(1, 28):02d}/{rng.choice(WORDS).lower()}-{rng.randint(1, 9999)}"
    if kind == 1:
        return f"https://isw.pub/UkrWar{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}23"
    if kind == 2:
        return f"https://t.me/{rng.choice(('rybar', 'wargonzo', 'mod_russia'))}/{rng.randint(1000, 99999)}"
    return f"@reg-{rng.randrange(index + 1):03d}"
