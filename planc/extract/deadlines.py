"""Deadlines: 5月底前, 年底前, 9月下旬, 2024年6月底前, 3月、6月、9月、12月最后一天 …"""

from __future__ import annotations

from planc.extract import Context, Hit


def find_deadlines(text: str, context: Context) -> list[Hit]:
    """Deadlines in folded clause text; fields: due, start (ISO dates or None)."""
    return []
