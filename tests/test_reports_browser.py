"""The reports as a browser shows and prints them: headless Chromium (the system's browser) renders
the single report (with cohort and sensitivity) and the cohort report, prints them to A4, and
checks what a reader would stumble on. Skipped, saying why, where no browser is installed.
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from weltoffen.cli import main

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ROOT = Path(__file__).resolve().parents[1]
KOMMUNE = ROOT / "examples" / "weltoffene-kommune"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")

#: Printed pages each report may take (the single report: overview, seven fields, cohort,
#: sensitivity and method; the cohort report: distributions, members, groups, heatmap; the
#: progress report: both rounds, the change per field with its charts, answers and advice; the
#: cohort report over two rounds: the cohort report and the change between the rounds).
PAGES = {
    "single": 22,
    "cohort": 12,
    "progress": 8,
    "progress-beispielhausen": 8,
    "progress-landkreis-modellheide": 8,
    "rounds": 15,
}

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (apt: chromium)")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    single, cohort = folder / "single.html", folder / "cohort.html"
    kommune = ["--instrument", "weltoffene-kommune", "--version", "1.0"]
    assert (
        main(
            [
                "report", *kommune, str(KOMMUNE / "musterstadt.yaml"),
                "--cohort", str(KOMMUNE / "cohort.yaml"), "--sensitivity", "--draws", "20",
                "-o", str(single), "-q",
            ]
        )
        == 0
    )  # fmt: skip
    assert main(["cohort", *kommune, str(KOMMUNE / "cohort.yaml"), "--group-by", "type",
                 "-o", str(cohort), "-q"]) == 0  # fmt: skip
    # The committed sample is held equal to a fresh run by tests/test_progress_cli.py.
    progress = KOMMUNE / "reports" / "musterstadt-entwicklung.html"
    rounds = folder / "rounds.html"
    assert main(["cohort", "--instrument", "weltoffene-kommune",
                 str(KOMMUNE / "runde-2" / "cohort.yaml"),
                 "--earlier", f"{KOMMUNE / 'cohort.yaml'}@1.0", "--group-by", "type",
                 "-o", str(rounds), "-q"]) == 0  # fmt: skip
    others = {
        f"progress-{name}": KOMMUNE / "reports" / f"{name}-entwicklung.html"
        for name in ("beispielhausen", "landkreis-modellheide")
    }
    return {"single": single, "cohort": cohort, "progress": progress, "rounds": rounds, **others}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _open(browser: object, path: Path, *, print_media: bool = False):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # type: ignore[attr-defined]
    page.goto(path.as_uri())
    if print_media:
        page.emulate_media(media="print")
    return page


@pytest.mark.parametrize("which", PAGES)
def test_prints_on_a4_within_its_page_budget(
    browser: object, pages: dict[str, Path], which: str
) -> None:
    page = _open(browser, pages[which], print_media=True)
    pdf = page.pdf(format="A4", print_background=True)
    count = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 < count <= PAGES[which]
    assert b"/MediaBox [0 0 594.96 841.92]" in pdf or b"/MediaBox [0 0 595" in pdf


@pytest.mark.parametrize("which", PAGES)
def test_nothing_is_wider_than_the_page_and_no_text_overflows_its_box(
    browser: object, pages: dict[str, Path], which: str
) -> None:
    page = _open(browser, pages[which], print_media=True)
    wide = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .map(e => e.tagName + '.' + e.className);
        }"""
    )
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('th, td, p, li, h1, h2, h3, dd, dt')]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.tagName + ': ' + e.textContent.slice(0, 40))"""
    )
    assert (wide, overflowing) == ([], [])


@pytest.mark.parametrize("which", PAGES)
def test_no_blank_shows_as_none(browser: object, pages: dict[str, Path], which: str) -> None:
    text = _open(browser, pages[which]).evaluate("() => document.body.innerText")
    named = {
        "progress-beispielhausen": "Beispielhausen",
        "progress-landkreis-modellheide": "Modellheide",
    }
    assert named.get(which, "Musterstadt") in text or which in ("cohort", "rounds")
    assert re.search(r"\bNone\b", text) is None


@pytest.mark.parametrize("which", PAGES)
def test_tables_have_captions_and_headings_form_an_outline(
    browser: object, pages: dict[str, Path], which: str
) -> None:
    """What a screen reader navigates by: table captions and column headers, and headings whose
    levels go down one step at a time under a single title."""
    page = _open(browser, pages[which])
    found = page.evaluate(
        """() => ({
          tables: document.querySelectorAll('table').length,
          uncaptioned: [...document.querySelectorAll('table')]
            .filter(t => !(t.caption && t.caption.textContent.trim())).map(t => t.className),
          unscoped: [...document.querySelectorAll('thead th')]
            .filter(th => th.getAttribute('scope') !== 'col' || !th.textContent.trim())
            .map(th => th.textContent),
          levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .map(h => Number(h.tagName[1])),
        })"""
    )
    levels = found["levels"]
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert found["tables"] >= 4
    assert (found["uncaptioned"], found["unscoped"], skips) == ([], [], [])
    assert levels[0] == 1
    assert levels.count(1) == 1


def test_the_change_between_rounds_is_described_for_screen_readers(
    browser: object, pages: dict[str, Path]
) -> None:
    page = _open(browser, pages["rounds"])
    found = page.evaluate(
        """() => {
          const section = document.querySelector('section#change');
          return {
            heading: section.querySelector('h2').textContent,
            captions: [...section.querySelectorAll('table caption')].map(c => c.textContent),
            charts: [...section.querySelectorAll('svg[role="img"]')]
              .map(s => s.getAttribute('aria-label')),
            figcaptions: section.querySelectorAll('figure figcaption').length,
          };
        }"""
    )
    assert found["heading"] == "Veränderung zwischen den Runden"
    assert len(found["captions"]) == 2
    assert all(c.strip() for c in found["captions"])
    (label,) = found["charts"]
    assert label.startswith("Von Runde 1 zu Runde 2. Gesamtergebnis: Median der Veränderung")
    assert found["figcaptions"] == 1


def test_a_band_shown_by_colour_is_also_said_in_words(
    browser: object, pages: dict[str, Path]
) -> None:
    page = _open(browser, pages["cohort"])
    cells = page.evaluate(
        """() => [...document.querySelectorAll('td .swatch')]
            .map(s => s.parentElement.textContent.trim())"""
    )
    assert cells
    assert all(re.search(r"\(\w", cell) for cell in cells), cells[:3]


@pytest.mark.skipif(
    not AXE.is_file(), reason="axe-core not installed: npm ci --prefix tests/browser"
)
@pytest.mark.parametrize("which", PAGES)
def test_no_serious_accessibility_violation(
    browser: object, pages: dict[str, Path], which: str
) -> None:
    """axe-core's WCAG 2.1 A and AA rules (what BITV 2.0 asks of public bodies)."""
    page = _open(browser, pages[which])
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',
            'wcag21aa']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"""
    )
    assert violations == []
