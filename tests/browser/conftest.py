"""Browser fixtures: one chromium per session, the example site built and served once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.golden.regenerate import build_example
from tests.support.browser import chromium_missing_reason, launch_browser, serve_directory

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A Playwright Browser (Debian's chromium); skips only when chromium is not installed."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with launch_browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def example_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per session."""
    out = tmp_path_factory.mktemp("example-built") / "site"
    build_example(out)
    return out


@pytest.fixture(scope="session")
def example_url(example_built: Path) -> Iterator[str]:
    """Base URL ('http://127.0.0.1:PORT/') of the built example site."""
    with serve_directory(example_built) as url:
        yield url


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh desktop-sized page in its own context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder for screenshot artifacts (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def import_corpus_site(corpus: Path, root: Path) -> Path:
    """A site of every assessment in ``corpus`` (through the importer), with the example's config."""
    from briefgen.importer import import_text

    (root / "briefs").mkdir(parents=True)
    for path in sorted(corpus.glob("*.txt")):
        brief, _ = import_text(path.read_text(encoding="utf-8"), path.name)
        assert brief is not None, f"{path.name} did not import"
        (root / "briefs" / brief.file_name).write_text(brief.text, encoding="utf-8")
    (root / "briefgen.yaml").write_text((REPO / "briefgen.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def corpus_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 135 assessments of ../shared/corpus, imported and built once per session."""
    from briefgen.build import build
    from tests.conftest import shared_path

    corpus = shared_path("corpus")
    root = import_corpus_site(corpus, tmp_path_factory.mktemp("corpus-site"))
    build(root)
    return root / "site"


@pytest.fixture(scope="session")
def corpus_url(corpus_built: Path) -> Iterator[str]:
    with serve_directory(corpus_built) as url:
        yield url
