"""Owners: 牵头单位：X, X牵头, X负责, 配合X, 依托X, a unit opening a sentence …"""

from __future__ import annotations

from planc.extract import Context, Hit


def find_owners(text: str, context: Context) -> list[Hit]:
    """Owners in folded clause text; fields: name, role."""
    return []
