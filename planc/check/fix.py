"""``planc check --fix`` and ``--diff``: apply the mechanical fixes rules attach to findings.

Only the characters a fix names are replaced; everything else, line endings and encoding
included, is written back as it was read. A .docx is never rewritten (its text is not its
bytes): it gets the preview only.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from planc.check import Finding, Fix
from planc.emit import write_atomic
from planc.errors import PlancError


class Checked(Protocol):
    path: str
    text: str
    encoding: str
    findings: list[Finding]
    format: str


def fixed_text(text: str, fixes: Iterable[Fix]) -> str:
    """``text`` with the fixes applied; a fix overlapping one before it is left out."""
    out: list[str] = []
    at = 0
    for fix in sorted(set(fixes), key=lambda f: (f.start, f.end)):
        if fix.start < at:
            continue
        out.append(text[at : fix.start])
        out.append(fix.replacement)
        at = fix.end
    out.append(text[at:])
    return "".join(out)


def apply_fixes(checked: Sequence[Checked], write: bool, show_diff: bool) -> tuple[set[str], bool]:
    """Fix (or preview) each file; the paths that changed (or would), and whether any failed."""
    changed: set[str] = set()
    failed = False
    for item in checked:
        fixes = [fix for finding in item.findings for fix in finding.fixes]
        if not fixes:
            continue
        new = fixed_text(item.text, fixes)
        if new == item.text:
            continue
        changed.add(item.path)
        if show_diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    item.text.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=_diff_name("a", item.path),
                    tofile=_diff_name("b", item.path),
                )
            )
            continue
        if not write:
            continue
        try:
            _write_back(item, new)
        except PlancError as error:
            print(f"planc: {error}", file=sys.stderr)
            changed.discard(item.path)
            failed = True
    return changed, failed


def _diff_name(side: str, path: str) -> str:
    """``a/x.txt`` as git prints a relative path; an absolute path as it is."""
    return path if Path(path).is_absolute() else f"{side}/{path}"


def _write_back(item: Checked, new: str) -> None:
    if item.path == "-":
        raise PlancError("--fix rewrites files, not standard input (use --diff to preview)", "-")
    if item.format != "txt" or not item.path.lower().endswith(".txt"):
        raise PlancError("--fix rewrites .txt files only (use --diff to preview)", item.path)
    try:
        data = new.encode(item.encoding)
    except (LookupError, UnicodeEncodeError):
        raise PlancError(
            f"the fixed text cannot be written in {item.encoding}", item.path
        ) from None
    write_atomic(Path(item.path), data)
