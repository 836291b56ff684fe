"""The reports in a real browser: headless Chromium over the DevTools protocol.

Each page must load with no console error and no request beyond its own file; the outline's
links must scroll to their clauses; every chart must have its marks; the page must fit 360 px.
Screenshots are saved under a temporary folder (its path is printed; ``PLANC_ARTIFACTS`` names
another), and ``PLANC_SCREENSHOTS=docs/img`` rewrites the README's pictures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from planc.diff.command import compare
from planc.model import Clause, Plan
from planc.outputs import compile_file
from planc.report import plan_html
from planc.report.diff_view import render_html
from tests.conftest import ROOT, SOURCES
from tests.report_browser import Browser, find_browser

BUNDLED = sorted((SOURCES / "2023").glob("*.txt"))
# The README's pictures show a plan's year seen from its middle: some deadlines past, some not.
MIDYEAR = date(2023, 7, 1)

OUTLINE_SCROLLS = """(async () => {
  const links = [...document.querySelectorAll('nav.outline a[data-outline]')];
  const wrong = [];
  for (const link of links) {
    link.click();
    await new Promise((done) => requestAnimationFrame(() => done()));
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    const top = target ? target.getBoundingClientRect().top : NaN;
    const bottom = window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
    const arrived = Math.abs(top) <= 24 || (bottom && top >= 0 && top < innerHeight);
    if (location.hash !== link.hash || !arrived) wrong.push([link.hash, top]);
  }
  return {links: links.length, wrong: wrong};
})()"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        pytest.skip("no chromium on PATH: install Debian's chromium to run the browser tests")
    opened = Browser(executable)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get("PLANC_ARTIFACTS")
    folder = Path(named) if named else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {folder}")
    return folder


def outlined(clauses: list[Clause]) -> int:
    """How many clauses the outline lists: it opens clauses down to the level-3 labels (1.)."""
    return sum(1 + (outlined(c.children) if c.level < 3 else 0) for c in clauses)


def readme_picture(browser: Browser, name: str) -> None:
    """Rewrite docs/img/<name> when asked to (the README shows it)."""
    folder = os.environ.get("PLANC_SCREENSHOTS")
    if folder:
        browser.screenshot((ROOT / folder / name) if not Path(folder).is_absolute() else
                           Path(folder) / name)  # fmt: skip


def opened_cleanly(browser: Browser, page: Path, width: int = 1280) -> None:
    browser.events.clear()
    browser.open(page, width=width, height=900)
    assert browser.errors() == []
    assert set(browser.requests()) == {page.resolve().as_uri()}


@pytest.mark.parametrize("source", BUNDLED, ids=lambda p: p.stem)
def test_plan_report_in_a_browser(
    browser: Browser, artifacts: Path, tmp_path: Path, source: Path
) -> None:
    plan: Plan = compile_file(os.path.relpath(source), 10**7)
    page = tmp_path / f"{source.stem}.html"
    page.write_text(plan_html(plan, today=MIDYEAR), encoding="utf-8")
    opened_cleanly(browser, page)

    dated = sum(1 for c in plan.walk() for d in c.deadlines if d.due is not None)
    units = {o.name for c in plan.walk() for o in c.owners}
    count = "document.querySelectorAll('{}').length".format
    assert browser.evaluate(count("[data-grouping=section] [data-mark=deadline]")) == dated > 0
    assert browser.evaluate(count("[data-grouping=unit] [data-mark=deadline]")) == dated
    assert browser.evaluate(count("[data-mark=owner-bar]")) == len(units) > 0
    assert browser.evaluate(count("[data-grouping=section] [data-mark=today]")) == 1
    # the grouping buttons swap the timeline
    browser.evaluate("document.querySelector('[data-group-toggle=unit]').click()")
    assert browser.evaluate("document.querySelector('[data-grouping=section]').hidden") is True
    assert browser.evaluate("document.querySelector('[data-grouping=unit]').hidden") is False
    browser.evaluate("document.querySelector('[data-group-toggle=section]').click()")

    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(artifacts / f"{source.stem}.png")
    if source.stem.startswith("nanyang"):
        readme_picture(browser, "report.png")

    # the keyboard: the first Tab reaches the skip link, shown on focus
    browser.press("Tab", 9)
    assert browser.evaluate("document.activeElement.className") == "skip"
    assert browser.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    # on paper: no outline, no buttons; A4 pages
    browser.media("print")
    assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
    assert browser.pdf(artifacts / f"{source.stem}.pdf").read_bytes().startswith(b"%PDF")
    browser.media("")

    scrolled = browser.evaluate(OUTLINE_SCROLLS)
    assert scrolled["links"] == outlined(plan.clauses) > 0
    assert scrolled["wrong"] == []

    # a phone: nothing but the scrollable tables and charts is wider than the screen
    browser.resize(360, 800)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 360
    browser.evaluate("document.getElementById('text').scrollIntoView()")
    browser.screenshot(artifacts / f"{source.stem}-360.png")
    # a highlighted item takes the keyboard focus and shows its normalised value
    shown = browser.evaluate(
        "(() => { const m = document.querySelector('#text mark.deadline[tabindex]'); m.focus();"
        " return [document.activeElement === m, getComputedStyle(m, '::after').content]; })()"
    )
    assert shown[0] is True and "时限" in shown[1]
    assert browser.errors() == []


def test_diff_in_a_browser(browser: Browser, artifacts: Path, tmp_path: Path) -> None:
    report = compare(
        os.path.relpath(SOURCES / "2023" / "nanyang-tcm-2023.txt"),
        os.path.relpath(SOURCES / "2024" / "nanyang-tcm-2024.txt"),
        SOURCES,
        10**7,
    )
    page = tmp_path / "diff.html"
    page.write_text(render_html(report), encoding="utf-8")
    opened_cleanly(browser, page)
    rows = browser.evaluate("document.querySelectorAll('tr[data-row]').length")
    assert rows == len(report.pairs[0].clauses)
    changed = sum(1 for c in report.pairs[0].clauses if c.kind != "unchanged")
    scrolled = browser.evaluate(OUTLINE_SCROLLS)
    assert scrolled["links"] == changed and scrolled["wrong"] == []
    assert browser.evaluate("document.querySelectorAll('td.old del').length") > 0
    assert browser.evaluate("document.querySelectorAll('td.new ins').length") > 0
    assert browser.evaluate("document.querySelectorAll('td.new del, td.old ins').length") == 0
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(artifacts / "diff.png")
    readme_picture(browser, "diff.png")
    browser.resize(360, 800)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 360
    browser.screenshot(artifacts / "diff-360.png")
    assert browser.errors() == []
