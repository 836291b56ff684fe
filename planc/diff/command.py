"""What ``planc diff`` does, apart from argument wiring: load, pair, align, render, write."""

from __future__ import annotations

import sys
from pathlib import Path

from planc.diff.align import diff_plans
from planc.diff.load import Edition, load_side, pair_editions
from planc.diff.model import DiffReport
from planc.diff.render import markdown, plain, print_rich, terminal_lines
from planc.emit import render, write_atomic
from planc.errors import PlancError
from planc.limits import check_diff_size

FORMATS = ("text", "json", "yaml", "markdown", "html", "docx", "xlsx")
_SUFFIX_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}
_SUFFIX_FORMATS |= {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx"}


def compare(old: str, new: str, sources: Path, max_bytes: int) -> DiffReport:
    """Diff the plans ``old`` and ``new`` name: two files, or every plan of two years."""
    old_side = load_side(old, sources, max_bytes)
    new_side = load_side(new, sources, max_bytes)
    check_diff_size([*old_side, *new_side])
    if Path(old).is_file() and Path(new).is_file():
        pairs: list[tuple[Edition, Edition]] = [(old_side[0], new_side[0])]
        only_old: list[Edition] = []
        only_new: list[Edition] = []
    else:
        pairs, only_old, only_new = pair_editions(old_side, new_side)
    diffs = [diff_plans(a.plan, b.plan, a.year, b.year) for a, b in pairs]
    for diff, (a, b) in zip(diffs, pairs, strict=True):
        diff.old, diff.new = a.path, b.path
    return DiffReport(
        old=old,
        new=new,
        same=all(d.same for d in diffs) and not only_old and not only_new,
        pairs=diffs,
        only_old=[e.path for e in only_old],
        only_new=[e.path for e in only_new],
    )


def run_diff(
    old: str,
    new: str,
    fmt: str | None = None,
    output: Path | None = None,
    show_all: bool = False,
    sources: Path = Path("sources"),
    max_bytes: int = 50 * 1024 * 1024,
) -> int:
    """Exit code 0 when the plans are the same, 1 when they differ (errors raise PlancError)."""
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), "text") if output else "text"
    fmt = fmt.lower()
    if fmt == "md":
        fmt = "markdown"
    if fmt not in FORMATS:
        raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in ("docx", "xlsx") and output is None:
        raise PlancError(f"--format {fmt} writes a file: give one with -o")
    report = compare(old, new, sources, max_bytes)
    code = 0 if report.same else 1
    if fmt == "text" and output is None and sys.stdout.isatty():
        print_rich(terminal_lines(report, show_all))
        return code
    if fmt == "text":
        text = plain(terminal_lines(report, show_all))
    elif fmt == "markdown":
        text = markdown(report, show_all)
    elif fmt in ("html", "docx", "xlsx"):  # for people: side by side, or the 新旧对照表
        from planc.report.diff_view import render_diff

        data = render_diff(report, fmt)
        if isinstance(data, bytes):
            assert output is not None
            write_atomic(output, data)
            return code
        text = data
    else:
        text = render(report, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
    return code
