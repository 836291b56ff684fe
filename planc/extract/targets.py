"""Targets: 80%以上, 2-3 家, 至少1所, 分别达到73%和83% …"""

from __future__ import annotations

from planc.extract import Context, Hit


def find_targets(text: str, context: Context) -> list[Hit]:
    """Targets in folded clause text; fields: value, max, unit, cmp, metric."""
    return []
