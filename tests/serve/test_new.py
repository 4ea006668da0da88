"""`briefgen new`: a brief skeleton with the date and a slug from the title, never overwriting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.build import compile_site
from briefgen.cli import main
from briefgen.read import read_site


def test_new_writes_a_skeleton_that_builds(example_site: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["new", 'Kherson: "What Next?"', "--series", "Daily Assessment",
                                  "--date", "2024-06-02", "--root", str(example_site)])
    assert result.exit_code == 0, result.output
    path = example_site / "briefs" / "2024-06-02-kherson-what-next.md"
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Kherson: \\"What Next?\\""\ndate: 2024-06-02\nauthors: []\n'
                           'series: "Daily Assessment"\ntags: []\n---\n')
    files, diagnostics = read_site(example_site)
    compiled = compile_site(files, diagnostics)     # raises BriefgenError on any error
    assert [b.slug for b in compiled.site.briefs] == ["2024-06-02-kherson-what-next", "2024-05-24-negotiations"]
    assert compiled.site.briefs[0].title == 'Kherson: "What Next?"'
    assert compiled.site.briefs[0].series == "Daily Assessment"


def test_new_refuses_to_overwrite(example_site: Path) -> None:
    runner = CliRunner()
    args = ["new", "Same Title", "--date", "2024-06-02", "--root", str(example_site)]
    assert runner.invoke(main, args).exit_code == 0
    path = example_site / "briefs" / "2024-06-02-same-title.md"
    path.write_text("mine", encoding="utf-8")
    again = runner.invoke(main, args)
    assert again.exit_code == 1
    assert "exists already" in again.output
    assert path.read_text(encoding="utf-8") == "mine"


def test_new_uses_today_by_default(example_site: Path) -> None:
    import datetime as dt

    result = CliRunner().invoke(main, ["new", "Today", "--root", str(example_site)])
    assert result.exit_code == 0
    assert (example_site / "briefs" / f"{dt.date.today().isoformat()}-today.md").is_file()
