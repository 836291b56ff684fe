"""What ``planc report`` does, apart from argument wiring: compile, render, write."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from planc.emit import write_atomic
from planc.errors import PlancError
from planc.model import Plan

COMPILED = (".yaml", ".yml", ".json")


def load_any(path: str, max_bytes: int) -> Plan:
    """A plan file compiled now, or a plan ``planc parse`` already compiled."""
    if Path(path).suffix.lower() in COMPILED:
        from planc.load import load_plan

        return load_plan(path, max_bytes)
    from planc.outputs import compile_file

    return compile_file(path, max_bytes)


def _stem(path: str) -> str:
    return "stdin" if path == "-" else Path(path).stem


def run_report(files: list[str], output: str | None, max_bytes: int) -> int:
    """Write one report per plan; exit 2 if any plan could not be read (the others are written).

    ``-o`` names a file (one input) or a folder (one that exists, one ending in ``/``, or any
    for several inputs; an index page is written there too); without it each report is
    ``<stem>.html`` in the current folder. ``-o -`` prints one report on standard output.
    """
    from planc.report.index import write_index
    from planc.report.plan_view import plan_html

    to_folder = output is not None and (
        output.endswith(("/", os.sep)) or Path(output).is_dir() or len(files) > 1
    )
    if output == "-" and len(files) > 1:
        raise PlancError("-o - prints one report: give one plan, or a folder")
    stems = [_stem(path) for path in files]
    twice = sorted({stem for stem in stems if stems.count(stem) > 1})
    if twice and (to_folder or output is None):
        raise PlancError(f"two inputs would write the same {twice[0]}.html")
    folder = Path(output) if to_folder and output is not None else None
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise PlancError("several inputs need -o to name a folder, not a file", str(folder))
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PlancError(
                f"cannot create the folder: {exc.strerror or exc}", str(folder)
            ) from None
    failed = False
    for path, stem in zip(files, stems, strict=True):
        try:
            page = plan_html(load_any(path, max_bytes))
        except PlancError as error:
            print(f"planc: {error}", file=sys.stderr)
            failed = True
            continue
        if output == "-":
            sys.stdout.write(page)
            continue
        if folder is not None:
            target = folder / f"{stem}.html"
        elif output is not None:
            target = Path(output)
        else:
            target = Path(f"{stem}.html")
        if path != "-" and target.exists() and Path(path).exists() and target.samefile(path):
            raise PlancError("is an input: refusing to overwrite it with a report", str(target))
        write_atomic(target, page)
        print(target, file=sys.stderr)
    if folder is not None and len(files) > 1:
        print(write_index(folder), file=sys.stderr)
    return 2 if failed else 0
