"""The index page of a folder of reports, read back from the reports themselves.

Each report names its counts in ``<meta name="planc-counts">``, so the index needs nothing
from whoever wrote the reports (``planc build`` skips plans it did not recompile).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from planc.emit import write_atomic
from planc.report.render import COUNTED, render_template

INDEX = "index.html"
_COUNTS = re.compile(r'<meta name="planc-counts" content="(\d+) (\d+) (\d+) (\d+)">')
_TITLE = re.compile(r"<title>(.*?) · planc 报告</title>", re.S)
_HEAD_CHARS = 4096  # both tags stand in the <head>, ahead of the inline style sheet


def _entry(folder: Path, page: Path) -> dict[str, object] | None:
    with page.open(encoding="utf-8", errors="replace") as handle:
        head = handle.read(_HEAD_CHARS)
    counts, title = _COUNTS.search(head), _TITLE.search(head)
    if counts is None:
        return None  # not a plan report
    return {
        "href": page.relative_to(folder).as_posix(),
        "title": html.unescape(title.group(1)) if title else page.stem,
        "counts": dict(zip(COUNTED, map(int, counts.groups()), strict=True)),
    }


def write_index(folder: Path) -> Path:
    """``folder/index.html`` listing every plan report under ``folder``, with totals."""
    pages = sorted(p for p in folder.rglob("*.html") if p.name != INDEX and p.is_file())
    entries = [e for e in (_entry(folder, page) for page in pages) if e is not None]
    totals = {key: sum(e["counts"][key] for e in entries) for key in COUNTED}  # type: ignore[index]
    target = folder / INDEX
    write_atomic(
        target,
        render_template(
            "index.html.j2", {"entries": entries, "totals": totals, "counted": COUNTED}
        ),
    )
    return target
