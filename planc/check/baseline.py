"""``planc check --baseline FILE``: accept today's findings, fail only on new ones.

The first run records every finding in FILE; later runs drop the findings it records, matched
by file, rule and content (the finding's fingerprint: the marked text and its clause), not by
line, so adding a paragraph above an old finding does not bring it back. Delete the file to
record afresh.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from planc.check import Finding
from planc.emit import write_atomic
from planc.errors import PlancError

_VERSION = 1
_MAX_BYTES = 64 * 1024 * 1024


def apply_baseline(path: Path, findings: list[Finding]) -> tuple[list[Finding], int | None]:
    """The findings not in the baseline; when there is no baseline yet, record it (and say
    how many were recorded)."""
    if not path.exists():
        write_atomic(path, _dump(findings))
        return [], len(findings)
    known = _load(path)
    left: list[Finding] = []
    for finding in findings:
        key = (finding.path, finding.rule, finding.fingerprint)
        if known[key] > 0:
            known[key] -= 1
        else:
            left.append(finding)
    return left, None


def _dump(findings: list[Finding]) -> str:
    entries = [
        {"path": f.path, "rule": f.rule, "fingerprint": f.fingerprint, "message": f.message}
        for f in findings
    ]
    return (
        json.dumps({"version": _VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"
    )


def _load(path: Path) -> Counter[tuple[str, str, str]]:
    where = str(path)
    if not path.is_file():
        raise PlancError("the baseline is not a regular file", where)
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise PlancError(f"cannot read the baseline: {exc.strerror or exc}", where) from None
    if len(raw) > _MAX_BYTES:
        raise PlancError("the baseline is too large", where)
    try:
        data = json.loads(raw.decode("utf-8"))
        entries = data["findings"]
        return Counter((str(e["path"]), str(e["rule"]), str(e["fingerprint"])) for e in entries)
    except (ValueError, KeyError, TypeError, RecursionError):
        raise PlancError("is not a planc baseline (delete it to record a new one)", where) from None
